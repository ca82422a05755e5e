"""Image-led exhibitions and a grouped chronicle, as the server renders them.

Caption and credit on lines of their own with a label in the visitor's
language; dates and labels kept whole; the chronicle under decade and year
headings with pictures; renditions made on publish or on an image's save, so
a first view makes none; no space beside Chinese full-width punctuation; one
heading family for Chinese and its digits.
"""

import datetime
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation

from exhibitions import renditions
from home.models import ArchiveRendition
from tests.exhibitions_support import build_curated, make_image
from tests.factories import (
    ChronicleEventPageFactory,
    ExhibitionChapterPageFactory,
    ExhibitionPageFactory,
    ThematicCollectionPageFactory,
)

# Small pictures: every role is encoded in AVIF, WebP and JPEG.
SIZE = (640, 360)


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches renditions by image id, and ids come back after each
    test's rollback: a rendition cached by an earlier test is not this one's."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def curated(bilingual_site):
    return build_curated(bilingual_site)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish as an editor does: what waits for the commit runs, as in the demo."""

    def run(page):
        # Fresh from the database, as the editor's form loads it: an instance
        # held since before its children were added would write back a stale
        # child count, and the tree would then route to none of them.
        page.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return run


def image_block(image, caption="", credit="", kind="source", **extra):
    return (
        "image",
        {
            "image": image.pk,
            "alt_text": f"{image.title}（替代文字）",
            "caption": caption,
            "credit": credit,
            "credit_kind": kind,
            "rights_statement": "",
            "full_width": False,
            **extra,
        },
    )


def gallery_block(*images):
    return (
        "gallery",
        {
            "heading": "码头旧影",
            "images": [
                {
                    "image": image.pk,
                    "alt_text": f"{image.title}一景",
                    "caption": image.title,
                    "credit": "",
                    "credit_kind": "source",
                }
                for image in images
            ],
        },
    )


def stream(*blocks):
    return [{"type": kind, "value": value} for kind, value in blocks]


def main_of(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def harbour(curated):
    """An exhibition with a hero, and a chapter with an image, an image beside
    its text and a gallery; in Chinese and English. Nothing published yet."""
    hero = make_image("海关钟楼", size=SIZE, credit="滨江市档案馆藏 J0001")
    porters = make_image("搬运工人", size=SIZE, credit="J0001-002")
    yard = make_image("货场", size=(480, 640))
    drawing = make_image("码头示意", size=SIZE)
    exhibition = ExhibitionPageFactory(
        parent=curated.exhibitions,
        slug="harbour",
        hero_image=hero,
        start_date=datetime.date(2026, 5, 18),
        end_date=datetime.date(2027, 5, 17),
    )
    chapter = ExhibitionChapterPageFactory(
        parent=exhibition,
        slug="wharves",
        body=stream(
            ("paragraph", "<p>码头上全靠肩挑背扛。</p>"),
            image_block(porters, caption="搬运工人。"),
            image_block(
                drawing,
                caption="码头布局",
                credit="据馆藏地图绘制",
                kind="illustration",
                text="<p>码头沿江一字排开。</p>",
                image_side="end",
            ),
            gallery_block(porters, yard),
        ),
    )
    exhibition_en = curated.site.translate(
        exhibition, title="Where river meets sea", slug="harbour"
    )
    chapter_en = chapter.copy_for_translation(curated.site.en).specific
    chapter_en.title = "Wharves"
    chapter_en.body = stream(
        image_block(porters, caption="Porters"),
        image_block(
            drawing, caption="The wharves", credit="After a map", kind="illustration"
        ),
    )
    chapter_en.save_revision().publish()
    return exhibition, chapter, exhibition_en, chapter_en


# Captions and credits ----------


def test_caption_and_credit_are_separate_lines_labelled_in_chinese(client, harbour):
    _exhibition, chapter, _en, _chapter_en = harbour
    response = client.get(chapter.url)
    assert response.status_code == 200
    html = main_of(response.content.decode())
    # The block's credit is empty: the image's own is shown, on its own line.
    assert (
        '<figcaption class="figure__caption"><p class="figure__text">搬运工人。</p>'
        '<p class="figure__source"><span class="figure__label">来源：</span>'
        "J0001-002</p></figcaption>"
    ) in html
    assert "搬运工人。 " not in html and "Source" not in html
    # An image beside its text, its credit saying what kind it is.
    row = re.search(
        r'<div class="image-text image-text--end">.*?</div>\s*</div>', html, re.S
    )
    assert row, "no image-and-text row"
    assert '<p class="figure__text">码头布局</p>' in row.group(0)
    assert "据馆藏地图绘制</p>" in row.group(0)
    assert '<div class="image-text__text"><p>码头沿江一字排开。</p></div>' in row.group(
        0
    )


def test_caption_and_credit_in_english(client, harbour):
    *_rest, chapter_en = harbour
    response = client.get(chapter_en.url)
    assert response.status_code == 200
    html = main_of(response.content.decode())
    assert (
        '<p class="figure__text">Porters</p><p class="figure__source">'
        '<span class="figure__label">Credit: </span>J0001-002</p>'
    ) in html
    assert '<span class="figure__label">Illustration: </span>After a map</p>' in html
    assert "来源" not in html


def test_an_untranslated_page_labels_its_credits_in_the_visitors_language(
    client, curated
):
    image = make_image("钟楼", size=SIZE, credit="J0001")
    exhibition = ExhibitionPageFactory(
        parent=curated.exhibitions, slug="only-chinese", hero_image=image
    )
    response = client.get("/en/exhibitions/only-chinese/")
    assert response.status_code == 200
    html = main_of(response.content.decode())
    assert '<article class="exhibition" lang="zh-Hans">' in html
    assert '<span class="figure__label" lang="en">Credit: </span>J0001</p>' in html
    chinese = main_of(client.get(exhibition.url).content.decode())
    assert '<span class="figure__label">来源：</span>J0001</p>' in chinese


def test_a_drawn_hero_is_credited_as_an_illustration_in_the_pages_language(
    client, curated
):
    """The hero's credit and rights come from the image, which is not
    translated: each wording has its English twin, and a drawing is labelled
    示意图 / Illustration, never 来源 (once: "来源：示意图 · Illustration" and
    "仅供学习研究使用 · For study and research only" on the Chinese page)."""
    image = make_image(
        "钟楼",
        size=SIZE,
        credit="为演示绘制",
        credit_en="Drawn for the demo",
        credit_kind="illustration",
        rights_statement="仅供学习研究使用",
        rights_statement_en="For study and research only",
    )
    exhibition = ExhibitionPageFactory(
        parent=curated.exhibitions, slug="drawn", hero_image=image
    )
    chinese = client.get(exhibition.url)
    assert chinese.status_code == 200
    html = main_of(chinese.content.decode())
    assert '<span class="figure__label">示意图：</span>为演示绘制</p>' in html
    assert "仅供学习研究使用</p>" in html
    assert "For study" not in html and "来源" not in html
    english = client.get("/en/exhibitions/drawn/")
    assert english.status_code == 200
    html = main_of(english.content.decode())
    assert "Illustration: </span>Drawn for the demo</p>" in html
    assert "For study and research only</p>" in html
    assert "仅供" not in html and "为演示绘制" not in html


# Dates and labels kept whole ----------


def test_exhibition_dates_never_break_and_the_label_stays_with_them(client, harbour):
    exhibition, _chapter, exhibition_en, _chapter_en = harbour
    html = client.get(exhibition.url).content.decode()
    assert (
        '<div class="exhibition__fact"><dt>展期</dt><dd>'
        '<span class="nowrap"><time datetime="2026-05-18">2026年5月18日</time>—</span>'
        '<span class="nowrap"><time datetime="2027-05-17">2027年5月17日</time></span>'
        "</dd></div>"
    ) in html
    english = client.get(exhibition_en.url).content.decode()
    assert (
        '<span class="nowrap"><time datetime="2026-05-18">18 May 2026</time>'
        "\xa0–</span> "
        '<span class="nowrap"><time datetime="2027-05-17">17 May 2027</time></span>'
    ) in english
    # The hall's cards too.
    listing = client.get(exhibition.get_parent().url).content.decode()
    assert '<span class="nowrap"><time datetime="2027-05-17">' in listing


def test_a_permanent_exhibition_keeps_its_opening_day_whole(client, curated):
    page = ExhibitionPageFactory(
        parent=curated.exhibitions, start_date=datetime.date(2016, 1, 1)
    )
    html = client.get(page.url).content.decode()
    assert (
        '<span class="nowrap"><time datetime="2016-01-01">2016年1月1日</time></span>'
        "起，常设展览"
    ) in html


# The chronicle ----------


@pytest.fixture
def chronicle(curated):
    index = curated.chronicle
    picture = make_image("庆祝大会", size=SIZE)
    picture.description = "江边广场上集会的人群"
    picture.save()

    def event(start, title, precision="day", **fields):
        return ChronicleEventPageFactory(
            parent=index,
            start_date=datetime.date.fromisoformat(start),
            precision=precision,
            title=title,
            **fields,
        )

    events = {
        "port": event("1862-06-01", "滨江开埠", "month"),
        "liberation": event("1949-01-15", "滨江解放"),
        "founding": event("1949-10-01", "庆祝中华人民共和国成立", image=picture),
        "wharf": event("1956-03-12", "新码头建设"),
        "housing": event("1965-01-01", "工人新村", "decade"),
        "mill": event("1965-06-01", "纺织厂扩建", "month"),
    }
    return curated, events


def section(html, id_):
    return re.search(
        rf'<section class="chronicle__decade" id="{id_}".*?</section>', html, re.S
    ).group(0)


def test_the_chronicle_is_grouped_by_decade_then_year(client, chronicle):
    curated, _events = chronicle
    response = client.get(curated.chronicle.url)
    assert response.status_code == 200
    html = response.content.decode()
    forties = section(html, "decade-1940")
    assert (
        '<h2 id="decade-1940-heading" class="chronicle__decade-heading">1940年代</h2>'
        in forties
    )
    # One year heading for the year's two events, the events a list under it.
    assert forties.count('<li class="chronicle__year" id="year-1949">') == 1
    year = forties.split('id="year-1949"', 1)[1]
    assert '<h3 class="chronicle__year-heading">1949</h3>' in year
    assert year.index("滨江解放") < year.index("庆祝中华人民共和国成立")
    assert '<h4 class="chronicle-event__title">' in year
    # Known only to the decade: under the decade heading, before its years.
    sixties = section(html, "decade-1960")
    assert sixties.index("工人新村") < sixties.index('id="year-1965"')
    assert '<h3 class="chronicle-event__title">' in sixties.split('id="year-1965"')[0]
    # Every event's date is kept whole.
    assert html.count('<p class="chronicle-event__date"><span class="nowrap">') == 6
    assert "新码头建设" in section(html, "decade-1950")
    assert "新码头建设" not in forties


def test_events_with_pictures_show_them_with_alt_text(client, chronicle, publish):
    curated, events = chronicle
    publish(events["founding"])
    html = client.get(curated.chronicle.url).content.decode()
    founding = html.split(f'id="event-{events["founding"].translation_key}"', 1)[1]
    founding = founding.split("</li>", 1)[0]
    img = re.search(r"<img [^>]*>", founding).group(0)
    assert (
        'alt="江边广场上集会的人群"' in img and 'class="chronicle-event__image"' in img
    )
    assert 'loading="lazy"' in img and re.search(r'width="\d+"', img)
    liberation = html.split(f'id="event-{events["liberation"].translation_key}"', 1)[1]
    assert "<img" not in liberation.split("</li>", 1)[0]  # no picture, no image
    page = client.get(events["founding"].url).content.decode()
    assert 'alt="江边广场上集会的人群"' in page


def test_the_chronicle_in_english_is_grouped_too(client, chronicle):
    curated, events = chronicle
    curated.site.translate(events["wharf"], title="The new wharf", slug="new-wharf")
    html = client.get("/en/chronicle/").content.decode()
    assert (
        '<h2 id="decade-1950-heading" class="chronicle__decade-heading">1950s</h2>'
        in html
    )
    fifties = section(html, "decade-1950")
    assert (
        '<span class="nowrap"><time datetime="1956-03-12">12 March 1956</time></span>'
        in fifties
    )
    assert "The new wharf" in fifties
    assert 'lang="zh-Hans">滨江解放</a>' in section(html, "decade-1940")


# Renditions made before the first visitor ----------


def renditions_in(html):
    """The rendition files a page's pictures and links point at."""
    return set(re.findall(r"/media/(images/[^\s\"',]+)", html))


