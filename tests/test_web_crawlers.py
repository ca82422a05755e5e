"""What search engines and other sites read: robots.txt, sitemaps, JSON-LD, Open Graph.

The first law holds here too: a record that is closed, withdrawn or not yet open
is in no sitemap and no JSON-LD, while its open siblings are. Every absolute URL
is on the configured public address (WAGTAILADMIN_BASE_URL), whatever Host the
request came with.
"""

import datetime
import json
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from lxml import etree

from catalogue.models import AccessStatus
from portal.seo import sitemaps
from portal.seo.structured_data import as_script_text
from tests.exhibitions_support import make_image
from tests.factories import (
    ChronicleEventPageFactory,
    ChronicleIndexPageFactory,
    ExhibitionIndexPageFactory,
    ExhibitionPageFactory,
    FileFactory,
    FondsFactory,
    ItemFactory,
    RepositoryFactory,
    SeriesFactory,
    StandardPageFactory,
)
from tests.test_catalogue_pages import add_catalogue

BASE = "https://archives.example.cn"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
TODAY = datetime.date.today()
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
OG = re.compile(r'<meta property="(og:[a-z:_]+)" content="([^"]*)">')


def permalink(record, language="zh-hans"):
    code = quote(f"{record.repository.code}/{record.reference_code}/")
    return f"/{language}/catalogue/{code}"


@pytest.fixture
def public_address(settings):
    # A trailing slash, as people write it: no URL gets a double slash.
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"
    return BASE


@pytest.fixture
def portal(bilingual_site, public_address):
    """A bilingual site with a catalogue: one repository with an open file whose
    items are open, closed, withdrawn and not yet open; a second repository."""
    site = bilingual_site
    catalogue = add_catalogue(site.home)
    site.translate(catalogue, title="Catalogue", slug="catalogue")
    services = StandardPageFactory(parent=site.home, title="利用服务", slug="services")
    site.translate(services, title="Using the archives", slug="services")

    customs = RepositoryFactory(code="120101", name="滨江市档案馆", name_en="Binjiang")
    fonds = FondsFactory(repository=customs, reference_code="J0001", title="滨江海关")
    series = SeriesFactory(parent=fonds, reference_code="J0001-001", title="文书")
    file = FileFactory(parent=series, reference_code="J0001-001-0001", title="码头")
    items = SimpleNamespace(
        open=ItemFactory(
            parent=file,
            reference_code="J0001-001-0001-0001",
            position=1,
            title="关于码头扩建工程的呈文",
            title_en="Petition on the wharf extension works",
            date_expression="1956年3月12日",
            date_start=datetime.date(1956, 3, 12),
            date_end=datetime.date(1956, 3, 12),
            scope_and_content="海关向市政府呈报码头扩建工程的计划与经费。",
            language="chi",
        ),
        sibling=ItemFactory(
            parent=file, reference_code="J0001-001-0001-0002", position=2
        ),
        closed=ItemFactory(
            parent=file,
            reference_code="J0001-001-0001-0003",
            position=3,
            access_status=AccessStatus.CLOSED,
        ),
        withdrawn=ItemFactory(
            parent=file, reference_code="J0001-001-0001-0004", position=4
        ),
        future=ItemFactory(
            parent=file,
            reference_code="J0001-001-0001-0005",
            position=5,
            opening_date=TODAY + datetime.timedelta(days=30),
        ),
    )
    # Public first, then withdrawn: its URL answers 410, not 404.
    items.withdrawn.withdrawn = True
    items.withdrawn.save()

    district = RepositoryFactory(code="120102", name="滨江区档案馆", name_en="")
    district_fonds = FondsFactory(
        repository=district, reference_code="Q0001", title="区政府"
    )
    closed_fonds = FondsFactory(
        repository=district,
        reference_code="Q0002",
        title="区公安分局",
        access_status=AccessStatus.CLOSED,
    )
    below_closed = FileFactory(
        parent=SeriesFactory(parent=closed_fonds, reference_code="Q0002-001"),
        reference_code="Q0002-001-0001",
    )
    return SimpleNamespace(
        site=site,
        catalogue=catalogue,
        services=services,
        customs=customs,
        fonds=fonds,
        series=series,
        file=file,
        items=items,
        district=district,
        district_fonds=district_fonds,
        closed_fonds=closed_fonds,
        below_closed=below_closed,
    )


