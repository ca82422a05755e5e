"""Excel workbooks (.xlsx) of catalogues, as archive management systems export them.

`read_xlsx` turns the first sheet that looks like a catalogue into
(row number, cells) and hands them to the CSV reader's table logic
(`read_cells`), so a workbook is read exactly as the same table saved as CSV:
our DA/T 18 template or AtoM's, decided by the header (docs/importing.md);
what is particular to workbooks is in docs/importing-excel.md.

The library is openpyxl, in read-only mode. It is already installed and pinned
(Wagtail depends on it for its spreadsheet reports), it is pure Python and
well kept, and its read-only mode parses the sheet's XML as a stream, one row
at a time, so memory stays flat in the number of rows (its shared-strings table,
each distinct text once, is held whole, as by every reader). It tells a number
from a text cell and a date format from another, which the leading-zero and date
rules below need. python-calamine is several times faster, but it loads the
whole sheet into memory before the first row can be read, which is what an
import of a million rows must not do; and it would be one more compiled
dependency.

openpyxl leaves each row it has read in its XML tree (about 80 bytes a row);
importing this module makes its worksheet parser let go of them
(`_forgetting_rows`), for every openpyxl read in the process — the rows are
cleared by openpyxl already, so nothing else changes.

What a workbook adds to the table:

- title rows above the header (a merged "滨江市档案馆 文书档案目录", a blank
  row): the header is the first row in which at least two cells are column
  names of our template or of AtoM's; rows keep the numbers Excel shows;
- merged cells: a value merged down over several rows (全宗号, 保管期限) is read
  in every row it covers. Read-only openpyxl does not report merges, so the
  sheet's <mergeCells> (at the end of its XML part) are read once beforehand;
- numbers and dates: a whole number stored as a float is written without
  ".0"; a date cell becomes 1956-03-12; and a reference code (档号, 上级档号,
  AtoM's identifier) stored as a number or a date is refused. Rule: Excel keeps
  no leading zeros in a number, so from a numeric 1 nobody can tell 1 from
  0001 — every numeric reference code is a problem, whatever its siblings look
  like, and the editor is told to format the column as text and type the codes
  again. A code stored as a date is Excel's guess at a code such as 2-1.
"""

import datetime
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet import _reader as sheet_reader

from .base import (
    Bundle,
    Notice,
    Problem,
    RecordRow,
    header_location,
    row_location,
    row_locator,
)
from .csv import TEMPLATE_COLUMNS, TEMPLATE_HEADER, _key, _Stop, read_cells
from .errors import os_error

ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
# An encrypted OOXML file is an OLE2 container holding these streams; their
# names are in its directory, in UTF-16.
ENCRYPTED = (
    "EncryptedPackage".encode("utf-16-le"),
    "EncryptionInfo".encode("utf-16-le"),
)
SCAN_CHUNK = 256 * 1024

# How far down a sheet its header is looked for.
HEADER_SEARCH = 50
# Bounds the merges held while reading (a few per block of rows is usual).
MAX_MERGES = 1_000_000

# AtoM's column names. csv.py reads AtoM's columns by name in `_atom` and keeps
# no table of them; these are the ones that recognise its header.
ATOM_COLUMNS = ("legacyId", "parentId", "identifier", "title", "levelOfDescription")
KNOWN_COLUMNS = frozenset(
    {_key(field_name) for field_name in TEMPLATE_COLUMNS}
    | {_key(name) for names in TEMPLATE_COLUMNS.values() for name in names}
    | {_key(name) for name in ATOM_COLUMNS}
)
# Columns holding reference codes, where a number has lost its leading zeros.
CODE_COLUMNS = frozenset(
    {_key(name) for name in TEMPLATE_COLUMNS["reference_code"]}
    | {_key(name) for name in TEMPLATE_COLUMNS["parent_reference"]}
    | {"reference_code", "parent_reference", "parent_reference_code", "identifier"}
)

