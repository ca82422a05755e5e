"""The metadata formats a harvester may ask for, and the records' permalinks.

- `oai_dc` for every public record: the record's Dublin Core export
  (catalogue.exports.dublin_core), with its permalink and its parent's;
- `ead` for fonds and series: the finding aid of the record's public subtree
  (catalogue.exports.ead_document), streamed as the record page's ead.xml is.

The exports make the documents; this module only says which record has which,
and embeds them without their XML declarations.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch
from wagtail.models import Locale

from home import addresses

from .. import exports
from ..models import Record, segment
from ..pages import EAD_LEVELS, CatalogueIndexPage


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    # The levels of description that have it; None: every record.
    levels: frozenset | None = None

    def disseminates(self, level):
        return self.levels is None or level in self.levels


OAI_DC = Format(
    "oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", exports.OAI_DC_NS
)
EAD = Format(
    "ead",
    "http://www.loc.gov/ead/ead.xsd",
    exports.EAD_NS,
    frozenset(str(level) for level in EAD_LEVELS),
)
FORMATS = {format.prefix: format for format in (OAI_DC, EAD)}


def formats_of(level):
    """The formats a record of this level is disseminated in."""
    return [format for format in FORMATS.values() if format.disseminates(level)]


class Permalinks:
    """Records' public addresses: the catalogue page of the default language
    under the portal's public address (settings.WAGTAILADMIN_BASE_URL), as
    the record pages build them. Empty when the site has no catalogue page."""

    def __init__(self):
        self.page = (
            CatalogueIndexPage.objects.live()
            .filter(locale=Locale.get_default())
            .order_by("path")
            .first()
        )
        self.base = ""
        if self.page is not None:
            parts = self.page.get_url_parts()
            if parts is not None:
                self.base = addresses.absolute(parts[2])

    def of(self, record):
        if not self.base:
            return ""
        try:
            return self.base + self.page.record_path(record)
        except NoReverseMatch:
            return ""


def parents_of(records):
    """{id: parent} for the parents of these records of one repository, read
    in one query (the records are public, so their parents are)."""
    ids = {record.parent_id for record in records if record.parent_id}
    if not ids:
        return {}
    parents = Record.objects.filter(pk__in=ids).only("id", "reference_code")
    found = {parent.pk: parent for parent in parents}
    for record in records:
        if record.parent_id in found:
            found[record.parent_id].repository = record.repository
    return found


def apart(items):
    """The longest start of a list's `items` whose finding aids share no
    component: a response is one XML document, in which the ids of EAD
    components must be unique. Finding aids of subtrees of one repository
    that do not overlap qualify; one within another, or of another
    repository (where the same reference codes may be), waits for the next
    response. The first item is always taken."""
    kept, prefixes, repository = [], [], None
    for item in items:
        record = item.record
        if record is not None:
            prefix = record.path + segment(record.pk)
            if prefixes and (
                record.repository_id != repository
                or any(
                    prefix.startswith(taken) or taken.startswith(prefix)
                    for taken in prefixes
                )
            ):
                break
            repository = record.repository_id
            prefixes.append(prefix)
        kept.append(item)
    return kept


def render(format, record, *, permalinks, parent=None, today=None):
    """The record's metadata in `format`, as parts of bytes to embed."""
    if format is EAD:
        chunks = exports.ead_document(record, url=permalinks.of, today=today)
        return _without_declaration(chunks)
    document = exports.dublin_core(
        record,
        url=permalinks.of(record),
        parent_url=permalinks.of(parent) if parent is not None else "",
    )
    return _without_declaration([document])


def _without_declaration(chunks):
    first = True
    for chunk in chunks:
        if first and chunk.startswith(b"<?xml"):
            chunk = chunk.split(b"?>", 1)[1].lstrip()
        first = False
        yield chunk
