"""CSV catalogues: our DA/T 18 template and AtoM's ISAD(G) template."""

import codecs
import csv
import datetime
import os
import shutil
import tracemalloc
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.dates import DateError, parse_date
from catalogue.importers.base import Bundle, Problem, RecordRow, import_records
from catalogue.importers.csv import count_rows, read_csv
from catalogue.models import Record
from tests.factories import RepositoryFactory

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"
SHARED_ATOM = (
    Path(__file__).resolve().parents[2]
    / "shared/standards/atom-csv/example_information_objects_isad.csv"
)


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions read the messages in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def repository(db):
    return RepositoryFactory(code="120101")


def rows_of(path, **kwargs):
    return list(read_csv(path, **kwargs))


def problems_of(path, **kwargs):
    return [item for item in read_csv(path, **kwargs) if isinstance(item, Problem)]


def write(tmp_path, text, name="目录.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def codes(**filters):
    return set(
        Record.objects.filter(**filters).values_list("reference_code", flat=True)
    )


# Our template ---------------------------------------------------------------


def test_our_template_imports_a_fonds_series_file_item_hierarchy(repository):
    report = import_records(read_csv(FIXTURES / "template.csv"), repository)

    assert report.committed, report.lines()
    assert report.rows == 13
    assert report.created == 10
    item = Record.objects.get(reference_code="J0001-001-0001-0001")
    assert [(a.reference_code, a.level) for a in item.ancestors()] == [
        ("J0001", "fonds"),
        ("J0001-001", "series"),
        ("J0001-001-0001", "file"),
    ]
    assert item.level == "item"
    assert item.title == "滨江海关关于码头扩建工程的呈文"
    assert item.document_number == "关字第56号"
    assert item.page_count == 6
    assert item.subjects == ["码头", "基本建设"]
    assert item.names == ["王振华"]
    assert item.language == "汉语"
    assert (item.date_expression, item.date_start, item.date_end) == (
        "19560312",
        datetime.date(1956, 3, 12),
        datetime.date(1956, 3, 12),
    )
    file = item.parent
    assert file.creators == ["滨江海关", "滨江市建设局"]
    assert file.title_en == "Correspondence on the extension of the docks"
    assert (file.date_start, file.date_end) == (
        datetime.date(1956, 3, 1),
        datetime.date(1957, 12, 31),
    )


def test_item_level_arrangement_skips_the_file_level(repository):
    import_records(read_csv(FIXTURES / "template.csv"), repository)

    item = Record.objects.get(reference_code="J0001-002-0001")
    assert item.level == "item"
    assert item.parent.reference_code == "J0001-002"
    assert item.parent.level == "series"


def test_the_parent_column_wins_over_the_code(repository):
    import_records(read_csv(FIXTURES / "template.csv"), repository)

    # J0002-001-0001 would be below J0002-001; 上级档号 puts it in the fonds.
    item = Record.objects.get(reference_code="J0002-001-0001")
    assert item.parent.reference_code == "J0002"
    assert (item.date_start, item.date_end) == (
        datetime.date(1941, 5, 1),
        datetime.date(1941, 5, 31),
    )


def test_closed_rows_are_counted_and_left_out_with_their_descendants(repository):
    report = import_records(read_csv(FIXTURES / "template.csv"), repository)

    assert sum(report.skipped.values()) == 3
    assert not codes(reference_code__startswith="J0001-001-0002")
    assert not codes(reference_code="J0001-002-0002")  # 控制使用
    assert any("秘密" in line for line in report.lines())  # its 密级


def test_a_future_opening_date_is_stored_but_not_yet_public(repository):
    report = import_records(read_csv(FIXTURES / "template.csv"), repository)

    later = Record.objects.get(reference_code="J0001-002-0003")
    assert later.opening_date == datetime.date(2099, 1, 1)
    assert report.not_yet_open == 1
    assert not Record.objects.public().filter(pk=later.pk).exists()


def test_english_column_names_and_values_work(repository):
    report = import_records(read_csv(FIXTURES / "template_english.csv"), repository)

    assert report.committed, report.lines()
    assert codes() == {"J0003", "J0003-001", "J0003-001-0001"}
    plan = Record.objects.get(reference_code="J0003-001-0001")
    assert plan.title_en == "Production plan for 1956"
    assert plan.page_count == 8
    assert plan.parent.level == "series"


def test_gb18030_is_detected_and_reads_like_utf8():
    utf8 = rows_of(FIXTURES / "template.csv")
    gb18030 = rows_of(FIXTURES / "template_gb18030.csv")

    assert all(isinstance(row, RecordRow) for row in gb18030)
    assert [r.title for r in gb18030] == [r.title for r in utf8]
    assert gb18030[0].title == "滨江海关"


def test_tab_separated_text_is_read_too(tmp_path):
    path = write(tmp_path, "档号\t层级\t题名\t开放标识\nJ0001\t全宗\t滨江海关\t开放\n")

    [row] = rows_of(path)
    assert (row.reference_code, row.level, row.title) == ("J0001", "fonds", "滨江海关")


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("1956", "1956-01-01", "1956-12-31"),
        ("1956-03", "1956-03-01", "1956-03-31"),
        ("1956-03-12", "1956-03-12", "1956-03-12"),
        ("19560312", "1956-03-12", "1956-03-12"),
        ("19560300", "1956-03-01", "1956-03-31"),
        ("1956.3.12", "1956-03-12", "1956-03-12"),
        ("1956/3/12", "1956-03-12", "1956-03-12"),
        ("1956年3月12日", "1956-03-12", "1956-03-12"),
        ("１９５６年３月", "1956-03-01", "1956-03-31"),
        ("一九五六年三月十二日", "1956-03-12", "1956-03-12"),
        ("民国三十年五月", "1941-05-01", "1941-05-31"),
        ("1949-1956", "1949-01-01", "1956-12-31"),
        ("1949—1956", "1949-01-01", "1956-12-31"),
        ("1949~1956", "1949-01-01", "1956-12-31"),
        ("1949年至1956年", "1949-01-01", "1956-12-31"),
        ("1956-03-12至1957-01", "1956-03-12", "1957-01-31"),
        ("约1950年", "1950-01-01", "1950-12-31"),
        ("[1950]", "1950-01-01", "1950-12-31"),
        # February's length, leap years by the Gregorian rule
        ("1956-02", "1956-02-01", "1956-02-29"),
        ("1957年2月", "1957-02-01", "1957-02-28"),
        ("1900-02", "1900-02-01", "1900-02-28"),
        ("2000-02", "2000-02-01", "2000-02-29"),
    ],
)
def test_dates_as_archivists_write_them_are_normalised(written, start, end):
    assert parse_date(written) == (
        datetime.date.fromisoformat(start),
        datetime.date.fromisoformat(end),
    )


