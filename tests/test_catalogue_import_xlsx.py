"""Excel workbooks (.xlsx) of catalogues: title rows, merged cells, numbers, dates."""

import datetime
import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from catalogue.importers import sources, xlsx
from catalogue.importers.base import Notice, Problem, RecordRow, import_records
from catalogue.importers.csv import TEMPLATE_COLUMNS
from catalogue.importers.xlsx import count_rows, read_xlsx, template_workbook
from catalogue.models import ImportJob, Record
from tests.factories import RepositoryFactory, UserFactory

TITLE = "滨江市档案馆 文书档案目录"
HEADER = ["档号", "层级", "题名", "保管期限", "日期", "页数", "开放标识"]


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions read the messages in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def repository(db):
    return RepositoryFactory(code="120101", name="滨江市档案馆")


def workbook(path, rows, *, merges=(), title=TITLE, formats=None, sheet="目录"):
    """An .xlsx as archive systems export it: a merged title row, a blank
    row, then the header (row 3) and `rows` from row 4."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    width = len(rows[0]) if rows else len(HEADER)
    if title:
        ws.cell(row=1, column=1, value=title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.append([])
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    for coordinate, number_format in (formats or {}).items():
        ws[coordinate].number_format = number_format
    book.save(path)
    return path


def catalogue_rows():
    return [
        HEADER,
        ["J0001", "全宗", "滨江海关", "永久", "1949—1985", None, "开放"],
        ["J0001-001", "目录", "总务类", "永久", None, None, "开放"],
        ["J0001-001-0001", "案卷", "码头扩建来往文书", "长期", 1956.0, 48.0, "开放"],
        ["J0001-001-0002", "案卷", "海关人事任免", None, None, 12, "开放"],
        ["J0001-001-0003", "案卷", "关税征收统计", None, None, None, "开放"],
        [
            "J0001-001-0001-0001",
            "件",
            "滨江海关关于码头扩建工程的呈文",
            "永久",
            datetime.datetime(1956, 3, 12),
            6,
            "开放",
        ],
    ]


def read(path, **kwargs):
    return list(read_xlsx(path, **kwargs))


def records_of(path, **kwargs):
    items = read(path, **kwargs)
    problems = [i for i in items if isinstance(i, Problem)]
    assert not problems, problems
    return {i.reference_code: i for i in items if isinstance(i, RecordRow)}


def problems_of(path, **kwargs):
    return [i for i in read(path, **kwargs) if isinstance(i, Problem)]


def patch_part(path, part, change):
    """Rewrite one part of a workbook, as other programs write it."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            target.writestr(info, change(data) if info.filename == part else data)


# Title rows, merged cells, numbers, dates ----------------------------------------


def test_title_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows())

    rows = records_of(path)

    assert list(rows) == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
        "J0001-001-0002",
        "J0001-001-0003",
        "J0001-001-0001-0001",
    ]
    assert rows["J0001"].location == "目录.xlsx, row 4"
    assert rows["J0001-001-0001-0001"].location == "目录.xlsx, row 9"
    assert rows["J0001-001-0001-0001"].parent_reference == "J0001-001-0001"


def test_a_value_merged_down_is_read_in_every_row_it_covers(tmp_path):
    # 保管期限 长期 in D6, merged over the two files below it.
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows(), merges=["D6:D8"])

    rows = records_of(path)

    assert [rows[f"J0001-001-000{n}"].retention_period for n in (1, 2, 3)] == [
        "长期",
        "长期",
        "长期",
    ]
    assert rows["J0001-001-0001-0001"].retention_period == "永久"  # below the merge


def test_a_merge_across_columns_fills_only_its_first_column(tmp_path):
    rows = catalogue_rows()[:2]
    rows[1][3:5] = ["永久", None]
    path = workbook(tmp_path / "目录.xlsx", rows, merges=["D4:E4"])

    [row] = records_of(path).values()

    assert (row.retention_period, row.date_expression) == ("永久", "")


