"""Record pages say what is true of the record at its level, in the page's language.

Digitisation is stated per level and counted through the gate; dates are said
once; "next" names the level it leads to; language names and extents are
translated on English pages.
"""

import datetime
import html as html_module

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalogue import values, views
from catalogue.models import DigitalObject
from tests.factories import FileFactory, FondsFactory, ItemFactory
from tests.test_catalogue_pages import archive, catalogue, url  # noqa: F401


def html_of(client, record, language="zh-hans"):
    response = client.get(url(record, language))
    assert response.status_code == 200
    return response.content.decode()


def attach_image(record):
    DigitalObject.objects.create(
        record=record,
        kind="image",
        position=1,
        file=ContentFile(b"\x89PNG\r\n\x1a\n", name="page.png"),
    )


def access(html):
    """The text of the Access fact in the record's header."""
    header = html.split('<dl class="record__facts">', 1)[1].split("</dl>", 1)[0]
    return html_module.unescape(header.split("<dt>", 3)[-1])


# Digitisation, per level --------------------------------------------------------


@pytest.fixture
def half_digitised(archive):  # noqa: F811
    """The file holds 4 public items, 2 of them digitised, and a closed one
    with images that must never be counted."""
    attach_image(archive.item)
    for n in (2, 3, 4):
        item = ItemFactory(
            parent=archive.file, reference_code=f"J0001-001-0001-000{n}", position=n
        )
        if n == 2:
            attach_image(item)
    closed = ItemFactory(
        parent=archive.file,
        reference_code="J0001-001-0001-0009",
        position=9,
        access_status="closed",
    )
    attach_image(closed)
    # An open item below a closed file: hidden by its ancestor, not counted.
    hidden_file = FileFactory(
        parent=archive.series,
        reference_code="J0001-001-0002",
        position=2,
        access_status="closed",
    )
    attach_image(ItemFactory(parent=hidden_file, reference_code="J0001-001-0002-0001"))
    return archive


@pytest.mark.django_db
def test_files_series_and_fonds_count_their_digitised_public_items(
    client,
    catalogue,  # noqa: F811
    half_digitised,
):
    for record, level in (
        (half_digitised.file, "file's"),
        (half_digitised.series, "series'"),
        (half_digitised.fonds, "fonds'"),
    ):
        html = html_of(client, record, "en")
        assert f"2 of the {level} 4 items are digitised" in access(html)
        assert "Not digitised" not in html
    # On the Chinese page neither: the fonds is not "未数字化".
    assert "未数字化" not in html_of(client, half_digitised.fonds)


@pytest.mark.django_db
def test_items_say_whether_they_themselves_are_digitised(
    client,
    catalogue,  # noqa: F811
    half_digitised,
):
    digitised = html_of(client, half_digitised.item, "en")
    assert "Digitised: view the images" in access(digitised)
    assert "items are digitised" not in digitised
    plain = half_digitised.file.children.get(reference_code="J0001-001-0001-0003")
    assert "Not digitised: consult it in the reading room" in access(
        html_of(client, plain, "en")
    )


@pytest.mark.django_db
def test_a_file_with_no_public_items_is_not_digitised(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
):
    empty = FileFactory(parent=archive.series, reference_code="J0001-001-0003")
    html = html_of(client, empty, "en")
    assert "Not digitised: consult it in the reading room" in access(html)
    assert "items are digitised" not in html
    # The positive control: its sibling with one undigitised item counts it.
    assert "0 of the file's 1 item is digitised" in access(
        html_of(client, archive.file, "en")
    )


@pytest.mark.django_db
def test_digitised_items_are_counted_in_one_query(half_digitised):
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        counts = views.digitised_items(half_digitised.fonds, today)
    assert counts == (2, 4)
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counting) == 1, queries.captured_queries


# Dates, once -----------------------------------------------------------------------


@pytest.mark.django_db
def test_dates_written_as_they_are_normalised_are_said_once(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
):
    fonds = archive.fonds
    fonds.date_expression = "1902—1949"
    fonds.date_start = datetime.date(1902, 1, 1)
    fonds.date_end = datetime.date(1949, 12, 31)
    fonds.save()
    html = html_of(client, fonds)
    row = html.split("fields__row--date_expression", 1)[1].split("</dd>", 1)[0]
    assert "1902—1949" in row
    assert "fields__normalised" not in row
    # Written otherwise than normalised: both, the normalised in brackets.
    item = archive.item
    item.date_expression = "1956年春"
    item.save()
    row = html_of(client, item).split("fields__row--date_expression", 1)[1]
    row = row.split("</dd>", 1)[0]
    assert "1956年春" in row
    assert 'class="fields__normalised">(<time datetime="1956-03-12">' in row


# Next and previous, by level ----------------------------------------------------


