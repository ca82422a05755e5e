"""The leak suite: one mixed-access catalogue through every public surface.

tests/leak_dataset.py gives every record that must stay hidden a `zzhid`
marker in each field, page text and file name, and every public record a
`zzpub` one. Each request below asserts its status code and a positive
control (a public marker the response must hold), then that no hidden marker
is in it, so that an error page or an empty answer cannot pass.
"""

import html
import json
import re
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches

from catalogue.models import AccessStatus
from search import indexing, schema
from tests import leak_dataset
from tests.leak_dataset import COMMON, HIDDEN, PUBLIC, marker
from tests.test_catalogue_pages import add_catalogue

LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def portal(bilingual_site, search_engine):
    zh = add_catalogue(bilingual_site.home)
    bilingual_site.translate(zh, title="Catalogue", slug="catalogue")
    data = leak_dataset.build()
    for index in schema.INDEXES:
        indexing.rebuild(index, search_engine)
    data.catalogue = zh
    return data


def permalink(record, language="zh-hans", suffix=""):
    code = f"{record.repository.code}/{record.reference_code}"
    return f"/{language}/catalogue/{code}/{suffix}"


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def shows(case, text):
    """The record's title, or on English pages its English title."""
    return case.title_marker in text or case.title_marker[:-2] + "enzz" in text


def assert_no_hidden(text, where, echoed=""):
    """No hidden marker, once the query the page echoes is taken out."""
    if echoed:
        for form in {echoed, html.escape(echoed), json.dumps(echoed)[1:-1]}:
            text = text.replace(form, "")
    found = re.findall(HIDDEN + r"[a-z]+zz", text)
    assert not found, f"{where} shows {sorted(set(found))}"


# Record pages, exports and files ---------------------------------------------


EXPORTS = ("", "dc.xml", "record.json")


@pytest.mark.django_db
def test_public_records_and_their_exports_show_only_public_fields(client, portal):
    for case in portal.public_cases():
        for language in LANGUAGES:
            for suffix in EXPORTS:
                path = permalink(case.record, language, suffix)
                response = client.get(path)
                assert response.status_code == 200, path
                text = body_of(response)
                assert case.title_marker in text, path
                assert_no_hidden(text, path)


@pytest.mark.django_db
def test_hidden_records_answer_404_and_only_once_public_ones_410(client, portal):
    control = portal.cases["open"].record
    assert client.get(permalink(control)).status_code == 200
    for case in portal.hidden_cases():
        for language in LANGUAGES:
            for suffix in (*EXPORTS, "ead.xml", "text.txt", "pages/1.txt"):
                path = permalink(case.record, language, suffix)
                response = client.get(path)
                expected = 410 if case.gone and not suffix else 404
                if case.gone and suffix:
                    expected = (404, 410)
                assert response.status_code in (
                    expected if isinstance(expected, tuple) else (expected,)
                ), (path, response.status_code)
                assert_no_hidden(body_of(response), path)


@pytest.mark.django_db
def test_files_of_hidden_records_are_refused_where_the_open_ones_are_served(
    client, portal
):
    open_case = portal.cases["open"]
    page = body_of(client.get(permalink(open_case.record)))
    file_urls = {
        unquote(html.unescape(u))
        for u in re.findall(r'(?:href|src)="([^"]+)"', page)
        if f"/{open_case.record.reference_code}/" in unquote(html.unescape(u))
        and u.rstrip("/") != permalink(open_case.record).rstrip("/")
    }
    file_urls = {
        u
        for u in file_urls
        if "/files/" in u or u.endswith((".txt", "manifest.json", "info.json"))
    }
    assert file_urls, "the open record's page links no file"
    for url in file_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for case in portal.hidden_cases():
            if case.record.level != "item":
                continue
            hidden_url = url.replace(
                f"/{open_case.record.reference_code}/",
                f"/{case.record.reference_code}/",
            )
            refused = client.get(hidden_url)
            assert refused.status_code in (404, 410), hidden_url
            assert_no_hidden(body_of(refused), hidden_url)