def test_a_merge_running_past_the_last_row_adds_no_rows(tmp_path):
    rows = catalogue_rows()[:3]
    path = workbook(tmp_path / "目录.xlsx", rows, merges=["D5:D20"])

    assert list(records_of(path)) == ["J0001", "J0001-001"]


def test_merges_are_found_across_the_chunks_of_the_sheet(tmp_path, monkeypatch):
    rows = [HEADER] + [
        [f"J{n:04d}", "全宗", f"全宗{n}", "永久" if n % 2 else None, None, None, "开放"]
        for n in range(1, 301)
    ]
    merges = [f"D{row}:D{row + 1}" for row in range(4, 303, 2)]
    path = workbook(tmp_path / "目录.xlsx", rows, merges=merges)
    monkeypatch.setattr(xlsx, "SCAN_CHUNK", 100)  # each element cut somewhere

    rows = records_of(path)

    assert len(rows) == 300
    assert {row.retention_period for row in rows.values()} == {"永久"}


def test_whole_floats_are_integers_and_dates_are_iso(tmp_path):
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows())

    rows = records_of(path)

    file = rows["J0001-001-0001"]
    assert (file.date_expression, file.page_count) == ("1956", 48)
    item = rows["J0001-001-0001-0001"]
    assert item.date_expression == "1956-03-12"
    assert item.date_start == item.date_end == datetime.date(1956, 3, 12)


def test_a_date_serial_in_a_chinese_date_format_is_a_date(tmp_path):
    # Chinese Excel and WPS write the built-in format 31 (yyyy"年"m"月"d"日")
    # without defining it; openpyxl alone would read the serial as a number.
    rows = catalogue_rows()[:2]
    rows[1][4] = 20526  # 1956-03-12
    path = workbook(tmp_path / "目录.xlsx", rows, formats={"E4": 'yyyy"年"m"月"d"日"'})

    def builtin_31(styles):
        styles = re.sub(rb"<numFmts.*?</numFmts>", b"", styles, flags=re.S)
        return styles.replace(b'numFmtId="164"', b'numFmtId="31"')

    patch_part(path, "xl/styles.xml", builtin_31)

    [row] = records_of(path).values()
    assert row.date_expression == "1956-03-12"


def test_a_sheet_that_records_a_wrong_size_is_read_whole(tmp_path):
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows())
    patch_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', xml),
    )

    assert len(records_of(path)) == 6


# Reference codes stored as numbers ------------------------------------------------


def test_a_numeric_reference_code_is_refused_with_the_text_format_advice(tmp_path):
    rows = catalogue_rows()[:3]
    rows.append([1, "件", "呈文", None, None, None, "开放"])
    path = workbook(tmp_path / "目录.xlsx", rows)

    problems = problems_of(path)

    numeric = [p for p in problems if "as a number" in p.message]
    assert [(p.location, p.field) for p in numeric] == [("目录.xlsx, row 6", "档号")]
    assert "(1)" in numeric[0].message
    assert "format the column as text" in numeric[0].message
    assert "leading zeros" in numeric[0].message


def test_a_numeric_parent_code_and_a_code_excel_made_a_date_are_refused(tmp_path):
    rows = [
        ["档号", "上级档号", "层级", "题名", "开放标识"],
        ["J0001", None, "全宗", "滨江海关", "开放"],
        ["J0001-002-1", 2.0, "件", "呈文", "开放"],
        [datetime.datetime(2001, 2, 1), "J0001", "目录", "总务类", "开放"],
    ]
    path = workbook(tmp_path / "目录.xlsx", rows, title=None)

    problems = {(p.location, p.field): p.message for p in problems_of(path)}

    assert "as a number (2)" in problems[("目录.xlsx, row 3", "上级档号")]
    assert "into a date (2001-02-01)" in problems[("目录.xlsx, row 4", "档号")]


def test_a_problem_in_the_header_is_placed_in_the_header_row(tmp_path):
    rows = catalogue_rows()[:2]
    rows[0] = [*HEADER, "盒号"]
    rows[1].append("1")
    path = workbook(tmp_path / "目录.xlsx", rows)

    [problem] = problems_of(path)

    assert (problem.location, problem.field) == ("目录.xlsx, row 3", "盒号")
    assert "unknown column" in problem.message


