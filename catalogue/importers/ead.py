"""EAD finding aids in: EAD 2002 (with or without its namespace) and EAD3.

The file is streamed with lxml's iterparse and every element is dropped as soon
as it has been read, so memory stays flat however long the finding aid is. A
component (`archdesc`, `c`, `c01`…`c12`) becomes a `RecordRow` when its first
child component starts, or when it ends if it has none: its own description
always comes before its children, so parents are emitted before children.

Hostile XML is refused rather than tamed: a document that declares entities of
its own (billion laughs, external entities reading local files) is rejected
before anything is read; no DTD is loaded and nothing is fetched from the
network. Undeclared named entities of DTD-era files (`&mdash;`) are kept as the
characters HTML gives them.

The first law: the access status is read from `accessrestrict` (and inherited
by components without one; nothing below a closed record opens), an opening
date written there is kept so the record waits for its day, anything marked
`audience="internal"` is treated as closed or not read at all, and nothing of a
row that is not open (its files, its full text) is read from the bundle.

docs/importing-ead.md says, element by element, what is read and what is not.
"""

import datetime
import functools
import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree

from catalogue import reference
from catalogue.dates import normal_dates
from catalogue.fields import BY_NAME, EAD_NOTES
from catalogue.models import AccessStatus, Level, Record
from catalogue.vocabulary import LEVEL_BELOW, level_of

from .base import (
    Bundle,
    DigitalObjectRow,
    Notice,
    PageRow,
    Problem,
    RecordRow,
    line_locator,
)
from .fulltext import pages_from_files

EAD2002_NAMESPACE = "urn:isbn:1-931666-22-9"
EAD3_NAMESPACE = "http://ead3.archivists.org/schema/"
# EAD3 1.1's schema that still allows the elements EAD3 1.0 deprecated.
EAD3_UNDEPRECATED = "http://ead3.archivists.org/schema/undeprecated/"
NAMESPACES = (None, EAD2002_NAMESPACE, EAD3_NAMESPACE, EAD3_UNDEPRECATED)
XLINK = "{http://www.w3.org/1999/xlink}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Where an entity declaration is looked for to name its line; not read whole.
PROLOG_BYTES = 1 << 16
COMPONENTS = frozenset(["archdesc", "c", *(f"c{n:02d}" for n in range(1, 13))])

ENGLISH = frozenset(["en", "eng", "english", "英文"])
# A unitid with one of these types is the 文件编号, not the reference code.
DOCUMENT_NUMBER = frozenset(
    ["文件编号", "发文字号", "文号", "document number", "documentnumber"]
)
# A unitid of one of these types identifies the record in some system (an ARK,
# ArchivesSpace's URI, a barcode), not in the archive's arrangement.
SYSTEM_IDENTIFIER = re.compile(
    r"ark|ur[il]|barcode|handle|doi|aspace|system|database|accession", re.IGNORECASE
)

_FULL_TEXT_ROLE = re.compile(r"ocr|full.?text|transcri|全文", re.IGNORECASE)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_PAGES = re.compile(r"^(\d+)\s*(?:页|pages?|pp?\.?)$", re.IGNORECASE)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_CJK_END = re.compile(f"[{_CJK}]$")
_BLOCK_ELEMENTS = frozenset(
    ["p", "list", "chronlist", "table", "blockquote", "address", "note", "odd"]
)


ENTITIES_REFUSED = gettext_noop(
    "the file declares its own XML entities, which could make the import expand "
    "it without limit or read files from the server; it was refused. Remove the "
    "entity declarations from the DOCTYPE."
)


class _Refused(Exception):
    """The document cannot be read safely or is not EAD; reading stops."""

    def __init__(self, problem):
        self.problem = problem


@dataclass
class _Component:
    element: etree._Element
    name: str
    line: int
    parent: "_Component | None"
    position: int
    internal: bool
    emitted: bool = False
    children: int = 0
    code: str = ""
    level: str = ""
    unitid: str = ""
    titles: list[str] = field(default_factory=list)
    title_en: str = ""
    dates: list[tuple[str, datetime.date | None, datetime.date | None]] = field(
        default_factory=list
    )
    creators: list[str] = field(default_factory=list)
    extents: list[str] = field(default_factory=list)
    page_count: int | None = None
    languages: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)
    openings: list[datetime.date] = field(default_factory=list)
    bulk: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    notes_by_field: dict[str, list[str]] = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)
    document_number: str = ""
    objects: list[tuple[int, DigitalObjectRow]] = field(default_factory=list)
    texts: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem | Notice] = field(default_factory=list)
    child_codes: set[str] = field(default_factory=set)  # to tell repeated unitids


def read_ead(
    path, *, bundle: Bundle | None = None, location_name: str | None = None
) -> Iterator[RecordRow | Problem]:
    """Rows of an EAD file, parents first, and a Problem for anything unreadable.

    `path` is a file name or a binary file object; `location_name` is the name
    shown in messages (an upload's original name).
    """
    if location_name is None:
        named = getattr(path, "name", path)
        location_name = Path(named).name if isinstance(named, str | Path) else "EAD"
    yield from _Reader(location_name, bundle).read(path)


