"""The OAI-PMH endpoint, /oai: the six verbs and their errors.

GET and POST (form-encoded) are answered alike. A request is checked whole
(catalogue/oai/protocol.py), then its verb reads what it needs through the
public gate, and the response is written (catalogue/oai/responses.py): in one
piece, or streamed when it carries finding aids. Whatever the input, the
answer is an OAI-PMH response, never a server error: an OAI error is a 200
with <error> elements, as the protocol wants.

Responses are in the portal's default language (the EAD labels, the access
status words), whatever the harvester's Accept-Language, so a harvest reads
the same everywhere.
"""

import re

from django.conf import settings
from django.db.models import Min, OuterRef, Subquery
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from home import addresses
from home.models import ArchiveSettings

from ..models import Record, Repository
from . import (
    conf,
    identifiers,
    listing,
    metadata,
    protocol,
    responses,
    tokens,
    tombstones,
)
from . import sets as set_lists
from .protocol import OAIError

# An adminEmail the protocol's schema takes: something@domain.tld.
_EMAIL = re.compile(r"^\S+@(\S+\.)+\S+$")
# Identify's example of an identifier: the form, not a record.
SAMPLE = ("120101", "J0001-001-0001-0001")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    call = Call(timezone.now())
    with translation.override(settings.LANGUAGE_CODE):
        try:
            parsed = protocol.parse(params)
        except OAIError as error:
            return call.respond({}, responses.errors(error))
        try:
            body, streamed = VERBS[parsed.verb](call, parsed)
        except OAIError as error:
            return call.respond(parsed.echo(), responses.errors(error))
        return call.respond(parsed.echo(), body, streamed=streamed)


class Call:
    """What answering one request shares: the moment, the day, the address."""

    def __init__(self, now):
        self.now = now
        self.today = timezone.localdate(now)
        self.base_url = addresses.absolute(reverse("oai"))

    def respond(self, echoed, body, streamed=False):
        parts = responses.envelope(self.now, self.base_url, echoed, body)
        if streamed:
            response = StreamingHttpResponse(parts, content_type=responses.CONTENT_TYPE)
        else:
            response = HttpResponse(
                b"".join(parts), content_type=responses.CONTENT_TYPE
            )
        # Public metadata that changes with the gate: fetched again each time.
        response["Cache-Control"] = "no-cache"
        response["Access-Control-Allow-Origin"] = "*"
        return response


# The verbs: each returns (parts of the body, whether to stream them) ----------


def identify(call, request):
    host = identifiers.host()
    body = responses.identify(
        name=_repository_name(),
        base_url=call.base_url,
        email=_admin_email(),
        earliest=_earliest_datestamp(call),
        # The oai-identifier description names a domain, not an address.
        domain=host if identifiers.is_domain_name(host) else "",
        sample=identifiers.record_identifier(*SAMPLE),
    )
    return body, False


def _archive_settings():
    return (
        ArchiveSettings.objects.filter(
            site__in=Site.objects.filter(is_default_site=True)
        )
        .only("archive_name", "archive_name_en", "email")
        .first()
    )


def _repository_name():
    found = _archive_settings()
    if found is None or not found.archive_name:
        return settings.WAGTAIL_SITE_NAME
    return set_lists.bilingual(found.archive_name, found.archive_name_en)


def _admin_email():
    found = _archive_settings()
    for candidate in (
        conf.value("OAI_ADMIN_EMAIL"),
        found.email if found is not None else "",
        settings.DEFAULT_FROM_EMAIL,
    ):
        if candidate and _EMAIL.match(candidate):
            return candidate
    return f"webmaster@{identifiers.host() or 'localhost'}.invalid"


def _earliest_datestamp(call):
    """The earliest datestamp of a public record or a visible tombstone: one
    seek of each harvest index per repository."""
    records = Record.objects.public(today=call.today).filter(repository=OuterRef("pk"))
    deleted = tombstones.visible(call.today).filter(repository_code=OuterRef("code"))
    found = Repository.objects.annotate(
        first_record=Subquery(records.order_by("datestamp").values("datestamp")[:1]),
        first_deleted=Subquery(deleted.order_by("left_at").values("left_at")[:1]),
    ).aggregate(records=Min("first_record"), deleted=Min("first_deleted"))
    moments = [moment for moment in found.values() if moment is not None]
    return min(moments) if moments else call.now


def list_metadata_formats(call, request):
    identifier = request.arguments.get("identifier")
    if identifier is None:
        return responses.metadata_formats(metadata.FORMATS.values()), False
    item = _find(call, identifier)
    formats = metadata.formats_of(item.level)
    if not formats:
        raise OAIError(
            protocol.NO_METADATA_FORMATS, "The item is disseminated in no format."
        )
    return responses.metadata_formats(formats), False


def list_sets(call, request):
    lists = set_lists.Sets(call.today)
    after, cursor, size = None, 0, None
    if "resumptionToken" in request.arguments:
        resumed = _resume(request)
        try:
            after = set_lists.load_key(resumed.after)
        except (TypeError, ValueError):
            raise _bad_token() from None
        cursor, size = resumed.cursor, resumed.size
    page_size = conf.value("OAI_SETS_PER_PAGE")
    found, more = lists.page(after, page_size)
    if not found:
        # Sets are made of public records: a catalogue without any has none,
        # and an empty ListSets is not a response the protocol knows.
        raise OAIError(protocol.NO_SET_HIERARCHY, "There are no sets yet.")
    if size is None and not more:
        return responses.sets(found, None), False
    if size is None:
        size = lists.count()
    token = _token(
        "ListSets", {}, list(found[-1].key) if more else None, cursor, len(found), size
    )
    return responses.sets(found, token), False