@pytest.mark.parametrize(
    "written", ["1956年13月", "1956-02-30", "1957-02-29", "1956-1949", "秋天"]
)
def test_dates_that_cannot_be_read_are_errors(written):
    with pytest.raises(DateError):
        parse_date(written)


def test_undated_is_no_date_rather_than_an_error():
    assert parse_date("不详") == (None, None)


def test_importing_again_updates_in_place_without_duplicates(repository, tmp_path):
    first = import_records(read_csv(FIXTURES / "template.csv"), repository)
    edited = (FIXTURES / "template.csv").read_text(encoding="utf-8-sig")
    edited = edited.replace("统计类", "统计报表类")
    path = write(tmp_path, edited)
    again = import_records(read_csv(path), repository)

    assert again.committed, again.lines()
    assert (again.created, again.updated) == (0, first.created)
    assert Record.objects.count() == first.created
    assert Record.objects.get(reference_code="J0001-002").title == "统计报表类"


def test_bundle_digital_objects_and_page_texts_are_attached(repository):
    bundle = Bundle(FIXTURES / "bundle")
    rows = read_csv(FIXTURES / "bundle" / "目录.csv", bundle=bundle)
    report = import_records(rows, repository, bundle=bundle)

    assert report.committed, report.lines()
    item = Record.objects.get(reference_code="J0006-001-0001")
    scans = list(item.digital_objects.order_by("position"))
    assert [d.kind for d in scans] == ["image", "image"]
    assert [d.file.read() for d in scans] == [
        (FIXTURES / "bundle" / "scans" / name).read_bytes()
        for name in ("0001.png", "0002.png")
    ]
    pages = list(item.pages.order_by("page_number"))
    assert [p.page_number for p in pages] == [1, 2]
    assert pages[0].text.startswith("滨江市人民政府关于整顿市区交通秩序的通知")
    # Each page's text sits beside its own page image.
    assert [p.digital_object_id for p in pages] == [d.pk for d in scans]


