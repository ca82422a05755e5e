"""CSV catalogues: our DA/T 18 template and AtoM's ISAD(G) template.

`read_csv` streams a file into `RecordRow`s and `Problem`s for
`import_records`. The header decides the dialect: a `legacyId` column means
AtoM's template, anything else is read as ours (docs/importing.md lists the
columns of both).

Memory stays flat in the size of the file: the bytes are decoded as a stream
and the csv module reads one row at a time. Lines and cells have a size limit,
so a hostile or broken file (one endless line, a 10 MB cell) ends with a
Problem rather than with the whole file in memory.

Row numbers are counted the way a spreadsheet shows them: the header is row 1.
"""

import codecs
import csv
import io
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from django.utils.translation import gettext as _

from catalogue import reference
from catalogue.dates import UNKNOWN_PARTS, DateError, parse_date, single_date
from catalogue.models import AccessStatus, Level, Record
from catalogue.vocabulary import level_of

from .base import (
    Bundle,
    DigitalObjectRow,
    Notice,
    Problem,
    RecordRow,
    guess_kind,
    header_location,
    parse_code,
    row_location,
    row_locator,
)
from .errors import os_error
from .fulltext import pages_from_files, read_ahead

# The encoding is decided on the first 64 KB; an all-ASCII start (an English
# header) is no evidence, so up to 1 MB is read to find a non-ASCII byte.
SAMPLE_SIZE = 64 * 1024
MAX_SAMPLE = 1024 * 1024
# A scope-and-content note of a fonds can be long, but not a million characters;
# page texts come in their own files.
MAX_CELL = 1_000_000
MAX_LINE = 4 * MAX_CELL
# Rows read before they are handled, for their full text to be read meanwhile.
READ_AHEAD = 512

# Record fields with a length limit in the database (PostgreSQL enforces it).
CHAR_LIMITS = {
    name: Record._meta.get_field(name).max_length
    for name in ("date_expression", "document_number", "retention_period")
    + ("classification", "extent", "language")
    if Record._meta.get_field(name).max_length
}

# The same limits by the column of our template that holds each field.
COLUMN_LIMITS = [
    ("date" if name == "date_expression" else name, limit)
    for name, limit in CHAR_LIMITS.items()
]
FONDS = Level.FONDS.value

# Our template: the DA/T 18 column name(s) of each field; the field's own name
# is its English alias.
TEMPLATE_COLUMNS = {
    "reference_code": ("档号",),
    "parent_reference": ("上级档号",),
    "level": ("层级", "著录层级", "著录层次"),
    "title": ("题名",),
    "title_en": ("英文题名",),
    "creators": ("责任者",),
    "date": ("日期",),
    "document_number": ("文件编号", "文号"),
    "retention_period": ("保管期限",),
    "classification": ("密级",),
    "extent": ("载体数量", "数量"),
    "page_count": ("页数",),
    "subjects": ("主题词",),
    "names": ("人名",),
    "places": ("地名",),
    "scope_and_content": ("范围和提要", "内容提要"),
    "notes": ("附注", "备注"),
    "language": ("语言", "语种"),
    "access_status": ("开放标识", "开放状态"),
    "opening_date": ("开放日期",),
    "digital_objects": ("数字化文件",),
    "full_text": ("全文",),
    "position": ("排序",),
}
TEMPLATE_REQUIRED = ("reference_code", "level", "title", "access_status")
# The header of the template offered for download (CSV and Excel alike): each
# column's DA/T 18 name.
TEMPLATE_HEADER = tuple(names[0] for names in TEMPLATE_COLUMNS.values())

KEY_SPACES = re.compile(r"[\s\-]+")
PAGES = re.compile(r"(\d+)\s*(?:页|p|pp|pages?)?\.?", re.IGNORECASE)
# Archivists separate several values with any of these.
MULTI_VALUE = re.compile(r"\s*[|｜;；、\n]\s*")
# Paths may contain 、 in Chinese file names, so it does not separate them.
PATH_LIST = re.compile(r"\s*[|｜;；\n]\s*")
# Text that no decoder produced (surrogate escapes) or that a text file never has.
UNREADABLE = re.compile("[\x00\udc80-\udcff]")

