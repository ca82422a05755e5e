"""schema.org JSON-LD for the pages that describe something a search engine knows.

- a record page: an ArchiveComponent (its 档号 as identifier, its title, its
  dates as the archivist wrote them, the repository as holdingArchive, its
  public parent as isPartOf and the public children listed on the page as
  hasPart);
- the catalogue's front page: the ArchiveOrganization of every repository
  that has public records;
- an exhibition: an ExhibitionEvent (online, organised by the archive);
- a chronicle event: an Event;
- the home page: the WebSite, with the search page as its SearchAction.

Other pages (standard pages, listings) carry Open Graph tags only. Everything
here is read from the page's own context, which the views filled through the
public gate (catalogue.views): nothing is queried again, so nothing can
bypass it. URLs are the configured public address (home/addresses.py).
"""

import json

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from catalogue.pages import CatalogueIndexPage
from catalogue.templatetags.catalogue_tags import record_title, repository_name
from catalogue.values import language_tags
from exhibitions.models import ChronicleEventPage, DatePrecision, ExhibitionPage
from home import addresses
from home.models import HomePage

from . import context as page_context

CONTEXT = "https://schema.org"
# "<", ">" and "&" as JSON escapes, as Django's json_script writes them: the
# text can neither close the <script> element ("</script>") nor open a comment.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def for_context(context):
    """The JSON-LD object for the page being rendered, or None."""
    page = context.get("page")
    request = context.get("request")
    if isinstance(page, CatalogueIndexPage):
        if context.get("record") is not None:
            return archive_component(context, page, request)
        if context.get("repositories") is not None:
            return archive_organizations(context, page, request)
        return None
    if isinstance(page, ExhibitionPage):
        return exhibition_event(page, request)
    if isinstance(page, ChronicleEventPage):
        return chronicle_event(page, request)
    if isinstance(page, HomePage):
        return website(page, request)
    return None