# libxml2's errors, by code, in the editor's language: the usual ones an
# export or an editor's hand makes. Others are given as libxml2 words them.
_XML_ERRORS = {
    4: gettext_noop("the file is empty"),
    5: gettext_noop("there is more after the end of the finding aid"),
    8: gettext_noop("it holds a character XML does not allow"),
    9: gettext_noop("it holds a character XML does not allow"),
    23: gettext_noop("an “&” does not start a character reference: write “&amp;”"),
    68: gettext_noop("an “&” does not start a character reference: write “&amp;”"),
    26: gettext_noop(
        "it uses a named character (such as “&nbsp;”) that XML does not know: "
        "write the character itself"
    ),
    32: gettext_noop("it declares an encoding the portal cannot read"),
    81: gettext_noop(
        "its bytes are not in the encoding it declares: save it again as UTF-8"
    ),
    33: gettext_noop("an attribute's value is not in quotes"),
    34: gettext_noop("an attribute's value is not in quotes"),
    39: gettext_noop("an attribute's value is not in quotes"),
    41: gettext_noop("an attribute's value is not in quotes"),
    42: gettext_noop("an element has the same attribute twice"),
    73: gettext_noop("the file ends inside an element: it may be cut short"),
    74: gettext_noop("the file ends inside an element: it may be cut short"),
    77: gettext_noop("the file ends inside an element: it may be cut short"),
    76: gettext_noop(
        "an element is closed by another element's end tag (such as <p> … </c>)"
    ),
}


def _xml_error(error):
    known = _XML_ERRORS.get(error.code)
    return _(known) if known else error.msg