BINARY_SIGNATURES = {
    b"PK\x03\x04": "xlsx",
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
}


class _Stop(Exception):
    """Reading cannot go on; carries the problem that says why."""

    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


class _LineTooLong(Exception):
    pass


def read_csv(
    path, *, bundle: Bundle | None = None, location_name: str | None = None
) -> Iterator[RecordRow | Problem]:
    """Rows of a CSV catalogue, parents before children, and its problems."""
    path = Path(path)
    name = location_name or path.name
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Problem(
            name, "", _("cannot open the file: %(error)s") % {"error": os_error(error)}
        )
        return
    with handle:
        try:
            yield from _read(handle, name, bundle)
        except _Stop as stop:
            yield stop.problem
        except OSError as error:
            yield Problem(
                name,
                "",
                _("the file cannot be read: %(error)s") % {"error": os_error(error)},
            )


def count_rows(path) -> int | None:
    """How many rows below the header, for a progress bar; None if unreadable.

    One quick pass of the csv module, without reading the rows' meaning.
    """
    try:
        with Path(path).open("rb") as handle:
            reader, _encoding = _csv_reader(handle, Path(path).name)
            return max(sum(1 for cells in reader if any(cells)) - 1, 0)
    except (OSError, ValueError, csv.Error, _Stop, _LineTooLong):
        return None  # UnicodeDecodeError is a ValueError


def _csv_reader(handle, name):
    """A strict csv reader over the file in its detected encoding and delimiter."""
    encoding, first_line = _detect(handle, name)
    handle.seek(0)
    text = io.TextIOWrapper(
        handle, encoding=encoding, errors="surrogateescape", newline=""
    )
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # Process-wide, but every caller in this project wants the same bound.
    csv.field_size_limit(MAX_CELL)
    return csv.reader(_lines(text), delimiter=delimiter, strict=True), encoding


def _read(handle, name, bundle):
    reader, encoding = _csv_reader(handle, name)
    yield from read_cells(_records(reader, name, encoding), name, bundle)


def read_cells(records, name, bundle=None):
    """Rows of a catalogue table from (row number, cells), header first.

    Shared with the Excel reader: cells are strings, blank rows left out,
    numbered as the spreadsheet shows them. A reading problem raised by
    `records` (as `_Stop`) ends the rows with that problem.
    """
    try:
        try:
            _number, header = next(records)
        except StopIteration:
            raise _Stop(Problem(name, "", _("the file is empty"))) from None
        keys = [_key(cell) for cell in header]
        if "legacyid" in keys:
            yield from _atom(records, header, keys, name, bundle)
        else:
            yield from _template(records, header, keys, name, bundle)
    except _Stop as stop:
        yield stop.problem


def _detect(handle, name):
    """The file's encoding, decided on its beginning, and its first line."""
    sample = handle.read(SAMPLE_SIZE)
    while sample.isascii() and len(sample) < MAX_SAMPLE:
        more = handle.read(SAMPLE_SIZE)
        if not more:
            break
        sample += more
    complete = not handle.read(1)
    for signature, kind in BINARY_SIGNATURES.items():
        if sample.startswith(signature):
            message = (
                _("this is a PDF file, not a CSV file")
                if kind == "pdf"
                else _(
                    "this is an Excel workbook, not a CSV file: save it from "
                    "Excel as “CSV UTF-8”"
                )
            )
            raise _Stop(Problem(name, "", message))
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in sample:
            raise _Stop(
                Problem(
                    name,
                    "",
                    _(
                        "the file contains NUL bytes, so it is not a text CSV "
                        "file: save it as “CSV UTF-8”"
                    ),
                )
            )
        encoding = None
        for candidate in ("utf-8", "gb18030"):
            decoder = codecs.getincrementaldecoder(candidate)()
            try:
                decoder.decode(sample, final=complete)
            except UnicodeDecodeError:
                continue
            encoding = candidate
            break
        if encoding is None:
            raise _Stop(
                Problem(
                    name,
                    "",
                    _(
                        "the file is neither UTF-8 nor GB18030 text: save it "
                        "as “CSV UTF-8”"
                    ),
                )
            )
    first_line = sample.decode(encoding, errors="replace").split("\n", 1)[0]
    return encoding, first_line