def test_full_text_without_a_bundle_is_a_problem():
    problems = problems_of(FIXTURES / "bundle" / "目录.csv")

    assert [(p.location, p.field) for p in problems] == [("目录.csv, row 4", "全文")]


def test_a_missing_page_text_file_names_its_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "档号,层级,题名,开放标识,全文\nJ0001,全宗,滨江海关,开放,ocr/0009.txt\n",
    )
    [problem] = problems_of(path, bundle=Bundle(tmp_path))

    assert (problem.location, problem.field) == ("目录.csv, row 2", "全文")
    assert "ocr/0009.txt" in problem.message


def test_full_text_files_are_asked_for_ahead_only_inside_the_bundle(
    tmp_path, monkeypatch
):
    from catalogue.importers import fulltext

    asked = []

    def advise(descriptor, *args):
        asked.append(os.readlink(f"/proc/self/fd/{descriptor}"))  # which file

    monkeypatch.setattr(fulltext, "ADVISE", advise)
    bundle = tmp_path / "bundle"
    (bundle / "ocr").mkdir(parents=True)
    (bundle / "ocr" / "0001.txt").write_text("第一页", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the import", encoding="utf-8")
    (bundle / "ocr" / "link.txt").symlink_to(tmp_path / "secret.txt")
    (bundle / "scan.pdf").write_bytes(b"%PDF-1.4")

    for relative in ["ocr/0001.txt", "../secret.txt", "ocr/link.txt", "scan.pdf"]:
        fulltext.read_ahead(Bundle(bundle), relative)
    fulltext.read_ahead(Bundle(bundle), "ocr/missing.txt")  # reported later

    assert asked == [str((bundle / "ocr" / "0001.txt").resolve())]


def test_rows_are_handled_in_order_when_read_ahead_of_their_full_text(
    tmp_path, monkeypatch
):
    from catalogue.importers import csv as csv_reader

    monkeypatch.setattr(csv_reader, "READ_AHEAD", 2)
    (tmp_path / "ocr").mkdir()
    lines = ["档号,层级,题名,开放标识,全文", "J0001,全宗,滨江海关,开放,"]
    for number in range(1, 6):
        (tmp_path / "ocr" / f"{number}.txt").write_text(f"第{number}件", "utf-8")
        lines.append(f"J0001-{number:04d},件,呈文{number},开放,ocr/{number}.txt")
    lines.append('J0001-9999,件,"never closed,开放,')  # reading stops here
    path = write(tmp_path, "\n".join(lines) + "\n")

    read = list(read_csv(path, bundle=Bundle(tmp_path)))

    rows = [item for item in read if isinstance(item, RecordRow)]
    assert [row.reference_code for row in rows] == [
        "J0001",
        *(f"J0001-{number:04d}" for number in range(1, 6)),
    ]
    assert [row.pages[0].text for row in rows[1:]] == [
        f"第{number}件" for number in range(1, 6)
    ]
    assert isinstance(read[-1], Problem) and "row 8" in read[-1].location


# AtoM's template ------------------------------------------------------------


def test_atom_template_imports_with_hierarchy_nulls_and_partial_dates(repository):
    report = import_records(read_csv(FIXTURES / "atom_isad.csv"), repository)

    assert report.committed, report.lines()
    assert codes() == {"J0004", "J0004-001", "J0004-001-0001", "J0004-001-0001-0001"}
    fonds = Record.objects.get(reference_code="J0004")
    assert fonds.level == "fonds"
    assert fonds.title == "滨江纺织厂"
    assert fonds.title_en == "Binjiang Textile Mill"
    assert (fonds.date_start, fonds.date_end) == (
        datetime.date(1950, 1, 1),
        datetime.date(1990, 12, 31),
    )
    assert fonds.subjects == ["纺织", "工业"]
    assert fonds.places == ["滨江"]
    assert fonds.names == []  # NULL
    assert fonds.notes == "1992年进馆\n原始档号：纺-1"
    series = Record.objects.get(reference_code="J0004-001")
    assert series.creators == []
    assert series.date_expression == "1951—1989"
    item = Record.objects.get(reference_code="J0004-001-0001-0001")
    assert item.parent.reference_code == "J0004-001-0001"
    assert item.names == ["张国栋"]
    assert item.date_expression == "1956年3月12日"
    assert item.parent.creators == ["滨江纺织厂", "滨江市纺织工业局"]


def test_atom_restricted_and_draft_descriptions_are_left_out(repository):
    report = import_records(read_csv(FIXTURES / "atom_isad.csv"), repository)

    # Restricted file, the item below it, and the draft series.
    assert sum(report.skipped.values()) == 3
    assert not codes(reference_code__in=["J0004-001-0002", "J0004-002"])


def test_atom_local_identifiers_are_completed_from_the_parent_chain():
    rows = rows_of(FIXTURES / "atom_isad.csv")

    assert [(r.reference_code, r.parent_reference) for r in rows[:4]] == [
        ("J0004", ""),
        ("J0004-001", "J0004"),
        ("J0004-001-0001", "J0004-001"),
        ("J0004-001-0001-0001", "J0004-001-0001"),
    ]


ATOM_HEADER = (
    "legacyId,parentId,qubitParentSlug,identifier,title,levelOfDescription,"
    "accessConditions,scopeAndContent,culture\n"
)


def test_an_atom_parent_already_in_the_catalogue_is_found_by_its_code(
    repository, tmp_path
):
    assert import_records(read_csv(FIXTURES / "atom_isad.csv"), repository).committed
    later = write(
        tmp_path,
        ATOM_HEADER + "10,,j0004-001,0009,1960年生产报表,File,开放,,zh\n",
    )

    report = import_records(read_csv(later), repository)

    assert report.committed and report.created == 1, report.lines()
    added = Record.objects.get(reference_code="J0004-001-0009")
    assert added.parent.reference_code == "J0004-001"
    assert Record.objects.public().filter(pk=added.pk).exists()


def test_an_atom_parent_the_catalogue_lacks_is_a_problem(repository, tmp_path):
    later = write(tmp_path, ATOM_HEADER + "10,,J0099,0001,报表,File,开放,,zh\n")

    report = import_records(read_csv(later), repository)

    assert not report.committed
    assert "J0099" in " ".join(report.lines())
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("10,1,J0004,0001,报表,File,开放,,zh", "not both"),
        ("10,,滨江纺织厂/总务类?,0001,报表,File,开放,,zh", "is not a reference code"),
    ],
)
def test_an_atom_slug_that_cannot_be_followed_is_a_problem(tmp_path, row, message):
    path = write(tmp_path, ATOM_HEADER + row + "\n")

    [problem] = [p for p in problems_of(path) if p.field == "qubitParentSlug"]

    assert message in problem.message


