"""The search page in a real browser: search as you type, facets, the way to a
record's page, accessibility, phones and no JavaScript.

The portal is the demo, with the record-page module's small digitised fonds
added (its item's three pages have OCR text), and its search index built by
`manage.py search_index rebuild`, as an operator would.
"""

import gzip
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import test_record_page as record_page
from tests.browser.conftest import (
    assert_no_axe_violations,
    save_screenshot,
    serve_portal,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}
ITEM = "/catalogue/120199/J0001-001-0001-0001/"
FONDS = "/catalogue/120199/J0001/"
JS_BUDGET = 120 * 1024  # gzipped, UX.md

INDEX = r"""
from django.core.management import call_command
call_command("search_index", "rebuild")
"""


@pytest.fixture(scope="module")
def search_portal():
    with serve_portal(record_page.SEED, INDEX) as served:
        yield served


@pytest.fixture
def open_page(browser, search_portal):
    """A tab on the portal: open_page(language, viewport, **context options)."""
    contexts = []

    def make(language="zh-hans", viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=search_portal.base_url,
            viewport=viewport,
            locale=LOCALES[language],
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def visit(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")
    return response


def api_total(page, query, language="zh-hans"):
    """What the API counts for a query string: the number the page must show."""
    response = page.request.get(f"/api/search?{query}&lang={language}")
    assert response.ok, response.text()
    return response.json()["total"]


def count_text(total, language="zh-hans"):
    if language == "zh-hans":
        return f"共 {total:,} 条结果"
    return f"{total:,} result" + ("" if total == 1 else "s")


def record_api_calls(page):
    """The addresses of the API requests the page makes from now on."""
    calls = []
    page.on(
        "request",
        lambda request: (
            calls.append(request.url) if "/api/search" in request.url else None
        ),
    )
    return calls


def query_of(page):
    return parse_qs(urlsplit(page.url).query)


# Search as you type -------------------------------------------------------------------


def test_typing_updates_the_results_without_reloading(open_page):
    page = open_page("zh-hans")
    visit(page, "/zh-hans/search/")
    status = page.locator("#search-status")
    expect(status).to_have_attribute("role", "status")
    everything = status.inner_text()
    # replaceState counts as a "navigation" in the same document; a reload
    # would fire "load" again and lose the window's state.
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    api_calls = []
    page.on(
        "request",
        lambda request: (
            api_calls.append(request.url) if "/api/search" in request.url else None
        ),
    )
    page.evaluate("window.stillThisPage = true")

    box = page.locator("#search-q")
    box.click()
    box.press_sequentially("档", delay=300)
    expect(status).to_have_text(count_text(api_total(page, "q=" + quote("档"))))
    box.press_sequentially("案", delay=50)
    # The address follows the box, through the API the page uses.
    page.wait_for_url(re.compile(r"\?q=" + re.escape(quote("档案")) + "$"))
    expected = api_total(page, "q=" + quote("档案"))
    assert expected > 0
    expect(status).to_have_text(count_text(expected))
    assert status.inner_text() != everything

    # The same page all along: no navigation, the box keeps the focus.
    assert page.evaluate("window.stillThisPage") is True
    assert loads == []
    expect(box).to_be_focused()
    expect(box).to_have_value("档案")
    assert api_calls and all("lang=zh-hans" in url for url in api_calls)
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".hit mark").first).to_contain_text(re.compile("档|案"))
    save_screenshot(page, "search-typing-zh-hans.png")

    # A facet narrows what was typed, still without a reload.
    exhibitions = page.locator('input[name="type"][value="exhibition"]')
    exhibitions.check()
    narrowed = api_total(page, f"q={quote('档案')}&type=exhibition")
    assert 0 < narrowed < expected
    expect(status).to_have_text(count_text(narrowed))
    assert page.locator(".hit__type").all_inner_texts() == ["展览"] * narrowed
    assert loads == []


def test_fast_typing_waits_for_a_pause(open_page):
    page = open_page("en")
    visit(page, "/en/search/")
    api_calls = []
    page.on(
        "request",
        lambda request: (
            api_calls.append(request.url) if "/api/search" in request.url else None
        ),
    )
    page.locator("#search-q").press_sequentially("customs", delay=20)
    expect(page.locator("#search-status")).to_have_text(
        count_text(api_total(page, "q=customs", "en"), "en")
    )
    # Seven keystrokes within the 150 ms pause: one request, maybe two.
    assert 1 <= len(api_calls) <= 2, api_calls