def _lines(text):
    """The text's lines, refusing one longer than the limit rather than
    holding it in memory."""
    while line := text.readline(MAX_LINE):
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


def _records(reader, name, encoding):
    """(row number, cells) of each non-blank row; reading problems stop it."""
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Stop(_csv_problem(name, number, error)) from None
        except UnicodeDecodeError:
            # Decoding errors are escaped, but not every encoding can: UTF-16
            # cut short in the middle of a character.
            raise _Stop(
                Problem(
                    row_location(name, number),
                    "",
                    _("the row contains bytes that are not valid %(encoding)s text")
                    % {"encoding": _encoding_label(encoding)},
                )
            ) from None
        except _LineTooLong:
            raise _Stop(
                Problem(
                    row_location(name, number),
                    "",
                    _(
                        "a line is longer than %(limit)s characters: a cell is "
                        "too large, or this is not a CSV file"
                    )
                    % {"limit": f"{MAX_LINE:,}"},
                )
            ) from None
        joined = "\x1f".join(cells)
        bad = UNREADABLE.search(joined)
        if bad:
            char = bad.group()
            if char == "\x00":
                message = _("the row contains NUL bytes; this is not a text CSV file")
            else:
                message = _(
                    "the row contains bytes that are not valid %(encoding)s text"
                ) % {"encoding": _encoding_label(encoding)}
            # The whole file is suspect; one message for the first row says so.
            raise _Stop(Problem(row_location(name, number), "", message))
        if not joined.strip():  # every cell blank (\x1f is blank too)
            continue
        yield number, cells


def _encoding_label(encoding):
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030"}.get(
        encoding, encoding.upper()
    )


def _csv_problem(name, number, error):
    message = str(error)
    if "field larger than field limit" in message:
        message = _("a cell is longer than %(limit)s characters") % {
            "limit": f"{MAX_CELL:,}"
        }
    elif "unexpected end of data" in message:
        message = _(
            "a quoted cell starts in this row and is never closed: "
            "the file is cut short or a quote mark is missing"
        )
    elif "expected after" in message:
        message = _(
            'a quote mark in the middle of a quoted cell: double it ("") '
            "or quote the whole cell"
        )
    else:
        # The csv module's own words are English, whatever the report's.
        message = _(
            "the row is not valid CSV: check its quote marks and separators, or "
            "save the file again as “CSV UTF-8”"
        )
    return Problem(row_location(name, number), "", message)


def _key(cell):
    """A header cell as compared: width, case, spaces, required-marks folded."""
    text = unicodedata.normalize("NFKC", cell).replace("\ufeff", "")
    text = text.strip().strip("*").strip().casefold()
    return KEY_SPACES.sub("_", text)


def _split(value, pattern=MULTI_VALUE):
    """The values of a cell, each once, in their order."""
    if not value:
        return []
    parts = pattern.split(value)
    if len(parts) == 1:
        part = value.strip()
        return [part] if part else []
    return list(dict.fromkeys(part for part in map(str.strip, parts) if part))


def _values(value):
    """_split() of a multi-value cell (creators, subjects, names, places)."""
    return list(_values_once(value)) if value else []


# The same creators and subjects come back row after row of a fonds.
@lru_cache(maxsize=4096)
def _values_once(value):
    return tuple(_split(value))