def test_an_atom_translation_keeps_its_title_and_says_what_it_leaves(
    repository, tmp_path
):
    path = write(
        tmp_path,
        ATOM_HEADER
        + "1,,,J0005,滨江火柴厂,Fonds,开放,火柴厂的文书。,zh\n"
        + "1,,,J0005,Binjiang Match Factory,Fonds,,Records of the factory.,en\n",
    )

    report = import_records(read_csv(path), repository)

    assert report.committed, report.lines()
    fonds = Record.objects.get(reference_code="J0005")
    assert (fonds.title, fonds.title_en) == ("滨江火柴厂", "Binjiang Match Factory")
    assert fonds.scope_and_content == "火柴厂的文书。"
    [notice] = [n for n in report.notices if n.kind == "translation"]
    assert "scopeAndContent" in notice.message


def test_an_atom_translation_that_restricts_access_is_not_open(repository, tmp_path):
    path = write(
        tmp_path,
        ATOM_HEADER
        + "1,,,J0005,滨江火柴厂,Fonds,开放,,zh\n"
        + "1,,,J0005,Binjiang Match Factory,Fonds,Closed to the public,,en\n"
        + "2,,,J0006,滨江肥皂厂,Fonds,开放,,zh\n"
        + "2,,,J0006,Binjiang Soap Factory,Fonds,Open,,en\n",
    )

    report = import_records(read_csv(path), repository)

    assert report.committed, report.lines()
    # The open sibling, open in both languages, is published; the other not.
    assert codes() == {"J0006"}
    assert Record.objects.public().filter(reference_code="J0006").exists()