def test_a_sheet_without_a_header_says_so(tmp_path):
    path = workbook(tmp_path / "目录.xlsx", [["说明"], ["本表为示例"]], title=None)

    [problem] = problems_of(path)

    assert "no header row" in problem.message


# Sheets ---------------------------------------------------------------------------


def test_the_first_sheet_that_looks_like_a_catalogue_is_read(tmp_path):
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按下表填写，档号列设为文本格式。"])
    catalogue = book.create_sheet("文书目录")
    for row in catalogue_rows()[:3]:
        catalogue.append(row)
    other = book.create_sheet("照片目录")
    other.append(HEADER)
    path = tmp_path / "目录.xlsx"
    book.save(path)

    items = read(path)

    records = [i for i in items if isinstance(i, RecordRow)]
    assert [r.reference_code for r in records] == ["J0001", "J0001-001"]
    assert records[0].location == "目录.xlsx, row 2"
    notices = [str(i) for i in items if isinstance(i, Notice)]
    assert any("“填表说明” has no header row" in n for n in notices)
    assert any("“照片目录”" in n and "only the sheet “文书目录”" in n for n in notices)


def test_an_empty_workbook_and_a_header_alone(tmp_path):
    empty = tmp_path / "空.xlsx"
    Workbook().save(empty)
    [problem] = read(empty)
    assert problem.message == "the file is empty"

    header_only = workbook(tmp_path / "表头.xlsx", [HEADER])
    assert read(header_only) == []


# AtoM's template ------------------------------------------------------------------


def test_atoms_template_in_a_workbook(tmp_path):
    rows = [
        ["legacyId", "parentId", "identifier", "title", "levelOfDescription"]
        + ["eventStartDates", "eventEndDates", "accessConditions", "culture"],
        [1, None, "J0004", "滨江纺织厂", "Fonds", "1950-00-00", "1990-00-00"]
        + ["开放", "zh"],
        [2, 1, "001", "生产计划", "Series", datetime.date(1951, 1, 1), None]
        + ["开放", "zh"],
    ]
    path = workbook(tmp_path / "atom.xlsx", rows, title=None)

    rows = records_of(path)

    assert list(rows) == ["J0004", "J0004-001"]
    series = rows["J0004-001"]
    assert (series.parent_reference, series.level) == ("J0004", "series")
    assert series.date_start == datetime.date(1951, 1, 1)


def test_a_numeric_atom_identifier_is_refused(tmp_path):
    rows = [
        ["legacyId", "parentId", "identifier", "title", "levelOfDescription"],
        [1, None, "J0004", "滨江纺织厂", "Fonds"],
        [2, 1, 1, "生产计划", "Series"],
    ]
    path = workbook(tmp_path / "atom.xlsx", rows, title=None)

    [problem] = [p for p in problems_of(path) if "as a number" in p.message]

    assert (problem.location, problem.field) == ("atom.xlsx, row 3", "identifier")


# Files that are not workbooks -----------------------------------------------------


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            "档号,层级,题名,开放标识\nJ0001,全宗,滨江海关,开放\n".encode(),
            "name it .csv",
        ),
        (OLE2 + b"\x00" * 600, "old Excel 97–2003 workbook (.xls)"),
        (
            OLE2 + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"),
            "protected by a password",
        ),
        (zip_bytes([("readme.txt", b"hello")]), "not a readable Excel workbook"),
        (
            zip_bytes(
                [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]
            ),
            "OpenDocument spreadsheet (.ods)",
        ),
        (b"PK\x03\x04" + b"\x00" * 100, "not a readable Excel workbook"),
        (b"", "not an Excel workbook"),
    ],
    ids=["csv", "xls", "encrypted", "zip", "ods", "broken-zip", "empty-file"],
)
def test_a_file_that_is_not_a_workbook_gives_one_problem(tmp_path, content, words):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(content)

    [problem] = read(path)

    assert isinstance(problem, Problem)
    assert (problem.location, problem.field) == ("目录.xlsx", "")
    assert words in problem.message
    assert count_rows(path) is None