def hidden_records(portal):
    return [
        portal.items.closed,
        portal.items.withdrawn,
        portal.items.future,
        portal.closed_fonds,
        portal.below_closed,
    ]


def public_records(portal):
    return [
        portal.fonds,
        portal.series,
        portal.file,
        portal.items.open,
        portal.items.sibling,
        portal.district_fonds,
    ]


def not_found(client, path, params=None):
    """A 404 outside the language prefixes is sent on by Django's LocaleMiddleware
    to the same path under /zh-hans/, which answers 404 in its turn."""
    response = client.get(path, params or {}, follow=True)
    assert [url for url, _status in response.redirect_chain] in (
        [],
        [f"/zh-hans{path}" + (f"?{urlencode(params)}" if params else "")],
    )
    return response.status_code == 404


def xml(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(
        b"".join(response) if response.streaming else response.content
    )


def index_locations(client):
    root = xml(client.get("/sitemap.xml"))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = root.findall("sm:sitemap", NS)
    for entry in entries:
        # Only <loc> and <lastmod>, in that order (sitemaps.org's XSD).
        assert [child.tag.split("}")[1] for child in entry] in (
            ["loc"],
            ["loc", "lastmod"],
        )
    return [entry.findtext("sm:loc", namespaces=NS) for entry in entries]


def urlset(client, location):
    """{loc: (lastmod, {hreflang: href})} of one sitemap file, fetched by its URL."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, location
    response = client.get(parts.path, parse_qs(parts.query))
    root = xml(response)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    urls = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in urls, f"{loc} twice"
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
        }
        assert all(
            link.get("rel") == "alternate" for link in url.findall("xhtml:link", NS)
        )
        urls[loc] = (url.findtext("sm:lastmod", namespaces=NS), links)
    return urls


def all_urls(client):
    found = {}
    for location in index_locations(client):
        found.update(urlset(client, location))
    return found


# robots.txt -------------------------------------------------------------------------


@pytest.mark.django_db
def test_robots_txt_allows_the_site_and_names_the_sitemap_on_the_public_address(
    client, portal
):
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ("/admin/", "/api/", "/oai", "/zh-hans/search/", "/en/search/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "localhost" not in response.content.decode()


@pytest.mark.django_db
def test_robots_txt_is_not_sent_into_a_language(client, portal):
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/zh-hans/robots.txt/").status_code == 404
    assert client.post("/robots.txt").status_code == 405


# The sitemap index and its files ----------------------------------------------


@pytest.mark.django_db
def test_the_sitemap_index_names_the_pages_and_each_repository_on_the_public_address(
    client, portal
):
    locations = index_locations(client)
    assert locations == [
        f"{BASE}/sitemaps/pages.xml",
        f"{BASE}/sitemaps/records/120101.xml",
        f"{BASE}/sitemaps/records/120102.xml",
    ]
    root = xml(client.get("/sitemap.xml"))
    lastmods = [
        e.findtext("sm:lastmod", namespaces=NS) for e in root.iterfind("sm:sitemap", NS)
    ]
    for lastmod in lastmods:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod), lastmod


@pytest.mark.django_db
def test_the_base_address_comes_from_settings_whatever_the_host(client, portal):
    for host in ("localhost", "127.0.0.1"):
        text = b"".join(client.get("/sitemaps/records/120101.xml", HTTP_HOST=host))
        assert text.count(BASE.encode()) > 0
        assert host.encode() not in text
        assert b"testserver" not in text
        index = client.get("/sitemap.xml", HTTP_HOST=host).content
        assert host.encode() not in index


@pytest.mark.django_db
def test_pages_are_listed_in_both_languages_with_their_alternates(client, portal):
    urls = urlset(client, f"{BASE}/sitemaps/pages.xml")
    zh, en = f"{BASE}/zh-hans/services/", f"{BASE}/en/services/"
    assert zh in urls and en in urls
    expected = {"zh-Hans": zh, "en": en, "x-default": zh}
    assert urls[zh][1] == expected
    assert urls[en][1] == expected
    assert f"{BASE}/zh-hans/" in urls and f"{BASE}/en/" in urls
    assert f"{BASE}/zh-hans/catalogue/" in urls


@pytest.mark.django_db
def test_a_record_is_listed_in_both_languages_with_hreflang_pairs(client, portal):
    urls = all_urls(client)
    record = portal.items.open
    zh = BASE + permalink(record)
    en = BASE + permalink(record, "en")
    expected = {"zh-Hans": zh, "en": en, "x-default": zh}
    assert urls[zh][1] == expected
    assert urls[en][1] == expected
    assert urls[zh][0] == record.datestamp.astimezone(datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


@pytest.mark.django_db
def test_only_records_that_pass_the_gate_today_are_in_the_sitemaps(client, portal):
    urls = all_urls(client)
    for record in public_records(portal):
        for language in ("zh-hans", "en"):
            assert client.get(permalink(record, language)).status_code == 200
            assert BASE + permalink(record, language) in urls, record.reference_code
    statuses = {
        portal.items.closed: 404,
        portal.items.withdrawn: 410,
        portal.items.future: 404,
        portal.closed_fonds: 404,
        portal.below_closed: 404,
    }
    text = "\n".join(urls)
    for record in hidden_records(portal):
        assert client.get(permalink(record)).status_code == statuses[record]
        assert record.reference_code not in text
    record_urls = [url for url in urls if "/catalogue/" in url and url.count("/") > 6]
    assert len(record_urls) == 2 * len(public_records(portal))


@pytest.mark.django_db
def test_a_record_that_closes_leaves_the_sitemap(client, portal):
    record = portal.items.sibling
    location = BASE + permalink(record)
    assert location in all_urls(client)
    record.access_status = AccessStatus.CLOSED
    record.save()
    assert client.get(permalink(record)).status_code == 404
    urls = all_urls(client)
    assert location not in urls
    assert BASE + permalink(portal.items.open) in urls


@pytest.mark.django_db
def test_sitemap_files_are_split_at_the_limit(client, portal, monkeypatch):
    # Four URLs a file: two records (each in two languages), or four pages.
    monkeypatch.setattr(sitemaps.Sitemaps, "limit", 4)
    locations = index_locations(client)
    customs_parts = [loc for loc in locations if "/records/120101.xml" in loc]
    # Five public records in the first repository: three parts.
    assert len(customs_parts) == 3
    assert customs_parts[0] == f"{BASE}/sitemaps/records/120101.xml"
    assert parse_qs(urlsplit(customs_parts[1]).query) == {"from": ["J0001-001-0001"]}
    page_parts = [loc for loc in locations if "/pages.xml" in loc]
    assert page_parts == [
        f"{BASE}/sitemaps/pages.xml",
        f"{BASE}/sitemaps/pages.xml?p=2",
    ]
    seen = []
    for location in locations:
        urls = urlset(client, location)
        assert 0 < len(urls) <= 4
        seen.extend(urls)
    assert len(seen) == len(set(seen))
    customs = {
        BASE + permalink(record, language)
        for record in public_records(portal)
        if record.repository == portal.customs
        for language in ("zh-hans", "en")
    }
    assert customs <= set(seen)
    assert not_found(client, "/sitemaps/pages.xml", {"p": "3"})


@pytest.mark.django_db
def test_a_part_is_one_query(client, portal, django_assert_max_num_queries):
    b"".join(client.get("/sitemaps/records/120101.xml"))  # warm the site lookups
    # The site, the repository and the catalogue page in each language, then
    # the records: one query whatever the size of the part.
    with django_assert_max_num_queries(8) as queries:
        body = b"".join(client.get("/sitemaps/records/120101.xml"))
    record_queries = [
        q for q in queries.captured_queries if "catalogue_record" in q["sql"]
    ]
    assert len(record_queries) == 1, record_queries
    assert portal.items.open.reference_code.encode() in body


@pytest.mark.django_db
def test_bad_sitemap_requests_get_clear_answers(client, portal):
    assert not_found(client, "/sitemaps/records/999999.xml")
    for number in ("two", "0", "-1", "١"):
        answer = client.get("/sitemaps/pages.xml", {"p": number})
        assert answer.status_code == 400
        assert b"page number" in answer.content
    too_long = client.get("/sitemaps/records/120101.xml", {"from": "J" * 500})
    assert too_long.status_code == 400
    assert b"from" in too_long.content
    assert not_found(client, "/sitemaps/records/120101.xml", {"from": "Z"})
    # Positive control: the same part from its first code is there.
    control = client.get("/sitemaps/records/120101.xml", {"from": "J"})
    assert control.status_code == 200
    assert b"J0001-001-0001-0001" in b"".join(control)  # read to the end
    assert client.post("/sitemap.xml").status_code == 405
    # Unknown parameters are ignored.
    assert client.get("/sitemap.xml", {"page": "x", "q": "<"}).status_code == 200


# JSON-LD -----------------------------------------------------------------------------


def json_ld(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    scripts = JSON_LD.findall(html)
    assert len(scripts) == 1, path
    return json.loads(scripts[0])


def og_tags(client, path):
    html = client.get(path).content.decode()
    found = {}
    for prop, content in OG.findall(html):
        found.setdefault(prop, []).append(content)
    return found


@pytest.mark.django_db
def test_a_record_page_describes_an_archive_component(client, portal):
    record = portal.items.open
    data = json_ld(client, permalink(record, "en"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ArchiveComponent"
    assert data["identifier"] == "J0001-001-0001-0001"
    assert data["name"] == "Petition on the wharf extension works"
    assert data["alternateName"] == "关于码头扩建工程的呈文"
    assert data["url"] == BASE + permalink(record, "en")
    assert data["temporalCoverage"] == "1956年3月12日"
    assert data["dateCreated"] == "1956-03-12"
    assert data["inLanguage"] == "zh"
    assert data["holdingArchive"] == {
        "@type": "ArchiveOrganization",
        "name": "Binjiang",
        "identifier": "120101",
        "alternateName": "滨江市档案馆",
    }
    assert data["isPartOf"]["identifier"] == "J0001-001-0001"
    assert data["isPartOf"]["url"] == BASE + permalink(portal.file, "en")
    assert "hasPart" not in data


@pytest.mark.django_db
def test_a_records_languages_read_alike_in_json_ld_search_and_the_page(client, portal):
    """One vocabulary (catalogue/values.py) reads Record.language for the JSON-LD,
    the search document and the record page: all three split "法文、德文" and
    know both words."""
    from search.documents import CatalogueBuilder

    record = portal.items.open
    record.language = "法文、德文"
    record.save()
    assert json_ld(client, permalink(record, "en"))["inLanguage"] == ["fr", "de"]
    document = CatalogueBuilder().documents([record.pk])[0]
    assert document["language"] == ["fre", "ger"]
    html = client.get(permalink(record, "en")).content.decode()
    assert "French, German" in html
    # A code the vocabulary does not name is still a BCP 47 subtag; a word it
    # does not know is left out of inLanguage but kept in the search facet.
    record.language = "mnc, 满文"
    record.save()
    assert json_ld(client, permalink(record, "en"))["inLanguage"] == "mnc"
    assert CatalogueBuilder().documents([record.pk])[0]["language"] == ["mnc", "满文"]


@pytest.mark.django_db
def test_no_hidden_record_appears_in_has_part_or_is_part_of(client, portal):
    data = json_ld(client, permalink(portal.file))
    parts = {part["identifier"] for part in data["hasPart"]}
    assert parts == {"J0001-001-0001-0001", "J0001-001-0001-0002"}
    for record in hidden_records(portal):
        assert record.reference_code not in json.dumps(data)
    assert data["isPartOf"]["identifier"] == "J0001-001"
    fonds = json_ld(client, permalink(portal.fonds))
    assert "isPartOf" not in fonds
    assert [part["identifier"] for part in fonds["hasPart"]] == ["J0001-001"]
    # A closed record's own page says nothing: 404, and no JSON-LD.
    response = client.get(permalink(portal.items.closed))
    assert response.status_code == 404
    assert "application/ld+json" not in response.content.decode()


@pytest.mark.django_db
def test_the_catalogue_lists_its_repositories_as_archive_organizations(client, portal):
    data = json_ld(client, "/zh-hans/catalogue/")
    organizations = data["@graph"]
    assert {org["@type"] for org in organizations} == {"ArchiveOrganization"}
    assert [org["identifier"] for org in organizations] == ["120101", "120102"]
    assert organizations[0]["name"] == "滨江市档案馆"
    assert organizations[0]["url"] == f"{BASE}/zh-hans/catalogue/#repository-120101"
    assert "J0002" not in json.dumps(data)


@pytest.mark.django_db
def test_the_home_page_describes_the_website_and_its_search(client, portal):
    data = json_ld(client, "/en/")
    assert data["@type"] == "WebSite"
    assert data["url"] == f"{BASE}/en/"
    assert data["inLanguage"] == "en"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert (
        action["target"]["urlTemplate"] == f"{BASE}/en/search/?q={{search_term_string}}"
    )
    assert action["query-input"] == "required name=search_term_string"
    assert data["publisher"]["@type"] == "ArchiveOrganization"


@pytest.mark.django_db
def test_an_exhibition_is_an_exhibition_event_with_its_picture(client, portal):
    index = ExhibitionIndexPageFactory(parent=portal.site.home)
    exhibition = ExhibitionPageFactory(
        parent=index,
        title="江海通衢：滨江港百年",
        slug="harbour",
        start_date=datetime.date(2026, 5, 18),
        end_date=datetime.date(2026, 12, 31),
        hero_image=make_image(),
    )
    path = f"/zh-hans/exhibitions/{exhibition.slug}/"
    data = json_ld(client, path)
    assert data["@type"] == "ExhibitionEvent"
    assert data["name"] == "江海通衢：滨江港百年"
    assert data["startDate"] == "2026-05-18"
    assert data["endDate"] == "2026-12-31"
    assert data["location"] == {"@type": "VirtualLocation", "url": BASE + path}
    assert data["organizer"]["@type"] == "ArchiveOrganization"
    assert data["image"].startswith(BASE + "/")
    og = og_tags(client, path)
    assert og["og:image"] == [data["image"]]
    assert og["og:url"] == [BASE + path]


@pytest.mark.django_db
def test_a_chronicle_event_is_an_event_at_its_precision(client, portal):
    chronicle = ChronicleIndexPageFactory(parent=portal.site.home)
    event = ChronicleEventPageFactory(
        parent=chronicle,
        title="滨江商会成立",
        slug="chamber",
        start_date=datetime.date(1912, 10, 1),
        precision="month",
    )
    data = json_ld(client, f"/zh-hans/chronicle/{event.slug}/")
    assert data["@type"] == "Event"
    assert data["name"] == "滨江商会成立"
    assert data["startDate"] == "1912-10"
    assert data["description"] == "全市各界在江边广场集会。"
    assert data["url"] == f"{BASE}/zh-hans/chronicle/{event.slug}/"


@pytest.mark.django_db
def test_json_ld_cannot_close_its_script_element(client, portal):
    record = ItemFactory(
        parent=portal.file,
        reference_code="J0001-001-0001-0009",
        position=9,
        title="</script><script>alert(1)</script> & <!--",
    )
    response = client.get(permalink(record))
    html = response.content.decode()
    script = JSON_LD.findall(html)[0]
    assert "<" not in script and ">" not in script
    assert json.loads(script)["name"] == record.title
    assert "<script>alert(1)" not in html
    assert as_script_text({"a": "</x>"}) == '{"a":"\\u003C/x\\u003E"}'


@pytest.mark.django_db
def test_a_standard_page_has_open_graph_tags_and_no_script(client, portal):
    response = client.get("/zh-hans/services/", HTTP_HOST="localhost")
    html = response.content.decode()
    assert "<script" not in html
    og = og_tags(client, "/zh-hans/services/")
    assert og["og:url"] == [f"{BASE}/zh-hans/services/"]
    assert og["og:title"] == ["利用服务"]
    assert og["og:type"] == ["article"]
    assert og["og:locale"] == ["zh_CN"]
    assert og["og:locale:alternate"] == ["en_US"]
    assert og["og:description"] == ["本馆的基本情况。"]
    assert "og:image" not in og
    assert og_tags(client, "/en/services/")["og:locale"] == ["en_US"]


@pytest.mark.django_db
def test_a_record_page_has_open_graph_tags_on_the_public_address(client, portal):
    og = og_tags(client, permalink(portal.items.open, "en"))
    assert og["og:url"] == [BASE + permalink(portal.items.open, "en")]
    assert og["og:title"] == ["Petition on the wharf extension works"]
    assert og["og:description"] == ["海关向市政府呈报码头扩建工程的计划与经费。"]
    assert og["og:locale"] == ["en_US"]
