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


# A file without records ------------------------------------------------------


def header_only_workbook(path, header, title=False):
    from openpyxl import Workbook

    book = Workbook()
    if title:  # a title row above the header, as archive systems write
        book.active.append(["滨江市档案馆 文书档案目录"])
    book.active.append(header)
    book.save(path)
    return path


FILES_WITHOUT_RECORDS = {
    "template.csv": lambda path: path.write_text("档号,上级档号,层级,题名,开放标识\n"),
    "atom.csv": lambda path: path.write_text(
        "legacyId,parentId,identifier,title,levelOfDescription\n"
    ),
    "blank-rows.csv": lambda path: path.write_text("档号,层级,题名,开放标识\n,,,\n\n"),
    "template.xlsx": lambda path: header_only_workbook(
        path, ["档号", "层级", "题名", "开放标识"]
    ),
    "titled.xlsx": lambda path: header_only_workbook(
        path, ["档号", "层级", "题名", "开放标识"], title=True
    ),
}


@pytest.mark.parametrize("name", FILES_WITHOUT_RECORDS)
def test_a_file_without_records_is_a_problem_for_every_table_reader(
    repository, tmp_path, name
):
    from catalogue.importers.sources import read_rows

    path = tmp_path / name
    FILES_WITHOUT_RECORDS[name](path)
    fmt = "xlsx" if name.endswith(".xlsx") else "csv"

    report = import_records(read_rows(path, fmt, None), repository)

    assert not report.ok
    assert report.status == "problems"
    assert [str(p) for p in report.problems] == [
        "the file holds no records: there is nothing below its header"
    ]
    assert report.lines()[-1] == str(report.problems[0])


def test_a_finding_aid_without_a_title_or_components_is_refused(repository, tmp_path):
    from catalogue.importers.ead import read_ead

    path = tmp_path / "空.xml"
    path.write_text(
        '<ead xmlns="urn:isbn:1-931666-22-9"><eadheader><eadid>X1</eadid>'
        '</eadheader><archdesc level="fonds"><did/></archdesc></ead>'
    )
    report = import_records(read_ead(path), repository, default_access="open")
    assert [(p.field, p.message) for p in report.problems] == [
        ("title", "a title is required")
    ]
    # With a title, the fonds alone is a record (a positive control).
    path.write_text(
        path.read_text().replace("<did/>", "<did><unittitle>海关</unittitle></did>")
    )
    report = import_records(read_ead(path), repository, default_access="open")
    assert report.committed, report.lines()
    assert report.created == 1


def test_records_that_are_all_left_out_are_no_problem_but_nothing_imported(
    repository,
):
    report = import_records([row("J0001", "fonds", access_status="closed")], repository)
    assert report.ok
    assert report.status == "nothing"
    assert not Record.objects.exists()


# The report as data ---------------------------------------------------------


def test_the_report_as_data_keeps_file_and_number_apart(repository, tmp_path):
    from catalogue.importers.csv import read_csv

    path = tmp_path / "目录.csv"
    path.write_text(
        "档号,层级,题名,开放标识\nJ0001,全宗,海关,开放\nJ0001-001,目录,,开放\n"
        "J0002,全宗,商会,待定\n"
    )
    data = import_records(read_csv(path), repository).as_data()

    assert data["status"] == "problems"
    assert data["counts"] == {
        "rows": 3,
        "created": 0,
        "updated": 0,
        "closed_existing": 0,
        "not_yet_open": 0,
        "skipped": 0,
        "review": 0,
        "notices": 0,
        "problems": 1,
    }
    assert data["problems"] == [
        {
            "file": "目录.csv",
            "unit": "row",
            "number": 3,
            "field": "题名",
            "message": "a title is required",
        }
    ]
    path.write_text(
        "档号,层级,题名,开放标识\nJ0001,全宗,海关,开放\nJ0002,全宗,商会,待定\n"
    )
    data = import_records(read_csv(path), repository, dry_run=True).as_data()
    assert data["status"] == "checked"
    assert (data["counts"]["created"], data["counts"]["review"]) == (1, 1)
    [item] = data["review"]
    assert item == {
        "file": "目录.csv",
        "unit": "row",
        "number": 3,
        "field": "开放标识",
        "words": "待定",
        "reason": item["reason"],
    }
    assert item["reason"]
    # The header is a row, but not a record's.
    path.write_text("档号,层级,题名,开放标识,颜色\nJ0001,全宗,海关,开放\n")
    [problem] = import_records(read_csv(path), repository).as_data()["problems"]
    assert (problem["unit"], problem["number"], problem["field"]) == (
        "header",
        1,
        "颜色",
    )