class _Reader:
    def __init__(self, name, bundle):
        self.name = name
        self.located = line_locator(name)
        self.bundle = bundle
        self.prefix = None  # "{namespace}" of the EAD elements, "" without one
        self.stack: list[_Component] = []
        self.open: list[str | None] = []  # names of the elements being read
        self.found_archdesc = False
        self.names = {}  # tag -> EAD name; a finding aid uses a few dozen tags
        self.eadid = ""  # the finding aid's identifier: a fonds without unitid

    def where(self, line):
        return self.located(line or "?")

    def problem(self, element_or_line, field_name, message):
        line = getattr(element_or_line, "sourceline", element_or_line)
        return Problem(self.where(line), field_name, message)

    # Reading ---------------------------------------------------------------

    def read(self, source):
        self.source = source
        try:
            events = etree.iterparse(
                source,
                events=("start", "end"),
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            # start() and end() run for every element of a file that may hold
            # millions: they return what they make (rarely anything) rather
            # than being generators, which cost a frame each.
            start, end = self.start, self.end
            for event, element in events:
                out = start(element) if event == "start" else end(element)
                if out:
                    yield from out
        except _Refused as refused:
            yield refused.problem
            return
        except etree.XMLSyntaxError as error:
            if "entity" in (error.msg or "").lower() and self.prefix is None:
                # libxml2 stopped an entity attack inside the root's start tag.
                yield self.problem(error.lineno, "!ENTITY", _(ENTITIES_REFUSED))
                return
            yield Problem(
                self.where(error.lineno),
                next((n for n in reversed(self.open) if n), ""),
                _("the file is not well-formed XML: %(reason)s")
                % {"reason": _xml_error(error)},
            )
            return
        except OSError as error:
            yield Problem(
                self.name,
                "",
                _("the file cannot be read: %(error)s") % {"error": error},
            )
            return
        if not self.found_archdesc:
            yield Problem(
                self.name, "archdesc", _("the file has no <archdesc> to import")
            )

    def local(self, element):
        """The EAD name of an element; None for entities and foreign elements."""
        tag = element.tag
        try:
            return self.names[tag]
        except KeyError:
            pass
        if not isinstance(tag, str):
            name = None
        elif self.prefix:
            name = tag[len(self.prefix) :] if tag.startswith(self.prefix) else None
        else:
            name = None if tag.startswith("{") else tag
        self.names[tag] = name
        return name

    def check_root(self, element):
        dtd = element.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _entity in dtd.entities()):
            # Declared entities are how billion-laughs and XXE attacks work;
            # finding aids have no need for them.
            raise _Refused(
                self.problem(
                    self.declaration_line(element.sourceline),
                    "!ENTITY",
                    _(ENTITIES_REFUSED),
                )
            )
        qname = etree.QName(element)
        if qname.localname != "ead" or qname.namespace not in NAMESPACES:
            raise _Refused(
                self.problem(
                    element,
                    qname.localname,
                    _(
                        "this is not an EAD finding aid: the root element is "
                        "<%(tag)s>, not <ead> of EAD 2002 or EAD3"
                    )
                    % {"tag": element.tag},
                )
            )
        self.prefix = f"{{{qname.namespace}}}" if qname.namespace else ""

    def declaration_line(self, root_line):
        """The line of the first entity declaration, which comes before the
        root element; the root's line when the file cannot be read again."""
        if not isinstance(self.source, str | Path):
            return root_line
        with open(self.source, "rb") as file:
            prolog = file.read(PROLOG_BYTES)
        for number, line in enumerate(prolog.split(b"\n")[:root_line], start=1):
            if b"<!ENTITY" in line:
                return number
        return root_line

    def start(self, element):
        """Rows made when an element starts: its parent's, the first time a
        component starts inside it."""
        if self.prefix is None:
            self.check_root(element)
        name = self.local(element)
        self.open.append(name)
        if name not in COMPONENTS:
            return None
        parent = self.stack[-1] if self.stack else None
        if name == "archdesc":
            if self.found_archdesc or parent is not None:
                raise _Refused(
                    self.problem(
                        element,
                        name,
                        _("only one <archdesc> per file can be imported"),
                    )
                )
            self.found_archdesc = True
        elif parent is None:
            raise _Refused(
                self.problem(
                    element,
                    name,
                    _("a component <%(tag)s> outside <archdesc>") % {"tag": name},
                )
            )
        out = None
        if parent is not None:
            if not parent.emitted:
                out = list(self.emit(parent))
            parent.children += 1
        self.stack.append(
            _Component(
                element=element,
                name=name,
                line=element.sourceline,
                parent=parent,
                position=parent.children if parent else 1,
                internal=element.get("audience") == "internal",
            )
        )
        return out

    def end(self, element):
        """What an element's end makes: a component's row, or a notice."""
        name = self.open.pop()
        stack = self.stack
        if stack and stack[-1].element is element:
            component = stack.pop()
            out = None if component.emitted else list(self.emit(component))
            self.discard(element)
            return out
        parent = element.getparent()
        if parent is None:
            return None
        if name in ("eadid", "recordid") and not self.eadid:
            self.eadid = _line(element)
        read = _READERS.get(name)
        # Most elements are inside a note (<p>, <emph>…): read with it later.
        owner = None if read is None and stack else self.owner(parent)
        if owner is not None:
            # An internal restriction is not shown, but it still restricts.
            internal = element.get("audience") == "internal"
            if read is not None and (not internal or name == "accessrestrict"):
                if owner.emitted:
                    message = (
                        _(
                            "<%(tag)s> comes after the components of "
                            "<%(parent)s>, too late to be read; put it before "
                            "them"
                        )
                        if name == "accessrestrict"
                        else _(
                            "<%(tag)s> comes after the components of "
                            "<%(parent)s>, too late to be read; it was left out"
                        )
                    ) % {"tag": name, "parent": owner.name}
                    where = self.where(element.sourceline)
                    self.discard(element)
                    return [
                        Problem(where, name, message)
                        if name == "accessrestrict"
                        else Notice(where, name, message, kind="late-element")
                    ]
                read(self, owner, element)
            self.discard(element)
        elif parent.getparent() is None:
            self.discard(element)  # eadheader, control, frontmatter
        return None

    def owner(self, parent):
        """The component whose description `parent` holds, if any."""
        if not self.stack:
            return None
        component = self.stack[-1]
        if parent is component.element:
            return component
        if self.local(parent) == "descgrp" and parent.getparent() is component.element:
            return component
        return None

    @staticmethod
    def discard(element):
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]

    # Descriptive elements --------------------------------------------------

    def read_did(self, component, did):
        for child in did:
            name = self.local(child)
            if name is None or child.get("audience") == "internal":
                continue
            if name == "unitid":
                kind = child.get("type") or child.get("localtype") or child.get("label")
                if (kind or "").strip().lower() in DOCUMENT_NUMBER:
                    component.document_number = _line(child)
                elif kind and SYSTEM_IDENTIFIER.search(kind):
                    continue
                elif not component.unitid:
                    component.unitid = _line(child)
            elif name == "unittitle":
                self.read_unittitle(component, child)
            elif name in ("unitdate", "unitdatestructured"):
                self.read_date(component, child)
            elif name == "origination":
                component.creators += self.names_in(child)
            elif name in ("physdesc", "physdescstructured", "physdescset"):
                self.read_extent(component, child)
            elif name == "langmaterial":
                self.read_languages(component, child)
            elif name in ("note", "didnote"):
                self.read_note(component, child)
            elif name == "abstract":
                component.abstract += _formatted(child, self.local)
            elif name in ("dao", "daogrp", "daoset"):
                self.read_dao(component, child)
            elif name == "container":
                self.read_container(component, child)
            elif name == "physloc":
                component.locations.append(_line(child))
        if not component.dates:
            # EAD 2002 lets the date live inside the title.
            for title in did.iter(f"{self.prefix}unittitle"):
                for date in title.iter(f"{self.prefix}unitdate"):
                    self.read_date(component, date)

    def read_unittitle(self, component, element):
        text = _line(element)
        if not text:
            return
        language = (
            element.get(XML_LANG) or element.get("lang") or element.get("type") or ""
        )
        if language.strip().lower() in ENGLISH:
            component.title_en = component.title_en or text
        else:
            component.titles.append(text)

    def read_date(self, component, element):
        if "bulk" in (element.get("type"), element.get("unitdatetype")):
            # Kept as written; the inclusive dates bound the record.
            text = _line(element) or _normal_of(element)
            if text:
                component.bulk.append(text)
            return
        try:
            if self.local(element) == "unitdatestructured":
                expression, start, end = self.structured_date(element)
            else:
                expression = _line(element)
                start = end = None
                if element.get("normal"):
                    start, end = normal_dates(element.get("normal"))
                    expression = expression or element.get("normal")
        except ValueError:
            component.problems.append(
                Notice(
                    self.where(element.sourceline),
                    self.local(element),
                    _(
                        "cannot read the normalised date %(date)r: the date is "
                        "kept as written, without a normalised range"
                    )
                    % {"date": _normal_of(element)},
                    kind="date",
                )
            )
            expression = _line(element)
            if expression:
                component.dates.append((expression, None, None))
            return
        component.dates.append((expression, start, end))

    def structured_date(self, element):
        starts, ends, texts = [], [], []
        for node in element.iter():
            name = self.local(node)
            if name not in ("datesingle", "fromdate", "todate"):
                continue
            texts.append(_line(node))
            value = node.get("standarddate") or node.get("notbefore")
            if name == "datesingle":
                if value:
                    start, end = normal_dates(value)
                    starts.append(start)
                    ends.append(end)
            elif name == "fromdate" and value:
                starts.append(normal_dates(value)[0])
            elif name == "todate" and (value or node.get("notafter")):
                ends.append(normal_dates(value or node.get("notafter"))[1])
        expression = element.get("altrender") or "-".join(t for t in texts if t)
        return (
            expression,
            min(starts) if starts else None,
            max(ends) if ends else None,
        )

    def names_in(self, element):
        named = [
            _line(child)
            for child in element
            if self.local(child) in ("persname", "corpname", "famname", "name")
            and child.get("audience") != "internal"
        ]
        named = [name for name in named if name]
        return named or [text for text in [_line(element)] if text]

    def read_extent(self, component, element):
        name = self.local(element)
        if name == "physdescset":
            for child in element:
                if self.local(child) == "physdescstructured":
                    self.read_extent(component, child)
            return
        if name == "physdescstructured":
            quantity = unit = ""
            for child in element:
                if self.local(child) == "quantity":
                    quantity = _line(child)
                elif self.local(child) == "unittype":
                    unit = _line(child)
            space = "" if re.match(f"[{_CJK}]", unit) else " "
            extents = [f"{quantity}{space}{unit}".strip()]
        else:
            extents = [
                _line(child) for child in element if self.local(child) == "extent"
            ] or [_line(element)]
        for extent in filter(None, extents):
            component.extents.append(extent)
            pages = _PAGES.match(extent)
            if pages and component.page_count is None:
                component.page_count = int(pages.group(1))

    def read_languages(self, component, element):
        languages = [
            _line(node) or node.get("langcode", "")
            for node in element.iter(f"{self.prefix}language")
        ]
        component.languages += [language for language in languages if language] or list(
            filter(None, [_line(element)])
        )

    def read_scope(self, component, element):
        component.scope += _formatted(element, self.local)

    def read_note(self, component, element):
        component.notes += _formatted(element, self.local)

    def read_access(self, component, element):
        """Each paragraph (or the whole text) is one statement, its heading
        left out; a type attribute speaks too."""
        statements = [
            value.strip()
            for value in (element.get("type"), element.get("localtype"))
            if value and value.strip()
        ]
        statements += _blocks(element, self.local, internal_too=True)
        component.access.extend(statements or [""])
        for node in element.iter():
            value = node.get("normal") or node.get("standarddate")
            if self.local(node) not in ("date", "datesingle") or not value:
                continue
            try:
                component.openings.append(normal_dates(value)[0])
            except ValueError:
                component.problems.append(
                    self.problem(
                        node,
                        "accessrestrict",
                        _("cannot read the normalised date %(date)r") % {"date": value},
                    )
                )

    def read_container(self, component, element):
        kind = element.get("type") or element.get("localtype") or ""
        text = _line(element)
        if text:
            component.containers.append(f"{kind.strip().title()} {text}".strip())

    def read_field_note(self, component, element):
        name = EAD_NOTES[self.local(element)]
        component.notes_by_field.setdefault(name, []).extend(
            _formatted(element, self.local)
        )

    def read_controlaccess(self, component, element):
        fields = {
            "subject": component.subjects,
            "corpname": component.subjects,
            "function": component.subjects,
            "genreform": component.subjects,
            "occupation": component.subjects,
            "persname": component.names,
            "famname": component.names,
            "geogname": component.places,
        }
        for node in element.iter():
            target = fields.get(self.local(node))
            if target is not None and node.get("audience") != "internal":
                text = _line(node)
                if text and text not in target:
                    target.append(text)

    def read_dao(self, component, element):
        for node in element.iter():
            if (
                self.local(node) not in ("dao", "daoloc")
                or node.get("audience") == "internal"
            ):
                continue
            href = (node.get(f"{XLINK}href") or node.get("href") or "").strip()
            if href and _URL.match(href):
                # A copy held elsewhere: linked to, never fetched.
                if href.lower().startswith(("http://", "https://")):
                    title = (
                        node.get(f"{XLINK}title")
                        or node.get("linktitle")
                        or node.get("title")
                        or _line(node)
                    )
                    link = {"href": href, "title": title or ""}
                    if link not in component.links:
                        component.links.append(link)
                continue
            if not href:
                continue
            role = " ".join(
                node.get(attribute) or ""
                for attribute in (
                    f"{XLINK}role",
                    "role",
                    "linkrole",
                    "localtype",
                    "otherdaotype",
                )
            )
            suffix = Path(href).suffix.lower()
            text_only = suffix == ".txt" or bool(_FULL_TEXT_ROLE.search(role))
            if text_only or suffix == ".pdf":
                component.texts.append((node.sourceline, href))
            if not text_only:
                label = (
                    node.get(f"{XLINK}title")
                    or node.get("title")
                    or node.get("linktitle")
                    or _line(node)
                )
                component.objects.append(
                    (node.sourceline, DigitalObjectRow(href, label=label or ""))
                )

    # Rows ------------------------------------------------------------------

    def emit(self, component):
        component.emitted = True
        parent = component.parent
        problems = component.problems
        component.level = self.level_of(component)
        component.code = self.code_of(component)

        title = component.titles[0] if component.titles else component.title_en
        if not title:
            title = self.title_in_place_of_one(component)
        row = RecordRow(
            location=self.where(component.line),
            reference_code=component.code,
            level=component.level,
            title=title,
            parent_reference=parent.code
            if parent
            else _parent_code(component, component.level),
            # Decided by the import from the words; a component marked for
            # internal use is closed whatever they say. Without words it
            # takes its parent's status.
            access_words=component.access,
            access_field="accessrestrict",
            access_status=AccessStatus.CLOSED if component.internal else "",
            opening_date=max(component.openings, default=None),
            document_number=component.document_number,
            title_en=component.title_en,
            creators=_unique(component.creators),
            extent="; ".join(_unique(component.extents)),
            page_count=component.page_count,
            subjects=component.subjects,
            names=component.names,
            places=component.places,
            scope_and_content="\n\n".join(component.scope or component.abstract),
            notes="\n\n".join(component.notes),
            language=_join_names(_unique(component.languages)),
            physical_location="; ".join(
                _unique([", ".join(component.containers), *component.locations])
            ),
            external_links=component.links,
            position=component.position,
        )
        for name, paragraphs in component.notes_by_field.items():
            setattr(row, name, "\n\n".join(paragraphs))
        if component.dates or component.bulk:
            row.date_expression = "; ".join(
                _unique([text for text, _start, _end in component.dates])
                + [_("bulk %(dates)s") % {"dates": text} for text in component.bulk]
            )
            starts = [start for _text, start, _end in component.dates if start]
            ends = [end for _text, _start, end in component.dates if end]
            row.date_start = min(starts) if starts else None
            row.date_end = max(ends) if ends else None
        limit = Record._meta.get_field("document_number").max_length
        if len(row.document_number) > limit:
            problems.append(
                self.problem(
                    component.line,
                    "unitid",
                    _("longer than %(max)d characters") % {"max": limit},
                )
            )
        if not component.internal:
            # Files are read for rows that may be open; the import decides.
            self.attach(component, row, problems)

        yield from problems
        if not any(isinstance(p, Problem) for p in problems):
            yield row

    def title_in_place_of_one(self, component):
        """DACS lets a component be named by its date alone; what a finding
        aid shows instead of a title is its title here, and said so."""
        stand_in = (
            "; ".join(_unique([text for text, _start, _end in component.dates]))
            or ", ".join(component.containers)
            or next((link["title"] for link in component.links if link["title"]), "")
        )
        if stand_in:
            component.problems.append(
                Notice(
                    self.where(component.line),
                    "unittitle",
                    _("no title; %(title)r stands in for it") % {"title": stand_in},
                    kind="untitled",
                )
            )
        return stand_in

    def level_of(self, component):
        """The component's level; inferred from its place when it has none
        the catalogue knows, and said so."""
        element = component.element
        written = (element.get("level") or "").strip()
        if written == "otherlevel":
            written = (element.get("otherlevel") or "").strip() or written
        found = level_of(written)
        if found is not None:
            return found
        parent = component.parent
        found = LEVEL_BELOW[parent.level if parent else None]
        component.problems.append(
            Notice(
                self.where(component.line),
                component.name,
                (
                    _("the level %(level)r is not one the catalogue knows")
                    % {"level": written}
                    if written
                    else _("the component has no level")
                )
                + _("; read as %(level)s from its place in the tree")
                % {"level": Level(found).label},
                kind="inferred-level",
            )
        )
        return found

    def code_of(self, component):
        """The component's reference code: its unitid, continued from its
        parent's; without a usable one, its parent's code and its position
        (the same on every import of the same file), and said so."""
        parent = component.parent.code if component.parent else ""
        if component.unitid:
            own = reference.normalise(component.unitid)
            # A unitid may hold only the component's own part ("001") or the
            # whole reference code ("J0001-001"); both give the same code.
            if parent and own != parent and not own.startswith(parent + "-"):
                own = f"{parent}-{own}"
            try:
                code = reference.parse(own).code
                siblings = component.parent.child_codes if component.parent else set()
                if code not in siblings:
                    siblings.add(code)
                    return code
                why = _("the unitid %(unitid)r is used by an earlier sibling") % {
                    "unitid": component.unitid
                }
            except reference.InvalidReferenceCode as error:
                why = _(
                    "the unitid %(unitid)r cannot be a reference code (%(error)s)"
                ) % {
                    "unitid": component.unitid,
                    "error": error,
                }
        else:
            why = _("no <unitid>")
        if parent:
            code = f"{parent}-{component.position:04d}"
            component.parent.child_codes.add(code)
        elif self.eadid and _usable(self.eadid):
            code = reference.parse(self.eadid).code
        else:
            component.problems.append(
                self.problem(
                    component.line,
                    "unitid",
                    _(
                        "no <unitid> on <archdesc> and no usable <eadid>: the "
                        "fonds needs a reference code"
                    ),
                )
            )
            return ""
        component.problems.append(
            Notice(
                self.where(component.line),
                "unitid",
                why + _("; its reference code is %(code)s") % {"code": code},
                kind="derived-code",
            )
        )
        return code

    def attach(self, component, row, problems):
        if self.bundle is None and (component.objects or component.texts):
            # A finding aid exported alone links files it does not carry: the
            # description is imported, the files wait for a bundle.
            line = (component.objects or component.texts)[0][0]
            problems.append(
                Notice(
                    self.where(line),
                    "dao",
                    _(
                        "files are linked but none came with the import: the "
                        "record is imported without them"
                    ),
                    kind="files-not-imported",
                )
            )
            return
        row.digital_objects = [item for _line_number, item in component.objects]
        if not component.texts:
            return
        line = component.texts[0][0]
        if self.bundle is None:
            problems.append(
                self.problem(
                    line,
                    "dao",
                    _("full text is referenced but no files came with the import"),
                )
            )
            return
        pages, missing = pages_from_files(
            self.bundle, [href for _line_number, href in component.texts], row.location
        )
        problems += missing
        if not any(page.text for page in pages):
            return  # a scanned PDF without a text layer
        images = [
            item.path
            for item in row.digital_objects
            if Path(item.path).suffix.lower() != ".pdf"
        ]
        pdfs = len(images) != len(row.digital_objects)
        if not pdfs and len(images) == len(pages):
            # One text per scan, in order: show each page's text beside it.
            pages = [
                PageRow(page.page_number, page.text, image=image)
                for page, image in zip(pages, images, strict=True)
            ]
        row.pages = pages


