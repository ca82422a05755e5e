"""What every catalogue importer shares: rows in, one all-or-nothing write out.

A parser (CSV, EAD, …) turns its file into `RecordRow`s, parents before their
children, and yields a `Problem` for anything it cannot read. `import_records`
validates every row and writes in batches inside one transaction; if any
problem was found, or on a dry run, the transaction is rolled back, so nothing
is ever half-imported. Memory stays flat: only the current batch is held, and
parents are looked up in the database, where earlier batches already are.

Rows that are not open are not stored (the first law): the report counts them
and says why, and their descendants with them. A row that closes a record the
portal already has does update it, so the record leaves the public at once.
"""

import datetime
import mimetypes
import os
import re
import stat
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from json.encoder import encode_basestring_ascii
from operator import attrgetter, le
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from catalogue import fields, opening, reference, signals
from catalogue.iiif import tiles
from catalogue.importers.files import check_file
from catalogue.models import (
    SEGMENT,
    AccessStatus,
    DigitalObject,
    Level,
    PageText,
    Record,
    Repository,
    passes_gate,
    segment,
)
from catalogue.oai import datestamps, tombstones
from catalogue.vocabulary import REVIEW, Wordings

BATCH_SIZE = 2000
LOOKUP_SIZE = 2000  # reference codes looked up per statement
FILES = DigitalObject._meta.get_field("file").storage
# Record fields an import may set (the registry's); everything else is the
# portal's own.
DESCRIPTIVE_FIELDS = fields.IMPORTED


# Rows are made a million times in a large import: slots make them smaller
# and quicker to build and read.
@dataclass(slots=True)
class DigitalObjectRow:
    path: str  # relative to the bundle
    kind: str = ""  # image, pdf, audio, video; guessed from the name when empty
    label: str = ""


@dataclass(slots=True)
class PageRow:
    page_number: int
    text: str
    image: str = ""  # relative path of the page image in the bundle, if any


@dataclass(slots=True)
class RecordRow:
    location: str  # where the row came from, for messages: "x.csv, row 12"
    reference_code: str
    level: str
    title: str
    parent_reference: str = ""
    # What the source says about access, decided by the import against the
    # archive's wordings (catalogue/vocabulary.py); `access_status` is a floor
    # a reader may set (closed for EAD's audience="internal", AtoM's drafts),
    # or, without words, the status a program gives its rows.
    access_words: list[str] = field(default_factory=list)
    access_field: str = ""  # where the words were, for the report
    access_status: str = ""
    opening_date: datetime.date | None = None
    title_en: str = ""
    creators: list[str] = field(default_factory=list)
    date_expression: str = ""
    date_start: datetime.date | None = None
    date_end: datetime.date | None = None
    document_number: str = ""
    retention_period: str = ""
    classification: str = ""
    extent: str = ""
    page_count: int | None = None
    subjects: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    scope_and_content: str = ""
    notes: str = ""
    language: str = ""
    biographical_history: str = ""
    custodial_history: str = ""
    acquisition: str = ""
    arrangement: str = ""
    conditions_of_use: str = ""
    related_material: str = ""
    finding_aids: str = ""
    preferred_citation: str = ""
    processing_information: str = ""
    physical_location: str = ""
    external_links: list[dict] = field(default_factory=list)
    position: int = 0
    digital_objects: list[DigitalObjectRow] = field(default_factory=list)
    pages: list[PageRow] = field(default_factory=list)


class Location(str):
    """Where a row or an element is, as the report writes it ("目录.csv, row
    12"), keeping its parts for the report's table: the `file`, the `unit`
    ("row", "header" or "line") and the `number`.

    Each file's locator makes a subclass holding the file and the unit, so a
    row's location costs a plain string and one attribute. A location given
    as a plain string (a whole file's name) has none of these parts.
    """

    file = ""
    unit = ""
    number = None

    @classmethod
    def of(cls, name, unit):
        return type(cls.__name__, (cls,), {"file": name, "unit": unit})


def _locator(template, key, unit, name):
    kind = Location.of(name, unit)

    def locate(number):
        where = kind(template % {"file": name, key: number})
        where.number = number
        return where

    return locate


def row_location(name, number):
    """Where a CSV problem is, in the report's language."""
    return row_locator(name)(number)


def header_location(name, number):
    """`row_location` of a table's header row: a row, but not a record's."""
    return _locator(_("%(file)s, row %(row)s"), "row", "header", name)(number)


def line_location(name, number):
    """Where an XML problem is, in the report's language."""
    return line_locator(name)(number)


def row_locator(name):
    """`row_location` for the many rows of one file, translated once: every
    row has a location, and gettext per row costs more than reading it."""
    return _locator(_("%(file)s, row %(row)s"), "row", "row", name)


def line_locator(name):
    """`line_location` for the many components of one file, translated once."""
    return _locator(_("%(file)s, line %(line)s"), "line", "line", name)


def _where(location):
    """A location's parts for the report's data: file, unit, number."""
    if isinstance(location, Location):
        return {
            "file": location.file,
            "unit": location.unit,
            "number": location.number,
        }
    return {"file": str(location or ""), "unit": "", "number": None}