@pytest.mark.django_db
def test_a_parent_lists_its_public_children_and_no_other(client, portal):
    for language in LANGUAGES:
        file_page = body_of(client.get(permalink(portal.file, language)))
        assert shows(portal.cases["open"], file_page)
        assert shows(portal.cases["pastopening"], file_page)
        assert_no_hidden(file_page, "the file's page")
        series_page = client.get(permalink(portal.series, language))
        assert series_page.status_code == 200
        text = body_of(series_page)
        assert shows(portal.cases["file"], text)
        assert_no_hidden(text, "the series' page")


@pytest.mark.django_db
def test_a_finding_aid_holds_the_public_subtree_only(client, portal):
    for record in (portal.fonds, portal.series):
        response = client.get(permalink(record, suffix="ead.xml"))
        assert response.status_code == 200
        text = body_of(response)
        for case in portal.public_cases():
            if case.record.path.startswith(record.path):
                assert case.title_marker in text, case.name
        assert_no_hidden(text, f"the EAD of {record.reference_code}")


# Search ----------------------------------------------------------------------


def search_page(client, language, **params):
    response = client.get(f"/{language}/search/", params)
    assert response.status_code == 200, params
    return body_of(response)


@pytest.mark.django_db
def test_search_finds_every_public_record_and_counts_no_hidden_one(client, portal):
    public = portal.public_cases()
    api = client.get("/api/search", {"q": COMMON, "per_page": 50}).json()
    assert api["total"] == len(public)
    assert_no_hidden(json.dumps(api, ensure_ascii=False), "the API's answer")
    for language in LANGUAGES:
        text = search_page(client, language, q=COMMON)
        for case in public:
            assert shows(case, text), (language, case.name)
        assert_no_hidden(text, f"search page ({language})")
    # One hit a page: the paging arithmetic counts public records only.
    last = client.get(
        "/api/search", {"q": COMMON, "per_page": 1, "page": len(public)}
    ).json()
    assert len(last["hits"]) == 1
    beyond = client.get(
        "/api/search", {"q": COMMON, "per_page": 1, "page": len(public) + 1}
    )
    # Past the last public page: refused, naming the last page as counted
    # through the gate (the hidden records would make it longer).
    assert beyond.status_code == 400
    assert beyond.json()["last_page"] == len(public)
    assert_no_hidden(beyond.content.decode(), "the API's page past the end")


@pytest.mark.django_db
def test_no_hidden_word_is_found_counted_or_suggested(client, portal):
    control = portal.cases["open"]
    found = client.get("/api/search", {"q": control.title_marker}).json()
    assert found["total"] == 1
    for case in portal.hidden_cases():
        for name in ("title", "scopeandcontent", "ocr", "notes", "creators"):
            word = marker(HIDDEN, case.name, name)
            answer = client.get("/api/search", {"q": word})
            assert answer.status_code == 200
            data = answer.json()
            assert data["total"] == 0, word
            assert_no_hidden(json.dumps(data, ensure_ascii=False), word, echoed=word)
            # A near miss must not be corrected into the hidden word.
            near = word[:-3] + "zx"
            for language in LANGUAGES:
                text = search_page(client, language, q=near)
                assert_no_hidden(text, f"search for {near}", echoed=near)
    # The public record's own fields that the public may not see stay hidden too.
    answer = client.get(
        "/api/search", {"q": marker(HIDDEN, "open", "withdrawalreason")}
    ).json()
    assert answer["total"] == 0


# The page cache --------------------------------------------------------------


