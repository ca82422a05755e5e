"""The importers' shared core: validate all, write all or nothing."""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

from catalogue.importers.base import (
    Bundle,
    DigitalObjectRow,
    PageRow,
    Problem,
    RecordRow,
    import_records,
)
from catalogue.models import Record
from tests.factories import RepositoryFactory


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions read the messages in English, the source language."""
    with translation.override("en"):
        yield


def row(code, level, title="关于码头扩建工程的呈文", parent="", n=1, **fields):
    # Rows made by a program carry their status; readers give words instead.
    fields.setdefault("access_status", "open")
    return RecordRow(
        location=f"目录.csv, row {n}",
        reference_code=code,
        parent_reference=parent,
        level=level,
        title=title,
        **fields,
    )


def small_fonds():
    return [
        row("J0001", "fonds", "滨江海关", n=1),
        row("J0001-001", "series", "总务类", parent="J0001", n=2),
        row("J0001-001-0001", "file", "码头扩建", parent="J0001-001", n=3),
        row("J0001-001-0001-0001", "item", "呈文", parent="J0001-001-0001", n=4),
        row("J0001-001-0001-0002", "item", "批复", parent="J0001-001-0001", n=5),
    ]


@pytest.fixture
def repository(db):
    return RepositoryFactory(code="120101")


def test_imports_a_hierarchy_with_paths_and_the_gate(repository):
    report = import_records(small_fonds(), repository, batch_size=2)
    assert report.committed, report.lines()
    assert (report.created, report.updated) == (5, 0)
    item = Record.objects.get(reference_code="J0001-001-0001-0002")
    assert [a.reference_code for a in item.ancestors()] == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
    ]
    assert Record.objects.public().count() == 5


def test_importing_again_updates_in_place(repository):
    import_records(small_fonds(), repository)
    rows = small_fonds()
    rows[2].title = "码头扩建工程"
    report = import_records(rows, repository)
    assert (report.created, report.updated) == (0, 5)
    assert Record.objects.count() == 5
    assert Record.objects.get(reference_code="J0001-001-0001").title == "码头扩建工程"


def test_closed_rows_and_everything_below_them_are_left_out(repository):
    rows = small_fonds()
    rows[2].access_status = "closed"
    report = import_records(rows, repository)
    assert report.committed
    assert report.created == 2
    assert sum(report.skipped.values()) == 3
    assert not Record.objects.filter(reference_code__startswith="J0001-001-0001")
    assert len(report.skipped) == 2  # closed itself; below a closed record


def test_closing_a_published_record_takes_it_off_the_public(repository):
    import_records(small_fonds(), repository)
    rows = small_fonds()
    rows[1].access_status = "closed"
    report = import_records(rows, repository)
    assert report.closed_existing == 1
    assert Record.objects.public().count() == 1  # only the fonds


def test_one_bad_row_means_nothing_is_imported(repository):
    rows = small_fonds()
    rows[3].level = "box"
    rows[4].title = ""
    report = import_records(rows, repository, batch_size=2)
    assert not report.committed
    assert Record.objects.count() == 0
    assert [p.location for p in report.problems] == [
        "目录.csv, row 4",
        "目录.csv, row 5",
    ]


def test_parser_problems_abort_the_import_too(repository):
    rows = [*small_fonds(), Problem("目录.csv, row 6", "日期", "无法识别的日期")]
    report = import_records(rows, repository)
    assert not report.committed
    assert Record.objects.count() == 0


def test_a_code_twice_in_one_file_is_an_error_even_across_batches(repository):
    rows = [*small_fonds(), row("J0001-001", "series", parent="J0001", n=6)]
    report = import_records(rows, repository, batch_size=2)
    assert not report.committed
    assert "J0001-001" in str(report.problems[0])


def test_a_parent_that_is_nowhere_is_an_error(repository):
    report = import_records([row("J0002-001", "series", parent="J0002")], repository)
    assert not report.committed
    assert "J0002" in str(report.problems[0])


def test_a_dry_run_reports_and_writes_nothing(repository):
    report = import_records(small_fonds(), repository, dry_run=True)
    assert report.ok and not report.committed
    assert report.created == 5
    assert Record.objects.count() == 0


def test_future_opening_dates_are_stored_but_not_yet_public(repository):
    rows = small_fonds()
    rows[4].opening_date = datetime.date(2099, 1, 1)
    report = import_records(rows, repository)
    assert report.not_yet_open == 1
    assert Record.objects.count() == 5
    assert Record.objects.public().count() == 4


def test_files_and_page_texts_come_from_the_bundle(repository, tmp_path):
    bundle = tmp_path / "bundle"
    (bundle / "scans").mkdir(parents=True)
    (bundle / "scans" / "0001.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    rows = small_fonds()
    rows[3].pages = [PageRow(1, "滨江海关呈文：码头扩建", image="scans/0001.png")]
    rows[3].digital_objects = [DigitalObjectRow("scans/0001.png", label="第1页")]
    report = import_records(rows, repository, bundle=Bundle(bundle))
    assert report.committed, report.lines()
    item = Record.objects.get(reference_code="J0001-001-0001-0001")
    page = item.pages.get()
    assert page.text == "滨江海关呈文：码头扩建"
    assert page.digital_object.label == "第1页"
    stored = page.digital_object.file
    assert stored.storage.exists(stored.name)
    # Never under MEDIA_ROOT, which the embedded set-up serves to anyone.
    assert str(settings.CATALOGUE_FILES_ROOT) in stored.path


def test_a_missing_or_escaping_file_is_an_error(repository, tmp_path):
    rows = small_fonds()
    rows[3].digital_objects = [DigitalObjectRow("../../etc/passwd")]
    report = import_records(rows, repository, bundle=Bundle(tmp_path))
    assert not report.committed
    assert "../../etc/passwd" in str(report.problems[0])


def test_a_value_too_long_for_its_field_is_reported_not_crashed_on(repository):
    rows = small_fonds()
    rows[1].retention_period = "永久" * 20
    report = import_records(rows, repository)
    assert not report.committed
    assert report.problems[0].location == "目录.csv, row 2"
    assert Record.objects.count() == 0