def _columns_match(cells, width, location):
    """A problem when the row's cells do not line up with the header."""
    if len(cells) == width or (
        len(cells) > width and not any(c.strip() for c in cells[width:])
    ):
        return None
    return Problem(
        location,
        "",
        _("this row has %(found)d cells but the header has %(expected)d columns")
        % {"found": len(cells), "expected": width},
    )


# Our template ---------------------------------------------------------------


def _template_columns(header, keys, name):
    """{field: index} and {field: the column's name as written}, or problems."""
    aliases = {}
    for field_name, chinese in TEMPLATE_COLUMNS.items():
        aliases[field_name] = field_name
        for alias in chinese:
            aliases[_key(alias)] = field_name
    aliases["parent_reference_code"] = "parent_reference"
    index, written, problems = {}, {}, []
    location = header_location(name, 1)
    unknown = []
    for position, (cell, key) in enumerate(zip(header, keys, strict=True)):
        if not key:
            continue
        field_name = aliases.get(key)
        if field_name is None:
            unknown.append(cell)
            continue
        if field_name in index:
            problems.append(
                Problem(
                    location,
                    cell.strip(),
                    _("the same column as %(other)s") % {"other": written[field_name]},
                )
            )
            continue
        index[field_name] = position
        written[field_name] = cell.strip()
    if not index:
        return (
            None,
            None,
            [
                Problem(
                    location,
                    "",
                    _(
                        "no header row: the first row must name the columns, "
                        "e.g. 档号,层级,题名,开放标识"
                    ),
                )
            ],
        )
    for cell in unknown:
        problems.append(
            Problem(
                location,
                cell.strip(),
                _("unknown column; the template's columns are: %(columns)s")
                % {"columns": "、".join(c[0] for c in TEMPLATE_COLUMNS.values())},
            )
        )
    for field_name in TEMPLATE_REQUIRED:
        if field_name not in index:
            problems.append(
                Problem(
                    location,
                    TEMPLATE_COLUMNS[field_name][0],
                    _("this column is required (or its English name %(alias)s)")
                    % {"alias": field_name},
                )
            )
    return index, written, problems


def _template(records, header, keys, name, bundle):
    index, written, problems = _template_columns(header, keys, name)
    if problems:
        yield from problems
        return
    width = len(header)
    # Absent columns read as empty cells.
    empty = dict.fromkeys(TEMPLATE_COLUMNS, "")
    names = list(index)
    # The cells of the known columns at once: the required ones make at least
    # four, so itemgetter gives a tuple.
    pick = itemgetter(*index.values())
    located = row_locator(name)
    text_column = index.get("full_text")

    def handle(number, cells):
        location = located(number)
        mismatch = _columns_match(cells, width, location)
        if mismatch:
            return [mismatch]
        values = empty.copy()
        values.update(zip(names, map(str.strip, pick(cells)), strict=True))
        row = _template_row(values, written, location, bundle)
        return [row] if isinstance(row, RecordRow) else row

    if bundle is None or text_column is None:
        for number, cells in records:
            yield from handle(number, cells)
        return
    # Rows are handled READ_AHEAD rows after they are read, so that the system
    # reads their full-text files in meanwhile.
    window = deque()
    stopped = None
    try:
        for number, cells in records:
            if len(cells) > text_column and cells[text_column].strip():
                for relative in _split(cells[text_column], PATH_LIST):
                    read_ahead(bundle, relative)
            window.append((number, cells))
            if len(window) > READ_AHEAD:
                yield from handle(*window.popleft())
    except _Stop as stop:
        stopped = stop  # the rows read before the one that stops reading count
    while window:
        yield from handle(*window.popleft())
    if stopped is not None:
        raise stopped


def _whole_number(text):
    text = unicodedata.normalize("NFKC", text)
    return int(text) if text.isdigit() else None