@pytest.mark.django_db
def test_a_record_that_closes_leaves_the_cached_pages(client, portal, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["pages"].clear()
    record = portal.cases["open"].record
    for _ in range(2):
        assert client.get(permalink(record)).status_code == 200
    client.get(permalink(portal.file))
    assert client.get(permalink(portal.file))["X-Page-Cache"] == "hit"
    record.access_status = AccessStatus.CLOSED
    record.save()
    assert client.get(permalink(record)).status_code == 404
    file_page = body_of(client.get(permalink(portal.file)))
    assert portal.cases["pastopening"].title_marker in file_page
    assert portal.cases["open"].title_marker not in file_page
    caches["pages"].clear()


# Everything linked from the public entry points ------------------------------

# The doors a visitor, a search engine, a feed reader, a harvester and a IIIF
# viewer come in by; from each, every link is followed.
ENTRY_POINTS = (
    "/zh-hans/",
    "/en/",
    "/robots.txt",
    "/sitemap.xml",
    "/zh-hans/newly-opened/",
    "/en/newly-opened/",
    "/zh-hans/newly-opened/feed/",
    "/en/newly-opened/feed/",
    "/oai?verb=Identify",
    "/oai?verb=ListSets",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/oai?verb=ListRecords&metadataPrefix=ead",
    "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
)
# Links in HTML and Atom (href, src, action), sitemaps (<loc>), OAI-PMH
# (resumption tokens) and any absolute URL in JSON-LD, IIIF or OAI records.
LINK = re.compile(
    r"""(?<![\w-])(?:href|src|action)=["']([^"'#]+)"""
    r"""|(https?://[^\s"'<>\\]+)"""
    r"""|<resumptionToken[^>]*>([^<]+)</resumptionToken>"""
)
SKIP = ("/admin", "/static/", "/django-admin")


def public_hosts():
    """The test server and the portal's configured public address."""
    return {"testserver", urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc}


def links_in(base, text):
    hosts = public_hosts()
    for relative, absolute, token in LINK.findall(text):
        if token:
            verb = (
                "ListIdentifiers" if "verb=ListIdentifiers" in base else "ListRecords"
            )
            yield f"/oai?verb={verb}&resumptionToken={quote(html.unescape(token))}"
            continue
        url = html.unescape(relative or absolute)
        full = urljoin(base, url)
        parts = urlsplit(full)
        if parts.netloc not in ("", *hosts) or parts.scheme not in (
            "",
            "http",
            "https",
        ):
            continue
        if parts.path.startswith(SKIP):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.django_db
def test_a_crawl_of_every_public_page_finds_no_hidden_marker(client, portal):
    """Whatever a visitor, a harvester or a search engine can reach by links."""
    seen, queue = set(), list(ENTRY_POINTS)
    for case in portal.public_cases():
        queue.append(permalink(case.record))
    queue += [f"/{lang}/search/?q={COMMON}" for lang in LANGUAGES]
    statuses = {}
    shown_public = set()
    kinds = set()
    structured_data = 0
    while queue and len(seen) < 1500:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200:
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(("text/", "application/")):
            continue
        kinds.add(content_type.split(";")[0])
        text = body_of(response)
        structured_data += text.count('type="application/ld+json"')
        assert_no_hidden(text, path)
        shown_public.update(re.findall(PUBLIC + r"[a-z]+?titlezz", text))
        queue.extend(u for u in links_in(f"http://testserver{path}", text))
    broken = {p: s for p, s in statuses.items() if s not in (200, 301, 302)}
    assert not broken, broken
    # Positive controls: the crawl reached every public record, and every
    # kind of surface answered.
    for case in portal.public_cases():
        assert case.title_marker in shown_public, case.name
    assert {"text/html", "text/plain", "application/atom+xml"} <= kinds, kinds
    assert any(kind.endswith("xml") and "atom" not in kind for kind in kinds), kinds
    assert any(kind.endswith("json") for kind in kinds), kinds
    assert structured_data, "no page carried JSON-LD"
    reached = " ".join(seen)
    surfaces = ("/sitemaps/records/", "/oai?verb=ListRecords", "/feed", "manifest.json")
    for surface in surfaces:
        assert surface in reached, surface
