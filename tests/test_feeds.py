"""Atom feeds (new exhibitions, new collections, newly opened records) and the
新开放档案 page, in both languages, with the portal's configured address."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.utils import timezone
from lxml import etree

from catalogue import newly_opened, opening
from catalogue.importers.base import RecordRow, import_records
from catalogue.models import Record
from tests.factories import (
    ExhibitionIndexPageFactory,
    ExhibitionPageFactory,
    ItemFactory,
    RepositoryFactory,
    ThematicCollectionIndexPageFactory,
    ThematicCollectionPageFactory,
)
from tests.test_catalogue_pages import archive, catalogue, url  # noqa: F401

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://archives.example"
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def public_address(settings):
    # Requests come to "testserver"; every address must be the configured one.
    settings.WAGTAILADMIN_BASE_URL = BASE


def atom(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def every_address(root):
    return [link.get("href") for link in root.iter(f"{ATOM}link")] + [
        element.text for element in root.iter(f"{ATOM}id")
    ]


# Newly opened records ---------------------------------------------------------------


@pytest.fixture
def opened(catalogue, archive):  # noqa: F811
    """The brief's archive, with a closed and a withdrawn sibling of the item."""
    closed = ItemFactory(
        parent=archive.file,
        reference_code="J0001-001-0001-0002",
        title="未开放的内部报告",
        access_status="closed",
    )
    withdrawn = ItemFactory(
        parent=archive.file,
        reference_code="J0001-001-0001-0003",
        title="已撤回的函件",
        withdrawn=True,
    )
    archive.closed, archive.withdrawn = closed, withdrawn
    return archive


@pytest.mark.django_db
def test_the_feed_lists_open_records_and_never_closed_ones(client, opened):
    root = atom(client, "/zh-hans/newly-opened/feed/")

    found = {entry["link"]: entry for entry in entries(root)}
    item_url = f"{BASE}{url(opened.item)}"
    assert item_url in found  # the open sibling
    assert found[item_url]["title"] == "关于码头扩建工程的呈文"
    assert found[item_url]["id"] == item_url
    assert (
        "J0001-001-0001-0001 · 滨江市档案馆 · 1956年3月12日"
        in (found[item_url]["summary"])
    )
    for hidden in (opened.closed, opened.withdrawn):
        assert f"{BASE}{url(hidden)}" not in found
        assert client.get(url(hidden)).status_code in (404, 410)
        assert (
            hidden.reference_code.encode()
            not in client.get("/zh-hans/newly-opened/feed/").content
        )
    assert client.get(url(opened.item)).status_code == 200
    assert root.findtext(f"{ATOM}title").startswith("新开放档案")


@pytest.mark.django_db
def test_the_english_feed_links_english_pages_with_english_titles(client, opened):
    root = atom(client, "/en/newly-opened/feed/")

    found = {entry["link"]: entry for entry in entries(root)}
    item = found[f"{BASE}{url(opened.item, 'en')}"]
    assert item["title"] == "Petition on the wharf extension works"
    assert "Binjiang Municipal Archives" in item["summary"]
    assert f"{BASE}{url(opened.closed, 'en')}" not in found
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


@pytest.mark.django_db
def test_feed_addresses_never_come_from_the_host_header(client, opened, settings):
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get("/zh-hans/newly-opened/feed/", HTTP_HOST="evil.example")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    addresses = every_address(root)
    assert addresses
    assert all(address.startswith(BASE + "/") for address in addresses), addresses
    assert b"evil.example" not in response.content
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"{BASE}/zh-hans/newly-opened/feed/"


@pytest.mark.django_db
def test_an_entry_is_dated_by_the_day_its_record_opened(client, opened):
    Record.objects.filter(pk=opened.item.pk).update(opened_on=datetime.date(2024, 3, 5))
    [entry] = [
        e
        for e in entries(atom(client, "/zh-hans/newly-opened/feed/"))
        if e["link"].endswith(url(opened.item))
    ]
    assert entry["updated"].startswith("2024-03-0")  # local midnight, in UTC


