"""What a visitor sees in a real browser: languages, accessibility, small screens."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from portal.demo import content

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

HOMES = {
    "zh-hans": {
        "accept_language": "zh-CN,zh;q=0.9",
        "locale": "zh-CN",
        "path": "/zh-hans/",
        "lang": "zh-Hans",
        "title": "滨江市档案馆",
    },
    "en": {
        "accept_language": "en",
        "locale": "en-GB",
        "path": "/en/",
        "lang": "en",
        "title": "Binjiang Municipal Archives",
    },
}
STANDARD_PAGES = ["/zh-hans/services/", "/en/services/"]


def path_of(url):
    return urlsplit(url).path


def visit(page, path, status=200):
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"
    return response


class TestTheHomePageGreetsVisitorsInTheirLanguage:
    @pytest.mark.parametrize("language", HOMES)
    def test_root_redirects_to_the_home_page_in_the_accept_language(
        self, context_factory, language
    ):
        home = HOMES[language]
        page = context_factory(
            locale=home["locale"],
            extra_http_headers={"Accept-Language": home["accept_language"]},
        ).new_page()

        visit(page, "/")

        assert path_of(page.url) == home["path"]
        expect(page.locator("html")).to_have_attribute("lang", home["lang"])
        expect(page.locator("h1")).to_have_text(home["title"])

    @pytest.mark.parametrize("language", HOMES)
    @pytest.mark.parametrize(
        "viewport,suffix",
        [(DESKTOP, "desktop"), (PHONE, "360")],
        ids=["desktop", "360"],
    )
    def test_home_page_is_complete_on_desktop_and_phone(
        self, page, screenshot, language, viewport, suffix
    ):
        home = HOMES[language]
        page.set_viewport_size(viewport)
        visit(page, home["path"])

        expect(page.locator("h1")).to_have_text(home["title"])
        # The logo is an uploaded image, served by the portal itself.
        logo = page.locator(".brand__logo")
        expect(logo).to_be_visible()
        page.wait_for_load_state("load")
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0"), (
            "the archive's logo did not load"
        )
        screenshot(page, f"home-{language}-{suffix}.png")


class TestTheLanguageSwitcherKeepsTheVisitorOnTheSamePage:
    def test_from_chinese_to_english_and_back(self, page):
        visit(page, "/zh-hans/services/")
        # Labelled in the page's language, whatever the catalogue says.
        switcher = page.locator("header nav.language-switcher")
        expect(switcher).to_have_attribute("aria-label", re.compile(r"\S"))
        expect(switcher.locator("[aria-current]")).to_have_text("中文")

        english = switcher.get_by_role("link", name="English", exact=True)
        expect(english).to_have_attribute("href", "/en/services/")
        english.click()
        page.wait_for_url("**/en/services/")
        expect(page.locator("html")).to_have_attribute("lang", "en")

        switcher = page.get_by_role("navigation", name="Language")
        expect(switcher.locator("[aria-current]")).to_have_text("English")
        chinese = switcher.get_by_role("link", name="中文", exact=True)
        expect(chinese).to_have_attribute("href", "/zh-hans/services/")
        chinese.click()
        page.wait_for_url("**/zh-hans/services/")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


class TestEveryLinkLeadsToAPage:
    @pytest.mark.parametrize("path", ["/zh-hans/", "/en/", *STANDARD_PAGES])
    def test_links_and_alternates_on(self, page, portal, path):
        visit(page, path)
        links = page.eval_on_selector_all(
            "a[href], link[rel=alternate]",
            "els => els.map(e => [e.getAttribute('href'), e.href])",
        )
        broken = [raw for raw, _ in links if not raw or raw == "None"]
        assert not broken, f"{path} has links without an address: {broken}"

        own = {
            absolute.split("#")[0]
            for _, absolute in links
            if absolute.startswith(portal.base_url + "/")
            and not absolute.startswith(f"{portal.base_url}/{path}#")
        }
        failing = {}
        for url in sorted(own):
            status = page.request.get(url, max_redirects=0).status
            if status != 200:
                failing[url] = status
        assert not failing, f"links on {path} that do not answer 200: {failing}"

    @pytest.mark.parametrize("path", STANDARD_PAGES)
    def test_translated_page_names_both_language_versions(self, page, path):
        visit(page, path)
        alternates = page.eval_on_selector_all(
            "link[rel=alternate][hreflang]",
            "els => Object.fromEntries("
            "els.map(e => [e.hreflang, e.getAttribute('href')]))",
        )
        # Absolute, on the portal's public address: search engines refuse
        # relative alternates.
        assert all(href.startswith("http") for href in alternates.values())
        assert {lang: urlsplit(href).path for lang, href in alternates.items()} == {
            "zh-Hans": "/zh-hans/services/",
            "en": "/en/services/",
        }


class TestPagesHaveNoAccessibilityViolations:
    @pytest.mark.parametrize("path", ["/zh-hans/", "/en/", *STANDARD_PAGES])
    def test_page(self, page, axe_check, path):
        visit(page, path)
        axe_check(page)

    @pytest.mark.parametrize("path", ["/en/no-such-page/", "/zh-hans/no-such-page/"])
    def test_not_found_page(self, page, axe_check, path):
        visit(page, path, status=404)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)


class TestSmallScreens:
    @pytest.mark.parametrize(
        "path",
        ["/zh-hans/", "/en/", *STANDARD_PAGES, "/zh-hans/services/reading-room-rules/"],
    )
    def test_nothing_scrolls_sideways_at_360_pixels(self, page, screenshot, path):
        page.set_viewport_size(PHONE)
        visit(page, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if path not in ("/zh-hans/", "/en/"):  # the home pages have their own
            screenshot(page, f"{path.strip('/').replace('/', '-')}-360.png")
        assert width <= PHONE["width"], (
            f"{path} is {width} px wide on a {PHONE['width']} px screen"
        )


class TestThePortalWorksWithoutJavaScript:
    @pytest.mark.parametrize("path", ["/zh-hans/", "/en/services/"])
    def test_heading_navigation_and_language_switcher_are_there(
        self, context_factory, path
    ):
        page = context_factory(java_script_enabled=False).new_page()
        visit(page, path)

        expect(page.locator("h1")).to_be_visible()
        main_links = page.locator("header nav.menu--main a")
        expect(main_links).to_have_count(len(content.MENUS["main"]))
        for link in main_links.all():
            expect(link).to_be_visible()
            expect(link).to_have_attribute("href", re.compile(r"^/(zh-hans|en)/"))
        switcher = page.locator("header nav.language-switcher")
        expect(switcher.get_by_text("中文", exact=True)).to_be_visible()
        expect(switcher.get_by_text("English", exact=True)).to_be_visible()


class TestKeyboardUsers:
    def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(self, page):
        visit(page, "/en/services/")

        page.keyboard.press("Tab")
        skip_link = page.locator("a.skip-link")
        expect(skip_link).to_be_focused()
        expect(skip_link).to_be_in_viewport()
        expect(skip_link).to_have_attribute("href", "#main")

        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()


class TestNoThirdPartyResources:
    def test_every_request_goes_to_the_portal_itself(self, context_factory, portal):
        context = context_factory()
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        for path in ["/zh-hans/", "/en/", *STANDARD_PAGES, "/en/no-such-page/"]:
            page.goto(path, wait_until="networkidle")

        origin = urlsplit(portal.base_url)[:2]
        foreign = [
            url
            for url in requested
            if urlsplit(url).scheme not in {"data", "blob"}
            and urlsplit(url)[:2] != origin
        ]
        assert any("/static/" in url for url in requested), requested
        assert not foreign, f"third-party resources were requested: {foreign}"


class TestEditorsCanLogIn:
    def test_editor_reaches_the_wagtail_dashboard(self, context_factory, portal):
        page = context_factory().new_page()
        visit(page, "/admin/login/")

        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill(portal.demo_password)
        page.locator("form button[type=submit]").click()

        page.wait_for_url("**/admin/")
        assert path_of(page.url) == "/admin/"
        expect(page.locator(".w-dashboard")).to_be_visible()
        expect(page.locator("form[action$='/admin/logout/']")).to_have_count(1)