_READERS = {
    "did": _Reader.read_did,
    "scopecontent": _Reader.read_scope,
    "accessrestrict": _Reader.read_access,
    "odd": _Reader.read_note,
    "note": _Reader.read_note,
    "controlaccess": _Reader.read_controlaccess,
    "langmaterial": _Reader.read_languages,
    "dao": _Reader.read_dao,
    "daogrp": _Reader.read_dao,
    "daoset": _Reader.read_dao,
    # The ISAD(G) notes the field registry names by their EAD element.
    **{
        tag: _Reader.read_field_note
        for tag in EAD_NOTES
        if tag not in ("scopecontent", "odd")
    },
}


# Values ----------------------------------------------------------------------


def _parent_code(component, level):
    """A finding aid for a series or a file sits under a record the catalogue
    already has: its code less the last part."""
    if level in ("", Level.FONDS) or "-" not in component.code:
        return ""
    return component.code.rsplit("-", 1)[0]


def _usable(identifier):
    try:
        reference.parse(identifier)
    except reference.InvalidReferenceCode:
        return False
    return True


def _normal_of(element):
    if element.get("normal"):
        return element.get("normal")
    return " ".join(
        node.get("standarddate") or node.get("notbefore") or node.get("notafter") or ""
        for node in element.iter()
    ).strip()