def test_publishing_makes_every_rendition_the_pages_show(client, harbour, publish):
    exhibition, chapter, exhibition_en, chapter_en = harbour
    for page in (exhibition, chapter, exhibition_en, chapter_en):
        publish(page)
    made = ArchiveRendition.objects.count()
    assert made > 0
    for page in (exhibition, chapter, exhibition_en, chapter_en):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = main_of(response.content.decode())
        shown = renditions_in(html)
        assert shown, page.url
        # Every picture the page shows is a rendition made at publication…
        stored = set(ArchiveRendition.objects.values_list("file", flat=True))
        assert shown <= stored, shown - stored
        # …and the first view made none.
        assert ArchiveRendition.objects.count() == made, page.url
    for name in renditions_in(main_of(client.get(chapter.url).content.decode())):
        assert (Path(settings.MEDIA_ROOT) / name).exists(), name


def test_the_gallery_links_its_large_images_and_keeps_their_proportions(
    client, harbour, publish
):
    _exhibition, chapter, _en, _chapter_en = harbour
    publish(chapter)
    html = main_of(client.get(chapter.url).content.decode())
    cells = re.findall(
        r'<li class="gallery__cell" style="--ratio: (\d+) / (\d+)">', html
    )
    assert [(int(w) / int(h)) for w, h in cells] == pytest.approx(
        [640 / 360, 480 / 640]
    )
    links = re.findall(r'<a class="gallery__link" href="/media/(images/[^"]+)"', html)
    assert len(links) == 2  # plain links: the gallery works without JavaScript
    large = set(
        ArchiveRendition.objects.filter(
            filter_spec__in=renditions.ROLES["gallery_large"].filter_specs
        ).values_list("file", flat=True)
    )
    assert set(links) <= large
    assert "js/lightbox" in client.get(chapter.url).content.decode()