# Number formats 27–36 and 50–58 are the East Asian locales' built-in date and
# time formats: Chinese Excel and WPS write numFmtId 31 (yyyy"年"m"月"d"日")
# without defining it, and openpyxl knows only the locale-independent ones.
LOCALE_DATE_FORMATS = frozenset({27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58})
MIDNIGHT = datetime.time()

# A cell's kind, for the reference-code rule.
NUMBER, DATE = "number", "date"

MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=[\"']"
    rb"([A-Za-z]{1,3}[0-9]+)(?::([A-Za-z]{1,3}[0-9]+))?[\"']"
)
# A mergeCell element is far shorter than this: a chunk's last bytes are kept
# for the next one, so an element cut in two is still found.
MERGE_OVERLAP = 1024


def _forgetting_rows(iterparse):
    """openpyxl's iterparse, letting go of each row once openpyxl has read it.

    openpyxl clears a row's element after reading it but leaves it in the
    tree, about 80 bytes a row: 80 MB for a million rows, kept to the end. The
    row is taken out of <sheetData> when openpyxl asks for the next element,
    after it is done with it, so memory stays flat. The parser itself is
    openpyxl's (defusedxml's when installed), with the same protections.
    """

    def forgetful(source, *args, **kwargs):
        if args or kwargs:  # not the worksheet parser's call
            yield from iterparse(source, *args, **kwargs)
            return
        parents = []
        for event, element in iterparse(source, ("start", "end")):
            if event == "start":
                parents.append(element)
                continue
            parents.pop()
            yield event, element
            if element.tag == sheet_reader.ROW_TAG and parents:
                parents[-1].remove(element)

    forgetful.forgets_rows = True
    return forgetful


if not getattr(sheet_reader.iterparse, "forgets_rows", False):
    sheet_reader.iterparse = _forgetting_rows(sheet_reader.iterparse)

# openpyxl warns about parts it drops (data validation extensions, a missing
# default style): nothing an editor can act on, and nothing that changes cells.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")


def read_xlsx(
    path, *, bundle: Bundle | None = None, location_name: str | None = None
) -> Iterator[RecordRow | Problem | Notice]:
    """Rows of an Excel catalogue, parents before children, and its problems."""
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
            workbook = _open(handle, name)
        except _Stop as stop:
            yield stop.problem
            return
        try:
            yield from _read(workbook, path, name, bundle)
        finally:
            workbook.close()


def count_rows(path) -> int | None:
    """Rows below the header, for a progress bar; None when it cannot be told.

    From the sheet's recorded size, which Excel keeps right (other programs
    may not: the bar then stops short or fills early, nothing else).
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            workbook = _open(handle, path.name)
            try:
                sheets = _sheets(workbook)
                if not sheets:
                    return None
                sizes = {id(sheet): sheet.max_row for sheet in sheets}
                for sheet in sheets:
                    sheet.reset_dimensions()
                found = _catalogue_sheets(sheets)
                sheet, header = found[0] if found else (sheets[0], None)
                last = sizes[id(sheet)]
                if last is None:
                    return None
                return max(last - (header[0] if header else 1), 0)
            finally:
                workbook.close()
    except Exception:  # unreadable or damaged: the import itself will say so
        return None


def _open(handle, name):
    """The workbook in read-only mode, or _Stop with the editor's reason."""
    start = handle.read(len(OLE2))
    handle.seek(0)
    if start.startswith(OLE2):
        raise _Stop(Problem(name, "", _old_or_encrypted(handle)))
    if not start.startswith(ZIP):
        raise _Stop(
            Problem(
                name,
                "",
                _(
                    "this file is not an Excel workbook (.xlsx); if it is a "
                    "CSV file, name it .csv"
                ),
            )
        )
    try:
        # A file object: openpyxl would refuse a path by its extension alone.
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception:
        # Whatever openpyxl raises (a bad zip, a missing part, broken XML),
        # the editor hears it in their language; the library's text helps
        # nobody who can only open the file in Excel again.
        handle.seek(0)
        raise _Stop(Problem(name, "", _not_a_workbook(handle))) from None