def test_facets_narrow_the_results_and_back_undoes_it(open_page):
    page = open_page("zh-hans")
    visit(page, "/zh-hans/search/?q=" + quote("码头"))
    status = page.locator("#search-status")
    before = api_total(page, "q=" + quote("码头"))
    expect(status).to_have_text(count_text(before))
    # replaceState counts as a "navigation" in the same document; a reload
    # would fire "load" again and lose the window's state.
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))

    item = page.locator('input[name="type"][value="item"]')
    item_count = int(
        item.locator("xpath=following-sibling::label//span[@class='facet__count']")
        .inner_text()
        .replace(",", "")
    )
    assert 0 < item_count < before
    item.check()
    expect(status).to_have_text(count_text(item_count))
    assert query_of(page)["type"] == ["item"]
    expect(page.locator('input[name="type"][value="item"]')).to_be_checked()
    expect(page.locator('input[name="type"][value="item"]')).to_be_focused()
    expect(page.locator(".chip")).to_have_count(1)
    for label in page.locator(".hit__type").all_inner_texts():
        assert label == "件"

    # AND across facets: a decade narrows further.
    decade = page.locator('input[name="decade"]:not([disabled])').first
    decade_value = decade.get_attribute("value")
    decade.check()
    narrowed = api_total(page, f"q={quote('码头')}&type=item&decade={decade_value}")
    expect(status).to_have_text(count_text(narrowed))
    assert narrowed <= item_count
    assert loads == []

    page.go_back()
    expect(status).to_have_text(count_text(item_count))
    page.go_back()
    expect(status).to_have_text(count_text(before))
    expect(page.locator('input[name="type"][value="item"]')).not_to_be_checked()


def test_a_full_text_hit_opens_the_record_at_its_page(open_page):
    page = open_page("zh-hans")
    visit(page, "/zh-hans/search/?q=" + quote("所需经费"))
    hit = page.locator(".hit").filter(has_text="J0001-001-0001-0001")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark").first).to_have_text("所需经费")
    link = hit.locator("a.hit__page")
    expect(link).to_have_text("第 2 页")
    save_screenshot(page, "search-full-text-zh-hans.png")

    link.click()
    page.wait_for_url(re.compile(re.escape(ITEM) + r"#page=2$"))
    expect(page.locator('[id="page=2"]')).to_be_visible()
    expect(page.locator('[id="page=1"]')).to_be_hidden()
    expect(page.locator(".viewer__status")).to_contain_text("2")
    expect(page.locator('[id="page=2"] .viewer__text-body')).to_contain_text(
        "所需经费约计人民币十二万元"
    )


def test_search_within_a_fonds_from_its_record_page(open_page):
    page = open_page("zh-hans")
    visit(page, f"/zh-hans{FONDS}")
    box = page.get_by_role("search", name="在本全宗内检索")
    box.get_by_role("searchbox").fill("码头")
    box.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/zh-hans/search/\?"))
    chip = page.locator(".chip").filter(has_text="滨江海关")
    expect(chip).to_have_count(1)
    for code in page.locator(".hit .code").all_inner_texts():
        assert code.startswith("J0001")
    chip.click()
    expect(page.locator(".chip")).to_have_count(0)
    assert "within" not in query_of(page)


# Nothing found and the engine's words -------------------------------------------------


def test_nothing_found_offers_a_way_on(open_page):
    page = open_page("zh-hans")
    visit(page, "/zh-hans/search/?q=" + quote("码头 拖拉机") + "&decade=1900")
    expect(page.locator("#search-status")).to_have_text("共 0 条结果")
    expect(page.locator(".no-results h2")).to_contain_text("没有找到")
    offers = page.locator(".no-results a")
    assert offers.count() >= 2
    expect(page.locator(".no-results a").filter(has_text="档案目录")).to_have_count(1)
    offers.filter(has_text="码头").first.click()
    expect(page.locator(".hit").first).to_be_visible()


# Accessibility, phones, budgets -------------------------------------------------------


@pytest.mark.parametrize("language", LOCALES)
def test_results_have_no_accessibility_violations(open_page, language):
    page = open_page(language)
    visit(page, f"/{language}/search/?q={quote('码头')}&type=item")
    expect(page.locator(".hit").first).to_be_visible()
    page.locator(".advanced summary").click()
    assert_no_axe_violations(page)
    save_screenshot(page, f"search-results-{language}-desktop.png")


@pytest.mark.parametrize("language", LOCALES)
def test_zero_results_have_no_accessibility_violations(open_page, language):
    page = open_page(language)
    visit(page, f"/{language}/search/?q={quote('码头 拖拉机')}&type=file")
    expect(page.locator(".no-results")).to_be_visible()
    assert_no_axe_violations(page)
    save_screenshot(page, f"search-nothing-{language}-desktop.png")