@pytest.mark.django_db
def test_next_and_previous_name_the_level_they_lead_to(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
):
    FondsFactory(
        repository=archive.repository, reference_code="J0002", title="滨江邮局"
    )
    FileFactory(parent=archive.series, reference_code="J0001-001-0002", position=2)
    ItemFactory(parent=archive.file, reference_code="J0001-001-0001-0002", position=2)
    for record, label in (
        (archive.fonds, "Next fonds"),
        (archive.file, "Next file"),
        (archive.item, "Next item"),
    ):
        html = html_of(client, record, "en")
        pager = html.split('class="record-pager"', 1)[1].split("</nav>", 1)[0]
        assert f'<span class="record-pager__label">{label}</span>' in pager
    nxt = archive.file.children.get(reference_code="J0001-001-0001-0002")
    pager = html_of(client, nxt, "en").split('class="record-pager"', 1)[1]
    assert "Previous item" in pager.split("</nav>", 1)[0]
    assert "Next record" not in html


# Values in the page's language -----------------------------------------------------


def test_language_names_come_from_codes_and_common_words():
    with translation.override("en"):
        assert values.language_names("chi") == ["Chinese"]
        assert values.language_names("zho") == ["Chinese"]
        assert values.language_names("汉语") == ["Chinese"]
        assert values.language_names("chi, eng") == ["Chinese", "English"]
        assert values.language_names("中文；英文") == ["Chinese", "English"]
        # Anything not understood whole is shown as written.
        assert values.language_names("满文") is None
        assert values.language_names("chi, 满文") is None
        assert values.language_names("") is None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_counts_are_grouped_in_threes_with_a_comma_in_both_languages(language):
    """GB/T 15835's 千分撇, as in English (home/numbers.py): one rule for the
    home figures, the search counts and the catalogue's statements."""
    from django.template import Context, Template

    from catalogue.models import Level
    from catalogue.templatetags.catalogue_tags import digitisation_summary
    from home.sections import Figure
    from search.templatetags.search_tags import register as search_tags

    with translation.override(language):
        assert Figure(number=3251, label="").shown == "3,251"
        assert Figure(number=1234567, label="").shown == "1,234,567"
        assert Figure(number=999, label="").shown == "999"
        assert search_tags.filters["number"](3251) == "3,251"
        fonds = FondsFactory.build(level=Level.FONDS)
        summary = digitisation_summary(fonds, (1200, 3251))
        assert "3,251" in summary and "1,200" in summary
        rendered = Template(
            "{% load portal_tags %}{{ count|grouped }} {{ year }}"
        ).render(Context({"count": 3251, "year": 1956}))
        # A year is not a count: printed as it is.
        assert rendered == "3,251 1956"


def test_extents_are_translated_only_when_understood_whole():
    with translation.override("en"):
        assert values.translated_extent("357卷") == "357 volumes"
        assert values.translated_extent("1卷") == "1 volume"
        assert values.translated_extent("12件") == "12 items"
        assert values.translated_extent("4页") == "4 pages"
        assert values.translated_extent("3册") == "3 volumes"
        assert values.translated_extent("2盒") == "2 boxes"
        assert values.translated_extent("1卷，4页") == "1 volume, 4 pages"
        assert values.translated_extent("1卷4页") == "1 volume, 4 pages"
        assert values.translated_extent("约300页") is None
        assert values.translated_extent("4页手稿") is None
        assert values.translated_extent("2 linear metres") is None


@pytest.mark.django_db
def test_english_pages_name_the_language_and_the_extent_in_english(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
):
    archive.fonds.language = "汉语"
    archive.fonds.extent = "357卷"
    archive.fonds.save()
    html = html_of(client, archive.fonds, "en")
    language = html.split("fields__row--language", 1)[1].split("</dd>", 1)[0]
    extent = html.split("fields__row--extent", 1)[1].split("</dd>", 1)[0]
    assert "Chinese" in language and "汉语" not in language
    assert "357 volumes" in extent and "357卷" not in extent
    assert 'lang="zh-Hans"' not in language + extent
    # What cannot be translated whole stays as written, marked as Chinese.
    archive.item.extent = "约4页"
    archive.item.save()
    html = html_of(client, archive.item, "en")
    extent = html.split("fields__row--extent", 1)[1].split("</dd>", 1)[0]
    assert '<dd lang="zh-Hans">' in extent and "约4页" in extent
    # Chinese pages keep the archive's own words for the extent.
    extent = html_of(client, archive.fonds).split("fields__row--extent", 1)[1]
    assert "357卷" in extent.split("</dd>", 1)[0]


# Reading order (phones first) -------------------------------------------------------


@pytest.mark.django_db
def test_the_record_page_reads_title_images_description_then_citation(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
):
    attach_image(archive.item)
    html = html_of(client, archive.item)
    order = [
        html.index('class="record__title"'),
        html.index('class="viewer"'),
        html.index('id="description-heading"'),
        html.index('class="citation"'),
    ]
    assert order == sorted(order)