# Importing again: merge by default, replace when asked ------------------------


def described_fonds():
    """The fonds as a finding aid describes it: notes a plain list lacks."""
    return row(
        "J0001",
        "fonds",
        "滨江海关",
        biographical_history="滨江海关设立于1902年。",
        custodial_history="1950年移交市档案馆。",
        date_expression="1902—1949",
        date_start=datetime.date(1902, 1, 1),
        date_end=datetime.date(1949, 12, 31),
    )


def test_importing_again_keeps_what_the_file_leaves_empty(repository):
    assert import_records([described_fonds()], repository).committed
    listed = row("J0001", "fonds", "滨江海关（1902—1949）")

    report = import_records([listed], repository)

    assert report.committed and report.updated == 1, report.lines()
    fonds = Record.objects.get(reference_code="J0001")
    assert fonds.title == "滨江海关（1902—1949）"
    assert fonds.biographical_history == "滨江海关设立于1902年。"
    assert fonds.custodial_history == "1950年移交市档案馆。"
    assert (fonds.date_expression, fonds.date_start, fonds.date_end) == (
        "1902—1949",
        datetime.date(1902, 1, 1),
        datetime.date(1949, 12, 31),
    )


def test_a_field_the_file_gives_is_written_over_the_old_one(repository):
    assert import_records([described_fonds()], repository).committed
    corrected = row("J0001", "fonds", "滨江海关", custodial_history="1951年移交。")

    assert import_records([corrected], repository).committed

    fonds = Record.objects.get(reference_code="J0001")
    assert fonds.custodial_history == "1951年移交。"
    assert fonds.biographical_history == "滨江海关设立于1902年。"


def test_dates_are_kept_or_replaced_together(repository):
    assert import_records([described_fonds()], repository).committed
    # A new expression the reader could not normalise leaves no old range.
    vague = row("J0001", "fonds", "滨江海关", date_expression="清末至民国")

    assert import_records([vague], repository).committed

    fonds = Record.objects.get(reference_code="J0001")
    assert (fonds.date_expression, fonds.date_start, fonds.date_end) == (
        "清末至民国",
        None,
        None,
    )


def test_replace_describes_existing_records_by_the_file_alone(repository):
    assert import_records([described_fonds()], repository).committed
    listed = row("J0001", "fonds", "滨江海关")

    report = import_records([listed], repository, replace=True)

    assert report.committed and report.updated == 1, report.lines()
    fonds = Record.objects.get(reference_code="J0001")
    assert fonds.title == "滨江海关"
    assert fonds.biographical_history == ""
    assert fonds.custodial_history == ""
    assert (fonds.date_expression, fonds.date_start) == ("", None)


def test_the_access_decision_is_always_the_files(repository):
    """Merging never keeps an old access status: a file that closes a record
    closes it, whatever else it leaves empty."""
    assert import_records([described_fonds()], repository).committed
    closed = row("J0001", "fonds", "滨江海关", access_status="closed")

    report = import_records([closed], repository)

    assert report.committed and report.closed_existing == 1, report.lines()
    assert not Record.objects.public().filter(reference_code="J0001").exists()
    assert Record.objects.get(reference_code="J0001").biographical_history