def test_the_problem_is_in_the_editors_language(tmp_path):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(zip_bytes([("readme.txt", b"hello")]))

    with translation.override("zh-hans"):
        [problem] = read(path)

    assert "Excel" in problem.message
    assert re.search(r"[\u4e00-\u9fff]", problem.message), problem.message
    assert "zip" not in problem.message.casefold()  # nothing of the library's text


def test_a_sheet_damaged_after_some_rows_names_where_reading_stopped(tmp_path):
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows())
    patch_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<row r="6"', b'<row r="6"<<'),
    )

    items = read(path)

    assert [i.reference_code for i in items if isinstance(i, RecordRow)] == [
        "J0001",
        "J0001-001",
    ]
    assert "“目录” is damaged" in items[-1].message
    assert items[-1].location == "目录.xlsx, row 5"


# Memory ---------------------------------------------------------------------------


def test_reading_is_streamed_in_flat_memory(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("目录")
    sheet.append(["档号", "层级", "题名", "开放标识"])
    sheet.append(["J0001", "全宗", "滨江海关", "开放"])
    title = "滨江海关关于码头扩建工程与进出口货物监管的来往文书" * 3
    for n in range(1, 6001):
        sheet.append([f"J0001-{n:05d}", "目录", f"{title}{n}", "开放"])
    path = tmp_path / "目录.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 5_000_000
    list(read_xlsx(workbook(tmp_path / "小.xlsx", catalogue_rows())))  # warm up

    tracemalloc.start()
    try:
        held = {}
        for count, _row in enumerate(read_xlsx(path), start=1):
            if count in (1000, 6000):
                held[count] = tracemalloc.get_traced_memory()[0]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert count == 6001
    # Nothing is kept of the 5,000 rows read in between (openpyxl alone would
    # keep some 80 bytes of each), and the whole read needs a few buffers.
    assert held[6000] - held[1000] < 150_000
    assert peak < 3_000_000


# The template ---------------------------------------------------------------------


def test_the_template_workbook_reads_back_to_records(tmp_path):
    path = tmp_path / "catalogue-template.xlsx"
    path.write_bytes(template_workbook())

    items = read(path)

    assert [type(i) for i in items] == [RecordRow, RecordRow]
    fonds, file = items
    assert (fonds.reference_code, fonds.level, fonds.title) == (
        "J0001",
        "fonds",
        "滨江海关",
    )
    assert (file.reference_code, file.parent_reference, file.page_count) == (
        "J0001-001-0001",
        "J0001",
        48,
    )
    assert count_rows(path) == 2


def test_the_template_has_every_column_and_keeps_codes_as_text(tmp_path):
    path = tmp_path / "catalogue-template.xlsx"
    path.write_bytes(template_workbook())
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    assert header == [names[0] for names in TEMPLATE_COLUMNS.values()]
    assert sheet["A1"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"


# Importing ------------------------------------------------------------------------


def test_a_workbook_imports_into_the_repository(repository, tmp_path):
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows(), merges=["D6:D8"])

    report = import_records(read_xlsx(path), repository)

    assert report.committed, report.lines()
    assert report.created == 6
    item = Record.objects.get(reference_code="J0001-001-0001-0001")
    assert [a.reference_code for a in item.ancestors()] == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
    ]
    assert (item.level, item.title, item.page_count) == (
        "item",
        "滨江海关关于码头扩建工程的呈文",
        6,
    )
    assert (item.date_expression, item.date_start) == (
        "1956-03-12",
        datetime.date(1956, 3, 12),
    )
    retention = dict(
        Record.objects.filter(level="file").values_list(
            "reference_code", "retention_period"
        )
    )
    assert retention == {
        "J0001-001-0001": "长期",
        "J0001-001-0002": "长期",
        "J0001-001-0003": "长期",
    }