def _pieces(element, internal_too=False, leave_out=()):
    if element.get("audience") == "internal" and not internal_too:
        return
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child, etree._Entity):
            yield _entity(child.name)
        elif isinstance(child.tag, str) and child not in leave_out:
            yield from _pieces(child, internal_too)
        if child.tail:
            yield child.tail


def _entity(name):
    character = html.entities.html5.get(name + ";")
    return character if character is not None else f"&{name};"


def _line(element, internal_too=False):
    """An element's text on one line: spaces collapsed, and none left
    between Chinese characters, where a line break in the file means nothing."""
    text = " ".join("".join(_pieces(element, internal_too)).split())
    return _CJK_GAP.sub("", text)


def _blocks(element, local, internal_too=False):
    """Paragraphs of a note-like element, its heading left out (an access
    statement reads its internal parts too: they restrict, unseen)."""
    children = [child for child in element if local(child) not in ("head", None)]
    if not any(local(child) in _BLOCK_ELEMENTS for child in children):
        # Text with inline markup (EAD3 didnote, a bare note): one paragraph,
        # without its heading.
        heading = [child for child in element if local(child) == "head"]
        text = "".join(_pieces(element, internal_too, leave_out=heading))
        block = _CJK_GAP.sub("", " ".join(text.split()))
        return [block] if block else []
    return [
        block for block in (_line(child, internal_too) for child in children) if block
    ]