def as_script_text(data):
    """JSON for a <script type="application/ld+json"> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(SCRIPT_ESCAPES))  # noqa: S308 - escaped above


# Records and repositories ----------------------------------------------------------


def archive_component(context, page, request):
    record = context["record"]
    url = page_context.record_url(page, record, request)
    data = {
        "@context": CONTEXT,
        "@type": "ArchiveComponent",
        "@id": url,
        "url": url,
        "identifier": record.reference_code,
        "name": record_title(record),
    }
    if record.title_en and record.title_en != data["name"]:
        data["alternateName"] = record.title_en
    elif record.title != data["name"]:
        data["alternateName"] = record.title
    if record.scope_and_content:
        data["description"] = record.scope_and_content
    if record.date_expression:
        # As written (民国三十七年五月, 1949-1952): schema.org takes text here.
        data["temporalCoverage"] = record.date_expression
    elif record.date_start:
        end = record.date_end or record.date_start
        data["temporalCoverage"] = (
            record.date_start.isoformat()
            if end == record.date_start
            else f"{record.date_start.isoformat()}/{end.isoformat()}"
        )
    if record.date_start and record.date_start == (
        record.date_end or record.date_start
    ):
        # A date of creation is one day; a span is only temporal coverage.
        data["dateCreated"] = record.date_start.isoformat()
    languages = language_tags(record.language)
    if languages:
        data["inLanguage"] = languages if len(languages) > 1 else languages[0]
    if record.subjects:
        data["keywords"] = list(record.subjects)
    data["holdingArchive"] = organization(record.repository)
    parent = _public_parent(context, record)
    if parent is not None:
        data["isPartOf"] = component_reference(page, parent, request)
    children = context.get("children") or {}
    listed = getattr(children.get("page"), "object_list", None) or []
    if listed:
        data["hasPart"] = [
            component_reference(page, child, request) for child in listed
        ]
    return data


def _public_parent(context, record):
    # The breadcrumb came through the gate; its last record is the parent
    # when the parent is public (and a public record's parent always is).
    ancestors = context.get("ancestors") or []
    if ancestors and record.parent_id and ancestors[-1].pk == record.parent_id:
        return ancestors[-1]
    return None


def component_reference(page, record, request):
    url = page_context.record_url(page, record, request)
    return {
        "@type": "ArchiveComponent",
        "@id": url,
        "url": url,
        "identifier": record.reference_code,
        "name": record_title(record),
    }


def organization(repository, url=""):
    data = {
        "@type": "ArchiveOrganization",
        "name": repository_name(repository),
        "identifier": repository.code,
    }
    other = repository.name if data["name"] != repository.name else repository.name_en
    if other:
        data["alternateName"] = other
    if url:
        data["url"] = url
    return data


def archive_organizations(context, page, request):
    index_url = addresses.page_url(page, request)
    organizations = []
    for listing in context["repositories"]:
        repository = listing.repository
        anchor = f"#repository-{_slug(repository.code)}"
        organizations.append(organization(repository, url=index_url + anchor))
    if not organizations:
        return None
    return {"@context": CONTEXT, "@graph": organizations}


def _slug(value):
    from django.utils.text import slugify

    return slugify(value)


# Exhibitions, the chronicle, the website --------------------------------------------


def archive(request, site=None):
    """The archive that runs the portal, as its site settings name it."""
    from home.models import ArchiveSettings

    site = site or addresses.site_of(request)
    settings = ArchiveSettings.for_site(site) if site is not None else None
    data = {"@type": "ArchiveOrganization", "url": addresses.base_url(site) + "/"}
    if settings is not None and settings.name:
        data["name"] = settings.name
    if settings is not None and settings.localized_address:
        data["address"] = settings.localized_address
    if settings is not None and settings.phone:
        data["telephone"] = settings.phone
    if settings is not None and settings.email:
        data["email"] = settings.email
    return data


def exhibition_event(page, request):
    return event(
        page,
        request,
        "ExhibitionEvent",
        page.start_date.isoformat(),
        page.end_date and page.end_date.isoformat(),
        page.introduction,
        online=True,
    )


def chronicle_event(page, request):
    return event(
        page,
        request,
        "Event",
        _date_at_precision(page.start_date, page.precision),
        page.end_date and _date_at_precision(page.end_date, page.precision),
        page.description,
    )


def event(page, request, schema_type, start, end, description, online=False):
    """A page about something that happened, from `start` to `end` (ISO 8601,
    as precise as the page knows them). An online event is the archive's own
    exhibition (在线展厅): it takes place at the page's address."""
    url = addresses.page_url(page, request)
    data = {
        "@context": CONTEXT,
        "@type": schema_type,
        "@id": url,
        "url": url,
        "name": page.title,
        "startDate": start,
        "inLanguage": _page_language(page),
    }
    if online:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": url}
        data["organizer"] = archive(request)
    if end:
        data["endDate"] = end
    if description:
        data["description"] = description
    image = page_context.image_url(page, request)
    if image:
        data["image"] = image
    return data


def _date_at_precision(day, precision):
    # ISO 8601 at reduced precision: an event known to the month is 1949-10,
    # to the year or the decade 1949 (its first year), never a made-up day.
    if precision == DatePrecision.MONTH:
        return day.strftime("%Y-%m")
    if precision in (DatePrecision.YEAR, DatePrecision.DECADE):
        return f"{day.year:04d}"
    return day.isoformat()


def website(page, request):
    url = addresses.page_url(page, request)
    site = addresses.site_of(request)
    with translation.override(page.locale.language_code):
        search = addresses.absolute(reverse("search"), site)
    publisher = archive(request, site)
    data = {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": url,
        "url": url,
        "name": publisher.get("name") or page.title,
        "inLanguage": _page_language(page),
        "publisher": publisher,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": search + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    return data


def _page_language(page):
    from home.templatetags.portal_tags import bcp47

    return bcp47(page.locale.language_code)