def test_without_publishing_a_first_view_makes_renditions(client, harbour):
    """The control: the count above can see renditions being made."""
    _exhibition, chapter, _en, _chapter_en = harbour
    before = ArchiveRendition.objects.count()
    assert client.get(chapter.url).status_code == 200
    assert ArchiveRendition.objects.count() > before


def test_the_command_makes_them_for_pages_published_before(client, harbour):
    exhibition, chapter, *_rest = harbour
    call_command("make_renditions", stdout=io.StringIO())
    made = ArchiveRendition.objects.count()
    assert made > 0
    for page in (exhibition, chapter):
        assert client.get(page.url).status_code == 200
    assert ArchiveRendition.objects.count() == made
    call_command("make_renditions", stdout=io.StringIO())
    assert ArchiveRendition.objects.count() == made  # nothing made twice


def test_saving_an_image_again_makes_its_new_renditions(
    client, harbour, publish, django_capture_on_commit_callbacks
):
    exhibition, *_rest = harbour
    publish(exhibition)
    hero = exhibition.hero_image
    old_key = renditions.filters("hero")[0].get_cache_key(hero)
    with django_capture_on_commit_callbacks(execute=True):
        hero.focal_point_x, hero.focal_point_y = 600, 100
        hero.focal_point_width = hero.focal_point_height = 40
        hero.save()
    new_key = renditions.filters("hero")[0].get_cache_key(hero)
    assert new_key != old_key
    hero_specs = renditions.ROLES["hero"].filter_specs
    remade = hero.renditions.filter(filter_spec__in=hero_specs, focal_point_key=new_key)
    assert remade.count() == len(hero_specs)
    made = ArchiveRendition.objects.count()
    assert client.get(exhibition.url).status_code == 200
    assert ArchiveRendition.objects.count() == made


