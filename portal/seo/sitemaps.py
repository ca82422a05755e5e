"""Sitemaps (sitemaps.org protocol 0.9): an index, the pages, each repository's records.

/sitemap.xml is a sitemap index. It names

- /sitemaps/pages.xml (then ?p=2, ?p=3, …): the site's live, public Wagtail
  pages in every language, each with its translations as xhtml:link alternates;
- /sitemaps/records/<repository code>.xml (then ?from=<reference code>): one
  repository's public records in reference-code order, each at its permalink
  under every language the catalogue page is published in, with the other
  languages and x-default (the default language) as alternates.

No file holds more than `Sitemaps.limit` URLs (the protocol's 50,000), so a
part holds limit // languages records. A city archive has millions of them:

- the index finds where every part of every repository begins, and when its
  newest record changed, in one query (row numbers over the public records,
  grouped by part), kept until public data changes when the catalogue can say
  when that is (catalogue.views.publication_version);
- a part is one keyset query on the (repository, reference code) index from
  its first code, read with a cursor and written out as it is read: no part
  is ever held in memory whole, and its place in the list costs nothing
  (no OFFSET).

Parts start at a reference code rather than a number or a database id: codes
are public already, while ids would tell how many hidden records lie between.
A record added or closed after a crawler read the index moves nothing but the
edge of a part: the part it asks for still starts where the index said.

Addresses are the configured public address (home/addresses.py); records come
through the gate only (`Record.objects.public()`), so a record that closes,
is withdrawn or waits for its opening date is in no sitemap.
"""

import datetime
from itertools import groupby
from types import SimpleNamespace
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe
from wagtail.models import Page

from catalogue import views as catalogue_views
from catalogue.models import Record, Repository
from catalogue.pages import CatalogueIndexPage
from home import addresses

XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
CONTENT_TYPE = "application/xml; charset=utf-8"
# When a record's public description last changed: the harvesting datestamp
# where the catalogue keeps one, else the row's own modification time.
LASTMOD = (
    "datestamp"
    if any(field.name == "datestamp" for field in Record._meta.get_fields())
    else "updated_at"
)
# A reference code is at most this long (Record.reference_code): a longer
# `from` cannot start a part.
MAX_CODE = Record._meta.get_field("reference_code").max_length
PARTS_SECONDS = 24 * 60 * 60


class Sitemaps:
    """How big a sitemap file may grow (tests make it small)."""

    limit = 50_000  # URLs per file: the protocol's maximum


def language_tags():
    """(language code, BCP 47 tag) of every language of the site, default first."""
    from home.templatetags.portal_tags import bcp47

    codes = [code for code, _name in settings.LANGUAGES]
    codes.sort(key=lambda code: code != settings.LANGUAGE_CODE)
    return [(code, bcp47(code)) for code in codes]


# Where things are -----------------------------------------------------------


def catalogue_urls(site, request):
    """The site's catalogue page and [(BCP 47 tag, its absolute URL)], default
    language first; (None, []) when the site has none.

    Only languages the catalogue page is live in: a record is listed under
    /en/ only when the English catalogue page serves it.
    """
    catalogue = (
        CatalogueIndexPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .order_by("path")
        .first()
    )
    if catalogue is None:
        return None, []
    by_language = {
        page.locale.language_code: page
        for page in catalogue.get_translations(inclusive=True)
        .live()
        .public()
        .select_related("locale")
    }
    urls = []
    for code, tag in language_tags():
        page = by_language.get(code)
        url = addresses.page_url(page, request) if page is not None else ""
        if url:
            urls.append((tag, url))
    return catalogue, urls


def record_path(catalogue, repository, reference_code):
    """The permalink below the catalogue page, as the catalogue builds it
    (from the codes alone: the record itself is not loaded)."""
    stand_in = SimpleNamespace(repository=repository, reference_code=reference_code)
    return catalogue.record_path(stand_in)


