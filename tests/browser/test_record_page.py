"""A record page in a real browser: both languages, axe-core, phones, the viewer.

This module serves its own portal, built as conftest's is (migrate,
collectstatic, setup_demo, gunicorn with DEBUG off), and adds a repository of
its own with a small digitised fonds whose every detail the tests know, by a
script run through `manage.py shell`.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_axe_violations,
    save_screenshot,
    serve_portal,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
ITEM = "/catalogue/120199/J0001-001-0001-0001/"
FILE = "/catalogue/120199/J0001-001-0001/"
LANGUAGES = {
    "zh-hans": {
        "locale": "zh-CN",
        "lang": "zh-Hans",
        "title": "关于码头扩建工程的呈文",
    },
    "en": {
        "locale": "en-GB",
        "lang": "en",
        "title": "Petition on the wharf extension works",
    },
}
# A IIIF tile or whole-page image of a page (Image API URL, catalogue/iiif/).
TILE = re.compile(
    r"/iiif/(?P<page>\d+)/(?:full|\d+,\d+,(?P<width>\d+),\d+)/"
    r"(?:max|(?P<size>\d+),\d+)/0/default\.jpg$"
)


def full_resolution_tile(response):
    """A tile of page 3 at full resolution (as many pixels as it covers)."""
    match = TILE.search(response.url)
    return (
        response.status == 200
        and match is not None
        and match["page"] == "3"
        and match["width"] is not None
        and match["width"] == match["size"]
    )


# Run inside the served portal's database: a catalogue page in both languages and
# a fonds > series > file whose first item has three page images with OCR text.
SEED = r"""
import datetime, io
from pathlib import Path
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.models import Locale
from catalogue.models import DigitalObject, PageText, Record, Repository
from catalogue.pages import CatalogueIndexPage

zh = Locale.get_default()
en = Locale.objects.get(language_code="en")
# The demo's catalogue page, in both languages, serves this repository too.
assert CatalogueIndexPage.objects.filter(locale=zh).exists()
assert CatalogueIndexPage.objects.filter(locale=en).exists()

repository = Repository.objects.create(
    code="120199",
    name="滨江市城建档案馆",
    name_en="Binjiang Urban Construction Archives",
)

def record(parent, code, level, title, **fields):
    return Record.objects.create(
        repository=repository, parent=parent, reference_code=code, level=level,
        title=title, access_status="open", **fields,
    )

fonds = record(
    None, "J0001", "fonds", "滨江海关", title_en="Binjiang Customs",
    date_start=datetime.date(1930, 1, 1), date_end=datetime.date(1958, 12, 31),
)
series = record(fonds, "J0001-001", "series", "文书档案", title_en="General files")
file = record(series, "J0001-001-0001", "file", "码头扩建工程文件",
              title_en="Wharf extension works", date_expression="1956年")
item = record(
    file, "J0001-001-0001-0001", "item", "关于码头扩建工程的呈文",
    title_en="Petition on the wharf extension works", position=1,
    creators=["滨江海关", "滨江市建设局"], date_expression="1956年3月12日",
    date_start=datetime.date(1956, 3, 12), date_end=datetime.date(1956, 3, 12),
    document_number="关字第12号", retention_period="永久", extent="3页", page_count=3,
    subjects=["港口建设", "码头"], places=["滨江"], language="中文",
    scope_and_content="滨江海关向市人民政府呈报码头扩建工程的计划、经费预算与施工安排。",
)
for n in range(2, 61):
    record(
        file, f"J0001-001-0001-{n:04d}", "item", f"码头扩建工程往来函件（第{n}件）",
        position=n, date_start=datetime.date(1956, 4, 1) + datetime.timedelta(days=n),
    )
Record.objects.create(
    repository=repository, parent=file, reference_code="J0001-001-0001-0099",
    level="item", title="未开放的内部报告", access_status="closed", position=99,
)
# Public, then withdrawn: only a record that was public answers 410.
withdrawn = Record.objects.create(
    repository=repository, parent=file, reference_code="J0001-001-0001-0098",
    level="item", title="已撤回的函件", access_status="open", position=98,
)
withdrawn.withdrawn = True
withdrawn.save()

font_path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
font = ImageFont.truetype(str(font_path), 40) if font_path.exists() else None
texts = [
    "呈文\n为呈报码头扩建工程计划事：\n查本关码头年久失修，船舶停靠困难。",
    "拟扩建码头三座，\n所需经费约计人民币十二万元，\n恳请核拨。",
    "此呈\n滨江市人民政府\n滨江海关 一九五六年三月十二日",
]
for n, text in enumerate(texts, start=1):
    picture = Image.new("RGB", (900, 1200), "#f3ecd9")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 40, 860, 1160), outline="#8a7b5a", width=4)
    draw.multiline_text((100, 140), text, fill="#2b2118", font=font, spacing=36)
    draw.text((420, 1090), f"- {n} -", fill="#2b2118", font=font)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = DigitalObject.objects.create(
        record=item, kind="image", position=n,
        file=ContentFile(buffer.getvalue(), name=f"J0001-001-0001-0001-{n}.png"),
    )
    PageText.objects.create(record=item, page_number=n, digital_object=image, text=text)