def _old_or_encrypted(handle):
    """What an OLE2 file is: an encrypted workbook or an old .xls one."""
    tail = b""
    while chunk := handle.read(SCAN_CHUNK):
        data = tail + chunk
        if any(marker in data for marker in ENCRYPTED):
            return _(
                "the workbook is protected by a password: open it in Excel, "
                "remove the password and save it again"
            )
        tail = data[-64:]
    return _(
        "this is an old Excel 97–2003 workbook (.xls): open it in Excel or WPS "
        "and save it as an Excel workbook (.xlsx)"
    )


def _not_a_workbook(handle):
    try:
        with zipfile.ZipFile(handle) as archive, archive.open("mimetype") as entry:
            mimetype = entry.read(100)
    except Exception:
        mimetype = b""
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return _(
            "this is an OpenDocument spreadsheet (.ods): save it as an Excel "
            "workbook (.xlsx)"
        )
    return _(
        "this file is not a readable Excel workbook (.xlsx): it is damaged or "
        "another kind of file; open it in Excel and save it again as an Excel "
        "workbook"
    )


def _sheets(workbook):
    """The worksheets, visible ones first (hidden ones hold lookup lists)."""
    sheets = workbook.worksheets
    return [s for s in sheets if s.sheet_state == "visible"] + [
        s for s in sheets if s.sheet_state != "visible"
    ]


def _cells(row, epoch):
    """(texts, kinds) of a row's cells; a kind says a number or a date."""
    texts, kinds = [], []
    for cell in row:
        text, kind = _text(cell, epoch)
        texts.append(text)
        kinds.append(kind)
    while texts and not texts[-1]:
        texts.pop()
        kinds.pop()
    return texts, kinds


def _text(cell, epoch):
    value = cell.value
    if value is None:
        return "", None
    if type(value) is str:
        return value, None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int | float):
        if cell.style_array.numFmtId in LOCALE_DATE_FORMATS:
            try:
                return _datetime(from_excel(value, epoch)), DATE
            except (ValueError, OverflowError, TypeError):
                pass
        if isinstance(value, float):
            if value.is_integer():
                return str(int(value)), NUMBER
            return format(value, ".15g"), NUMBER  # the digits Excel shows
        return str(value), NUMBER
    if isinstance(value, datetime.datetime):
        return _datetime(value), DATE
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat(), DATE
    return str(value), None  # a duration ([h]:mm), or an error such as #N/A


def _datetime(value):
    if isinstance(value, datetime.datetime):
        if value.time() == MIDNIGHT:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return value.isoformat()


def _is_header(texts):
    return sum(1 for text in texts if text and _key(text) in KNOWN_COLUMNS) >= 2


def _header_of(sheet, epoch):
    """(row number, cells) of the sheet's header among its first rows, or None."""
    rows = sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH)
    try:
        for number, row in enumerate(rows, start=1):
            texts, _kinds = _cells(row, epoch)
            if _is_header(texts):
                return number, texts
    finally:
        rows.close()
    return None


def _catalogue_sheets(sheets):
    """(sheet, header) of each sheet that has a catalogue's header."""
    found = []
    for sheet in sheets:
        header = _header_of(sheet, sheet.parent.epoch)
        if header:
            found.append((sheet, header))
    return found


