"""Catalogue records on curated pages, read through the public gate only.

Exhibition blocks, thematic collections and chronicle events cite records by
id. Whatever cites them, the records shown to the public come from
`Record.objects.public()` and nowhere else: a record that is closed, not yet
open or withdrawn simply is not in the answer, and the page leaves it out.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, ReferenceIndex, get_page_models

from catalogue.models import DigitalObject, Record
from catalogue.pages import CatalogueIndexPage


@dataclass
class RecordCard:
    """What a curated page shows of one public record."""

    record: Record
    url: str
    thumbnail_url: str = ""

    @property
    def title(self):
        if not _chinese() and self.record.title_en:
            return self.record.title_en
        return self.record.title

    @property
    def title_lang(self):
        """The title's language when it is not the page's (Chinese on English pages)."""
        return "" if _chinese() or self.record.title_en else "zh-Hans"


def _chinese():
    return (translation.get_language() or "").startswith("zh")


def public_records(ids):
    """The public records among `ids`, in the order given; the others are dropped."""
    ids = [pk for pk in ids if pk]
    if not ids:
        return []
    found = Record.objects.public().select_related("repository").in_bulk(ids)
    seen = set()
    ordered = []
    for pk in ids:
        if pk in found and pk not in seen:
            seen.add(pk)
            ordered.append(found[pk])
    return ordered


def citations() -> dict[int, set[int]]:
    """Record id -> ids of the pages whose content blocks cite the record.

    Read from Wagtail's reference index, which follows every chooser in a
    page's StreamFields. Pages cite a few thousand records at most, so the
    whole map is one query from the pages' side; asked from the records'
    side, the index would also walk every child record's reference to its
    parent. References kept in child rows (a collection's hand-picked
    records) are left out: they show no editor's text that depends on the
    record being public.
    """
    prefixes = {
        field.name
        for model in get_page_models()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    }
    if not prefixes:
        return {}
    in_blocks = Q()
    for name in prefixes:
        in_blocks |= Q(model_path__startswith=f"{name}.")
    pages = ContentType.objects.get_for_model(Page)
    rows = ReferenceIndex.objects.filter(
        in_blocks,
        base_content_type=pages,
        to_content_type=ContentType.objects.get_for_model(Record),
    ).values_list("to_object_id", "object_id")
    cited = defaultdict(set)
    for record_id, page_id in rows:
        if record_id.isdigit() and page_id.isdigit():
            cited[int(record_id)].add(int(page_id))
    return cited


def catalogue_page(request=None):
    """The catalogue page in the visitor's language (else the default one)."""
    cached = getattr(request, "_exhibitions_catalogue_page", None)
    if cached is not None:
        return cached or None
    pages = CatalogueIndexPage.objects.live()
    page = (
        pages.filter(locale=Locale.get_active()).first()
        or pages.filter(locale=Locale.get_default()).first()
    )
    if request is not None:
        request._exhibitions_catalogue_page = page or False
    return page


def record_cards(records, request=None):
    """Cards for public records: permalink and the first page image, if any.

    `records` must come from `public_records()`; images for all of them are
    read in one query.
    """
    records = list(records)
    catalogue = catalogue_page(request)
    if not records or catalogue is None:
        return []
    base = catalogue.get_url(request)
    # A file's URL is its place among all the record's files (files/<n>/,
    # catalogue.views.FILE_ORDER), so every file is counted, images or not.
    first_images, counted = {}, {}
    for record_id, kind in (
        DigitalObject.objects.filter(record_id__in=[record.pk for record in records])
        .order_by("record_id", "position", "pk")
        .values_list("record_id", "kind")
    ):
        counted[record_id] = counted.get(record_id, 0) + 1
        if kind == DigitalObject.Kind.IMAGE:
            first_images.setdefault(record_id, counted[record_id])
    cards = []
    for record in records:
        url = base + catalogue.record_path(record)
        thumbnail = ""
        if record.pk in first_images:
            # Served by the catalogue through the gate, like the viewer's pages.
            thumbnail = f"{url}files/{first_images[record.pk]}/"
        cards.append(RecordCard(record=record, url=url, thumbnail_url=thumbnail))
    return cards


def can_see_warnings(request):
    """Editors (previewing or signed in) are told of records the public cannot see."""
    if request is None:
        return False
    if getattr(request, "is_preview", False):
        return True
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
    )
