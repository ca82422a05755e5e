"""What a record says about itself outside its page: citations, Dublin Core, JSON, EAD.

Everything here is handed records that came through `Record.objects.public()`,
and the EAD stream reads the subtree below one through it too: an export never
names a record the public may not see.

Which fields are public is decided once, in catalogue/fields.py; the record page and
every export show those and nothing else (not the withdrawal reason, not the
opening date, not the import bookkeeping).
"""

import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from lxml import etree

from . import fields
from .models import AccessStatus, Record, Repository

PUBLIC_FIELDS = fields.PUBLIC

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EAD_NS = "urn:isbn:1-931666-22-9"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Characters XML 1.0 cannot carry at all: legacy catalogues and OCR output have
# them, and one would make lxml refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NMTOKEN = re.compile(r"^[\w.\-:]+$")
# Paragraphs of formatted text are parted by a blank line.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# What may stand in an XML name as it is: the NCName characters our 档号 use,
# Latin letters, digits, dot, dash, the middle dot and the Han characters that
# every edition of XML 1.0 counts as letters; anything else is escaped.
_ID_KEPT = re.compile(r"[A-Za-z0-9.\-\u00b7\u4e00-\u9fa5]")
# Siblings are read in batches of this many, so an export of a fonds holds a few
# batches in memory whatever its size.
EAD_BATCH = 500
EAD_CHUNK_BYTES = 64 * 1024


def xml_text(value) -> str:
    return _NOT_XML.sub("", str(value))


def iso_dates(record) -> str:
    """The normalised dates as ISO 8601: a day, or an interval start/end."""
    start, end = record.date_start, record.date_end
    if start and end and start != end:
        return f"{start.isoformat()}/{end.isoformat()}"
    single = start or end
    return single.isoformat() if single else ""


def cited_dates(record) -> str:
    """The dates at the precision the catalogue knows them, in ISO 8601: 1956,
    1956-03, 1956-03-12, or an interval 1902/1949. Never a day the archive did
    not give: 1902-01-01/1949-12-31 is the normalised form of "1902—1949"."""
    start, end = record.date_start, record.date_end or record.date_start
    if not start:
        return ""

    def whole_years():
        return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)

    def whole_month(first, last):
        days = calendar.monthrange(last.year, last.month)[1]
        return first.day == 1 and last.day == days

    if whole_years():
        if start.year == end.year:
            return f"{start.year:04d}"
        return f"{start.year:04d}/{end.year:04d}"
    if whole_month(start, end):
        first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
        return first if first == last else f"{first}/{last}"
    if start == end:
        return start.isoformat()
    return f"{start.isoformat()}/{end.isoformat()}"


def citation_zh(record) -> str:
    """GB/T 7714-2015 for an archival document ([A]): 责任者. 题名[A]. 保存单位,
    日期. 档号.

    The dates are as written (民国三十年, 1902—1949), or at the precision the
    catalogue knows them. Always Chinese, whatever the page's language: it is
    the form a Chinese publication prints.
    """
    parts = []
    if record.creators:
        parts.append(", ".join(record.creators))
    parts.append(f"{record.title}[A]")
    holder = record.repository.name
    date = record.date_expression or cited_dates(record)
    parts.append(f"{holder}, {date}" if date else holder)
    parts.append(f"档号 {record.reference_code}")
    return ". ".join(part.rstrip(".。") for part in parts) + "."


def citation_en(record) -> str:
    """The same in English: creators, the original title with its translation
    in brackets, the dates, the holding archive and the reference code."""
    repository = record.repository
    title = f"“{record.title}”"
    if record.title_en:
        title += f" [{record.title_en}]"
    # As written only when the catalogue has no normalised dates: the words
    # are Chinese ("民国三十年").
    date = cited_dates(record) or record.date_expression
    sentences = [
        "; ".join(record.creators),
        f"{title}, {date}" if date else title,
        f"{repository.name_en or repository.name}, {record.reference_code}",
    ]
    return ". ".join(part.rstrip(".") for part in sentences if part) + "."


# Dublin Core -------------------------------------------------------------------


def dublin_core(record, *, url: str, parent_url: str = "") -> bytes:
    """The record as an oai_dc document, as an OAI-PMH harvester would receive it."""
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    )

    def add(name, value, lang=None):
        if value in (None, ""):
            return
        element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = xml_text(value)
        if lang:
            element.set(f"{{{XML_NS}}}lang", lang)

    add("title", record.title, "zh-Hans")
    add("title", record.title_en, "en")
    for creator in record.creators:
        add("creator", creator)
    for subject in [*record.subjects, *record.names]:
        add("subject", subject)
    add("description", record.scope_and_content)
    add("description", record.notes)
    add("publisher", record.repository.name, "zh-Hans")
    add("publisher", record.repository.name_en, "en")
    add("date", iso_dates(record) or record.date_expression)
    add("type", record.level)
    add("format", record.extent)
    add("identifier", record.reference_code)
    add("identifier", url)
    add("language", record.language)
    add("relation", parent_url)
    for place in record.places:
        add("coverage", place)
    add("rights", record.get_access_status_display())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# JSON --------------------------------------------------------------------------