def _read(workbook, path, name, bundle):
    sheets = _sheets(workbook)
    if not sheets:
        yield from read_cells(iter(()), name, bundle)
        return
    for sheet in sheets:
        # The size a sheet records may be wrong (some exporters write A1):
        # read every row there is.
        sheet.reset_dimensions()
    try:
        found = _catalogue_sheets(sheets)
    except Exception:
        yield _damaged(name, sheets[0].title, 0)
        return
    if found:
        sheet, header = found[0]
        if sheet is not sheets[0]:
            yield Notice(
                name,
                "",
                _(
                    "the first sheet “%(first)s” has no header row; the sheet "
                    "“%(sheet)s” was read"
                )
                % {"first": sheets[0].title, "sheet": sheet.title},
                kind="xlsx-sheet",
            )
        if len(found) > 1:
            yield Notice(
                name,
                "",
                _(
                    "only the sheet “%(sheet)s” was read; %(others)s also look "
                    "like catalogues: save each as a workbook of its own to "
                    "import it"
                )
                % {
                    "sheet": sheet.title,
                    "others": "、".join(f"“{s.title}”" for s, _h in found[1:]),
                },
                kind="xlsx-sheet",
            )
    else:
        # No header anywhere: read_cells says what the first row lacks.
        sheet, header = sheets[0], None

    try:
        # The sheet's part in the zip: read-only openpyxl keeps it, unexported.
        merges = _merges(path, sheet._worksheet_path)
    except _Stop as stop:
        yield replace(stop.problem, location=name)
        return
    except Exception:
        yield _damaged(name, sheet.title, 0)
        return

    pending = []  # problems of the rows read_cells has been given
    header_number = []  # the header's row, once read
    records = _records(sheet, header, merges, name, pending, header_number)
    first_row = row_location(name, 1)
    header_row = None
    for item in read_cells(records, name, bundle):
        if pending:
            yield from pending
            pending.clear()
        if header_row is None and header_number:
            header_row = header_location(name, header_number[0])
        # read_cells places the header's problems in row 1, as in a CSV file.
        if (
            header_row != first_row
            and isinstance(item, Problem | Notice)
            and item.location == first_row
        ):
            item = replace(item, location=header_row)
        yield item
    yield from pending


def _damaged(name, sheet, row):
    return Problem(
        row_location(name, row) if row else name,
        "",
        _(
            "the sheet “%(sheet)s” is damaged and cannot be read beyond this "
            "point: open the workbook in Excel and save it again"
        )
        % {"sheet": sheet},
    )


def _merges(path, part):
    """{first row: [(column index, last row)]} of the sheet's merges that run
    down over several rows, read from its <mergeCells>."""
    starts = {}
    count = 0
    with zipfile.ZipFile(path) as archive, archive.open(part) as source:
        tail = b""
        while True:
            chunk = source.read(SCAN_CHUNK)
            data = tail + chunk
            limit = len(data) if not chunk else len(data) - MERGE_OVERLAP
            end = 0
            for match in MERGE.finditer(data):
                if match.end() > limit:
                    break
                end = match.end()
                first, last = match.group(1), match.group(2)
                if last is None:
                    continue
                column, top = coordinate_from_string(first.decode("ascii"))
                _last_column, bottom = coordinate_from_string(last.decode("ascii"))
                if bottom <= top:
                    continue
                count += 1
                if count > MAX_MERGES:
                    raise _Stop(
                        Problem(
                            "",
                            "",
                            _(
                                "the sheet has more than %(count)s merged cells: "
                                "unmerge them in Excel and fill the values in"
                            )
                            % {"count": f"{MAX_MERGES:,}"},
                        )
                    )
                starts.setdefault(top, []).append(
                    (column_index_from_string(column.upper()) - 1, bottom)
                )
            if not chunk:
                return starts
            # A match cut by the limit starts less than one overlap before it.
            tail = data[max(end, len(data) - 2 * MERGE_OVERLAP) :]


def _rows(sheet, first, name):
    """(row number, cells) of the sheet from row `first`; a workbook that
    breaks off (a damaged part) stops with a problem."""
    rows = sheet.iter_rows(min_row=first)
    number = first - 1
    try:
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:
                raise _Stop(_damaged(name, sheet.title, number)) from None
            number += 1
            yield number, row
    finally:
        rows.close()