@dataclass(frozen=True)
class Problem:
    location: str
    field: str
    message: str
    # The reference code of the table row this problem keeps out, as the file
    # writes it, when the reader knows it: a row below it then does not count
    # as one whose parent is missing.
    row_code: str = ""

    def __str__(self):
        where = self.location
        if not where and not self.field:
            return self.message
        if self.field:
            where = _("%(location)s, %(field)s") % {
                "location": self.location,
                "field": self.field,
            }
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}

    def as_data(self):
        return {**_where(self.location), "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Notice:
    """Something the editor should know that does not stop the import: a
    reference code derived for a component without one, a level inferred.
    `kind` groups notices of one sort in the report."""

    location: str
    field: str
    message: str
    kind: str = ""

    def __str__(self):
        return str(Problem(self.location, self.field, self.message))

    def as_data(self):
        return {
            **_where(self.location),
            "field": self.field,
            "message": self.message,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ReviewItem:
    """A row left out because its access wording is not known to mean open."""

    location: str
    field: str
    words: str  # exactly as the source writes them
    reason: str

    def as_data(self):
        return {
            **_where(self.location),
            "field": self.field,
            "words": self.words,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    closed_existing: int = 0
    not_yet_open: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    # A report should stay readable: past this many, problems are only counted.
    max_problems: int = 200
    problem_count: int = 0
    notices: list[Notice] = field(default_factory=list)
    notice_count: int = 0
    review: list[ReviewItem] = field(default_factory=list)
    review_count: int = 0

    @property
    def ok(self):
        return self.problem_count == 0

    @property
    def committed(self):
        return self.ok and not self.dry_run

    def add_problem(self, problem: Problem):
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)

    def add_review(self, item: ReviewItem):
        self.review_count += 1
        if len(self.review) < self.max_problems:
            self.review.append(item)

    def add_notice(self, notice: Notice):
        self.notice_count += 1
        if len(self.notices) < self.max_problems:
            self.notices.append(notice)

    @property
    def status(self):
        """What became of the import: "problems" (nothing imported), "checked"
        (a dry run without problems), "nothing" (no problem, but no row could
        be stored: every one was left out) or "imported"."""
        if not self.ok:
            return "problems"
        if self.dry_run:
            return "checked"
        if not (self.created or self.updated or self.closed_existing):
            return "nothing"
        return "imported"

    def as_data(self):
        """The report as JSON-able data, its messages in the import's language:
        the counts, and each problem, warning and row for review with its file,
        row or line number and field apart (the first `max_problems` of each;
        the counts count them all). With problems nothing was saved, so none
        was created or updated."""
        saved = self.ok
        return {
            "status": self.status,
            "dry_run": self.dry_run,
            "counts": {
                "rows": self.rows,
                "created": self.created if saved else 0,
                "updated": self.updated if saved else 0,
                "closed_existing": self.closed_existing,
                "not_yet_open": self.not_yet_open,
                "skipped": sum(self.skipped.values()),
                "review": self.review_count,
                "notices": self.notice_count,
                "problems": self.problem_count,
            },
            "skipped": [
                {"reason": str(reason), "count": count}
                for reason, count in sorted(self.skipped.items())
            ],
            "problems": [problem.as_data() for problem in self.problems],
            "notices": [notice.as_data() for notice in self.notices],
            "review": [item.as_data() for item in self.review],
        }

    def lines(self):
        """The report in the active language, one line each."""
        lines = [_("Rows read: %(rows)d") % {"rows": self.rows}]
        if self.ok:
            verb = _("would be") if self.dry_run else _("were")
            lines.append(
                _("Records created: %(created)d, updated: %(updated)d (%(verb)s saved)")
                % {"created": self.created, "updated": self.updated, "verb": verb}
            )
        if self.not_yet_open:
            lines.append(
                _("Open records whose opening date is still to come: %(n)d")
                % {"n": self.not_yet_open}
            )
        if self.closed_existing:
            lines.append(
                _("Records already published that this file closes: %(n)d")
                % {"n": self.closed_existing}
            )
        for reason, count in sorted(self.skipped.items()):
            lines.append(
                _("Not imported, %(reason)s: %(count)d")
                % {"reason": reason, "count": count}
            )
        if self.review_count:
            lines.append(
                _(
                    "Needs review, not imported until its wording is decided in "
                    "the access wordings table: %(count)d"
                )
                % {"count": self.review_count}
            )
            for item in self.review:
                lines.append(
                    "  "
                    + str(
                        Problem(
                            item.location,
                            item.field,
                            f"“{item.words}” ({item.reason})"
                            if item.words
                            else item.reason,
                        )
                    )
                )
        if self.notice_count:
            lines.append(_("Warnings: %(count)d") % {"count": self.notice_count})
            lines += ["  " + str(notice) for notice in self.notices]
        if not self.ok:
            lines.append(
                ngettext(
                    "%(count)d problem found; nothing was imported.",
                    "%(count)d problems found; nothing was imported.",
                    self.problem_count,
                )
                % {"count": self.problem_count}
            )
            lines += [str(problem) for problem in self.problems]
            hidden = self.problem_count - len(self.problems)
            if hidden > 0:
                lines.append(_("… and %(count)d more.") % {"count": hidden})
        return lines


class Bundle:
    """Files that come with an import (a directory or an unpacked zip)."""

    # Folders resolved once and remembered; a bundle has a few hundred.
    MAX_FOLDERS = 10_000

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.folders = {}  # folder as written -> (resolved, inside the bundle)

    def resolve(self, relative: str):
        """The file at a relative path, refusing anything outside the bundle."""
        found = self.locate(relative)
        return Path(found) if found is not None else None

    def locate(self, relative: str) -> str | None:
        """`resolve()` as a string: a path object per file of a large import
        costs more than finding the file."""
        relative = relative.replace("\\", "/").lstrip("/")
        folder, _slash, name = relative.rpartition("/")
        if name in ("", ".", ".."):
            return self.resolve_fully(relative)
        # A full resolve asks the file system about every part of the path, for
        # each of a catalogue's hundred thousand files; the folder is resolved
        # once, and only the file itself is looked at.
        directory, inside = self.folder(folder)
        plain = os.path.join(directory, name)
        try:
            mode = os.lstat(plain).st_mode
        except (OSError, ValueError):
            return None
        if stat.S_ISLNK(mode):
            return self.resolve_fully(relative)  # where the link leads decides
        if not inside or not stat.S_ISREG(mode):
            return None
        return plain

    def folder(self, folder: str):
        """(the folder resolved, whether it is inside the bundle)."""
        found = self.folders.get(folder)
        if found is None:
            directory = (self.root / PurePosixPath(folder)).resolve()
            found = (directory, directory.is_relative_to(self.root))
            if len(self.folders) < self.MAX_FOLDERS:
                self.folders[folder] = found
        return found

    def resolve_fully(self, relative):
        path = (self.root / PurePosixPath(relative)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return str(path)


def guess_kind(name: str) -> str:
    mime = mimetypes.guess_type(name)[0] or ""
    if mime == "application/pdf":
        return DigitalObject.Kind.PDF
    for kind in ("image", "audio", "video"):
        if mime.startswith(kind + "/"):
            return kind
    return ""


# Import writes go straight to prepared statements, built from the parsed rows
# without a model instance per row: Django's bulk_create and bulk_update build
# SQL per value (bulk_update a CASE per field and row), and a Record per row
# with every value through Field.get_db_prep_save cost more, at a million rows,
# than the database itself. Values that need converting (dates, JSON) still go
# through the database backend's own adapters, so every database gets what it
# expects; the converters are chosen once per import (`_Columns`).
MAX_LENGTHS = {
    name: Record._meta.get_field(name).max_length
    for name in DESCRIPTIVE_FIELDS
    if getattr(Record._meta.get_field(name), "max_length", None)
}
LEVELS = frozenset(Level.values)
LIMITED = attrgetter(*MAX_LENGTHS)
# A code of capitals and digits in parts joined by single dashes is already
# what reference.parse() makes of it (NFKC, upper case and dash folding leave
# it alone): most codes of a file are written so, and only need splitting.
NORMAL_CODE = re.compile(r"[0-9A-Z]+(?:-[0-9A-Z]+)*")


PADDING = ((), ("",) * 3, ("",) * 2, ("",), ())


def parse_code(written: str) -> tuple[str, str, str, str, str]:
    """reference.parse(), without its normalising when there is nothing to do:
    (code, fonds, series, file, item), as a plain tuple, quick to make a
    million times over."""
    if len(written) <= reference.MAX_LENGTH and NORMAL_CODE.fullmatch(written):
        parts = written.split("-", 3)
        return (written, *parts, *PADDING[len(parts)])
    found = reference.parse(written)
    return (found.code, found.fonds, found.series, found.file, found.item)


ACCESS_STATUSES = frozenset(AccessStatus.values)
# Set by the import itself for every row, not taken from the row's fields.
OWN_COLUMNS = (
    "id",
    "repository",
    "parent",
    "path",
    "depth",
    "reference_code",
    "fonds_code",
    "series_code",
    "file_number",
    "item_number",
    "last_import",
    "gate_open",
    "gate_opens_on",
    "datestamp",
    "opened_on",
)
# Values that reach the database as Python gives them: no converter needed.
AS_IS = frozenset(
    [
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    ]
)


def _converter(model_field):
    """A function from a Python value to what the database takes, or None
    when the value goes as it is."""
    kind = model_field.get_internal_type()
    if kind in AS_IS:
        return None
    ops = connection.ops
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "JSONField":
        encoder = model_field.encoder
        # Most list fields are empty: their JSON is made once.
        empty = ops.adapt_json_value([], encoder)
        plain = encoder is None and (
            type(ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
        )

        def convert(value):
            if not value:
                return empty
            if plain and type(value) is list:
                # What json.dumps makes of a list of strings, without its
                # machinery around every value (anything but a string in the
                # list makes the encoder refuse it: then json.dumps it is).
                try:
                    return "[" + ", ".join(map(encode_basestring_ascii, value)) + "]"
                except TypeError:
                    pass
            return ops.adapt_json_value(value, encoder)

        return convert
    return lambda value: model_field.get_db_prep_save(value, connection)


def _values_function(fields):
    """A function from a row to its values of `fields`, converted for the
    database.

    Written out once for these fields, as dataclasses write their __init__:
    a loop over the fields, with a call for each converter, costs more per row
    than the database takes to insert it. Field names are the model's own.
    """
    namespace, values = {}, []
    for f in fields:
        convert = _converter(f)
        if convert is None:
            values.append(f"row.{f.name}")
        else:
            namespace[f"convert_{f.name}"] = convert
            values.append(
                f"None if row.{f.name} is None else convert_{f.name}(row.{f.name})"
            )
    source = f"def values(row):\n    return [{', '.join(values)}]\n"
    exec(source, namespace)  # noqa: S102 (our own field names, no input)
    return namespace["values"]


# What the source decides whole, on every import: the access decision and
# what identifies the record. A re-import that says nothing of the others keeps
# what the catalogue has (unless it replaces): a CSV export brought in over an
# EAD finding aid must not wipe the notes only the finding aid had.
ALWAYS_WRITTEN = frozenset(
    ["level", "title", "access_status", "opening_date", "classification", "position"]
)
# Kept or replaced together: a new date expression without normal dates must
# not leave the old range behind it.
DATE_FIELDS = ("date_expression", "date_start", "date_end")
MERGED = tuple(name for name in DESCRIPTIVE_FIELDS if name not in ALWAYS_WRITTEN)


# What a row gives for a field it says nothing of.
EMPTY = (None, "", [])


def _updated_function(names, merged):
    """A function from a row and its values (of the fields `names`) to what
    the update statement takes: a keep-flag before each merged field's value,
    true when the row gives nothing for it (EMPTY). The dates are kept or
    replaced together.

    Written out once, as `_values_function` is: inserting each flag into a
    copy of the values cost more per re-imported row than its UPDATE.
    """
    if not merged:
        return lambda row, values: values
    # `x in EMPTY` compares x by identity, then by ==, with each of them.
    out = []
    for i, name in enumerate(names):
        if name in merged:
            out.append("dates_kept" if name in DATE_FIELDS else f"row.{name} in EMPTY")
        out.append(f"values[{i}]")
    dates = " and ".join(f"row.{name} in EMPTY" for name in DATE_FIELDS)
    source = (
        "def updated(row, values):\n"
        f"    dates_kept = {dates}\n"
        f"    return [{', '.join(out)}]\n"
    )
    namespace = {"EMPTY": EMPTY}
    exec(source, namespace)  # noqa: S102 (our own field names, no input)
    return namespace["updated"]


class _Columns:
    """The record table's columns in the order the statements use, and how a
    parsed row becomes their values.

    An existing record is updated field by field: each merged field comes
    with a flag, true when the file gives nothing for it and the stored value
    stays (`replace` writes every field as the file has it)."""

    def __init__(self, replace=False):
        meta = Record._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        own = [meta.get_field(name) for name in OWN_COLUMNS]
        descriptive = [meta.get_field(name) for name in DESCRIPTIVE_FIELDS]
        stamps = [
            f
            for f in meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.updated_stamps = [f for f in stamps if getattr(f, "auto_now", False)]
        listed = {*own, *descriptive, *stamps}
        # Everything else is the portal's own (withdrawal): its default.
        defaults = [f for f in meta.concrete_fields if f not in listed]
        self.date = _converter(meta.get_field("gate_opens_on"))
        self.moment = _converter(meta.get_field("datestamp"))
        self.values = _values_function(descriptive)
        self.stamp_converters = [_converter(f) or (lambda v: v) for f in stamps]
        self.updated_converters = [
            _converter(f) or (lambda v: v) for f in self.updated_stamps
        ]
        self.defaults = tuple(
            f.get_db_prep_save(f.get_default(), connection) for f in defaults
        )
        inserted = own + descriptive + stamps + defaults
        self.insert_sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            table,
            ", ".join(quote(f.column) for f in inserted),
            ", ".join(["%s"] * len(inserted)),
        )
        merged = set() if replace else set(MERGED)
        assignments = [f"{quote(f.column)} = %s" for f in own[2:]]
        for f in descriptive:
            column = quote(f.column)
            if f.name in merged:
                assignments.append(f"{column} = CASE WHEN %s THEN {column} ELSE %s END")
            else:
                assignments.append(f"{column} = %s")
        assignments += [f"{quote(f.column)} = %s" for f in self.updated_stamps]
        self.update_sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
            table, ", ".join(assignments), quote(meta.pk.column)
        )
        self.updated = _updated_function([f.name for f in descriptive], merged)

    def stamps(self, now):
        return (
            [convert(now) for convert in self.stamp_converters],
            [convert(now) for convert in self.updated_converters],
        )


def write_rows(sql, rows):
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            # One round trip per page of rows, not per row.
            execute_batch(cursor.cursor, sql, rows, page_size=500)
        else:
            cursor.executemany(sql, rows)


def batched(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def reserve_ids(count: int) -> list[int]:
    """Ids for new records before they are written, so a whole batch's paths
    can be computed at once, parents and children alike."""
    if count == 0:
        return []
    table = Record._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


@dataclass(slots=True)
class _Stored:
    """What the import needs of a record already written: its place and its
    gate, and for one in the catalogue before this import, what it may change."""

    id: int
    path: str
    gate_open: bool
    gate_opens_on: datetime.date | None
    access_status: str = AccessStatus.OPEN
    last_import: str = ""
    withdrawn: bool = False
    opened_on: datetime.date | None = None


STORED_COLUMNS = (
    "id",
    "path",
    "gate_open",
    "gate_opens_on",
    "access_status",
    "last_import",
    "withdrawn",
    "opened_on",
)


def _later(first, second):
    """The later of two opening dates, either of which may be None."""
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


def _page_text_sql():
    meta = PageText._meta
    quote = connection.ops.quote_name
    columns = [
        meta.get_field(name).column
        for name in ("record", "page_number", "digital_object", "text")
    ]
    return "INSERT INTO {} ({}) VALUES (%s, %s, %s, %s)".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(c) for c in columns)
    )


def _delete_page_texts(record_ids):
    """Delete the page texts of these records, in SQL of its own.

    QuerySet.delete() loads every row first as soon as any post_delete
    receiver listens to all models (search's page receiver does), which for a
    re-import is a model instance per page text. No receiver acts on a page
    text, and nothing refers to one, so a plain DELETE does the same.
    """
    meta = PageText._meta
    quote = connection.ops.quote_name
    sql = "DELETE FROM {} WHERE {} IN ({{}})".format(  # noqa: S608
        quote(meta.db_table), quote(meta.get_field("record").column)
    )
    with connection.cursor() as cursor:
        # A bounded number of parameters per statement, as SQLite wants.
        for start in range(0, len(record_ids), LOOKUP_SIZE):
            chunk = record_ids[start : start + LOOKUP_SIZE]
            cursor.execute(sql.format(", ".join(["%s"] * len(chunk))), chunk)


class _Importer:
    def __init__(
        self, repository, report, bundle, user, run, default_access=None, replace=False
    ):
        self.repository = repository
        self.wordings = Wordings.for_repository(repository)
        # The status of a top record whose source says nothing about access.
        self.default_access = default_access
        self.to_close = []  # records already here that this import closes
        self.report = report
        self.bundle = bundle
        self.user = user
        self.run = run
        self.skipped_codes = set()  # only the rows left out: a small share
        self.moved = []  # (id, old path, new path)
        # Records already in the catalogue whose gate this import changed:
        # their subtrees' gates are recomputed at the end.
        self.gate_changed = set()
        self.stored_files = []  # deleted again if the import is rolled back
        self.columns = _Columns(replace)
        self.last_parent = ("", "")  # (as written, normal code)
        self.opening_stamps = {}  # opening date -> its datestamp, converted
        # Paths of the public records written, closed or moved: the fonds and
        # series above them have new finding aids (catalogue/oai/datestamps.py).
        self.finding_aid_paths = set()
        # The report's reasons, in the import's language: one gettext each.
        self.below_closed = _("its parent is not open")
        self.not_open_reasons = {}
        self.today = timezone.localdate()

    # Validation --------------------------------------------------------------

    def check(self, row: RecordRow):
        """The row's problems, and its reference code's parts when it has any."""
        problems = []

        def problem(field_name, message):
            problems.append(Problem(row.location, field_name, message))

        parsed = None
        try:
            parsed = parse_code(row.reference_code)
            row.reference_code = parsed[0]
        except reference.InvalidReferenceCode as error:
            problem(_("reference code"), str(error))
        if row.parent_reference:
            try:
                row.parent_reference = self.parent_code(row.parent_reference)
            except reference.InvalidReferenceCode as error:
                problem(_("parent reference code"), str(error))
        if row.level not in LEVELS:
            problem(_("level"), _("unknown level %(level)r") % {"level": row.level})
        if not (row.title or "").strip():
            problem(pgettext("archival description", "title"), _("a title is required"))
        if row.access_status and row.access_status not in ACCESS_STATUSES:
            problem(
                _("access status"),
                _("unknown access status %(status)r") % {"status": row.access_status},
            )
        if row.date_start and row.date_end and row.date_start > row.date_end:
            problem(_("date"), _("the end date is before the start date"))
        limited = LIMITED(row)
        try:  # the usual case at C speed: all strings, all short enough
            fits = all(map(le, map(len, limited), MAX_LENGTHS.values()))
        except TypeError:
            fits = False
        if not fits:
            for name, limit, value in zip(
                MAX_LENGTHS, MAX_LENGTHS.values(), limited, strict=True
            ):
                if isinstance(value, str) and len(value) > limit:
                    problem(
                        str(Record._meta.get_field(name).verbose_name),
                        _("longer than %(max)d characters") % {"max": limit},
                    )
        if row.page_count is not None and row.page_count < 0:
            problem(pgettext("number of pages", "pages"), _("must not be negative"))
        return problems, parsed

    def check_files(self, row: RecordRow):
        """Problems with the files a row names; read only for rows that are
        stored, so nothing of a record that is not open is looked at."""
        problems = []

        def problem(field_name, message):
            problems.append(Problem(row.location, field_name, message))

        if self.bundle is None and (
            row.digital_objects or any(p.image for p in row.pages)
        ):
            problem(
                _("digital objects"),
                _("files are referenced but none came with the import"),
            )
        elif self.bundle is not None and (row.digital_objects or row.pages):
            named = [(d.path, d.kind, d) for d in row.digital_objects] + [
                (p.image, "", None) for p in row.pages if p.image
            ]
            for path, declared, item in named:
                found = self.bundle.locate(path)
                if found is None:
                    problem(
                        _("digital objects"),
                        _("file not found: %(path)s") % {"path": path},
                    )
                    continue
                # Judged by its bytes, its size before any of them is read.
                kind, refused = check_file(found, declared)
                if refused:
                    problem(_("digital objects"), f"{path}: {refused}")
                elif item is not None and not item.kind:
                    item.kind = kind
        return problems

    def parent_code(self, written):
        """The parent's normal code; siblings follow each other, so the last
        one is kept rather than parsed again for every child."""
        if written != self.last_parent[0]:
            self.last_parent = (written, parse_code(written)[0])
        return self.last_parent[1]

    def stored(self, codes):
        """{reference code: _Stored} of those codes already in the repository.

        In SQL of its own: the ORM prepares each of a batch's thousands of
        codes one by one, which costs more than the indexed lookup.
        """
        meta = Record._meta
        quote = connection.ops.quote_name
        select = ", ".join(
            quote(meta.get_field(name).column)
            for name in ("reference_code", *STORED_COLUMNS)
        )
        codes = list(codes)
        known = {}
        with connection.cursor() as cursor:
            # A bounded number of parameters per statement, as SQLite wants.
            for start in range(0, len(codes), LOOKUP_SIZE):
                chunk = codes[start : start + LOOKUP_SIZE]
                cursor.execute(
                    f"SELECT {select} FROM {quote(meta.db_table)} "  # noqa: S608
                    f"WHERE {quote(meta.get_field('repository').column)} = %s "
                    f"AND {quote(meta.get_field('reference_code').column)} "
                    f"IN ({', '.join(['%s'] * len(chunk))})",
                    [self.repository.pk, *chunk],
                )
                for code, *values in cursor.fetchall():
                    known[code] = _Stored(*values)
        return known

    def twice(self, row):
        return Problem(
            row.location,
            _("reference code"),
            _("%(code)s appears twice in this import") % {"code": row.reference_code},
        )

    # Writing -----------------------------------------------------------------

    def process(self, rows: list[RecordRow]):
        valid = []
        seen = set()
        for row in rows:
            problems, parsed = self.check(row)
            if row.reference_code in seen:
                problems.append(self.twice(row))
            seen.add(row.reference_code)
            for found in problems:
                self.report.add_problem(found)
            if not problems:
                valid.append((row, parsed))
        if not self.report.ok:
            # Keep reading to report every problem, but write nothing more.
            return

        codes = {row.reference_code for row, _parsed in valid} | {
            row.parent_reference for row, _parsed in valid if row.parent_reference
        }
        known = self.stored(codes)
        for row, _parsed in valid:
            existing = known.get(row.reference_code)
            if existing is not None and existing.last_import == self.run:
                self.report.add_problem(self.twice(row))
        if not self.report.ok:
            return

        batch = {}  # reference code -> _Stored, for the children that follow
        new = sum(1 for row, _parsed in valid if row.reference_code not in known)
        ids = iter(reserve_ids(new))
        columns = self.columns
        now = timezone.now()
        created_stamps, updated_stamps = columns.stamps(now)
        stamped_now = columns.moment(now)
        repository_id = self.repository.pk
        to_create, to_update, files = [], [], []
        leaving = []  # public records this batch takes out of the public
        for row, parsed in valid:
            if row.parent_reference in self.skipped_codes:
                self.skip(row, self.below_closed)
                existing = known.get(row.reference_code)
                old_parent = known.get(row.parent_reference)
                if existing is not None and not (
                    old_parent is not None
                    and existing.path.endswith(segment(old_parent.id))
                ):
                    # Placed under a record that is not open: it cannot stay
                    # public under its old parent. (Under the same parent, it
                    # follows that parent through the gate anyway.)
                    self.close(existing)
                    self.report.add_notice(
                        Notice(
                            row.location,
                            _("parent reference code"),
                            _(
                                "%(code)s is already in the catalogue and this "
                                "file places it under %(parent)s, which is not "
                                "open: it was withdrawn from the public"
                            )
                            % {
                                "code": row.reference_code,
                                "parent": row.parent_reference,
                            },
                            kind="moved-below-closed",
                        )
                    )
                continue
            parent = batch.get(row.parent_reference) or known.get(row.parent_reference)
            if row.parent_reference and parent is None:
                self.report.add_problem(
                    Problem(
                        row.location,
                        _("parent reference code"),
                        _("no record %(code)s above it in this import or the catalogue")
                        % {"code": row.parent_reference},
                    )
                )
                continue
            existing = known.get(row.reference_code)
            decision = self.access_of(row, parent)
            if not decision.is_open:
                if decision.status == REVIEW:
                    self.report.add_review(
                        ReviewItem(
                            row.location,
                            row.access_field,
                            decision.words,
                            decision.reason,
                        )
                    )
                    self.skip(row, None)
                else:
                    self.skip(row, decision.reason)
                if existing is not None:
                    # Its new description is not stored: the record it already
                    # has leaves the public, and that is all.
                    self.close(existing)
                continue
            row.access_status = AccessStatus.OPEN
            row.opening_date = _later(row.opening_date, decision.opening_date)
            if row.digital_objects or row.pages:
                file_problems = self.check_files(row)
                if file_problems:
                    for found in file_problems:
                        self.report.add_problem(found)
                    continue
            record_id = existing.id if existing else next(ids)
            path = parent.path + segment(parent.id) if parent else ""
            # The gate columns as refresh_gate() would set them: open when the
            # record and its parent's chain are, opening on the latest date.
            gate_open = row.access_status == AccessStatus.OPEN and not (
                existing and existing.withdrawn
            )
            opens_on = row.opening_date
            if parent:
                gate_open = gate_open and parent.gate_open
                opens_on = _later(opens_on, parent.gate_opens_on)
            own = [
                parent.id if parent else None,
                path,
                len(path) // SEGMENT,
                *parsed,
                self.run,
                gate_open,
                columns.date(opens_on) if opens_on else None,
                stamped_now
                if opens_on is None or opens_on <= self.today
                else self.opening_stamp(opens_on),
                self.opened_on(gate_open, opens_on, existing),
            ]
            values = columns.values(row)
            if existing:
                to_update.append(
                    [*own, *columns.updated(row, values), *updated_stamps, record_id]
                )
                if existing.path != path:
                    self.moved.append((record_id, existing.path, path))
                if (
                    existing.path != path
                    or existing.gate_open != gate_open
                    or existing.gate_opens_on != opens_on
                ):
                    self.gate_changed.add(record_id)
                    if passes_gate(
                        existing.gate_open, existing.gate_opens_on, self.today
                    ) and not passes_gate(gate_open, opens_on, self.today):
                        leaving.append(record_id)
            else:
                to_create.append(
                    [
                        record_id,
                        repository_id,
                        *own,
                        *values,
                        *created_stamps,
                        *columns.defaults,
                    ]
                )
            if row.opening_date and row.opening_date > self.today:
                self.report.not_yet_open += 1
            batch[row.reference_code] = _Stored(record_id, path, gate_open, opens_on)
            if passes_gate(gate_open, opens_on, self.today) or (
                existing and self.was_public(existing)
            ):
                self.finding_aid_paths.add(path)
                if existing:
                    self.finding_aid_paths.add(existing.path)
            if row.digital_objects or row.pages:
                files.append((record_id, row, existing is not None))
        if not self.report.ok:
            return
        if leaving:
            # As they are before the update: catalogue/oai/tombstones.py.
            tombstones.bury(Record.objects.filter(pk__in=leaving))
        write_rows(columns.insert_sql, to_create)
        write_rows(columns.update_sql, to_update)
        self.report.created += len(to_create)
        self.report.updated += len(to_update)
        if not self.report.dry_run:
            self.attach_files(files)

    def access_of(self, row, parent):
        """The row's access, decided from its words, its 密级 and its floor;
        a row that says nothing takes its parent's status, a top one the
        import's default (none: review)."""
        inherited = row.access_status or (
            parent.access_status if parent else self.default_access
        )
        decision = self.wordings.decide(
            row.access_words, row.classification, inherited=inherited
        )
        floor = row.access_status
        if floor and floor != AccessStatus.OPEN and decision.is_open:
            decision = self.wordings.decide([], row.classification, inherited=floor)
        return decision

    def opened_on(self, gate_open, opens_on, existing):
        """The day the record entered the public (catalogue/opening.py)."""
        kept = existing.opened_on if existing else None
        day = opening.opened_on(gate_open, opens_on, kept, self.today)
        return self.columns.date(day) if day else None

    def opening_stamp(self, opens_on):
        found = self.opening_stamps.get(opens_on)
        if found is None:
            found = self.columns.moment(datestamps.opens_at(opens_on))
            self.opening_stamps[opens_on] = found
        return found

    def was_public(self, existing):
        return passes_gate(existing.gate_open, existing.gate_opens_on, self.today)

    def close(self, existing):
        if existing.access_status == AccessStatus.OPEN and not existing.withdrawn:
            self.report.closed_existing += 1
        if self.was_public(existing):
            self.finding_aid_paths.add(existing.path)
        self.to_close.append(existing.id)
        self.gate_changed.add(existing.id)

    def skip(self, row, reason):
        self.skipped_codes.add(row.reference_code)
        if reason is not None:
            self.report.skipped[reason] += 1

    def attach_files(self, files):
        """Replace the records' files and page texts with the bundle's.

        A record new in this import has none to replace; page texts of the
        whole batch go in with one statement.
        """
        replaced = [record_id for record_id, _row, existed in files if existed]
        if replaced:
            previous = DigitalObject.objects.filter(record_id__in=replaced)
            for item in previous:
                item.file.delete(save=False)
            previous.delete()
            _delete_page_texts(replaced)
        texts = []
        for record_id, row, _existed in files:
            objects = {}
            position = 0
            for item in row.digital_objects:
                position += 1
                objects[item.path] = self.store(
                    record_id, row, item.path, position, item.kind, item.label
                )
            for page in row.pages:
                image = None
                if page.image:
                    image = objects.get(page.image)
                    if image is None:
                        position += 1
                        image = self.store(record_id, row, page.image, position, "", "")
                        objects[page.image] = image
                texts.append((record_id, page.page_number, image, page.text))
        write_rows(_page_text_sql(), texts)

    def store(self, record_id, row, relative, position, kind, label):
        """Copy a bundle file into the catalogue's storage; its object's id."""
        source = self.bundle.resolve(relative)
        name = f"{self.repository.code}/{row.reference_code}/{source.name}"
        with source.open("rb") as handle:
            saved = FILES.save(name, File(handle))
        self.stored_files.append(saved)
        item = DigitalObject.objects.create(
            record_id=record_id,
            position=position,
            kind=kind or guess_kind(source.name) or DigitalObject.Kind.IMAGE,
            file=saved,
            label=label,
        )
        tiles.schedule(item)  # IIIF tiles, by a task once the import commits
        return item.pk

    def finish(self):
        for start in range(0, len(self.to_close), LOOKUP_SIZE):
            Record.objects.filter(
                pk__in=self.to_close[start : start + LOOKUP_SIZE]
            ).update(access_status=AccessStatus.CLOSED)
        for record_id, old_path, new_path in self.moved:
            Record(pk=record_id, path=new_path)._move_descendants(old_path)
        # Every record the import wrote has its gate already; records below an
        # existing one whose gate changed (or that moved) may not be in the
        # file: their subtrees are recomputed, each once, top down.
        ids = sorted(self.gate_changed)
        changed = [
            record
            for start in range(0, len(ids), LOOKUP_SIZE)
            for record in Record.objects.filter(
                pk__in=ids[start : start + LOOKUP_SIZE]
            ).only("id", "path", "depth")
        ]
        done = []
        for root in sorted(changed, key=lambda record: record.depth):
            if not any(root.path.startswith(prefix) for prefix in done):
                Record.objects.refresh_gate(root=root)
                done.append(root.path + segment(root.pk))
        datestamps.restamp_finding_aids(self.finding_aid_paths)


# Codes remembered to find rows without a parent once an import has a
# problem: past this many, the rest of the file is not looked at for them.
MAX_REMEMBERED = 200_000
MAX_REFUSED_AT = 10_000


def _is_row(location):
    return isinstance(location, Location) and location.unit == "row"


def _normal_code(written):
    if not written:
        return ""
    try:
        return parse_code(written)[0]
    except reference.InvalidReferenceCode:
        return ""


class _Reading:
    """What import_records learns from a reader's rows besides the records.

    How many rows the file has: its records, and the table rows a problem kept
    out (a row may have several problems; a table's header is not a row).

    Which rows have no parent once the import has a problem: from then on the
    importer checks no batch that far, and a missing parent would only be
    reported on the next try. Table rows only, whose parents are named by
    code: a refused row's code comes with its problem. When it does not, or
    past MAX_REMEMBERED codes, no more are looked for (none is reported that
    may be wrong).
    """

    def __init__(self, importer):
        self.importer = importer
        self.report = importer.report
        self.records = 0
        self.refused = 0
        # Rows counted by a problem, for a record of the same row that may
        # follow (Excel's problems of a row come before it, by up to a
        # read-ahead window): it is one row, not two.
        self.refused_at = set()
        self.seen = set()  # codes of the rows since the first problem
        self.uncertain = False

    @property
    def rows(self):
        return self.records + self.refused

    def count(self, chunk, records):
        self.records += len(records)
        if len(records) == len(chunk) and not self.refused_at:
            return  # the usual batch: records only
        refused_at = self.refused_at
        for item in chunk:
            if isinstance(item, RecordRow):
                if item.location in refused_at:
                    self.refused -= 1  # its problem did not keep it out
                    refused_at.discard(item.location)
            elif (
                isinstance(item, Problem)
                and _is_row(item.location)
                and item.location not in refused_at
            ):
                self.refused += 1
                refused_at.add(item.location)
        if len(records) == len(chunk) or len(refused_at) > MAX_REFUSED_AT:
            refused_at.clear()  # rows far behind: their records came before

    def check_parents(self, chunk, checked):
        """Report the rows of `chunk` whose parent is missing, once the import
        has a problem. `checked`: the importer may have reported some of them
        itself (the chunk began without a problem); those are not repeated."""
        report = self.report
        if report.ok or self.uncertain:
            return
        # Past the report's limit the importer's own reports are not all kept
        # to compare with: this chunk's codes are only remembered.
        comparable = not checked or report.problem_count == len(report.problems)
        candidates = []
        for item in chunk:
            if isinstance(item, RecordRow):
                if comparable and item.parent_reference and _is_row(item.location):
                    parent = _normal_code(item.parent_reference)
                    if (
                        parent
                        and parent not in self.seen
                        and parent not in self.importer.skipped_codes
                    ):
                        candidates.append((item.location, parent))
                self.seen.add(_normal_code(item.reference_code))
            elif isinstance(item, Problem) and _is_row(item.location):
                if not item.row_code:
                    self.uncertain = True  # a row kept out, its code unknown
                    break
                self.seen.add(_normal_code(item.row_code))
        if len(self.seen) > MAX_REMEMBERED:
            self.uncertain = True
        if not candidates:
            return
        reported = set(report.problems) if checked else ()
        known = self.importer.stored({parent for _where, parent in candidates})
        for location, parent in candidates:
            if parent in known:
                continue
            problem = Problem(
                location,
                _("parent reference code"),
                _("no record %(code)s above it in this import or the catalogue")
                % {"code": parent},
            )
            if problem not in reported:
                report.add_problem(problem)


def import_records(
    rows: Iterable[RecordRow | Problem | Notice],
    repository: Repository,
    *,
    dry_run: bool = False,
    bundle: Bundle | None = None,
    user=None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    default_access: str | None = None,
    replace: bool = False,
    max_listed: int = 200,
) -> ImportReport:
    """Validate and write `rows` into `repository`, all or nothing.

    A record already in the catalogue keeps the fields the file gives nothing
    for, unless `replace`: then it is described by the file alone.

    `default_access` is the status of a top record whose source says nothing
    about access ("open" when the editor says so); None leaves it for review.
    The report lists the first `max_listed` problems, warnings and rows for
    review, and counts them all. A file without a single record is a problem.
    """
    report = ImportReport(dry_run=dry_run, max_problems=max_listed)
    importer = _Importer(
        repository, report, bundle, user, uuid.uuid4().hex, default_access, replace
    )
    reading = _Reading(importer)
    with transaction.atomic():
        for chunk in batched(rows, batch_size):
            records = [row for row in chunk if isinstance(row, RecordRow)]
            if len(records) < len(chunk):
                for row in chunk:
                    if isinstance(row, Problem):
                        report.add_problem(row)
                    elif isinstance(row, Notice):
                        report.add_notice(row)
            reading.count(chunk, records)
            report.rows = reading.rows
            checked = report.ok
            importer.process(records)
            reading.check_parents(chunk, checked)
            if progress:
                progress(report.rows)
        if not reading.records and report.ok:
            report.add_problem(
                Problem(
                    "",
                    "",
                    _("the file holds no records: there is nothing below its header"),
                )
            )
        if report.ok:
            importer.finish()
            if not dry_run:
                signals.announce_import(Record, repository.pk)
        if not report.committed:
            transaction.set_rollback(True)
    if not report.committed:
        for name in importer.stored_files:
            FILES.delete(name)
    return report
