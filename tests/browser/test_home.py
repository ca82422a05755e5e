"""What a visitor sees in a real browser: languages, accessibility, small screens."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

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


def path_of(url):
    return urlsplit(url).path


def open_page(context_factory, path, viewport=DESKTOP, **options):
    page = context_factory(viewport=viewport, **options).new_page()
    response = page.goto(path)
    return page, response


class TestTheHomePageGreetsVisitorsInTheirLanguage:
    @pytest.mark.parametrize("language", HOMES)
    def test_root_redirects_to_the_home_page_in_the_accept_language(
        self, context_factory, language
    ):
        home = HOMES[language]
        page, response = open_page(
            context_factory,
            "/",
            locale=home["locale"],
            extra_http_headers={"Accept-Language": home["accept_language"]},
        )

        assert response.status == 200
        assert path_of(page.url) == home["path"]
        expect(page.locator("html")).to_have_attribute("lang", home["lang"])
        expect(page.locator("h1")).to_have_text(home["title"])

    @pytest.mark.parametrize("language", HOMES)
    @pytest.mark.parametrize(
        "viewport,suffix", [(DESKTOP, "desktop"), (PHONE, "360")], ids=["desktop", "360"]
    )
    def test_home_page_renders_for_screenshots(
        self, context_factory, screenshot, language, viewport, suffix
    ):
        home = HOMES[language]
        page, response = open_page(context_factory, home["path"], viewport=viewport)

        assert response.status == 200
        expect(page.locator("h1")).to_have_text(home["title"])
        page.wait_for_load_state("networkidle")
        # The logo is an uploaded image, served by the portal itself.
        logo = page.locator(".brand__logo")
        expect(logo).to_be_visible()
        assert page.evaluate(
            "img => img.complete && img.naturalWidth > 0", logo.element_handle()
        ), "the archive's logo did not load"
        screenshot(page, f"home-{language}-{suffix}.png")


class TestTheLanguageSwitcherKeepsTheVisitorOnTheSamePage:
    def test_switching_from_chinese_to_english_and_back(self, context_factory):
        page, _ = open_page(context_factory, "/zh-hans/services/")
        switcher = page.locator("header nav.language-switcher")
        expect(switcher).to_have_attribute("aria-label", re.compile(r"\S"))

        switcher.get_by_role("link", name="English", exact=True).click()
        page.wait_for_url("**/en/services/")
        assert path_of(page.url) == "/en/services/"
        expect(page.locator("html")).to_have_attribute("lang", "en")

        switcher = page.get_by_role("navigation", name="Language")
        expect(switcher.locator("[aria-current]")).to_have_text("English")
        switcher.get_by_role("link", name="中文", exact=True).click()
        page.wait_for_url("**/zh-hans/services/")
        assert path_of(page.url) == "/zh-hans/services/"
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


class TestPagesHaveNoAccessibilityViolations:
    @pytest.mark.parametrize(
        "path",
        ["/zh-hans/", "/en/", "/zh-hans/services/", "/en/services/"],
    )
    def test_page(self, context_factory, axe_check, path):
        page, response = open_page(context_factory, path)
        assert response.status == 200
        axe_check(page)

    @pytest.mark.parametrize("path", ["/en/no-such-page/", "/zh-hans/no-such-page/"])
    def test_not_found_page(self, context_factory, axe_check, path):
        page, response = open_page(context_factory, path)
        assert response.status == 404
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)


class TestSmallScreens:
    @pytest.mark.parametrize(
        "path",
        [
            "/zh-hans/",
            "/en/",
            "/zh-hans/services/",
            "/en/services/",
            "/zh-hans/services/reading-room-rules/",
        ],
    )
    def test_nothing_scrolls_sideways_at_360_pixels(self, context_factory, path):
        page, response = open_page(context_factory, path, viewport=PHONE)
        assert response.status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (
            f"{path} is {width} px wide on a {PHONE['width']} px screen"
        )


class TestThePortalWorksWithoutJavaScript:
    @pytest.mark.parametrize("path", ["/zh-hans/", "/en/services/"])
    def test_heading_navigation_and_language_switcher_are_there(
        self, context_factory, path
    ):
        page, response = open_page(context_factory, path, java_script_enabled=False)
        assert response.status == 200

        expect(page.locator("h1")).to_be_visible()
        main_links = page.locator("header nav.menu--main a")
        expect(main_links).to_have_count(4)
        for index in range(4):
            expect(main_links.nth(index)).to_be_visible()
        switcher = page.locator("header nav.language-switcher")
        expect(switcher).to_be_visible()
        expect(switcher.get_by_text("中文", exact=True)).to_be_visible()
        expect(switcher.get_by_text("English", exact=True)).to_be_visible()


class TestKeyboardUsers:
    def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(
        self, context_factory
    ):
        page, _ = open_page(context_factory, "/en/services/")

        page.keyboard.press("Tab")
        skip_link = page.locator("a.skip-link")
        expect(skip_link).to_be_focused()
        expect(skip_link).to_be_in_viewport()
        assert skip_link.get_attribute("href") == "#main"

        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()


class TestNoThirdPartyResources:
    @pytest.mark.parametrize(
        "path", ["/zh-hans/", "/en/", "/zh-hans/services/", "/en/holdings/"]
    )
    def test_every_request_goes_to_the_portal_itself(
        self, context_factory, portal, path
    ):
        context = context_factory(viewport=DESKTOP)
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        page.goto(path)
        page.wait_for_load_state("networkidle")

        origin = urlsplit(portal.base_url)
        foreign = [
            url
            for url in requested
            if urlsplit(url).scheme not in {"data", "blob"}
            and urlsplit(url)[:2] != origin[:2]
        ]
        assert requested, "no request was recorded"
        assert not foreign, f"{path} loads third-party resources: {foreign}"


class TestEditorsCanLogIn:
    def test_editor_reaches_the_wagtail_dashboard(self, context_factory, portal):
        page, response = open_page(context_factory, "/admin/login/")
        assert response.status == 200

        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill(portal.demo_password)
        page.locator("form button[type=submit]").click()

        page.wait_for_url("**/admin/")
        assert path_of(page.url) == "/admin/"
        expect(page.locator("form[action$='/admin/logout/']")).to_have_count(1)
        expect(page.locator("main")).to_be_visible()