def test_only_changes_a_rendition_depends_on_queue_new_ones(
    harbour, django_capture_on_commit_callbacks
):
    exhibition, *_rest = harbour
    hero = exhibition.hero_image
    # Wagtail notes an image's size or hash with update_fields: nothing to redo.
    with django_capture_on_commit_callbacks() as queued:
        hero.title = "海关钟楼（新）"
        hero.save(update_fields=["title", "file_size"])
    assert queued == []
    with django_capture_on_commit_callbacks() as queued:
        hero.focal_point_x = 10
        hero.save(update_fields=["focal_point_x"])
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as queued:
        hero.save()  # the edit form: every field
    assert len(queued) == 1


def test_collections_and_events_get_theirs_on_publish(client, curated, publish):
    picture = make_image("海关档案", size=SIZE)
    collection = ThematicCollectionPageFactory(
        parent=curated.collections, hero_image=picture
    )
    event = ChronicleEventPageFactory(parent=curated.chronicle, image=picture)
    publish(collection)
    publish(event)
    made = ArchiveRendition.objects.count()
    assert made > 0
    for url in (
        collection.url,
        event.url,
        curated.chronicle.url,
        curated.collections.url,
    ):
        assert client.get(url).status_code == 200, url
    assert ArchiveRendition.objects.count() == made