def records_per_part(languages):
    return max(1, Sitemaps.limit // max(1, languages))


def record_parts(today, per_part):
    """[(repository id, first reference code, newest lastmod)] of every part.

    One query: the public records numbered in reference-code order within
    their repository, grouped by part. Built from the gate's own queryset, so
    its definition of "public" is the only one.
    """
    version = (
        catalogue_views.publication_version()
        if catalogue_views.publication_version
        else None
    )
    key = f"seo:sitemap-parts:{today.isoformat()}:{version}:{per_part}"
    if version is not None:
        parts = cache.get(key)
        if parts is not None:
            return parts
    numbered = (
        Record.objects.public(today=today)
        .order_by()
        .annotate(
            row_no=Window(
                RowNumber(),
                partition_by=[F("repository_id")],
                order_by=[F("reference_code").asc()],
            )
        )
        .values("repository_id", "reference_code", LASTMOD, "row_no")
    )
    inner, params = numbered.query.sql_with_params()
    name = connection.ops.quote_name
    lastmod_column = name(Record._meta.get_field(LASTMOD).column)
    # Only our own quoted column names and Django's compiled gate go into the
    # text; the values are parameters.
    sql = (
        f"SELECT n.{name('repository_id')}, MIN(n.{name('reference_code')}),"  # noqa: S608
        f" MAX(n.{lastmod_column}) FROM ({inner}) n"
        f" GROUP BY n.{name('repository_id')}, (n.{name('row_no')} - 1) / %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, per_part])
        rows = cursor.fetchall()
    parts = sorted(
        (repository_id, first, _aware(lastmod))
        for repository_id, first, lastmod in rows
    )
    if version is not None:
        cache.set(key, parts, PARTS_SECONDS)
    return parts


def _aware(value):
    # SQLite hands back the text it stores (UTC); PostgreSQL a datetime.
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def site_pages(site, request):
    """[(URL, lastmod, alternates)] of the site's live, public pages, all languages.

    The site's root in every language (wagtail-localize gives each language
    its own home page beside the default one), then everything below them.
    """
    roots = site.root_page.get_translations(inclusive=True).values_list(
        "path", flat=True
    )
    within = Q()
    for path in roots:
        within |= Q(path__startswith=path)
    pages = list(
        Page.objects.live()
        .public()
        .filter(within)
        .select_related("locale")
        .order_by("path")
    )
    tags = dict(language_tags())
    order = list(tags)
    located = []
    for page in pages:
        url = addresses.page_url(page, request)
        if url and page.locale.language_code in tags:
            located.append((page, url))
    translations = {}
    for page, url in located:
        translations.setdefault(page.translation_key, []).append(
            (page.locale.language_code, url)
        )
    entries = []
    for page, url in located:
        versions = sorted(
            translations[page.translation_key], key=lambda pair: order.index(pair[0])
        )
        entries.append(
            (
                url,
                page.last_published_at or page.latest_revision_created_at,
                _alternates([(tags[code], href) for code, href in versions]),
            )
        )
    return entries


def _alternates(versions):
    """hreflang links for one resource in several languages, and x-default.

    `versions` is [(BCP 47 tag, URL)], default language first. One language
    alone needs no alternates.
    """
    if len(versions) < 2:
        return []
    default = dict(versions).get(language_tags()[0][1])
    links = list(versions)
    if default:
        links.append(("x-default", default))
    return links


# Views ------------------------------------------------------------------------


@require_safe
def index(request):
    """The sitemap index: the pages' files, then each repository's parts."""
    site = addresses.site_of(request)
    if site is None:
        raise Http404("No site is configured.")
    base = addresses.base_url(site)
    entries = []
    pages = site_pages(site, request)
    pages_url = base + reverse("sitemap_pages")
    for number, start in enumerate(range(0, len(pages), Sitemaps.limit), start=1):
        chunk = pages[start : start + Sitemaps.limit]
        loc = pages_url if number == 1 else f"{pages_url}?p={number}"
        entries.append((loc, _newest(lastmod for _url, lastmod, _alt in chunk)))
    _catalogue, languages = catalogue_urls(site, request)
    if languages:
        parts = record_parts(timezone.localdate(), records_per_part(len(languages)))
        repositories = Repository.objects.in_bulk({part[0] for part in parts})
        ordered = sorted(
            parts,
            key=lambda part: (
                repositories[part[0]].position,
                repositories[part[0]].code,
                part[1],
            ),
        )
        for repository_id, group in groupby(ordered, key=lambda part: part[0]):
            code = repositories[repository_id].code
            try:
                part_url = base + reverse("sitemap_records", args=[code])
            except NoReverseMatch:
                continue  # a code no URL can carry has no permalinks either
            for number, (_id, first, lastmod) in enumerate(group):
                loc = part_url if number == 0 else f"{part_url}?{_from(first)}"
                entries.append((loc, lastmod))
    body = "".join(_index_xml(entries))
    return HttpResponse(body, content_type=CONTENT_TYPE)


@require_safe
def pages(request):
    """The site's pages, `Sitemaps.limit` URLs a file (?p=2 for the second)."""
    number = request.GET.get("p", "1")
    if not number.isascii() or not number.isdigit() or int(number) < 1:
        return _bad_request("The `p` parameter is a page number: 1, 2, 3…")
    number = int(number)
    site = addresses.site_of(request)
    if site is None:
        raise Http404("No site is configured.")
    entries = site_pages(site, request)
    start = (number - 1) * Sitemaps.limit
    if start and start >= len(entries):
        raise Http404("The sitemap has no such page.")
    chunk = entries[start : start + Sitemaps.limit]
    return StreamingHttpResponse(_urlset_xml(chunk), content_type=CONTENT_TYPE)


@require_safe
def records(request, repository):
    """One part of a repository's public records, from the code `from` on."""
    start = request.GET.get("from", "")
    if len(start) > MAX_CODE:
        return _bad_request("The `from` parameter is longer than any reference code.")
    found = Repository.objects.filter(code=repository).first()
    site = addresses.site_of(request)
    catalogue, languages = (None, [])
    if site is not None:
        catalogue, languages = catalogue_urls(site, request)
    if found is None or not languages:
        raise Http404("No such sitemap.")
    public = Record.objects.public(today=timezone.localdate()).filter(repository=found)
    if start:
        public = public.filter(reference_code__gte=start)
    rows = (
        public.order_by("reference_code")
        .values_list("reference_code", LASTMOD)[: records_per_part(len(languages))]
        .iterator(chunk_size=2000)
    )
    first = next(rows, None)
    if first is None:
        raise Http404("No public records from here.")
    entries = _record_entries(catalogue, found, languages, _chain(first, rows))
    return StreamingHttpResponse(_urlset_xml(entries), content_type=CONTENT_TYPE)


def _record_entries(catalogue, repository, languages, rows):
    """Every record under every language of the catalogue, with alternates."""
    for code, lastmod in rows:
        try:
            path = record_path(catalogue, repository, code)
        except NoReverseMatch:
            continue  # no permalink, no page to list
        versions = [(tag, url + path) for tag, url in languages]
        alternates = _alternates(versions)
        for _tag, url in versions:
            yield url, lastmod, alternates


def _chain(first, rest):
    yield first
    yield from rest


def _bad_request(message):
    # 400 rather than 404: LocaleMiddleware sends a 404 outside the language
    # prefixes on to /zh-hans/…, where the message would be lost.
    return HttpResponse(
        message + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _from(code):
    return urlencode({"from": code})


def _newest(values):
    values = [value for value in values if value is not None]
    return max(values) if values else None


# XML ----------------------------------------------------------------------------


def _w3c(moment):
    """A W3C datetime in UTC, to the second."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _index_xml(entries):
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{XMLNS}">\n'
    for loc, lastmod in entries:
        yield f"<sitemap><loc>{escape(loc)}</loc>"
        if lastmod is not None:
            yield f"<lastmod>{_w3c(lastmod)}</lastmod>"
        yield "</sitemap>\n"
    yield "</sitemapindex>\n"


def _urlset_xml(entries):
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{XMLNS}" xmlns:xhtml="{XHTML}">\n'
    )
    for loc, lastmod, alternates in entries:
        parts = [f"<url><loc>{escape(loc)}</loc>"]
        if lastmod is not None:
            parts.append(f"<lastmod>{_w3c(lastmod)}</lastmod>")
        for tag, href in alternates:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{tag}" href={quoteattr(href)}/>'
            )
        parts.append("</url>\n")
        yield "".join(parts)
    yield "</urlset>\n"
