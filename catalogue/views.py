"""Reading the catalogue for its public pages: the gate, the hierarchy, paging, files.

Every record a visitor can reach is read here through `Record.objects.public()`,
the archive's one gate. The single exception is `withdrawn_from_public`, which
looks at a record that failed the gate only to choose between 404 and 410 and
hands nothing of it on.

A file may hold 100,000 items, so nothing here reads a set of children whole:
children come a page at a time (one COUNT, kept until public data changes, and
one indexed slice), siblings by keyset on the (parent, position) index,
ancestors by primary key in one query.
"""

import mimetypes
from dataclasses import dataclass
from itertools import groupby

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext as _

from . import reference
from .models import SEGMENT, AccessStatus, DigitalObject, Level, Record, segment
from .oai.tombstones import was_public

CHILDREN_PER_PAGE = 50
# Set by an app that can tell when public data changed (pagecache does, from
# its ready()): a callable whose value changes with every change that can move
# a record through the gate, in every process. Counts over a whole catalogue
# are then kept until the next change or the next day; without it they are
# counted on every request.
publication_version = None
COUNTS_SECONDS = 24 * 60 * 60
# "reference" is the archival order: the position the archivist gave, then the
# reference code; both are served by the (parent, position) index.
SORTS = {
    "reference": ("position", "reference_code"),
    "date": (F("date_start").asc(nulls_last=True), "position", "reference_code"),
}
DEFAULT_SORT = "reference"
# What a list of records needs; the long texts stay in the database.
LIST_FIELDS = (
    "id",
    "repository_id",
    "parent_id",
    "path",
    "level",
    "position",
    "reference_code",
    "title",
    "title_en",
    "date_expression",
    "date_start",
    "date_end",
)
# Served as themselves; anything else is offered as a download, so an uploaded
# HTML or SVG file can never run in the portal's origin.
INLINE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/avif",
    "image/gif",
    "application/pdf",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
    "audio/wav",
    "audio/x-wav",
    "video/mp4",
    "video/webm",
    "video/ogg",
}


class RecordWithdrawn(Exception):
    """The record was public and has been withdrawn: its URL answers 410."""


def find_public_record(repository_code, raw_reference, today):
    """The public record at a permalink; Http404 or RecordWithdrawn otherwise."""
    try:
        code = reference.parse(raw_reference).code
    except reference.InvalidReferenceCode as error:
        raise Http404 from error
    try:
        return (
            Record.objects.public(today=today)
            .select_related("repository")
            .get(repository__code=repository_code, reference_code=code)
        )
    except Record.DoesNotExist:
        if withdrawn_from_public(repository_code, code, today):
            raise RecordWithdrawn from None
        raise Http404 from None


def withdrawn_from_public(repository_code, code, today):
    """True when the record was public and withdrawal, its own or an
    ancestor's, is all that hides it now.

    A record that is closed, controlled or not yet open answers 404 like one
    that never existed, withdrawn or not: its URL must not reveal that it exists.
    So does one that never was public (added below a withdrawn record, or
    withdrawn before it opened): otherwise 410 against 404 would list which
    codes exist. Its tombstone (catalogue/oai/tombstones.py) says it was.
    """
    record = (
        Record.objects.filter(repository__code=repository_code, reference_code=code)
        .only("id", "path", "access_status", "opening_date", "withdrawn")
        .first()
    )
    if record is None:
        return False
    chain = [
        *Record.objects.filter(pk__in=record.ancestor_ids).only(
            "id", "access_status", "opening_date", "withdrawn"
        ),
        record,
    ]
    if len(chain) != len(record.ancestor_ids) + 1:
        return False
    hidden_by_withdrawal = any(r.withdrawn for r in chain) and all(
        r.access_status == AccessStatus.OPEN
        and (r.opening_date is None or r.opening_date <= today)
        for r in chain
    )
    return hidden_by_withdrawal and was_public(repository_code, code)


# The catalogue's front page ---------------------------------------------------


@dataclass
class RepositoryListing:
    repository: object
    fonds: list
    record_count: int


def repositories_with_fonds(today):
    """Repositories with their public top-level records and how many records each holds.

    The counts come from one grouped query over the public records: the first
    segment of a record's path is its fonds.
    """
    public = Record.objects.public(today=today)
    fonds = list(
        public.roots()
        .select_related("repository")
        .only(
            *LIST_FIELDS,
            "repository__code",
            "repository__name",
            "repository__name_en",
        )
        .order_by(
            "repository__position", "repository__code", "position", "reference_code"
        )
    )
    counts = fonds_counts(today)
    listings = []
    for repository, group in groupby(fonds, key=lambda record: record.repository):
        group = list(group)
        for record in group:
            record.record_count = counts.get(segment(record.pk), 0)
        total = sum(record.record_count + 1 for record in group)
        listings.append(RepositoryListing(repository, group, total))
    return listings