@pytest.mark.parametrize("language", LOCALES)
def test_the_search_page_fits_a_360_pixel_screen(open_page, language):
    page = open_page(language, PHONE)
    visit(page, f"/{language}/search/?q={quote('码头')}&type=item&from=1900&to=1960")
    # Results first: the filters start closed on a phone.
    expect(page.locator("[data-filters]")).not_to_have_attribute("open", "")
    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, f"search-results-{language}-360.png")
    assert width <= PHONE["width"], f"the search page is {width} px wide"
    page.locator(".filters__summary").click()
    expect(page.locator(".facet").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, f"search-filters-{language}-360.png")
    assert_no_axe_violations(page)


def test_the_search_page_stays_within_its_javascript_budget(open_page):
    page = open_page("zh-hans")
    scripts = []
    page.on(
        "response",
        lambda response: (
            scripts.append(response)
            if response.request.resource_type == "script"
            else None
        ),
    )
    visit(page, "/zh-hans/search/?q=" + quote("码头"))
    # search.js, and the few lines that close the filters on phones as the page
    # is parsed (a file, so a script-src 'self' policy allows them).
    names = sorted(urlsplit(r.url).path.split("/")[-1].split(".")[0] for r in scripts)
    assert names == ["filters-closed-on-phones", "search"]
    total = sum(len(gzip.compress(response.body())) for response in scripts)
    assert total <= JS_BUDGET, f"{total} bytes of gzipped JavaScript"


# Without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_form_submits(open_page):
    page = open_page("zh-hans", java_script_enabled=False)
    visit(page, "/zh-hans/")
    # The home page's own search box (it has no second one in the header).
    box = page.get_by_role("search", name="检索开放档案目录、全文与在线展厅")
    box.get_by_role("searchbox").fill("码头")
    box.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/zh-hans/search/\?q="))
    status = page.locator("#search-status")
    total = api_total(page, "q=" + quote("码头"))
    expect(status).to_have_text(count_text(total))

    page.locator("#search-q").fill("码头扩建")
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"q=%E7%A0%81%E5%A4%B4%E6%89%A9%E5%BB%BA"))
    narrowed = api_total(page, "q=" + quote("码头扩建"))
    expect(status).to_have_text(count_text(narrowed))

    # Filters are sent with "Apply filters".
    page.locator('input[name="type"][value="item"]').check()
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url(re.compile(r"type=item"))
    expect(page.locator(".chip")).to_have_count(1)
    expect(status).to_have_text(
        count_text(api_total(page, f"q={quote('码头扩建')}&type=item"))
    )
    # Pages are links.
    assert page.locator(".pagination a, .hit").count() > 0


# Nothing that contradicts itself (issue 13) -------------------------------------------


def facet_counts(page):
    # text_content: values behind a closed "more" are counted too.
    counts = page.locator(".facet__count").all_text_contents()
    return [int(count.replace(",", "")) for count in counts]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_long_facets_get_a_labelled_box_and_no_empty_values(open_page, language):
    page = open_page(language)
    visit(page, f"/{language}/search/")
    boxes = page.locator(".facet__filter")
    assert boxes.count() >= 1  # the demo has facets of more than eight values
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = page.locator(f'label[for="{box.get_attribute("id")}"]')
        expect(label).to_be_visible()
        assert label.inner_text().strip()
        if language == "en":
            expect(label).to_have_text("Find a value")
    # Every value listed finds something; the count is shown once.
    counts = facet_counts(page)
    assert counts and all(counts)
    total = re.sub(r"\D", "", page.locator("#search-status").inner_text())
    range_ = page.locator(".results-bar__range").inner_text()
    assert range_ and total not in re.sub(r"[–-]", " ", range_).split()


def test_typing_symbols_alone_shows_why_and_no_results(open_page):
    page = open_page("en")
    visit(page, "/en/search/?q=" + quote("码头"))
    status = page.locator("#search-status")
    expect(status).to_have_text(
        count_text(api_total(page, "q=" + quote("码头"), "en"), "en")
    )
    page.locator("#search-q").fill("%^")
    expect(status).to_contain_text("symbols alone cannot be searched")
    expect(page.locator(".hit")).to_have_count(0)
    # A word again: results again (the positive control).
    page.locator("#search-q").fill("码头")
    expect(page.locator(".hit").first).to_be_visible()


def test_a_page_past_the_end_lands_on_the_last_page(open_page):
    page = open_page("zh-hans")
    response = page.goto("/zh-hans/search/?q=" + quote("码头") + "&page=999999")
    assert response is not None and response.status == 200
    assert query_of(page)["q"] == ["码头"]
    last = int(query_of(page).get("page", ["1"])[0])
    assert last < 999999
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".no-results")).to_have_count(0)
    assert "999999" not in page.title()
