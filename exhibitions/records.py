"""Catalogue records on curated pages, read through the public gate only.

Exhibition blocks, thematic collections and chronicle events cite records by
id. Whatever cites them, the records shown to the public come from
`Record.objects.public()` and nowhere else: a record that is closed, not yet
open or withdrawn simply is not in the answer, and the page leaves it out.
"""

from dataclasses import dataclass

from django.utils import translation
from wagtail.models import Locale

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
    first_images = {}
    for record_id, object_id in (
        DigitalObject.objects.filter(
            record_id__in=[record.pk for record in records],
            kind=DigitalObject.Kind.IMAGE,
        )
        .order_by("record_id", "position", "pk")
        .values_list("record_id", "pk")
    ):
        first_images.setdefault(record_id, object_id)
    cards = []
    for record in records:
        url = base + catalogue.record_path(record)
        thumbnail = ""
        if record.pk in first_images:
            # Served by the catalogue through the gate, like the viewer's pages.
            thumbnail = f"{url}objects/{first_images[record.pk]}/"
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