# Chinese typography ----------

BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "header", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table",
    "td", "th", "tr", "ul",
}  # fmt: skip
FULL_WIDTH = "\u3001-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff1f\uff5e"
SPACED = re.compile(rf"[{FULL_WIDTH}][ \t]+\S|\S[ \t]+[{FULL_WIDTH}]")


class Lines(HTMLParser):
    """The text a reader sees, one line per block, inline whitespace as spaces."""

    def __init__(self):
        super().__init__()
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(re.sub(r"\s+", " ", data))

    def lines(self):
        return [line.strip() for line in "".join(self.text).split("\n")]


def test_no_space_beside_full_width_punctuation(client, harbour, chronicle, publish):
    exhibition, chapter, *_rest = harbour
    curated, events = chronicle
    publish(exhibition)
    urls = [
        exhibition.url,
        chapter.url,
        curated.chronicle.url,
        events["founding"].url,
        curated.exhibitions.url + "?theme=none&year=1800",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        reader = Lines()
        reader.feed(main_of(response.content.decode()))
        lines = [line for line in reader.lines() if line]
        assert any(re.search(f"[{FULL_WIDTH}]", line) for line in lines), url
        spaced = [line for line in lines if SPACED.search(line)]
        assert spaced == [], (url, spaced)


def test_the_space_test_sees_a_space_beside_full_width_punctuation():
    reader = Lines()
    reader.feed("<p>没有符合条件的展览。 <a>显示全部</a></p><p>来源：J0001</p>")
    assert [line for line in reader.lines() if SPACED.search(line)] == [
        "没有符合条件的展览。 显示全部"
    ]


def css(name):
    return (Path(settings.BASE_DIR) / "static" / "css" / name).read_text()


def test_headings_and_their_digits_come_from_one_family():
    portal = css("portal.css")
    tokens = portal.split("}", 1)[0]
    serif = re.search(r"--font-serif:([^;]+);", tokens).group(1)
    names = [name.strip() for name in serif.split(",")]
    # No generic serif to fall back on: a Latin serif would set the digits.
    assert "serif" not in names and names[-1] == "var(--font-sans)"
    assert "--font-heading: var(--font-sans);" in tokens
    assert re.search(
        r"h1,\s*h2,\s*h3,\s*h4 \{\s*font-family: var\(--font-heading\);"
        r"\s*text-wrap: balance;",
        portal,
    )
    assert re.search(r"p,\s*li,[^{]*\{\s*text-wrap: pretty;", portal)
    assert "--font-heading: var(--font-serif);" in css("exhibitions.css")


@pytest.mark.django_db
def test_search_text_of_a_block_is_what_a_visitor_reads():
    """An image with no credit of its own and a heading: the search text holds
    the alt text, caption and heading, never "None" for an empty value or the
    label of a layout choice (左侧, 章节标题, the credit kind's wording)."""
    from exhibitions.blocks import ExhibitionHeadingBlock, ImageWithCaptionBlock

    with translation.override("zh-hans"):
        image_block = ImageWithCaptionBlock()
        image = image_block.to_python(
            {
                "image": None,
                "alt_text": "黄昏时分的海关钟楼",
                "caption": "海关钟楼与码头",
                "credit": None,
                "credit_kind": "illustration",
                "rights_statement": None,
                "full_width": False,
                "text": "",
                "image_side": "start",
            }
        )
        heading_block = ExhibitionHeadingBlock()
        heading = heading_block.to_python({"heading_text": "海关的档案", "size": "h2"})
        pieces = [
            str(piece)
            for piece in image_block.get_searchable_content(image)
            + heading_block.get_searchable_content(heading)
        ]
    assert pieces == ["黄昏时分的海关钟楼", "海关钟楼与码头", "海关的档案"]