def _template_row(values, written, location, bundle):
    """A RecordRow, or the list of problems that stop the row."""
    problems = []
    code = values["reference_code"]

    def problem(field_name, message):
        problems.append(Problem(location, written[field_name], message, code))

    parsed = None
    if not code:
        problem("reference_code", _("a reference code is required"))
    else:
        try:
            parsed = parse_code(code)
        except reference.InvalidReferenceCode as error:
            problem("reference_code", str(error))

    level = level_of(values["level"])
    if level is None:
        problem(
            "level",
            _("unknown level %(level)r; use 全宗, 目录, 案卷 or 件")
            % {"level": values["level"]},
        )

    if not values["title"]:
        problem("title", _("a title is required"))

    parent = values["parent_reference"]
    if parent:
        try:
            parent = parse_code(parent)[0]
        except reference.InvalidReferenceCode as error:
            problem("parent_reference", str(error))
    elif parsed and level and level != FONDS:
        # A child's code is its parent's plus one part: J0001-001 is in J0001.
        if "-" in parsed[0]:
            parent = parsed[0].rsplit("-", 1)[0]
        else:
            problem(
                "parent_reference" if "parent_reference" in written else "level",
                _(
                    "only a fonds stands alone: give the parent's reference "
                    "code (上级档号), or a code that continues it such as "
                    "%(example)s"
                )
                % {"example": "J0001-001"},
            )

    date_start = date_end = None
    if values["date"]:
        try:
            date_start, date_end = parse_date(values["date"])
        except DateError:
            problem(
                "date",
                _(
                    "cannot read the date %(date)r; write it as 1956, 1956-03, "
                    "1956-03-12, 19560312, 1956年3月12日 or a range 1949-1956"
                )
                % {"date": values["date"]},
            )
    opening_date = None
    if values["opening_date"]:
        try:
            opening_date = parse_date(values["opening_date"])[0]
        except DateError:
            problem(
                "opening_date",
                _("cannot read the date %(date)r; write it as 2030-01-01")
                % {"date": values["opening_date"]},
            )

    page_count = None
    if values["page_count"]:
        page_count = _whole_number(values["page_count"])
        if page_count is None:
            match = PAGES.fullmatch(unicodedata.normalize("NFKC", values["page_count"]))
            if match:
                page_count = int(match.group(1))
            else:
                problem("page_count", _("the number of pages must be a whole number"))
    position = 0
    if values["position"]:
        position = _whole_number(values["position"])
        if position is None:
            problem("position", _("the position must be a whole number"))

    for column, limit in COLUMN_LIMITS:
        if len(values[column]) > limit:
            problem(column, _("longer than %(max)d characters") % {"max": limit})

    digital_objects = []
    pages = []
    if values["digital_objects"]:
        digital_objects = [
            DigitalObjectRow(path=p)
            for p in _split(values["digital_objects"], PATH_LIST)
        ]
    if values["full_text"]:
        texts = _split(values["full_text"], PATH_LIST)
        if bundle is None:
            problem(
                "full_text",
                _("files are referenced but none came with the import"),
            )
        else:
            pages, text_problems = pages_from_files(bundle, texts, location)
            problems += [
                Problem(p.location, written["full_text"], p.message, code)
                for p in text_problems
            ]
            _pair_pages(pages, digital_objects, texts)

    if problems:
        return problems
    return RecordRow(
        location=location,
        reference_code=code,
        parent_reference=parent,
        level=level,
        title=values["title"],
        access_words=[values["access_status"]] if values["access_status"] else [],
        access_field=written["access_status"],
        opening_date=opening_date,
        title_en=values["title_en"],
        creators=_values(values["creators"]),
        date_expression=values["date"],
        date_start=date_start,
        date_end=date_end,
        document_number=values["document_number"],
        retention_period=values["retention_period"],
        classification=values["classification"],
        extent=values["extent"],
        page_count=page_count,
        subjects=_values(values["subjects"]),
        names=_values(values["names"]),
        places=_values(values["places"]),
        scope_and_content=values["scope_and_content"],
        notes=values["notes"],
        language=values["language"],
        position=position,
        digital_objects=digital_objects,
        pages=pages,
    )