def test_atoms_own_example_file_reads(repository):
    rows = rows_of(SHARED_ATOM)

    assert [type(r) for r in rows] == [RecordRow, RecordRow], rows
    fonds, item = rows
    assert (fonds.reference_code, fonds.level) == ("F1", "fonds")
    assert (fonds.date_start, fonds.date_end) == (
        datetime.date(2015, 1, 1),
        datetime.date(2016, 12, 31),
    )
    assert fonds.creators == ["Creator (ISAD 3.2.1)", "Accumulator (ISAD 3.2.1)"]
    assert fonds.language == "en, fr"
    assert (item.reference_code, item.parent_reference) == ("F1-IT-1", "F1")
    assert item.creators == []
    assert item.access_status == "closed"  # a draft in AtoM


def test_atom_unknown_level_is_a_problem(tmp_path):
    path = write(
        tmp_path,
        "legacyId,parentId,identifier,title,levelOfDescription,culture\n"
        "1,,J0001,滨江海关,Carton,zh\n",
    )
    [problem] = problems_of(path)

    assert (problem.location, problem.field) == (
        "目录.csv, row 2",
        "levelOfDescription",
    )
    assert "Carton" in problem.message


def test_atom_parent_must_come_first(tmp_path):
    path = write(
        tmp_path,
        "legacyId,parentId,identifier,title,levelOfDescription\n"
        "2,1,001,总务类,Series\n"
        "1,,J0001,滨江海关,Fonds\n",
    )
    [problem, _fonds] = rows_of(path)

    assert (problem.location, problem.field) == ("目录.csv, row 2", "parentId")


# Malformed input ------------------------------------------------------------


def test_each_bad_row_of_a_malformed_file_is_named_and_nothing_is_imported(
    repository,
):
    report = import_records(read_csv(FIXTURES / "malformed.csv"), repository)

    assert not report.committed
    assert Record.objects.count() == 0
    found = [(p.location, p.field) for p in report.problems]
    assert found == [
        ("malformed.csv, row 3", "层级"),
        ("malformed.csv, row 4", "日期"),
        ("malformed.csv, row 5", "题名"),
        ("malformed.csv, row 7", ""),
    ]
    assert "1956年13月" in report.problems[1].message
    assert "5" in report.problems[3].message  # cells found vs columns
    # 部分开放 (row 6) is not a problem of the file but a wording to decide.


HEADER = "档号,层级,题名,开放标识\n"
GOOD = "J0001,全宗,滨江海关,开放\n"


@pytest.mark.parametrize(
    ("content", "location", "field", "words"),
    [
        (b"", "目录.csv", "", "empty"),
        (
            (HEADER + "J0001,全宗,滨江\x00海关,开放\n").encode(),
            "目录.csv",
            "",
            "NUL",
        ),
        (
            (
                HEADER + GOOD + 'J0001-001,目录,"总务类,开放\nJ0001-002,目录,x,开放\n'
            ).encode(),
            "目录.csv, row 3",
            "",
            "never closed",
        ),
        (
            (HEADER + 'J0001,全宗,"滨江"海关,开放\n').encode(),
            "目录.csv, row 2",
            "",
            "quote",
        ),
        (GOOD.encode(), "目录.csv, row 1", "", "no header"),
        ("档号,题名,开放标识\n".encode(), "目录.csv, row 1", "层级", "required"),
        (
            "档号,层级,题名,开放标识,盒号\n".encode(),
            "目录.csv, row 1",
            "盒号",
            "unknown column",
        ),
        (
            "档号,层级,题名,title,开放标识\n".encode(),
            "目录.csv, row 1",
            "title",
            "题名",
        ),
        (b"PK\x03\x04" + b"\x00" * 100, "目录.csv", "", "Excel"),
        (
            (HEADER + "J0001,全宗,滨江海关,开放\n").encode("utf-16-le"),
            "目录.csv",
            "",
            "NUL",
        ),
        (
            HEADER.encode() + b"J0001,\xc8\xab\xd7\xda,x,\xbf\xaa\xb7\xc5\n",
            "目录.csv",
            "",
            "neither UTF-8 nor GB18030",
        ),
    ],
    ids=[
        "empty",
        "nul",
        "unterminated-quote",
        "stray-quote",
        "no-header",
        "missing-column",
        "unknown-column",
        "duplicate-column",
        "excel",
        "utf16-no-bom",
        "mixed-encodings",
    ],
)
def test_malformed_files_give_a_clear_problem(
    tmp_path, content, location, field, words
):
    path = tmp_path / "目录.csv"
    path.write_bytes(content)

    problems = problems_of(path)
    assert problems, "expected a problem"
    first = problems[0]
    assert (first.location, first.field) == (location, field), first
    assert words in first.message