# When a record opened -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_record_gets_its_day_when_it_enters_the_public(opened):
    today = timezone.localdate()
    item = Record.objects.get(pk=opened.item.pk)
    closed = Record.objects.get(pk=opened.closed.pk)
    assert item.opened_on == today
    assert closed.opened_on is None

    # Public and edited later: its day stays.
    Record.objects.filter(pk=item.pk).update(opened_on=datetime.date(2020, 1, 1))
    item = Record.objects.get(pk=item.pk)
    item.title = "关于码头扩建工程的呈文（修订）"
    item.save()
    assert Record.objects.get(pk=item.pk).opened_on == datetime.date(2020, 1, 1)

    # Closed, then opened again: the day it opened again.
    item.access_status = "closed"
    item.save()
    assert Record.objects.get(pk=item.pk).opened_on is None
    item.access_status = "open"
    item.save()
    assert Record.objects.get(pk=item.pk).opened_on == today

    # An opening date still to come: the record opens that day, untouched.
    later = today + datetime.timedelta(days=30)
    closed.access_status, closed.opening_date = "open", later
    closed.save()
    assert Record.objects.get(pk=closed.pk).opened_on == later
    assert closed.pk not in {r.pk for r in newly_opened.newly_opened(10, today)}
    assert closed.pk in {r.pk for r in newly_opened.newly_opened(10, later)}


@pytest.mark.django_db
def test_closing_an_ancestor_takes_its_subtree_out_of_the_list(opened):
    today = timezone.localdate()
    assert opened.item.pk in {r.pk for r in newly_opened.newly_opened(10, today)}
    series = Record.objects.get(pk=opened.series.pk)
    series.access_status = "closed"
    series.save()
    assert Record.objects.get(pk=opened.item.pk).opened_on is None
    assert newly_opened.newly_opened(10, today) == [
        Record.objects.get(pk=opened.fonds.pk)
    ]


def test_the_rule_for_one_record_is_the_rule_for_a_queryset():
    day, today = datetime.date(2020, 1, 1), datetime.date(2026, 6, 1)
    later = datetime.date(2027, 1, 1)
    assert opening.opened_on(False, None, day, today) is None
    assert opening.opened_on(True, None, None, today) == today
    assert opening.opened_on(True, None, day, today) == day
    assert opening.opened_on(True, day, day, today) == day
    assert opening.opened_on(True, later, day, today) == later
    assert opening.opened_on(True, None, later, today) == today


@pytest.mark.django_db
def test_an_import_dates_the_records_it_opens(db):
    repository = RepositoryFactory(code="120199")
    today = timezone.localdate()
    later = today + datetime.timedelta(days=10)
    rows = [
        RecordRow("t, row 1", "J0009", "fonds", "某厂档案", access_status="open"),
        RecordRow(
            "t, row 2",
            "J0009-001",
            "series",
            "文书",
            parent_reference="J0009",
            access_status="open",
            opening_date=later,
        ),
    ]
    report = import_records(rows, repository)
    assert report.ok, report.lines()
    days = dict(
        Record.objects.filter(repository=repository).values_list(
            "reference_code", "opened_on"
        )
    )
    assert days == {"J0009": today, "J0009-001": later}
    # Imported again as it is: the days stay.
    Record.objects.filter(reference_code="J0009").update(
        opened_on=datetime.date(2021, 2, 3)
    )
    assert import_records(rows, repository).ok
    assert Record.objects.get(reference_code="J0009").opened_on == datetime.date(
        2021, 2, 3
    )