# Formatted text ----------------------------------------------------------------
#
# Notes keep the structure of their mixed content as plain text, never markup
# (docs/importing-ead.md shows it): paragraphs are parted by a blank line, lines
# by a line break (<lb/>; several in a row are one); a list, chronology, table
# or address is a paragraph of lines, its heading first: list items start
# "• " (ordered lists "1. "), a definition list's "• label: item", chronology
# items read "date — event" (several events parted by "; "), table rows their
# cells parted by " | "; a heading is a paragraph of its own, left out when it
# only names the note; a note inside a paragraph is read in brackets; a link's
# text is followed by its address in brackets when that is on the web (http,
# https), and any other address is left out; emphasis, titles and names are
# their text. Whatever else an element is, only its text is kept: a <script>
# or HTML in a CDATA section are characters, shown escaped. The record page
# shows paragraphs and lines (Django's linebreaks on escaped text); the EAD
# export writes them back as <p> and <lb/> (catalogue/exports.py).

_BULLET = "• "
_WEB = ("http://", "https://")
# Elements that hold paragraphs (quotations, notes within notes): each is a
# paragraph or more of its own.
_PARAGRAPHS = frozenset(
    [
        "blockquote",
        "div",
        "descgrp",
        "odd",
        "accessrestrict",
        "appraisal",
        "accruals",
        "altformavail",
        "originalsloc",
        "phystech",
        "fileplan",
        "separatedmaterial",
        "bibliography",
        "scopecontent",
        *EAD_NOTES,
    ]
)
# Headings that only say which note this is, by EAD element, as ArchivesSpace,
# Archivists' Toolkit and Chinese finding aids write them; the field's own
# names (its label in both languages, its ISAD(G) element) are added to them.
_USUAL_HEADINGS = {
    "scopecontent": [
        "Scope and Contents",
        "Scope",
        "Contents",
        "Description",
        "Summary",
        "内容提要",
        "范围和提要",
        "内容简介",
        "内容",
    ],
    "bioghist": [
        "Biographical / Historical",
        "Biographical",
        "Historical",
        "Biography",
        "History",
        "Biographical Sketch",
        "Historical Sketch",
        "Administrative History",
        "Agency History",
        "Organizational History",
        "立档单位简介",
        "机构沿革",
        "历史沿革",
        "沿革",
        "生平",
    ],
    "custodhist": ["Custodial History", "Provenance", "保管沿革"],
    "acqinfo": [
        "Source of Acquisition",
        "Acquisition",
        "Provenance",
        "档案来源",
        "来源",
    ],
    "arrangement": [
        "Arrangement",
        "Organization and Arrangement",
        "Organization",
        "整理说明",
        "排列方式",
    ],
    "userestrict": [
        "Conditions Governing Use",
        "Conditions Governing Reproduction and Use",
        "Terms Governing Use and Reproduction",
        "Use Restrictions",
        "Restrictions on Use",
        "利用条件",
        "复制条件",
    ],
    "relatedmaterial": [
        "Related Materials",
        "Related Archival Materials",
        "相关档案",
        "相关材料",
    ],
    "otherfindaid": ["Other Finding Aids", "检索工具"],
    "prefercite": ["Citation", "引用格式"],
    "processinfo": ["Processing", "Archivist's Note", "整理信息"],
    "odd": ["General", "General Note", "Other Descriptive Data", "附注", "备注"],
    "note": ["General", "General Note", "附注", "备注"],
}
# A note inside a paragraph is read in brackets, in its place; one of these
# holds it as a paragraph of its own.
_NOTE_HOLDERS = _PARAGRAPHS | {"item"}
_HEADING_FILLER = frozenset(["note", "notes", "information", "statement"])
_WORDS = re.compile(r"\w+")