# Objects made here, not by an import: their tiles come from the command.
from django.core.management import call_command
call_command("make_tiles")
print("seeded", Record.objects.public().count())
"""


@pytest.fixture(scope="session")
def catalogue_portal():
    """The demo portal with this module's small digitised fonds added."""
    with serve_portal(SEED) as served:
        yield served


@pytest.fixture
def open_page(browser, catalogue_portal):
    """A tab on the catalogue portal: open_page(language, viewport, **options)."""
    contexts = []

    def make(language="zh-hans", viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=catalogue_portal.base_url,
            viewport=viewport,
            locale=LANGUAGES[language]["locale"],
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def visit(page, path, status=200):
    response = page.goto(path)
    assert response is not None and response.status == status, path
    page.wait_for_load_state("load")
    return response


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_page_has_no_accessibility_violations(open_page, language):
    page = open_page(language)
    visit(page, f"/{language}{ITEM}")

    expect(page.locator("html")).to_have_attribute("lang", LANGUAGES[language]["lang"])
    expect(page.locator("h1")).to_have_text(LANGUAGES[language]["title"])
    breadcrumb = page.locator("nav.breadcrumbs")
    expect(breadcrumb).to_have_attribute("aria-label", re.compile(r"\S"))
    expect(breadcrumb.locator("[aria-current=page]")).to_be_visible()
    # The viewer has taken over: one page at a time, its text beside it.
    expect(page.locator(".viewer__controls")).to_be_visible()
    expect(page.locator(".viewer__page:visible")).to_have_count(1)
    expect(page.locator(".viewer__text-body").first).to_contain_text(
        "为呈报码头扩建工程计划事"
    )
    assert_no_axe_violations(page)
    save_screenshot(page, f"record-{language}-desktop.png")


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_page_fits_a_360_pixel_screen(open_page, language):
    page = open_page(language, PHONE)
    visit(page, f"/{language}{ITEM}")

    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, f"record-{language}-360.png")
    assert width <= PHONE["width"], f"the record page is {width} px wide"
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_file_with_paged_children_has_no_accessibility_violations(
    open_page, language
):
    page = open_page(language)
    visit(page, f"/{language}{FILE}?page=2")

    expect(page.locator(".child")).to_have_count(10)
    expect(page.locator('.pagination a[aria-current="page"]')).to_have_text(
        re.compile(r"\b2$")
    )
    assert "未开放的内部报告" not in page.content()
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    save_screenshot(page, f"record-file-{language}-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_front_page_and_a_withdrawn_record_are_accessible(
    open_page, language
):
    page = open_page(language)
    visit(page, f"/{language}/catalogue/")
    # The demo's four fonds and this module's one.
    expect(page.locator(".fonds-list .record-summary__title")).to_have_count(5)
    assert_no_axe_violations(page)

    visit(page, f"/{language}/catalogue/120199/J0001-001-0001-0098/", status=410)
    expect(page.locator("h1")).to_be_visible()
    assert "已撤回的函件" not in page.content()
    assert_no_axe_violations(page)


def test_the_viewer_works_from_the_keyboard(open_page):
    page = open_page("en")
    tiles = []
    page.on("response", lambda response: tiles.append(response))
    visit(page, f"/en{ITEM}")
    status = page.locator(".viewer__status")
    expect(status).to_have_text("Page 1 of 3")
    expect(status).to_have_attribute("role", "status")

    next_button = page.get_by_role("button", name="Next page")
    next_button.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Page 2 of 3")
    assert page.url.endswith("#page=2")
    expect(page.locator('[id="page=2"]')).to_be_visible()
    expect(page.locator('[id="page=1"]')).to_be_hidden()
    expect(page.locator('[id="page=2"] .viewer__text-body')).to_contain_text(
        "所需经费约计人民币十二万元"
    )

    page.keyboard.press("Space")
    expect(status).to_have_text("Page 3 of 3")
    expect(next_button).to_have_attribute("aria-disabled", "true")
    expect(next_button).to_be_focused()

    # Page 3 (900 × 1200) is drawn from its IIIF tiles, at full resolution
    # once zoomed in (OpenSeadragon may fetch those already when the page
    # fits its frame at half size, so they are looked for among all answers).
    expect(page.locator('[id="page=3"] .viewer__zoom canvas')).to_be_visible()
    zoom_in = page.get_by_role("button", name="Zoom in")
    zoom_in.focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("150%")
    for _ in range(50):  # up to 5 s for the answers to arrive
        if any(full_resolution_tile(response) for response in tiles):
            break
        page.wait_for_timeout(100)
    assert any(full_resolution_tile(response) for response in tiles)

    page.keyboard.press("+")
    expect(status).to_contain_text("200%")
    # On the image itself + is still one step: the viewer's, not also
    # OpenSeadragon's own.
    page.locator('[id="page=3"] .viewer__zoom [role="region"]').focus()
    page.keyboard.press("+")
    expect(status).to_contain_text("300%")
    zoom_in.focus()
    page.keyboard.press("0")
    expect(status).to_have_text("Page 3 of 3")
    page.keyboard.press("PageUp")
    expect(status).to_have_text("Page 2 of 3")

    # Every control is reachable with Tab alone.
    page.get_by_role("button", name="Previous page").focus()
    names = []
    for _ in range(4):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert names == ["Next page", "+", "−", "Reset zoom"]