def test_a_wrongly_encoded_row_far_into_the_file_is_named(tmp_path):
    rows = "".join(f"J0001-{n:03d},目录,第{n}类,开放\n" for n in range(1, 2001))
    data = (HEADER + GOOD + rows).encode("utf-8")
    data += "J0001-999,目录,统计类,开放\n".encode("gb18030")
    path = tmp_path / "目录.csv"
    path.write_bytes(data)
    assert len(data) > 64 * 1024

    items = rows_of(path)
    assert isinstance(items[-1], Problem)
    assert items[-1].location == "目录.csv, row 2003"
    assert "UTF-8" in items[-1].message


def test_a_huge_cell_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "目录.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "J0001,全宗,")
        out.write("档" * 10_000_000)
        out.write(",开放\n")

    [problem] = problems_of(path)
    assert problem.location == "目录.csv, row 2"
    assert "longer than" in problem.message


def test_a_huge_multiline_cell_is_refused(tmp_path):
    path = tmp_path / "目录.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + 'J0001,全宗,"')
        out.write(("档" * 1000 + "\n") * 2000)
        out.write('",开放\n')

    [problem] = problems_of(path)
    assert (problem.location, problem.field) == ("目录.csv, row 2", "")
    assert "cell" in problem.message


def test_a_field_too_long_for_the_database_is_a_problem(tmp_path):
    path = write(
        tmp_path, "档号,层级,题名,开放标识,密级\nJ0001,全宗,x,开放," + "秘" * 30
    )
    [problem] = problems_of(path)

    assert (problem.location, problem.field) == ("目录.csv, row 2", "密级")


def test_a_lone_series_without_a_parent_is_a_problem(tmp_path):
    path = write(tmp_path, HEADER + "J0001,目录,总务类,开放\n")
    [problem] = problems_of(path)

    assert problem.location == "目录.csv, row 2"
    assert "上级档号" in problem.message


def test_blank_rows_are_ignored(tmp_path):
    path = write(tmp_path, HEADER + ",,,\n" + GOOD + ",,,,\n")

    assert [r.reference_code for r in rows_of(path)] == ["J0001"]