def _pair_pages(pages, digital_objects, texts):
    """Put each page's text beside its page image when the two line up."""
    images = [d.path for d in digital_objects if guess_kind(d.path) == "image"]
    if images and len(images) == len(pages):
        for page, image in zip(pages, images, strict=True):
            page.image = image
    elif len(texts) == 1 and texts[0] in {d.path for d in digital_objects}:
        # The text layer of a PDF that is also the record's digital object.
        for page in pages:
            page.image = texts[0]


def template_csv(rows=()) -> bytes:
    """Our template as a CSV file for editors to download and fill in: UTF-8
    with the BOM Excel needs to read Chinese, the header (TEMPLATE_HEADER) and
    `rows`, dicts by field name (xlsx.TEMPLATE_EXAMPLES)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    for row in rows:
        writer.writerow(
            [
                "" if row.get(name) is None else str(row[name])
                for name in TEMPLATE_COLUMNS
            ]
        )
    return codecs.BOM_UTF8 + text.getvalue().encode("utf-8")


# AtoM's ISAD(G) template ----------------------------------------------------


# AtoM's RAD template (and older AtoM exports) name the creation event's
# columns as they were before AtoM had events of other kinds.
ATOM_OLD_NAMES = {
    "creators": "eventactors",
    "creatorhistories": "eventactorhistories",
    "creationdates": "eventdates",
    "creationdatesstart": "eventstartdates",
    "creationdatesend": "eventenddates",
}


def _atom(records, header, keys, name, bundle):
    index = {}
    for position, key in enumerate(keys):
        index.setdefault(key, position)
    for old, new in ATOM_OLD_NAMES.items():
        if old in index and new not in index:
            index[new] = index[old]
    location = header_location(name, 1)
    missing = [
        Problem(location, column, _("this column of AtoM's template is required"))
        for column in ("identifier", "title", "levelOfDescription")
        if column.casefold() not in index
    ]
    if missing:
        yield from missing
        return
    # Translations of a description follow it with the same legacyId.
    reader = _AtomReader(index, name)
    group = []
    for number, cells in records:
        mismatch = _columns_match(cells, len(header), reader.located(number))
        if mismatch:
            yield mismatch
            continue
        values = reader.values(cells)
        legacy = values.get("legacyid", "")
        if group and (not legacy or legacy != group[0][1].get("legacyid")):
            yield from reader.flush(group)
            group = []
        group.append((number, values))
    if group:
        yield from reader.flush(group)


# The columns an AtoM translation row may hold besides its title: the portal
# keeps one language of them, the original's (an English title is its own
# field), so the editor is told what is left.
TRANSLATED_COLUMNS = (
    "scopeAndContent",
    "extentAndMedium",
    "archivalHistory",
    "acquisition",
    "arrangement",
    "reproductionConditions",
    "relatedUnitsOfDescription",
    "findingAids",
    "generalNote",
    "archivistNote",
    "eventActorHistories",
    "locationOfOriginals",
    "physicalObjectLocation",
)


class _AtomReader:
    def __init__(self, index, name):
        self.index = index
        self.name = name
        self.located = row_locator(name)
        # legacyId -> reference code (None when the row could not give one).
        self.codes = {}

    def values(self, cells):
        values = {}
        for key, position in self.index.items():
            value = cells[position].strip()
            values[key] = "" if value == "NULL" else value
        return values

    def flush(self, group):
        """One description from its rows: the original and an English one."""

        def is_english(values):
            return values.get("culture", "").casefold().startswith("en")

        primary = next((item for item in group if not is_english(item[1])), group[0])
        title_en = ""
        # What a translation says of access counts too: an English
        # "Restricted" beside a Chinese 开放 is not open.
        translated_access = []
        for item in group:
            if item is primary:
                continue
            number, values = item
            if is_english(values) and not is_english(primary[1]) and not title_en:
                title_en = values.get("title", "")
                if values.get("accessconditions"):
                    translated_access.append(values["accessconditions"])
                dropped = [
                    column
                    for column in TRANSLATED_COLUMNS
                    if values.get(column.casefold())
                ]
                if dropped:
                    yield Notice(
                        self.located(number),
                        "culture",
                        _(
                            "the English title is kept; the portal holds its "
                            "other fields in one language, so the English "
                            "%(columns)s of this row are not imported"
                        )
                        % {"columns": ", ".join(dropped)},
                        kind="translation",
                    )
                continue
            yield Problem(
                self.located(number),
                "legacyId",
                _(
                    "a second row for legacyId %(id)s: only one English (en) "
                    "translation row may follow a description"
                )
                % {"id": values.get("legacyid")},
            )
        yield from self.row(*primary, title_en, translated_access)

    def row(self, number, values, title_en, translated_access=()):
        location = self.located(number)
        problems = []

        def problem(column, message):
            problems.append(Problem(location, column, message))

        def get(key):
            return values.get(key.casefold(), "")

        def listed(key):
            return [v for v in _split(get(key), PATH_LIST) if v != "NULL"]

        legacy = get("legacyId")
        if legacy and legacy in self.codes:
            problem(
                "legacyId",
                _(
                    "legacyId %(id)s appears again; a translation row must "
                    "directly follow the row it translates"
                )
                % {"id": legacy},
            )
            legacy = ""
        parent_code = ""
        parent_id = get("parentId")
        slug = get("qubitParentSlug")
        if slug and parent_id:
            problem(
                "qubitParentSlug",
                _("give the parent once: in parentId or in qubitParentSlug, not both"),
            )
        elif slug:
            # A parent already in the catalogue, named as AtoM names it; here
            # records are found by reference code, the slug's only meaning the
            # portal can check (the import refuses a parent it cannot find).
            try:
                parent_code = reference.parse(slug).code
            except reference.InvalidReferenceCode:
                problem(
                    "qubitParentSlug",
                    _(
                        "%(slug)s is not a reference code: the portal finds a "
                        "parent already in the catalogue by its reference code "
                        "(档号), so write the parent's code here, or give the "
                        "parent's row in this file in parentId"
                    )
                    % {"slug": slug},
                )
        if parent_id:
            if parent_id not in self.codes:
                problem(
                    "parentId",
                    _("no row with legacyId %(id)s above this one") % {"id": parent_id},
                )
            elif self.codes[parent_id] is None:
                # Its parent already has a problem; one message is enough.
                if legacy:
                    self.codes[legacy] = None
                return
            else:
                parent_code = self.codes[parent_id]

        code = None
        identifier = reference.normalise(get("identifier"))
        if not identifier:
            problem("identifier", _("a reference code is required"))
        else:
            # AtoM often holds only the local part and inherits the rest.
            if parent_code and not identifier.startswith(parent_code + "-"):
                identifier = f"{parent_code}-{identifier}"
            try:
                code = reference.parse(identifier).code
            except reference.InvalidReferenceCode as error:
                problem("identifier", str(error))
        if legacy:
            self.codes[legacy] = code

        level = level_of(get("levelOfDescription"))
        if level is None:
            problem(
                "levelOfDescription",
                _("unknown level %(level)r; use %(levels)s")
                % {
                    "level": get("levelOfDescription"),
                    "levels": "Fonds, Series, File, Item",
                },
            )
        title = get("title") or title_en
        if not title:
            problem("title", _("a title is required"))
        if title == title_en:
            title_en = ""

        date_expression, date_start, date_end = self.dates(values, problem)

        access = get("accessConditions")
        # AtoM's drafts are not published there; they are not here either.
        draft = get("publicationStatus").casefold() == "draft"
        fields = {
            "date_expression": date_expression,
            "extent": get("extentAndMedium"),
            "language": ", ".join(listed("language")),
        }
        if problems:
            # With the row's code, so that a row below it is not reported as
            # one without a parent.
            written = code or identifier
            yield from (replace(p, row_code=written) for p in problems)
            return
        yield RecordRow(
            location=location,
            reference_code=code,
            parent_reference=parent_code,
            level=level,
            title=title,
            title_en=title_en,
            access_words=[*([access] if access else []), *translated_access],
            access_field="accessConditions",
            access_status=AccessStatus.CLOSED if draft else "",
            creators=listed("eventActors"),
            date_start=date_start,
            date_end=date_end,
            subjects=listed("subjectAccessPoints"),
            names=listed("nameAccessPoints"),
            places=listed("placeAccessPoints"),
            scope_and_content=get("scopeAndContent"),
            notes="\n".join(listed("generalNote")),
            custodial_history=get("archivalHistory"),
            acquisition=get("acquisition"),
            arrangement=get("arrangement"),
            conditions_of_use=get("reproductionConditions"),
            related_material=get("relatedUnitsOfDescription"),
            finding_aids=get("findingAids"),
            processing_information=get("archivistNote"),
            biographical_history="\n\n".join(listed("eventActorHistories")),
            physical_location="; ".join(
                value
                for value in (get("locationOfOriginals"), get("physicalObjectLocation"))
                if value
            ),
            external_links=[
                {"href": uri, "title": ""}
                for uri in listed("digitalObjectURI")
                if uri.lower().startswith(("http://", "https://"))
            ],
            # AtoM has no order of siblings; the file's order is the nearest.
            position=number,
            digital_objects=[
                DigitalObjectRow(path=p) for p in listed("digitalObjectPath")
            ],
            **fields,
        )

    def dates(self, values, problem):
        """Expression, start and end from AtoM's parallel event columns."""
        expressions = [
            v for v in values.get("eventdates", "").split("|") if v not in ("", "NULL")
        ]
        starts = values.get("eventstartdates", "").split("|")
        ends = values.get("eventenddates", "").split("|")
        spans = {"eventStartDates": [], "eventEndDates": []}
        for column, raw_values in (
            ("eventStartDates", starts),
            ("eventEndDates", ends),
        ):
            for raw in raw_values:
                raw = raw.strip()
                if raw in ("", "NULL"):
                    continue
                try:
                    spans[column].append(single_date(raw))
                except DateError:
                    problem(
                        column,
                        _(
                            "cannot read the date %(date)r; AtoM writes 2016-03-12 "
                            "or 2016-00-00"
                        )
                        % {"date": raw},
                    )
        # A start without an end (or the reverse) still bounds the record.
        first_spans = spans["eventStartDates"] or spans["eventEndDates"]
        last_spans = spans["eventEndDates"] or spans["eventStartDates"]
        first = min((span[0] for span in first_spans), default=None)
        last = max((span[1] for span in last_spans), default=None)
        written = []
        if not expressions:
            for start, end in zip(starts, ends, strict=False):
                start = _atom_written(start)
                end = _atom_written(end)
                if start and end and start != end:
                    written.append(f"{start}—{end}")
                elif start or end:
                    written.append(start or end)
            expressions = written
        elif first is None:
            # Free text only: normalise what reads as a date, leave the rest.
            for expression in expressions:
                try:
                    start, end = parse_date(expression)
                except DateError:
                    continue
                if start:
                    first = start if first is None else min(first, start)
                    last = end if last is None else max(last, end)
        if first and last and last < first:
            problem("eventEndDates", _("the end date is before the start date"))
        return "; ".join(expressions), first, last


def _atom_written(value):
    """AtoM's partial date as a person would write it: 2016-00-00 is 2016."""
    value = value.strip()
    if value == "NULL":
        return ""
    return UNKNOWN_PARTS.sub("", value)