# The 新开放档案 page ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_lists_records_by_the_day_they_opened(client, opened, language):
    Record.objects.filter(pk=opened.item.pk).update(opened_on=datetime.date(2025, 5, 4))
    Record.objects.filter(pk=opened.fonds.pk).update(
        opened_on=datetime.date(2025, 1, 2)
    )
    response = client.get(f"/{language}/newly-opened/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('datetime="2025-05-04"') < html.index('datetime="2025-01-02"')
    assert f'href="{BASE}{url(opened.item, language)}"' in html
    assert f'href="{BASE}{url(opened.fonds, language)}"' in html
    assert opened.closed.reference_code not in html
    assert opened.withdrawn.reference_code not in html
    assert client.get(url(opened.closed, language)).status_code == 404
    feed = 'type="application/atom+xml" title="'
    assert feed in html
    assert f'href="{BASE}/{language}/newly-opened/feed/"' in html


@pytest.mark.django_db
def test_the_page_is_paged_by_keyset_both_ways(opened):
    today = timezone.localdate()
    file = Record.objects.get(pk=opened.file.pk)
    for n in range(5, 12):
        ItemFactory(parent=file, reference_code=f"J0001-001-0001-{n:04d}")
    everything = newly_opened.newly_opened(100, today)
    assert len(everything) == 11  # 4 of the brief + 7, never the two hidden

    first = newly_opened.page(today, per_page=4)
    assert first.records == everything[:4] and first.newer is None
    second = newly_opened.page(today, before=first.older, per_page=4)
    assert second.records == everything[4:8]
    third = newly_opened.page(today, before=second.older, per_page=4)
    assert third.records == everything[8:] and third.older is None
    back = newly_opened.page(today, after=third.newer, per_page=4)
    assert back.records == everything[4:8]
    assert newly_opened.page(today, after=second.newer, per_page=4) == first
    assert newly_opened.Cursor.parse(str(second.older)) == second.older
    # The paging link names the record by its public names, never its id.
    last = second.records[-1]
    assert str(second.older) == (
        f"{today.isoformat()}/{last.repository.code}/{last.reference_code}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "before=yesterday",
        "after=2025-13-01/120101/J0001",
        "before=2025-01-01.4",
        "before=2025-01-01/nope/J0001",
    ],
)
def test_a_bad_paging_link_gets_a_message_not_an_error(client, opened, query):
    response = client.get(f"/en/newly-opened/?{query}")
    assert response.status_code == 400
    assert b"This link to a page of the list is not valid." in response.content
    assert url(opened.item, "en").encode() in response.content  # the newest shown


@pytest.mark.django_db
def test_the_list_is_read_from_its_index():
    """A LIMIT on the record_opened index, in its order: no sort of the list."""
    first = newly_opened.opened(TODAY)
    place = newly_opened.Cursor(datetime.date(2020, 1, 1), 1, "120101", "J0001-001")
    deep = first.filter(opened_on__lte=place.day).filter(place.older())
    for listing in (first, deep):
        newest = listing.order_by(*newly_opened.NEWEST_FIRST)[:50]
        sql, params = newest.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A test table is small enough for any plan: forbid the ones
                # that do not read the list in the index's order (a sort
                # would still be chosen if the index could not serve it).
                for plan_kind in ("seqscan", "bitmapscan", "sort"):
                    cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
                cursor.execute(f"EXPLAIN {sql}", params)
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "record_opened" in plan, plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
        if connection.vendor == "sqlite":
            assert "SEARCH" in plan, plan  # a seek, not a walk from the top


# Exhibitions and collections ------------------------------------------------------


@pytest.fixture
def curated(bilingual_site):
    site = bilingual_site
    halls = ExhibitionIndexPageFactory(parent=site.home)
    halls_en = site.translate(halls, title="Online exhibitions", slug="exhibitions")
    harbour = ExhibitionPageFactory(parent=halls, title="江海通衢", slug="harbour")
    harbour.save_revision().publish()
    site.translate(harbour, title="A harbour city", slug="harbour")
    mills = ExhibitionPageFactory(parent=halls, title="机杼声声", slug="mills")
    mills.save_revision().publish()  # in Chinese only
    draft = ExhibitionPageFactory(parent=halls, title="未发布的展览", slug="draft")
    draft.unpublish()
    shelves = ThematicCollectionIndexPageFactory(parent=site.home)
    site.translate(shelves, title="Thematic collections", slug="collections")
    customs = ThematicCollectionPageFactory(
        parent=shelves, title="海关档案选粹", slug="customs"
    )
    customs.save_revision().publish()
    return halls, halls_en