def test_a_page_number_in_the_address_opens_that_page(open_page):
    page = open_page("zh-hans")
    visit(page, f"/zh-hans{ITEM}#page=3")
    expect(page.locator('[id="page=3"]')).to_be_visible()
    expect(page.locator('[id="page=1"]')).to_be_hidden()


def test_without_javascript_the_pages_are_plain_images(open_page):
    page = open_page("zh-hans", java_script_enabled=False)
    visit(page, f"/zh-hans{ITEM}")

    expect(page.locator(".viewer__image")).to_have_count(3)
    expect(page.locator(".viewer__controls")).to_be_hidden()
    expect(page.locator(".citation__copy").first).to_be_hidden()
    first = page.locator(".viewer__image").first
    expect(first).to_be_visible()
    assert first.evaluate("img => img.complete && img.naturalWidth === 900")
    expect(page.locator(".viewer__text-body a").first).to_have_attribute(
        "href", "/zh-hans/catalogue/120199/J0001-001-0001-0001/pages/1.txt"
    )


def test_the_citation_can_be_copied(open_page):
    page = open_page("en")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit(page, f"/en{ITEM}")

    page.get_by_role("button", name="Copy Chinese (GB/T 7714)").click()
    expect(page.locator(".citation__status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "滨江海关, 滨江市建设局. 关于码头扩建工程的呈文[A]. 滨江市城建档案馆, "
        "1956年3月12日. 档号 J0001-001-0001-0001."
    )


def test_a_demo_record_opens_in_the_deep_zoom_viewer_from_its_iiif_tiles(
    open_page, catalogue_portal
):
    """The demo's import made the tiles; OpenSeadragon reads and draws them."""
    page = open_page("en")
    found = page.request.get(
        "/api/search?type=item&digital=yes&per_page=50&lang=en"
    ).json()
    demo = [hit["url"] for hit in found["hits"] if "/120199/" not in hit["url"]]
    assert demo, "the demo has no digitised item"
    tiles = []
    page.on(
        "response",
        lambda response: (
            tiles.append(response)
            if TILE.search(response.url) or response.url.endswith("/info.json")
            else None
        ),
    )
    scripts = []
    page.on(
        "request",
        lambda request: (
            scripts.append(request.url) if request.resource_type == "script" else None
        ),
    )

    visit(page, demo[0])
    page.locator("#viewer").scroll_into_view_if_needed()
    canvas = page.locator(".viewer__page:visible .viewer__zoom canvas")
    expect(canvas).to_be_visible()
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector(
                ".viewer__page:not([hidden]) .viewer__zoom canvas");
            if (!canvas || !canvas.width) return false;
            const context = canvas.getContext("2d");
            const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
            for (let i = 3; i < data.length; i += 4 * 97) if (data[i]) return true;
            return false;
        }"""
    )
    info = [r for r in tiles if r.url.endswith("/iiif/1/info.json")]
    assert info and info[0].status == 200
    assert info[0].json()["id"] == info[0].url.removesuffix("/info.json")
    drawn = [r for r in tiles if TILE.search(r.url)]
    assert drawn and all(r.status == 200 for r in drawn), [r.url for r in drawn]
    assert any("/vendor/openseadragon/openseadragon" in url for url in scripts)
    # The plain image gives way to the viewer's canvas, which is labelled.
    expect(page.locator(".viewer__page:visible .viewer__image")).to_be_hidden()
    expect(
        page.locator(".viewer__page:visible .viewer__zoom [role=region]")
    ).to_have_attribute("aria-label", re.compile(r"page 1"))
    assert_no_axe_violations(page)

    # Zooming in asks for tiles of the same page at a finer level.
    seen = {response.url for response in drawn}
    zoom_in = page.get_by_role("button", name="Zoom in")
    with page.expect_response(
        lambda response: bool(TILE.search(response.url)) and response.url not in seen
    ) as finer:
        zoom_in.click()
        zoom_in.click()
    assert finer.value.status == 200
    assert "/iiif/1/" in finer.value.url
    save_screenshot(page, "record-deep-zoom.png")