def fonds_counts(today):
    """How many public records each fonds holds below it, by the fonds' path segment.

    One grouped query over every public record (the first segment of a
    record's path is its fonds): a second at a million records, so it is kept
    under the publication version and the day when there is one.
    """
    version = publication_version() if publication_version else None
    key = f"catalogue:fonds-counts:{today.isoformat()}:{version}"
    if version is not None:
        counts = cache.get(key)
        if counts is not None:
            return counts
    counts = dict(
        Record.objects.public(today=today)
        .filter(depth__gt=0)
        .annotate(fonds=Substr("path", 1, SEGMENT))
        .order_by()
        .values("fonds")
        .annotate(records=Count("id"))
        .values_list("fonds", "records")
    )
    if version is not None:
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


# One record's page ------------------------------------------------------------


def public_ancestors(record, today):
    """The breadcrumb, root first: one query by primary key, through the gate."""
    ids = record.ancestor_ids
    if not ids:
        return []
    found = Record.objects.public(today=today).only(*LIST_FIELDS).in_bulk(ids)
    ancestors = [found[pk] for pk in ids if pk in found]
    for ancestor in ancestors:
        ancestor.repository = record.repository
    return ancestors


def children_page(record, params, today):
    """One page of a record's public children: a COUNT and an indexed slice.

    Unknown sort orders and page numbers that are not numbers are ignored; a
    page past the end shows the last page.
    """
    sort = params.get("sort")
    if sort not in SORTS:
        sort = DEFAULT_SORT
    children = (
        Record.objects.public(today=today)
        .filter(parent_id=record.pk)
        .only(*LIST_FIELDS)
        .annotate(
            digitised=Exists(DigitalObject.objects.filter(record_id=OuterRef("pk")))
        )
        .order_by(*SORTS[sort])
    )
    paginator = Paginator(children, CHILDREN_PER_PAGE)
    # The count does not depend on the order; a file of 100,000 items takes
    # tens of milliseconds to count, so it is kept like the fonds' counts.
    paginator.count = children_count(record, today)
    page = paginator.get_page(params.get("page"))
    page.object_list = list(page.object_list)
    for child in page.object_list:
        child.repository = record.repository
    return {
        "page": page,
        "count": paginator.count,
        "sort": sort,
        "is_default_sort": sort == DEFAULT_SORT,
    }


def children_count(record, today):
    """How many public children a record has; kept until public data changes."""
    version = publication_version() if publication_version else None
    key = f"catalogue:children:{record.pk}:{today.isoformat()}:{version}"
    if version is not None:
        count = cache.get(key)
        if count is not None:
            return count
    count = Record.objects.public(today=today).filter(parent_id=record.pk).count()
    if version is not None:
        cache.set(key, count, COUNTS_SECONDS)
    return count


def digitised_items(record, today):
    """(digitised, total): how many of the public items below a file, series or
    fonds have a digital object. One grouped query over the subtree, through the
    gate (an item below a closed file is not counted), kept like the children's
    count: adding a file bumps the publication version too."""
    version = publication_version() if publication_version else None
    key = f"catalogue:digitised:{record.pk}:{today.isoformat()}:{version}"
    if version is not None:
        counts = cache.get(key)
        if counts is not None:
            return counts
    found = (
        Record.objects.public(today=today)
        .subtree(record, include_self=False)
        .filter(level=Level.ITEM)
        .annotate(
            has_files=Exists(DigitalObject.objects.filter(record_id=OuterRef("pk")))
        )
        .order_by()
        .aggregate(total=Count("id"), digitised=Count("id", filter=Q(has_files=True)))
    )
    counts = (found["digitised"], found["total"])
    if version is not None:
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def siblings(record, today):
    """The public records before and after this one in its parent's archival order.

    Each side asks first among records with the same position, then past it, so
    both questions are index range scans that stop at the first row.
    """
    scope = Record.objects.public(today=today).only(*LIST_FIELDS)
    if record.parent_id:
        scope = scope.filter(parent_id=record.parent_id)
    else:
        scope = scope.filter(parent__isnull=True, repository_id=record.repository_id)
    position, code = record.position, record.reference_code
    following = (
        scope.filter(position=position, reference_code__gt=code)
        .order_by("reference_code")
        .first()
    ) or (scope.filter(position__gt=position).order_by(*SORTS[DEFAULT_SORT]).first())
    previous = (
        scope.filter(position=position, reference_code__lt=code)
        .order_by("-reference_code")
        .first()
    ) or (
        scope.filter(position__lt=position)
        .order_by("-position", "-reference_code")
        .first()
    )
    for sibling in (previous, following):
        if sibling is not None:
            sibling.repository = record.repository
    return previous, following