def get_record(call, request):
    format = _format(request.arguments["metadataPrefix"])
    item = _find(call, request.arguments["identifier"], whole=True)
    if not format.disseminates(item.level):
        raise OAIError(
            protocol.CANNOT_DISSEMINATE_FORMAT,
            f"The item is not disseminated in {format.prefix}.",
        )
    render = _renderer(call, format, [item])
    return responses.records("GetRecord", [item], render), format is metadata.EAD


def list_identifiers(call, request):
    return _list(call, request, "ListIdentifiers", "OAI_IDENTIFIERS_PER_PAGE")


def list_records(call, request):
    return _list(call, request, "ListRecords", None)


def _list(call, request, verb, page_setting):
    arguments, after, cursor, size = request.arguments, None, 0, None
    if "resumptionToken" in arguments:
        resumed = _resume(request)
        arguments = resumed.arguments
        try:
            protocol.check(arguments)
            after = listing.Key.load(resumed.after)
        except (OAIError, TypeError, ValueError):
            raise _bad_token() from None
        if "metadataPrefix" not in arguments:
            raise _bad_token()
        cursor, size = resumed.cursor, resumed.size
    format = _format(arguments["metadataPrefix"])
    selection = _selection(format, arguments)
    whole = verb == "ListRecords"
    harvest = listing.Harvest(selection, call.today, whole=whole)
    if page_setting is None:
        page_setting = (
            "OAI_EAD_RECORDS_PER_PAGE"
            if format is metadata.EAD
            else "OAI_RECORDS_PER_PAGE"
        )
    items, more = harvest.page(after, conf.value(page_setting))
    if not items:
        raise OAIError(protocol.NO_RECORDS_MATCH, "No records match the request.")
    if whole and format is metadata.EAD:
        kept = metadata.apart(items)
        more = more or len(kept) < len(items)
        items = kept
    token = None
    if more or size is not None:
        if size is None:
            size = harvest.count()
        token = _token(
            verb,
            arguments,
            items[-1].key.dump() if more else None,
            cursor,
            len(items),
            size,
        )
    if not whole:
        return responses.identifiers(items, token), False
    render = _renderer(call, format, items)
    return responses.records(verb, items, render, token), format is metadata.EAD


# Shared by the verbs ----------------------------------------------------------


def _format(prefix):
    format = metadata.FORMATS.get(prefix)
    if format is None:
        raise OAIError(
            protocol.CANNOT_DISSEMINATE_FORMAT,
            "The metadata format is not one of this repository.",
        )
    return format


def _selection(format, arguments):
    lower, upper = protocol.bounds(arguments)
    spec = None
    if "set" in arguments:
        spec = identifiers.parse_set(arguments["set"])
        if spec is None:
            raise OAIError(protocol.NO_RECORDS_MATCH, "No records are in that set.")
    return listing.Selection(format.levels, lower, upper, spec)


def _find(call, identifier, whole=False):
    identified = identifiers.parse_identifier(identifier)
    item = None
    if identified is not None:
        harvest = listing.Harvest(listing.Selection(), call.today, whole=whole)
        item = harvest.find(identified.repository_code, identified.reference_code)
    if item is None:
        # Never public and never there are the same to a harvester.
        raise OAIError(
            protocol.ID_DOES_NOT_EXIST,
            "No item of this repository has that identifier.",
        )
    return item


def _resume(request):
    try:
        return tokens.read(request.arguments["resumptionToken"], request.verb)
    except tokens.BadToken as error:
        raise OAIError(protocol.BAD_RESUMPTION_TOKEN, str(error)) from None


def _bad_token():
    return OAIError(
        protocol.BAD_RESUMPTION_TOKEN, "Not a resumptionToken of this list."
    )


def _token(verb, arguments, after, cursor, delivered, size):
    """The <resumptionToken> of a response in a list of `size` items:
    `after` the key to go on from, None on the last part."""
    # The count was taken when the list began; items changed since may
    # have made it more.
    size = max(size, cursor + delivered + (1 if after is not None else 0))
    if after is None:
        return ("", None, cursor, size)
    value, expires = tokens.issue(
        tokens.Resumption(verb, arguments, after, cursor + delivered, size)
    )
    return (value, expires, cursor, size)


def _renderer(call, format, items):
    """The metadata of the items of one response, with what it needs read
    once for all of them: the permalinks' page and the parents."""
    permalinks = metadata.Permalinks()
    records = [item.record for item in items if not item.deleted]
    parents = metadata.parents_of(records) if format is metadata.OAI_DC else {}
    # Each finding aid is begun now, in the response's language; it is read
    # as the response streams.
    documents = {
        item.key: metadata.render(
            format,
            item.record,
            permalinks=permalinks,
            parent=parents.get(item.record.parent_id),
            today=call.today,
        )
        for item in items
        if not item.deleted
    }

    def render(item):
        return documents[item.key]

    return render


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