def test_reading_is_streamed_in_flat_memory(tmp_path):
    path = tmp_path / "目录.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + GOOD)
        title = "滨江海关关于码头扩建工程与进出口货物监管的来往文书" * 3
        for n in range(1, 12_001):
            out.write(f"J0001-{n:05d},目录,{title}{n},开放\n")
    assert path.stat().st_size > 2_000_000

    tracemalloc.start()
    try:
        count = sum(1 for _row in read_csv(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 12_001
    assert peak < 1_000_000


def test_location_name_is_used_in_messages(tmp_path):
    path = write(tmp_path, HEADER + "J0001,盒,滨江海关,开放\n")
    [problem] = problems_of(path, location_name="上传的目录.csv")

    assert problem.location == "上传的目录.csv, row 2"


def test_a_copy_of_the_bundle_elsewhere_still_finds_its_files(tmp_path):
    copy = tmp_path / "副本"
    shutil.copytree(FIXTURES / "bundle", copy)
    rows = rows_of(copy / "目录.csv", bundle=Bundle(copy))

    assert all(isinstance(r, RecordRow) for r in rows)
    assert [p.image for p in rows[-1].pages] == ["scans/0001.png", "scans/0002.png"]


def test_excel_unicode_text_is_read(tmp_path):
    # Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
    path = tmp_path / "目录.txt"
    path.write_bytes(
        "\ufeff档号\t层级\t题名\t开放标识\r\nJ0001\t全宗\t滨江海关\t开放\r\n".encode(
            "utf-16-le"
        )
    )

    [row] = rows_of(path)
    assert (row.reference_code, row.title) == ("J0001", "滨江海关")


def test_a_translation_row_far_from_its_description_is_a_problem(tmp_path):
    path = write(
        tmp_path,
        "legacyId,parentId,identifier,title,levelOfDescription,culture\n"
        "1,,J0001,滨江海关,Fonds,zh\n"
        "2,1,001,总务类,Series,zh\n"
        "1,,J0001,Binjiang Customs,Fonds,en\n",
    )
    problems = problems_of(path)

    assert [(p.location, p.field) for p in problems] == [
        ("目录.csv, row 4", "legacyId")
    ]


def test_an_atom_start_date_alone_bounds_the_whole_year(tmp_path):
    path = write(
        tmp_path,
        "legacyId,identifier,title,levelOfDescription,eventStartDates,eventEndDates\n"
        "1,J0001,滨江海关,Fonds,1949-00-00,NULL\n",
    )
    [row] = rows_of(path)

    assert (row.date_expression, row.date_start, row.date_end) == (
        "1949",
        datetime.date(1949, 1, 1),
        datetime.date(1949, 12, 31),
    )


def test_rows_are_counted_for_the_progress_bar(tmp_path):
    assert count_rows(FIXTURES / "template.csv") == 13
    assert count_rows(FIXTURES / "template_gb18030.csv") == 13
    broken = tmp_path / "目录.xlsx"
    broken.write_bytes(b"PK\x03\x04")
    assert count_rows(broken) is None


# Rows without a parent ---------------------------------------------------------


def test_a_row_whose_parent_is_missing_is_reported(repository, tmp_path):
    path = write(
        tmp_path,
        "档号,上级档号,层级,题名,开放标识\n"
        "J0001,,全宗,滨江海关,开放\n"
        "J0002-001,,目录,孤儿,开放\n"
        "J0001-001,,目录,总务类,开放\n",
    )
    report = import_records(read_csv(path), repository)

    assert report.rows == 3
    assert [(p.location, p.field, p.message) for p in report.problems] == [
        (
            "目录.csv, row 3",
            "parent reference code",
            "no record J0002 above it in this import or the catalogue",
        )
    ]
    assert not Record.objects.exists()


def test_a_missing_parent_is_reported_beside_other_problems(repository, tmp_path):
    # The file a new user imported: "Rows read: 1", and the orphan unmentioned.
    path = write(
        tmp_path,
        "档号,上级档号,层级,题名,开放标识\n"
        "J0001,,全宗,滨江海关,开放\n"
        "J0001-001,,目录,,开放\n"
        "J0002-001,,目录,孤儿,开放\n",
    )
    report = import_records(read_csv(path), repository)

    assert report.rows == 3
    assert [(p.location, p.field) for p in report.problems] == [
        ("目录.csv, row 3", "题名"),
        ("目录.csv, row 4", "parent reference code"),
    ]
    assert "no record J0002 above it" in report.problems[1].message


def test_a_row_below_a_row_with_a_problem_does_not_lack_its_parent(
    repository, tmp_path
):
    path = write(
        tmp_path,
        "档号,上级档号,层级,题名,开放标识\n"
        "J0001,,全宗,滨江海关,开放\n"
        "J0001-001,,目录,总务类,开放,多余\n"
        "J0001-002,,目录,,开放\n"
        "J0001-002-0001,,案卷,码头扩建,开放\n"
        "J0001-003-0001,,案卷,孤儿,开放\n",
    )
    report = import_records(read_csv(path), repository, batch_size=2)

    # Row 3's cells do not line up: its code is unknown, so from there on no
    # row is said to lack its parent (it might be that row).
    assert report.rows == 5
    assert [p.location for p in report.problems] == [
        "目录.csv, row 3",
        "目录.csv, row 4",
    ]
    path = write(
        tmp_path,
        "档号,上级档号,层级,题名,开放标识\n"
        "J0001,,全宗,滨江海关,开放\n"
        "J0001-002,,目录,,开放\n"
        "J0001-002-0001,,案卷,码头扩建,开放\n"
        "J0001-003-0001,,案卷,孤儿,开放\n",
    )
    report = import_records(read_csv(path), repository, batch_size=2)
    # J0001-002 has a problem but is in the file: only J0001-003 is missing.
    assert [(p.location, p.field) for p in report.problems] == [
        ("目录.csv, row 3", "题名"),
        ("目录.csv, row 5", "parent reference code"),
    ]
    assert "J0001-003 above it" in report.problems[1].message


def test_an_atom_row_below_a_row_with_a_problem_does_not_lack_its_parent(
    repository, tmp_path
):
    path = write(
        tmp_path,
        "legacyId,parentId,identifier,title,levelOfDescription\n"
        "1,,J0001,滨江海关,Fonds\n"
        "2,1,001,,Series\n"
        "3,2,0001,码头扩建,File\n",
    )
    report = import_records(read_csv(path), repository)
    assert [(p.location, p.field) for p in report.problems] == [
        ("目录.csv, row 3", "title")
    ]


# The library's words are not the report's ----------------------------------


def test_a_file_that_cannot_be_opened_says_why_in_chinese(tmp_path):
    missing = tmp_path / "不在.csv"
    with pytest.raises(FileNotFoundError, match="No such file"):
        missing.open("rb")  # what the system says, in English
    with translation.override("zh-hans"):
        [problem] = problems_of(missing)
    assert "No such file" not in problem.message
    assert problem.message.startswith("无法打开文件")


def test_utf16_cut_short_is_a_problem_of_its_row_not_a_crash(repository, tmp_path):
    path = tmp_path / "目录.csv"
    text = "档号,层级,题名,开放标识\nJ0001,全宗,海关,开放\n"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"A")
    with pytest.raises(UnicodeDecodeError, match="truncated data"):
        path.read_bytes()[2:].decode("utf-16-le")
    with translation.override("zh-hans"):
        report = import_records(read_csv(path), repository)
        expected = _("the row contains bytes that are not valid %(encoding)s text")
    [problem] = report.problems
    assert problem.location == "目录.csv，第 3 行"
    assert problem.message == expected % {"encoding": "UTF-16"}
    assert "truncated" not in problem.message
    assert report.rows == 2
    assert count_rows(path) is None


def test_the_csv_modules_words_are_not_the_reports():
    from catalogue.importers.csv import _csv_problem

    error = csv.Error("new-line character seen in unquoted field")
    with translation.override("zh-hans"):
        problem = _csv_problem("目录.csv", 7, error)
    assert "new-line character" not in problem.message
    assert problem.location == "目录.csv，第 7 行"


def test_a_list_imported_over_a_finding_aid_keeps_the_finding_aids_notes(
    repository, tmp_path
):
    """An archive that imported its EAD finding aid and later a corrected
    list from its own system loses nothing the list does not say."""
    from catalogue.importers.ead import read_ead

    mixed = FIXTURES / "ead" / "ead2002-mixed-content.xml"
    assert import_records(read_ead(mixed), repository, default_access="open").committed
    fonds = Record.objects.get(reference_code="J0010")
    history, scope = fonds.biographical_history, fonds.scope_and_content
    assert history and scope
    listed = write(
        tmp_path, "档号,层级,题名,开放标识\nJ0010,全宗,滨江市港务局（修订）,开放\n"
    )

    report = import_records(read_csv(listed), repository)

    assert report.committed and report.updated == 1, report.lines()
    fonds.refresh_from_db()
    assert fonds.title == "滨江市港务局（修订）"
    assert (fonds.biographical_history, fonds.scope_and_content) == (history, scope)
    # Asked to, the list alone describes the record.
    assert import_records(read_csv(listed), repository, replace=True).committed
    fonds.refresh_from_db()
    assert (fonds.biographical_history, fonds.scope_and_content) == ("", "")