@dataclass
class ViewerPage:
    number: int
    image: DigitalObject
    text_number: int | None
    url: str = ""
    text_url: str = ""
    info_url: str = ""  # its IIIF image service, when its tiles are made


# A record's files in their order: `number` below counts in it. Their URLs
# name a file by its place in the record (files/3/), never by its id, which
# would tell how many objects of hidden records exist.
FILE_ORDER = ("position", "pk")


def digital_objects(record):
    """The record's page images (with their page texts) and its other files.

    Each file gets `number`, its place among the record's files (1, 2, …).
    Only which pages have text is read here: the texts themselves are fetched
    page by page when the viewer shows them.
    """
    # Explicit orders: the models' default ("record", …) would join the record.
    objects = list(record.digital_objects.order_by(*FILE_ORDER))
    for number, item in enumerate(objects, start=1):
        item.number = number
    images = [item for item in objects if item.kind == DigitalObject.Kind.IMAGE]
    others = [item for item in objects if item.kind != DigitalObject.Kind.IMAGE]
    texts = list(
        record.pages.order_by("page_number").values_list(
            "page_number", "digital_object_id"
        )
    )
    by_image = {image_id: number for number, image_id in texts if image_id}
    numbers = {number for number, _image_id in texts}
    pages = []
    for index, image in enumerate(images, start=1):
        text_number = by_image.get(image.pk)
        if text_number is None and not by_image and index in numbers:
            text_number = index
        pages.append(ViewerPage(index, image, text_number))
    return pages, others, bool(texts)


# Files and texts of a public record ---------------------------------------------


def nth_digital_object(record, number, kind=None):
    """The record's `number`th file (1, 2, …) in FILE_ORDER, of `kind` when
    given; None past the end. An indexed range on (record, position)."""
    if number < 1:
        return None
    objects = record.digital_objects.order_by(*FILE_ORDER)
    if kind is not None:
        objects = objects.filter(kind=kind)
    return objects[number - 1 : number].first()


def digital_object_response(request, record, number):
    """A file of a public record, served through the gate rather than from /media/."""
    item = nth_digital_object(record, number)
    if item is None or not item.file:
        raise Http404
    name = item.file.name
    content_type, _encoding = mimetypes.guess_type(name)
    inline = content_type in INLINE_TYPES
    return stored_file_response(
        request,
        item.file.storage,
        name,
        content_type=content_type if inline else "application/octet-stream",
        filename=f"{record.reference_code}-{item.position}{_suffix(name)}",
        attachment=not inline,
    )


def stored_file_response(
    request, storage, name, *, content_type, filename=None, attachment=False
):
    """A private file, for a view that has asked the gate first.

    Browsers revalidate every time (no-cache, with Last-Modified), so a record
    that leaves the public takes its files with it at once.
    """
    try:
        modified = storage.get_modified_time(name).timestamp()
    except (NotImplementedError, OSError):
        modified = None
    if modified is not None:
        unchanged = get_conditional_response(request, last_modified=int(modified))
        if unchanged is not None:
            return unchanged
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    if filename:
        response["Content-Disposition"] = content_disposition_header(
            attachment, filename
        )
    response["Cache-Control"] = "no-cache"
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response


def _suffix(name):
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.rfind("/") else ""


def page_text_response(record, page_number):
    text = record.pages.filter(page_number=page_number).values_list("text", flat=True)
    text = text.first()
    if text is None:
        raise Http404
    return _plain_text(text)


def full_text_response(record):
    """All of a record's page texts, page by page, streamed."""
    heading = _("Page %(number)s")

    def pages():
        rows = (
            record.pages.order_by("page_number")
            .values_list("page_number", "text")
            .iterator(chunk_size=200)
        )
        for index, (number, text) in enumerate(rows):
            # A form feed between pages, the page break OCR tools write.
            separator = "\f" if index else ""
            yield f"{separator}— {heading % {'number': number}} —\n\n{text}\n".encode()

    response = StreamingHttpResponse(pages(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{record.reference_code}.txt"
    )
    response["Cache-Control"] = "no-cache"
    return response


def _plain_text(text):
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
