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
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePosixPath

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue import reference, signals
from catalogue.models import (
    AccessStatus,
    DigitalObject,
    Level,
    PageText,
    Record,
    Repository,
    segment,
)

BATCH_SIZE = 2000
FILES = DigitalObject._meta.get_field("file").storage
# Record fields an import may set; everything else is the portal's own.
DESCRIPTIVE_FIELDS = (
    "level",
    "title",
    "title_en",
    "creators",
    "date_expression",
    "date_start",
    "date_end",
    "document_number",
    "retention_period",
    "classification",
    "extent",
    "page_count",
    "subjects",
    "names",
    "places",
    "scope_and_content",
    "notes",
    "language",
    "access_status",
    "opening_date",
    "position",
)


@dataclass
class DigitalObjectRow:
    path: str  # relative to the bundle
    kind: str = ""  # image, pdf, audio, video; guessed from the name when empty
    label: str = ""


@dataclass
class PageRow:
    page_number: int
    text: str
    image: str = ""  # relative path of the page image in the bundle, if any


@dataclass
class RecordRow:
    location: str  # where the row came from, for messages: "x.csv, row 12"
    reference_code: str
    level: str
    title: str
    parent_reference: str = ""
    access_status: str = AccessStatus.OPEN
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
    position: int = 0
    digital_objects: list[DigitalObjectRow] = field(default_factory=list)
    pages: list[PageRow] = field(default_factory=list)


def row_location(name, number):
    """Where a CSV problem is, in the report's language."""
    return _("%(file)s, row %(row)s") % {"file": name, "row": number}


def line_location(name, number):
    """Where an XML problem is, in the report's language."""
    return _("%(file)s, line %(line)s") % {"file": name, "line": number}


@dataclass(frozen=True)
class Problem:
    location: str
    field: str
    message: str

    def __str__(self):
        where = self.location
        if self.field:
            where = _("%(location)s, %(field)s") % {
                "location": self.location,
                "field": self.field,
            }
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


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

    def __init__(self, root):
        from pathlib import Path

        self.root = Path(root).resolve()

    def resolve(self, relative: str):
        """The file at a relative path, refusing anything outside the bundle."""
        relative = relative.replace("\\", "/").lstrip("/")
        path = (self.root / PurePosixPath(relative)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


def guess_kind(name: str) -> str:
    mime = mimetypes.guess_type(name)[0] or ""
    if mime == "application/pdf":
        return DigitalObject.Kind.PDF
    for kind in ("image", "audio", "video"):
        if mime.startswith(kind + "/"):
            return kind
    return ""


# Import writes go straight to prepared statements: Django's bulk_create and
# bulk_update build SQL per value (bulk_update a CASE per field and row), which
# at a million rows costs more than the database itself. Values still pass
# through each field's own conversion, so every database gets what it expects.
INSERT_FIELDS = list(Record._meta.concrete_fields)
UPDATE_FIELDS = [
    Record._meta.get_field(name)
    for name in (
        *DESCRIPTIVE_FIELDS,
        "parent",
        "path",
        "depth",
        "reference_code",
        "fonds_code",
        "series_code",
        "file_number",
        "item_number",
        "last_import",
        "updated_at",
    )
]
MAX_LENGTHS = {
    name: Record._meta.get_field(name).max_length
    for name in DESCRIPTIVE_FIELDS
    if getattr(Record._meta.get_field(name), "max_length", None)
}


def _sql(statement):
    quote = connection.ops.quote_name
    table = quote(Record._meta.db_table)
    if statement == "insert":
        columns = ", ".join(quote(f.column) for f in INSERT_FIELDS)
        marks = ", ".join(["%s"] * len(INSERT_FIELDS))
        return f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in UPDATE_FIELDS)
    return f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608


INSERT, UPDATE = "insert", "update"


def values_for(record, fields, now):
    values = []
    for model_field in fields:
        if getattr(model_field, "auto_now", False) or (
            getattr(model_field, "auto_now_add", False) and record._state.adding
        ):
            setattr(record, model_field.attname, now)
        value = getattr(record, model_field.attname)
        values.append(model_field.get_db_prep_save(value, connection))
    return values