def _records(sheet, header, merges, name, pending, header_number):
    """(row number, cells) of the sheet's non-blank rows from its header on.

    Cells merged down over several rows are filled with the value of the first;
    a reference code stored as a number or a date adds a problem to `pending`;
    the header's row number is put in `header_number`.
    """
    epoch = sheet.parent.epoch
    located = row_locator(name)
    numeric = _(
        "Excel stores this reference code as a number (%(value)s), which "
        "drops leading zeros (0001 becomes 1): format the column as text in "
        "Excel (Format Cells → Text) and type the codes again with their zeros"
    )
    dated = _(
        "Excel has turned this reference code into a date (%(value)s): format "
        "the column as text in Excel (Format Cells → Text) and type the codes "
        "again"
    )
    rows = _rows(sheet, header[0] if header else 1, name)
    # The header (or, without one, the first non-blank row: read_cells tells
    # what it lacks).
    for number, row in rows:
        header_texts, _kinds = _cells(row, epoch)
        if header_texts:
            header_number.append(number)
            yield number, header_texts
            break
    else:
        return
    width = len(header_texts)
    codes = [i for i, text in enumerate(header_texts) if _key(text) in CODE_COLUMNS]
    active = {}  # column -> (text, kind, last row) of a merge being filled
    for number, row in rows:
        texts, kinds = _cells(row, epoch)
        if active:
            for column in [c for c, merge in active.items() if merge[2] < number]:
                del active[column]
        if not texts:
            continue  # blank: a merge running past the data fills nothing
        if len(texts) < width:
            missing = width - len(texts)
            texts += [""] * missing
            kinds += [None] * missing
        for column, last in merges.get(number, ()):
            if column < len(texts) and texts[column]:
                active[column] = (texts[column], kinds[column], last)
        for column, (text, kind, _last) in active.items():
            if column < len(texts) and not texts[column]:
                texts[column] = text
                kinds[column] = kind
        for column in codes:
            kind = kinds[column]
            if kind:
                pending.append(
                    Problem(
                        located(number),
                        header_texts[column].strip(),
                        (numeric if kind == NUMBER else dated)
                        % {"value": texts[column]},
                    )
                )
        yield number, texts


# The template offered for download -------------------------------------------

# Example rows, in the order of TEMPLATE_COLUMNS; data, not interface text.
TEMPLATE_EXAMPLES = (
    {
        "reference_code": "J0001",
        "level": "全宗",
        "title": "滨江海关",
        "title_en": "Binjiang Customs",
        "creators": "滨江海关",
        "date": "1949—1985",
        "retention_period": "永久",
        "extent": "312卷",
        "subjects": "海关、对外贸易",
        "places": "滨江",
        "scope_and_content": "滨江海关1949年至1985年形成的文书、统计和人事档案。",
        "notes": "1986年由滨江海关移交进馆",
        "language": "汉语",
        "access_status": "开放",
    },
    {
        "reference_code": "J0001-001-0001",
        "parent_reference": "J0001",
        "level": "案卷",
        "title": "关于码头扩建工程的来往文书",
        "creators": "滨江海关、滨江市建设局",
        "date": "19560312",
        "document_number": "关字第56号",
        "retention_period": "永久",
        "extent": "1卷",
        "page_count": 48,
        "language": "汉语",
        "access_status": "开放",
        "position": 1,
    },
)
# Kept as text so that Excel neither drops a code's zeros nor makes a date of
# 1956-03.
TEXT_COLUMNS = ("reference_code", "parent_reference", "date", "opening_date")


def template_workbook() -> bytes:
    """An .xlsx of our template: the header (each column's DA/T 18 name) and
    two example rows, for editors to download and fill in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "目录"  # the sheet of a DA/T 18 catalogue, as in the header
    fields = list(TEMPLATE_COLUMNS)
    sheet.append(list(TEMPLATE_HEADER))
    for example in TEMPLATE_EXAMPLES:
        sheet.append([example.get(field_name, "") or None for field_name in fields])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for position, field_name in enumerate(fields, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        dimension = sheet.column_dimensions[letter]
        dimension.width = 40 if field_name in ("title", "scope_and_content") else 16
        if field_name in TEXT_COLUMNS:
            dimension.number_format = "@"
            for row in range(1, len(TEMPLATE_EXAMPLES) + 2):
                sheet.cell(row=row, column=position).number_format = "@"
    sheet.freeze_panes = "A2"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
