"""Exhibitions, collections and the chronicle in a real browser, on the demo portal.

Both languages pass axe-core and fit a 360 px phone (screenshots saved to
var/test-artifacts/); the gallery's viewer works with the keyboard; and an
editor builds an exhibition with a record block in the admin, submits it, a
reviewer approves it, and it is live.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, save_screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PAGES = {
    "exhibition": "exhibitions/harbour/",
    "chapter": "exhibitions/harbour/wharves/",
    "collection": "collections/customs/",
    "chronicle": "chronicle/",
}
LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}


def show_everything(page):
    """Load lazy images too, so the screenshots show what a visitor scrolls to."""
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]')"
        ".forEach(image => { image.loading = 'eager'; })"
    )
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_curated_pages_are_accessible_and_fit_a_phone(context_factory, language):
    context = context_factory(locale=LOCALES[language])
    page = context.new_page()
    for name, path in PAGES.items():
        response = page.goto(f"/{language}/{path}")
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute(
            "lang", "zh-Hans" if language == "zh-hans" else "en"
        )
        expect(page.locator("h1")).to_have_count(1)
        show_everything(page)
        assert_no_axe_violations(page)
        save_screenshot(page, f"exhibitions-{name}-{language}-desktop.png")

        page.set_viewport_size(PHONE)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
        save_screenshot(page, f"exhibitions-{name}-{language}-360.png")
        page.set_viewport_size({"width": 1280, "height": 800})

    # Chapter-specific: the way on, and the record cards from the catalogue.
    page.goto(f"/{language}/{PAGES['chapter']}")
    expect(page.locator("a[rel=next]")).to_have_attribute(
        "href", f"/{language}/exhibitions/harbour/new-port/"
    )
    expect(page.locator(".record-card").first).to_be_visible()
    # The chronicle: year headings with ids, a decade bar that filters.
    page.goto(f"/{language}/chronicle/")
    expect(page.locator("#year-1862")).to_be_visible()
    page.locator(".decade-bar a", has_text="1950").click()
    expect(page.locator(".chronicle__year-heading").first).to_have_text("1950")


def test_the_gallery_viewer_works_with_the_keyboard(context_factory):
    page = context_factory(locale="zh-CN").new_page()
    page.goto("/zh-hans/exhibitions/harbour/wharves/")
    links = page.locator(".gallery__link")
    expect(links).to_have_count(3)
    links.first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lightbox__caption")).to_contain_text("1/3")
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".lightbox__caption")).to_contain_text("2/3")
    expect(dialog.locator("img")).to_have_attribute("alt", re.compile("货包"))
    assert_no_axe_violations(page)
    save_screenshot(page, "exhibitions-lightbox-zh-hans.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate(
        "document.activeElement === document.querySelector('.gallery__link')"
    )


def log_in(context, username, password):
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return page


def test_an_editor_builds_an_exhibition_a_reviewer_approves_it(context_factory, portal):
    title = "浏览器里建的展览"
    code = "J0001-002-0001-0010"

    editor = log_in(context_factory(), "editor", portal.demo_password)
    html = editor.goto("/zh-hans/exhibitions/").text()
    index_id = re.search(r"/admin/pages/(\d+)/edit/", html).group(1)
    editor.goto(f"/admin/pages/add/exhibitions/exhibitionpage/{index_id}/")
    editor.fill("#id_title", title)
    editor.fill("#id_start_date", "2026-11-01")
    body = editor.locator("[data-contentpath=body]")
    body.locator("button.c-sf-add-button").first.click()
    editor.get_by_role("option", name=re.compile(r"^(Record|档案)$")).click()
    body.get_by_role("button", name=re.compile("Choose a record|选择档案")).click()
    modal = editor.locator(".modal-dialog")
    modal.locator("input[name=q]").fill(code)  # the chooser searches by 档号
    expect(modal.locator("tbody tr")).to_have_count(1)
    modal.locator("tbody tr a").first.click()
    expect(modal).to_be_hidden()
    editor.locator("footer [data-w-dropdown-target=toggle]").click()
    editor.locator("button[name=action-submit]").click()
    expect(editor.locator(".messages")).to_contain_text(title)
    save_screenshot(editor, "exhibitions-editor-submitted.png")
    assert editor.goto(f"/zh-hans/exhibitions/{title}/").status == 404

    reviewer = log_in(context_factory(), "reviewer", portal.demo_password)
    reviewer.get_by_role("link", name=title).first.click()
    reviewer.locator("footer [data-w-dropdown-target=toggle]").click()
    reviewer.get_by_role(
        "button", name=re.compile(r"^(Approve and Publish|批准并发布)$")
    ).click()
    reviewer.wait_for_load_state()

    visitor = context_factory(locale="zh-CN").new_page()
    visitor.goto("/zh-hans/exhibitions/")
    visitor.get_by_role("link", name=title).click()
    expect(visitor.locator("h1")).to_have_text(title)
    card = visitor.locator(".record-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(code)
    save_screenshot(visitor, "exhibitions-editor-flow-live.png")