def write_rows(statement, rows):
    if not rows:
        return
    sql = _sql(statement)
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


class _Importer:
    def __init__(self, repository, report, bundle, user, run):
        self.repository = repository
        self.report = report
        self.bundle = bundle
        self.user = user
        self.run = run
        self.skipped_codes = set()  # only the rows left out: a small share
        self.moved = []
        self.stored_files = []  # deleted again if the import is rolled back

    # Validation --------------------------------------------------------------

    def check(self, row: RecordRow):
        problems = []

        def problem(field_name, message):
            problems.append(Problem(row.location, field_name, message))

        try:
            row.reference_code = reference.parse(row.reference_code).code
        except reference.InvalidReferenceCode as error:
            problem(_("reference code"), str(error))
        if row.parent_reference:
            try:
                row.parent_reference = reference.parse(row.parent_reference).code
            except reference.InvalidReferenceCode as error:
                problem(_("parent reference code"), str(error))
        if row.level not in Level.values:
            problem(_("level"), _("unknown level %(level)r") % {"level": row.level})
        if not (row.title or "").strip():
            problem(_("title"), _("a title is required"))
        if row.access_status not in AccessStatus.values:
            problem(
                _("access status"),
                _("unknown access status %(status)r") % {"status": row.access_status},
            )
        if row.date_start and row.date_end and row.date_start > row.date_end:
            problem(_("date"), _("the end date is before the start date"))
        for name, limit in MAX_LENGTHS.items():
            value = getattr(row, name)
            if isinstance(value, str) and len(value) > limit:
                problem(
                    str(Record._meta.get_field(name).verbose_name),
                    _("longer than %(max)d characters") % {"max": limit},
                )
        if row.page_count is not None and row.page_count < 0:
            problem(_("pages"), _("must not be negative"))
        if self.bundle is None and (
            row.digital_objects or any(p.image for p in row.pages)
        ):
            problem(
                _("digital objects"),
                _("files are referenced but none came with the import"),
            )
        elif self.bundle is not None:
            for path in [d.path for d in row.digital_objects] + [
                p.image for p in row.pages if p.image
            ]:
                if self.bundle.resolve(path) is None:
                    problem(
                        _("digital objects"),
                        _("file not found: %(path)s") % {"path": path},
                    )
        return problems

    # Writing -----------------------------------------------------------------

    def process(self, rows: list[RecordRow]):
        valid = []
        seen = set()
        for row in rows:
            problems = self.check(row)
            if row.reference_code in seen:
                problems.append(
                    Problem(
                        row.location,
                        _("reference code"),
                        _("%(code)s appears twice in this import")
                        % {"code": row.reference_code},
                    )
                )
            seen.add(row.reference_code)
            for found in problems:
                self.report.add_problem(found)
            if not problems:
                valid.append(row)
        if not self.report.ok:
            # Keep reading to report every problem, but write nothing more.
            return

        codes = {row.reference_code for row in valid} | {
            row.parent_reference for row in valid if row.parent_reference
        }
        known = {
            record.reference_code: record
            for record in Record.objects.filter(
                repository=self.repository, reference_code__in=codes
            ).only(
                "id",
                "reference_code",
                "path",
                "parent_id",
                "access_status",
                "last_import",
            )
        }
        for row in valid:
            existing = known.get(row.reference_code)
            if existing is not None and existing.last_import == self.run:
                self.report.add_problem(
                    Problem(
                        row.location,
                        _("reference code"),
                        _("%(code)s appears twice in this import")
                        % {"code": row.reference_code},
                    )
                )
        if not self.report.ok:
            return

        batch = {}  # reference code -> Record, in file order
        new_rows = [row for row in valid if row.reference_code not in known]
        ids = iter(reserve_ids(len(new_rows)))
        to_create, to_update, files = [], [], []
        for row in valid:
            if row.parent_reference in self.skipped_codes:
                self.skip(row, _("its parent is not open"))
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
            if row.access_status != AccessStatus.OPEN and existing is None:
                self.skip(
                    row,
                    _("access status %(status)s")
                    % {"status": AccessStatus(row.access_status).label},
                )
                continue
            record = existing or Record(pk=next(ids), repository=self.repository)
            old_path = record.path if existing else None
            if (
                existing
                and existing.access_status == AccessStatus.OPEN
                and (row.access_status != AccessStatus.OPEN)
            ):
                self.report.closed_existing += 1
            self.fill(record, row, parent)
            if existing:
                to_update.append(record)
                if old_path != record.path:
                    self.moved.append((record, old_path))
            else:
                to_create.append(record)
            if row.opening_date and row.opening_date > timezone.localdate():
                self.report.not_yet_open += 1
            batch[row.reference_code] = record
            if row.digital_objects or row.pages:
                files.append((record, row))
        if not self.report.ok:
            return
        now = timezone.now()
        write_rows(
            INSERT, [values_for(record, INSERT_FIELDS, now) for record in to_create]
        )
        write_rows(
            UPDATE,
            [
                values_for(record, UPDATE_FIELDS, now) + [record.pk]
                for record in to_update
            ],
        )
        for record in to_create:
            record._state.adding = False
        self.report.created += len(to_create)
        self.report.updated += len(to_update)
        if not self.report.dry_run:
            for record, row in files:
                self.attach_files(record, row)

    def skip(self, row, reason):
        self.skipped_codes.add(row.reference_code)
        self.report.skipped[reason] += 1

    def fill(self, record, row, parent):
        for name in DESCRIPTIVE_FIELDS:
            setattr(record, name, getattr(row, name))
        record.set_reference_code(row.reference_code)
        record.parent = parent
        record.path = parent.path + segment(parent.pk) if parent else ""
        record.depth = len(record.path) // len(segment(0))
        record.last_import = self.run

    def attach_files(self, record, row):
        """Replace the record's files and page texts with the bundle's."""
        for previous in record.digital_objects.all():
            previous.file.delete(save=False)
        record.digital_objects.all().delete()
        record.pages.all().delete()
        objects = {}
        position = 0
        for item in row.digital_objects:
            position += 1
            objects[item.path] = self.store(
                record, item.path, position, item.kind, item.label
            )
        texts = []
        for page in row.pages:
            image = None
            if page.image:
                image = objects.get(page.image)
                if image is None:
                    position += 1
                    image = self.store(record, page.image, position, "", "")
                    objects[page.image] = image
            texts.append(
                PageText(
                    record=record,
                    page_number=page.page_number,
                    digital_object=image,
                    text=page.text,
                )
            )
        PageText.objects.bulk_create(texts)

    def store(self, record, relative, position, kind, label):
        source = self.bundle.resolve(relative)
        name = f"{self.repository.code}/{record.reference_code}/{source.name}"
        with source.open("rb") as handle:
            saved = FILES.save(name, File(handle))
        self.stored_files.append(saved)
        return DigitalObject.objects.create(
            record=record,
            position=position,
            kind=kind or guess_kind(source.name) or DigitalObject.Kind.IMAGE,
            file=saved,
            label=label,
        )

    def finish(self):
        for record, old_path in self.moved:
            record._move_descendants(old_path)
        Record.objects.filter(repository=self.repository).refresh_gate()


def import_records(
    rows: Iterable[RecordRow | Problem],
    repository: Repository,
    *,
    dry_run: bool = False,
    bundle: Bundle | None = None,
    user=None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Validate and write `rows` into `repository`, all or nothing."""
    report = ImportReport(dry_run=dry_run)
    importer = _Importer(repository, report, bundle, user, uuid.uuid4().hex)
    with transaction.atomic():
        for chunk in batched(rows, batch_size):
            records = []
            for row in chunk:
                if isinstance(row, Problem):
                    report.add_problem(row)
                else:
                    records.append(row)
            report.rows += len(records)
            importer.process(records)
            if progress:
                progress(report.rows)
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