def _heading_key(text):
    """A heading as compared: case, punctuation, plurals and a trailing "note"
    or "information" do not count."""
    words = [
        word[:-1] if len(word) > 3 and word.endswith("s") else word
        for word in _WORDS.findall(text.casefold().replace("&", " and "))
    ]
    while len(words) > 1 and words[-1] in _HEADING_FILLER:
        words.pop()
    return " ".join(words)


@functools.cache
def _usual_headings():
    """Heading keys by EAD element: the table above and the field's names."""
    found = {}
    for tag, headings in {**{tag: [] for tag in EAD_NOTES}, **_USUAL_HEADINGS}.items():
        names = list(headings)
        field_name = EAD_NOTES.get(tag)
        if field_name is not None:
            model_field = Record._meta.get_field(field_name)
            names.append(BY_NAME[field_name].isad.lstrip("0123456789. "))
            with translation.override("en"):
                names.append(str(model_field.verbose_name))
            with translation.override("zh-hans"):
                names.append(str(model_field.verbose_name))
        found[tag] = frozenset(_heading_key(str(name)) for name in names)
    return found


def _is_usual_heading(tag, element):
    return _heading_key(_line(element)) in _usual_headings().get(tag, ())


_IN_PARAGRAPH, _IN_LINE, _IN_CELL = 0, 1, 2