@pytest.mark.django_db
def test_the_exhibitions_feed_has_the_published_ones_in_each_language(client, curated):
    zh = entries(atom(client, "/zh-hans/feeds/exhibitions/"))
    assert {e["title"]: e["link"] for e in zh} == {
        "江海通衢": f"{BASE}/zh-hans/exhibitions/harbour/",
        "机杼声声": f"{BASE}/zh-hans/exhibitions/mills/",
    }
    en = entries(atom(client, "/en/feeds/exhibitions/"))
    assert {e["title"]: e["link"] for e in en} == {
        "A harbour city": f"{BASE}/en/exhibitions/harbour/",
        # Not translated yet: served under the English hall, as it lists it.
        "机杼声声": f"{BASE}/en/exhibitions/mills/",
    }
    assert client.get("/en/exhibitions/mills/").status_code == 200
    assert client.get("/zh-hans/exhibitions/draft/").status_code == 404
    assert all(e["updated"] for e in zh + en)


@pytest.mark.django_db
def test_the_collections_feed_lists_collections(client, curated):
    root = atom(client, "/zh-hans/feeds/collections/")
    assert [e["title"] for e in entries(root)] == ["海关档案选粹"]
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"{BASE}/zh-hans/collections/"
    )


@pytest.mark.django_db
def test_a_feed_without_its_index_page_answers_404(client, bilingual_site):
    assert client.get("/zh-hans/feeds/exhibitions/").status_code == 404
    assert client.get("/en/newly-opened/").status_code == 404


@pytest.mark.django_db
def test_pages_announce_the_feeds_they_follow(client, curated, opened):
    def announced(path):
        response = client.get(path)
        assert response.status_code == 200
        tree = etree.HTML(response.content)
        return [
            link.get("href")
            for link in tree.iter("link")
            if link.get("type") == "application/atom+xml"
        ]

    assert announced("/zh-hans/exhibitions/") == [f"{BASE}/zh-hans/feeds/exhibitions/"]
    assert announced("/en/collections/") == [f"{BASE}/en/feeds/collections/"]
    assert announced("/en/catalogue/") == [f"{BASE}/en/newly-opened/feed/"]
    assert len(announced("/zh-hans/")) == 3
    assert announced(url(opened.item)) == []  # a record page: none


@pytest.mark.django_db
def test_a_feed_whose_page_is_missing_is_not_announced(client, opened):
    # The catalogue exists, no exhibition hall nor collections yet.
    response = client.get("/zh-hans/")
    assert response.status_code == 200
    tree = etree.HTML(response.content)
    announced = [
        link.get("href")
        for link in tree.iter("link")
        if link.get("type") == "application/atom+xml"
    ]
    assert announced == [f"{BASE}/zh-hans/newly-opened/feed/"]
    assert client.get("/zh-hans/feeds/exhibitions/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_feed_reader_reads_the_feeds(client, curated, opened, language):
    """feedparser, the parser most feed readers are built on, reads each feed
    without complaint and finds its entries, links and dates."""
    for path in (
        f"/{language}/newly-opened/feed/",
        f"/{language}/feeds/exhibitions/",
        f"/{language}/feeds/collections/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10", path
        assert feed.feed.title and feed.feed.link.startswith(BASE), path
        assert feed.entries, path
        for entry in feed.entries:
            assert entry.link.startswith(BASE) and entry.id, path
            assert entry.updated_parsed is not None, path
    links = [
        e.link
        for e in feedparser.parse(
            client.get(f"/{language}/newly-opened/feed/").content
        ).entries
    ]
    assert f"{BASE}{url(opened.item, language)}" in links
    assert f"{BASE}{url(opened.closed, language)}" not in links