def record_json(record, *, url, ancestors, digital_objects, links) -> dict:
    """The record's public fields with the way to its hierarchy and its files.

    `ancestors` are (record, url) pairs, root first; `digital_objects` are
    (object, url) pairs; `links` names the other exports and the full text.
    """
    data = {name: getattr(record, name) for name in PUBLIC_FIELDS}
    data["level"] = record.level
    data["repository"] = {
        "code": record.repository.code,
        "name": record.repository.name,
        "name_en": record.repository.name_en,
    }
    data["url"] = url
    data["ancestors"] = [
        {
            "reference_code": ancestor.reference_code,
            "level": ancestor.level,
            "title": ancestor.title,
            "url": ancestor_url,
        }
        for ancestor, ancestor_url in ancestors
    ]
    data["digital_objects"] = [
        {"kind": item.kind, "label": item.label, "url": item_url}
        for item, item_url in digital_objects
    ]
    data["citation"] = {"zh": citation_zh(record), "en": citation_en(record)}
    data["links"] = links
    return data


# EAD 2002 ----------------------------------------------------------------------


def ead_document(
    root: Record,
    *,
    url: Callable[[Record], str],
    today=None,
) -> Iterator[bytes]:
    """A fonds or series and its public subtree as EAD 2002, streamed.

    Components are written as they are read, depth first with siblings in their
    archival order, so a fonds of a million records never sits in memory; only a
    batch of siblings per level does. Fragments are built without a namespace and
    take the default one declared on <ead>.
    """
    today = today or timezone.localdate()
    language = translation.get_language()
    return _chunked(_ead_parts(root, url, today, language))


@dataclass(frozen=True)
class _Export:
    """What every component of one export shares, worked out once.

    Translated labels are looked up here rather than per record: at a million
    components the lookups would cost more than the database.
    """

    today: datetime.date
    repository: Repository
    access: dict
    retention_period: str
    classification: str

    @classmethod
    def of(cls, root, today):
        return cls(
            today=today,
            repository=root.repository,
            access={value: str(label) for value, label in AccessStatus.choices},
            retention_period=_label("retention_period"),
            classification=_label("classification"),
        )


def _ead_parts(root, url, today, language):
    # The response is streamed after the view returns: keep the request's language.
    with translation.override(language):
        export = _Export.of(root, today)
        repository = root.repository
        yield (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<ead xmlns="{EAD_NS}" xmlns:xlink="{XLINK_NS}" '
            f'xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{EAD_NS} '
            'http://www.loc.gov/ead/ead.xsd">'
        ).encode()
        yield _fragment(_eadheader(root, url(root), today))
        yield f'<archdesc level="{root.level}">'.encode()
        did = _did(root, export)
        repository_element = etree.SubElement(did, "repository")
        etree.SubElement(repository_element, "corpname").text = xml_text(
            repository.name
        )
        yield _fragment(did)
        for block in _blocks(root, export):
            yield _fragment(block)
        batches = _child_batches(root.pk, export)
        first = next(batches, None)
        if first:
            yield b"<dsc>"
            yield from _components(first, export)
            for batch in batches:
                yield from _components(batch, export)
            yield b"</dsc>"
        yield b"</archdesc></ead>\n"


def component_id(reference_code: str) -> str:
    """A component's id in an EAD document: built from its 档号, a valid
    NCName (xs:ID), one to one with the code, so unique in a document of one
    repository. "ref-" starts it with a letter (most 档号 start with a digit);
    any character an XML name cannot hold, and "_" itself, is written _hex_.
    The database id would tell how many records are hidden between two."""
    escaped = "".join(
        char if _ID_KEPT.fullmatch(char) else f"_{ord(char):x}_"
        for char in reference_code
    )
    return f"ref-{escaped}"


def _components(batch, export):
    for record in batch:
        yield (
            f'<c level="{record.level}" id="{component_id(record.reference_code)}">'
        ).encode()
        yield _fragment(_did(record, export))
        for block in _blocks(record, export):
            yield _fragment(block)
        if record.has_public_children:
            for children in _child_batches(record.pk, export):
                yield from _components(children, export)
        yield b"</c>"


def _child_batches(parent_id, export) -> Iterator[list[Record]]:
    """The public children of a record in archival order, a batch at a time.

    Keyset paging on (position, reference code): each batch starts where the
    last ended, so no batch costs more than the one before it.
    """
    public = Record.objects.public(today=export.today)
    children = (
        public.filter(parent_id=parent_id)
        .annotate(has_public_children=Exists(public.filter(parent_id=OuterRef("pk"))))
        .order_by("position", "reference_code")
    )
    after = None
    while True:
        batch = children
        if after is not None:
            position, code = after
            batch = batch.filter(
                Q(position__gt=position) | Q(position=position, reference_code__gt=code)
            )
        batch = list(batch[:EAD_BATCH])
        if not batch:
            return
        yield batch
        if len(batch) < EAD_BATCH:
            return
        after = (batch[-1].position, batch[-1].reference_code)