class _Formatted:
    """Formatted text being written: paragraphs, the current paragraph's
    lines, the current line's pieces."""

    __slots__ = ("paragraphs", "lines", "pieces", "prefix", "within", "local")

    def __init__(self, local):
        self.paragraphs = []
        self.lines = []
        self.pieces = []
        self.prefix = ""  # a list item's mark, for its first line
        self.within = _IN_PARAGRAPH
        self.local = local

    def end_line(self):
        if self.pieces:
            text = _clean("".join(self.pieces))
            self.pieces = []
            if text:
                self.lines.append(self.prefix + text)
                self.prefix = ""

    def end_paragraph(self):
        self.end_line()
        if self.lines:
            self.paragraphs.append("\n".join(self.lines))
            self.lines = []

    def new_line(self):
        """A line break, where lines can be: in a table cell, a space."""
        if self.within == _IN_CELL:
            self.pieces.append(" ")
        else:
            self.end_line()

    def boundary(self):
        """Where a paragraph starts or ends: in a list item, a line."""
        if self.within == _IN_PARAGRAPH:
            self.end_paragraph()
        else:
            self.new_line()

    def mark(self, prefix):
        self.new_line()
        if self.within == _IN_CELL:
            self.pieces.append(prefix)
        else:
            self.prefix = prefix

    def written_since(self, start):
        return _clean("".join(self.pieces[start:]))

    # Elements ----------------------------------------------------------------

    def content(self, element, leave_out=None):
        """An element's text and children, in order."""
        if element.text:
            self.pieces.append(element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                if child.get("audience") != "internal" and child is not leave_out:
                    write = _WRITERS.get(self.local(child))
                    if write is not None:
                        write(self, child)
                    elif child.get(f"{XLINK}href") or child.get("href"):
                        self.link(child)
                    else:
                        self.content(child)
            elif isinstance(child, etree._Entity):
                self.pieces.append(_entity(child.name))
            if child.tail:
                self.pieces.append(child.tail)

    def children(self, element):
        """The element's children that are shown, with their EAD names."""
        local = self.local
        return [
            (local(child), child)
            for child in element
            if isinstance(child.tag, str) and child.get("audience") != "internal"
        ]

    def paragraph(self, element):
        self.boundary()
        self.content(element)
        self.boundary()

    def note(self, element):
        """A note beside paragraphs is one; inside one, it is read in
        brackets where it stands: "Damaged by water (restored in 1990)"."""
        if self.local(element.getparent()) in _NOTE_HOLDERS:
            self.paragraph(element)
            return
        within, self.within = self.within, _IN_CELL
        start = len(self.pieces)
        self.content(element)
        text = self.written_since(start)
        del self.pieces[start:]
        self.within = within
        if text:
            self.pieces.append(f" ({text}) ")

    def line_break(self, _element):
        self.new_line()

    def heading(self, element):
        self.boundary()
        self.content(element)
        self.boundary()

    def link(self, element):
        """A link's text, and its address when that is on the web."""
        start = len(self.pieces)
        pieces = self.pieces
        self.content(element)
        href = (element.get(f"{XLINK}href") or element.get("href") or "").strip()
        if not href.lower().startswith(_WEB):
            return
        shown = self.written_since(start) if self.pieces is pieces else ""
        if shown != href:
            self.pieces.append(f" ({href})" if shown else f" {href}")

    def part(self, element):
        # EAD3 names come in parts: "Charlton Faith", not "CharltonFaith".
        before = element.getprevious()
        if before is not None and self.local(before) == "part":
            self.pieces.append(" ")
        self.content(element)

    def lines_of(self, element, write_child):
        """A list, chronology, table or address: a paragraph of lines."""
        self.boundary()
        within = self.within
        if within == _IN_PARAGRAPH:
            self.within = _IN_LINE
        for name, child in self.children(element):
            if name == "head":
                self.new_line()
                self.content(child)
                self.new_line()
            else:
                write_child(name, child)
        self.new_line()
        self.prefix = ""
        self.within = within
        self.boundary()

    def list(self, element):
        ordered = (element.get("type") or element.get("listtype")) == "ordered"
        number = 0

        def item(name, child):
            nonlocal number
            if name not in ("item", "defitem"):
                return  # listhead: column headings of a definition list
            number += 1
            self.mark(f"{number}. " if ordered else _BULLET)
            if name == "item":
                self.content(child)
            else:
                self.definition(child)
            self.new_line()
            self.prefix = ""

        self.lines_of(element, item)

    def definition(self, element):
        for name, child in self.children(element):
            if name == "label":
                start = len(self.pieces)
                self.content(child)
                label = self.written_since(start)
                self.pieces.append(" " if label.endswith((":", "：")) else ": ")
            elif name == "item":
                self.content(child)

    def chronology(self, element):
        def item(name, child):
            if name != "chronitem":
                return
            self.new_line()
            self.chronology_item(child, [False, False])
            self.new_line()

        self.lines_of(element, item)

    def chronology_item(self, element, said):
        """Dates (and places) first, then " — " and the events."""
        dated, told = said
        for name, child in self.children(element):
            if name in ("eventgrp", "chronitemset"):
                said[:] = [dated, told]
                self.chronology_item(child, said)
                dated, told = said
                continue
            if name == "event":
                if told:
                    self.pieces.append(self.semicolon())
                elif dated:
                    self.pieces.append(" — ")
                told = True
            elif told:
                self.pieces.append(self.semicolon())
            elif dated:
                self.pieces.append(", ")
            else:
                dated = True
            self.content(child)
        said[:] = [dated, told]

    def semicolon(self):
        """Full-width after Chinese text (与海关合并；迁入新址), else "; "."""
        last = next((p for p in reversed(self.pieces) if p.strip()), "")
        return "；" if _CJK_END.search(last.rstrip()) else "; "

    def table(self, element):
        def group(name, child):
            if name == "tgroup":
                for part_name, part in self.children(child):
                    if part_name in ("thead", "tbody"):
                        for row_name, row in self.children(part):
                            if row_name == "row":
                                self.row(row)

        self.lines_of(element, group)

    def row(self, element):
        self.new_line()
        within, self.within = self.within, _IN_CELL
        cells = []
        for name, child in self.children(element):
            if name == "entry":
                start = len(self.pieces)
                self.content(child)
                cells.append(self.written_since(start))
                del self.pieces[start:]
        self.within = within
        if any(cells):
            self.pieces.append(" | ".join(cells))
        self.new_line()

    def address(self, element):
        """A paragraph of lines; inside a paragraph, one line ("…, contact
        New York University Archives, 70 Washington Square South")."""
        if self.local(element.getparent()) != "p":

            def address_line(_name, child):
                self.new_line()
                self.content(child)
                self.new_line()

            self.lines_of(element, address_line)
            return
        within, self.within = self.within, _IN_CELL
        lines = []
        for _name, child in self.children(element):
            start = len(self.pieces)
            self.content(child)
            lines.append(self.written_since(start))
            del self.pieces[start:]
        self.within = within
        self.pieces.append(", ".join(line for line in lines if line))


_WRITERS = {
    **dict.fromkeys(_PARAGRAPHS, _Formatted.paragraph),
    "p": _Formatted.paragraph,
    "note": _Formatted.note,
    "footnote": _Formatted.note,
    "head": _Formatted.heading,
    "lb": _Formatted.line_break,
    "list": _Formatted.list,
    "chronlist": _Formatted.chronology,
    "table": _Formatted.table,
    "address": _Formatted.address,
    "part": _Formatted.part,
}


def _formatted(element, local):
    """The paragraphs of a note-like element as formatted text, its heading
    left out when it only names the note."""
    out = _Formatted(local)
    heading = None
    for child in element:
        if isinstance(child.tag, str) and local(child) == "head":
            if _is_usual_heading(local(element), child):
                heading = child
            break
    out.content(element, leave_out=heading)
    out.end_paragraph()
    return out.paragraphs


def _clean(text):
    """Spaces collapsed, and none left between Chinese characters, where a
    line break in the file means nothing."""
    text = " ".join(text.split())
    return _CJK_GAP.sub("", text) if " " in text else text


def _unique(values):
    return list(dict.fromkeys(value for value in values if value))


def _join_names(values):
    latin = any(re.search("[A-Za-z]", value) for value in values)
    return (", " if latin else "、").join(values)