def test_a_workbook_with_a_numeric_code_imports_nothing(repository, tmp_path):
    rows = catalogue_rows()
    rows[2][0] = 1
    path = workbook(tmp_path / "目录.xlsx", rows)

    report = import_records(read_xlsx(path), repository)

    assert not report.ok
    assert Record.objects.count() == 0
    assert any("format the column as text" in line for line in report.lines())


def run_command(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_workbook_and_counts_its_rows(repository, tmp_path):
    path = workbook(tmp_path / "目录.xlsx", catalogue_rows())

    out, err = run_command(str(path), repository="120101", progress=True, language="en")

    assert Record.objects.count() == 6
    assert "Rows read: 6 of 6 (100%)" in err
    assert "Records created: 6" in out


def test_the_command_refuses_a_renamed_old_workbook_in_the_editors_words(
    repository, tmp_path
):
    path = tmp_path / "目录.xls"
    path.write_bytes(OLE2 + b"\x00" * 600)
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_catalogue",
            str(path),
            repository="120101",
            language="en",
            stdout=out,
            stderr=io.StringIO(),
        )

    assert "目录.xls: this is an old Excel 97–2003 workbook" in out.getvalue()


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is(repository, tmp_path):
    path = workbook(tmp_path / "目录.csv", catalogue_rows())

    assert sources.count_rows(path, "csv") == 6
    run_command(str(path), repository="120101")

    assert Record.objects.count() == 6


def test_a_bundle_with_a_workbook_and_excels_lock_file(repository, tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    workbook(bundle / "目录.xlsx", catalogue_rows())
    (bundle / "~$目录.xlsx").write_bytes(b"\x00" * 165)  # Excel has it open

    run_command(str(bundle), repository="120101", format="xlsx")

    assert Record.objects.count() == 6


def test_an_editor_uploads_a_workbook_in_the_admin(client, repository, tmp_path):
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    content = Path(workbook(tmp_path / "目录.xlsx", catalogue_rows())).read_bytes()

    client.post(
        "/admin/catalogue/import/",
        {"repository": repository.pk, "file": SimpleUploadedFile("目录.xlsx", content)},
        follow=True,
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.report
    assert Record.objects.filter(repository=repository).count() == 6


# openpyxl's words are not the report's ----------------------------------------


def test_a_damaged_workbook_is_refused_in_the_reports_language(tmp_path):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(zip_bytes([("xl/workbook.xml", b"<workbook>")]))
    with pytest.raises(KeyError, match="There is no item named"):
        from openpyxl import load_workbook

        load_workbook(path, read_only=True)  # what openpyxl says, in English

    with translation.override("zh-hans"):
        [problem] = problems_of(path)
        missing = problems_of(tmp_path / "不在.xlsx")

    assert "There is no item named" not in problem.message
    assert problem.location == "目录.xlsx"
    [missing] = missing
    assert "No such file" not in missing.message
    assert missing.message.startswith("无法打开文件")


def test_a_workbook_with_only_a_header_holds_no_records(repository, tmp_path):
    path = workbook(tmp_path / "目录.xlsx", [HEADER])
    report = import_records(read_xlsx(path), repository)
    assert [p.message for p in report.problems] == [
        "the file holds no records: there is nothing below its header"
    ]
    # The header's problems are placed in its row, a header and not a record.
    path = workbook(tmp_path / "目录.xlsx", [[*HEADER, "颜色"], catalogue_rows()[1]])
    [problem] = import_records(read_xlsx(path), repository).as_data()["problems"]
    assert (problem["unit"], problem["number"]) == ("header", 3)


def test_a_row_with_a_problem_and_a_record_is_read_once(repository, tmp_path):
    rows = catalogue_rows()
    rows.append([1, "件", "呈文", None, None, None, "开放"])  # a numeric code
    path = workbook(tmp_path / "目录.xlsx", rows)

    report = import_records(read_xlsx(path), repository)

    assert [p.location for p in report.problems][:1] == ["目录.xlsx, row 10"]
    assert report.rows == len(rows) - 1 == 7