def _eadheader(root, root_url, today):
    header = etree.Element("eadheader")
    eadid = etree.SubElement(header, "eadid", countrycode="CN", url=root_url)
    if _NMTOKEN.match(root.repository.code):
        eadid.set("mainagencycode", root.repository.code)
    eadid.text = xml_text(f"{root.repository.code}-{root.reference_code}")
    filedesc = etree.SubElement(header, "filedesc")
    titlestmt = etree.SubElement(filedesc, "titlestmt")
    etree.SubElement(titlestmt, "titleproper").text = xml_text(root.title)
    publication = etree.SubElement(filedesc, "publicationstmt")
    etree.SubElement(publication, "publisher").text = xml_text(root.repository.name)
    profile = etree.SubElement(header, "profiledesc")
    creation = etree.SubElement(profile, "creation")
    etree.SubElement(
        creation, "date", normal=today.isoformat()
    ).text = today.isoformat()
    usage = etree.SubElement(profile, "langusage")
    etree.SubElement(usage, "language", langcode="chi").text = "中文"
    return header


def _did(record, export):
    did = etree.Element("did")
    unitid = etree.SubElement(did, "unitid", countrycode="CN")
    if _NMTOKEN.match(export.repository.code):
        unitid.set("repositorycode", export.repository.code)
    unitid.text = xml_text(record.reference_code)
    if record.document_number:
        number = etree.SubElement(did, "unitid", type="document-number")
        number.text = xml_text(record.document_number)
    etree.SubElement(did, "unittitle").text = xml_text(record.title)
    if record.title_en:
        english = etree.SubElement(did, "unittitle", label="English")
        english.text = xml_text(record.title_en)
    normal = iso_dates(record)
    if normal or record.date_expression:
        unitdate = etree.SubElement(did, "unitdate")
        unitdate.text = xml_text(record.date_expression or normal)
        if normal:
            unitdate.set("normal", normal)
    for creator in record.creators:
        origination = etree.SubElement(did, "origination")
        etree.SubElement(origination, "name").text = xml_text(creator)
    if record.extent or record.page_count:
        physdesc = etree.SubElement(did, "physdesc")
        if record.extent:
            etree.SubElement(physdesc, "extent").text = xml_text(record.extent)
        if record.page_count:
            pages = etree.SubElement(physdesc, "extent", unit="pages")
            pages.text = str(record.page_count)
    if record.language:
        langmaterial = etree.SubElement(did, "langmaterial")
        etree.SubElement(langmaterial, "language").text = xml_text(record.language)
    if record.physical_location:
        physloc = etree.SubElement(did, "physloc")
        physloc.text = xml_text(record.physical_location)
    for link in record.external_links:
        dao = etree.SubElement(did, "dao")
        dao.set(f"{{{XLINK_NS}}}href", xml_text(link.get("href", "")))
        if link.get("title"):
            dao.set(f"{{{XLINK_NS}}}title", xml_text(link["title"]))
    return did


def _blocks(record, export) -> Iterable:
    """The description after <did>, in the order ISAD(G) lists its areas."""
    for tag, name in fields.EAD_NOTES.items():
        if tag != "odd" and getattr(record, name):
            yield _paragraphs(tag, getattr(record, name))
    if record.retention_period:
        yield _paragraphs(
            "appraisal", record.retention_period, head=export.retention_period
        )
    access = etree.Element("accessrestrict")
    etree.SubElement(access, "p").text = export.access[record.access_status]
    yield access
    if record.classification:
        classification = _paragraphs(
            "accessrestrict", record.classification, head=export.classification
        )
        classification.set("type", "classification")
        yield classification
    terms = (
        [("subject", value) for value in record.subjects]
        + [("persname", value) for value in record.names]
        + [("geogname", value) for value in record.places]
    )
    if terms:
        controlaccess = etree.Element("controlaccess")
        for tag, value in terms:
            etree.SubElement(controlaccess, tag).text = xml_text(value)
        yield controlaccess
    if record.notes:
        yield _paragraphs("odd", record.notes)


def _paragraphs(tag, text, head=None):
    """A note of formatted text (catalogue/importers/ead.py says how it is
    written): its paragraphs as <p>, the lines of a paragraph parted by <lb/>."""
    element = etree.Element(tag)
    if head:
        etree.SubElement(element, "head").text = xml_text(head)
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p for p in _BLANK_LINE.split(text) if p.strip()] or [text]
    for paragraph in paragraphs:
        p = etree.SubElement(element, "p")
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        p.text = xml_text(lines[0] if lines else paragraph)
        for line in lines[1:]:
            etree.SubElement(p, "lb").tail = xml_text(line)
    return element


def _label(field_name):
    return str(Record._meta.get_field(field_name).verbose_name)


def _fragment(element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", xml_declaration=False)


def _chunked(parts: Iterable[bytes]) -> Iterator[bytes]:
    """Join the many small fragments into chunks worth a network write."""
    buffer, size = [], 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= EAD_CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)
