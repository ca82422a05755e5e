"""EAD finding aids in: EAD 2002 (namespaced or DTD-era) and EAD3."""

import datetime
from pathlib import Path

import pytest
from django.utils import translation
from lxml import etree

from catalogue.dates import normal_dates
from catalogue.importers.base import Bundle, Problem, import_records
from catalogue.importers.ead import read_ead
from catalogue.models import Record
from tests import test_catalogue_pages as pages
from tests.factories import FondsFactory, RepositoryFactory

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue" / "ead"
STANDARDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "standards" / "ead"
CUSTOMS = FIXTURES / "ead2002-binjiang-customs.xml"
CUSTOMS_DTD = FIXTURES / "ead2002-binjiang-customs-dtd.xml"
CHAMBER = FIXTURES / "ead3-chamber-of-commerce.xml"
NUMBERED = FIXTURES / "ead2002-numbered-components.xml"
MIXED = FIXTURES / "ead2002-mixed-content.xml"
PNG = b"\x89PNG\r\n\x1a\n"

OPEN_CUSTOMS = [
    "J0001",
    "J0001-001",
    "J0001-001-0001",
    "J0001-001-0001-0001",
    "J0001-001-0001-0002",
    "J0001-001-0002",
    "J0001-003",
    "J0001-003-0001",
]


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions read the messages in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def english():
    # The messages are asserted in their English wording.
    with translation.override("en"):
        yield


@pytest.fixture
def repository(db):
    return RepositoryFactory(code="120101")


@pytest.fixture
def bundle(tmp_path, settings):
    """The scans and OCR text that travel with the finding aids."""
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "bundle"
    scans = root / "scans" / "J0001-001-0001-0001"
    scans.mkdir(parents=True)
    (scans / "0001.png").write_bytes(PNG)
    (scans / "0002.png").write_bytes(PNG)
    (root / "text").mkdir()
    (root / "text" / "J0001-001-0001-0001.txt").write_text(
        "滨江海关呈文：拟扩建第三码头\f附工程预算一份", encoding="utf-8"
    )
    (root / "scans" / "J0002-001-0001").mkdir()
    (root / "scans" / "J0002-001-0001" / "0001.png").write_bytes(PNG)
    return Bundle(root)


def import_file(path, repository, bundle=None, batch_size=1000, default_access=None):
    return import_records(
        read_ead(path, bundle=bundle),
        repository,
        bundle=bundle,
        batch_size=batch_size,
        default_access=default_access,
    )


def ead(tmp_path, body, name="finding-aid.xml"):
    """A small EAD 2002 file around the given <archdesc> content."""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ead xmlns="urn:isbn:1-931666-22-9">\n'
        "<eadheader><eadid>x</eadid><filedesc><titlestmt><titleproper>目录"
        "</titleproper></titlestmt></filedesc></eadheader>\n" + body + "\n</ead>\n",
        encoding="utf-8",
    )
    return path


def codes(**filters):
    return list(
        Record.objects.filter(**filters)
        .order_by("reference_code")
        .values_list("reference_code", flat=True)
    )


# The three flavours ------------------------------------------------------------


def test_ead2002_with_its_namespace_imports_the_fonds_hierarchy(repository, bundle):
    # Small batches: parents written by an earlier batch are found again.
    report = import_file(CUSTOMS, repository, bundle, batch_size=3)

    assert report.committed, report.lines()
    assert codes() == OPEN_CUSTOMS
    fonds = Record.objects.get(reference_code="J0001")
    assert (fonds.level, fonds.title, fonds.title_en) == (
        "fonds",
        "滨江海关",
        "Binjiang Customs",
    )
    assert fonds.date_expression == "1949—1956"
    assert (fonds.date_start, fonds.date_end) == (
        datetime.date(1949, 1, 1),
        datetime.date(1956, 12, 31),
    )
    assert fonds.creators == ["滨江海关"]
    assert fonds.extent == "3个目录; 120卷"
    assert fonds.subjects == ["海关", "码头", "滨江港务局"]
    assert (fonds.names, fonds.places) == (["李明"], ["滨江"])
    assert fonds.language == "中文"
    assert fonds.scope_and_content == (
        "本全宗收录滨江海关1949年至1956年的总务、人事和业务文件。\n\n"
        "主要内容包括码头扩建、货物查验和关税征收。"
    )
    assert fonds.notes == "原保存于滨江海关档案室，1960年移交本馆。"

    item = Record.objects.get(reference_code="J0001-001-0001-0001")
    assert [a.reference_code for a in item.ancestors()] == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
    ]
    assert (item.level, item.item_number, item.page_count) == ("item", "0001", 2)
    assert item.date_start == item.date_end == datetime.date(1953, 3, 1)
    assert item.scope_and_content == "呈请市政府批准扩建第三码头，附工程预算。"
    # level="otherlevel" otherlevel="item"
    assert Record.objects.get(reference_code="J0001-001-0001-0002").level == "item"
    # unitids written in full and as their own part give the same codes
    file = Record.objects.get(reference_code="J0001-001-0001")
    assert (file.date_start, file.date_end) == (
        datetime.date(1953, 3, 1),
        datetime.date(1953, 12, 31),
    )
    assert [r.reference_code for r in fonds.children.order_by("position")] == [
        "J0001-001",
        "J0001-003",
    ]
    assert Record.objects.get(reference_code="J0001-003").position == 3
    assert Record.objects.get(reference_code="J0001-003").level == "series"


def test_a_closed_series_and_everything_below_it_are_left_out_and_counted(
    repository, bundle
):
    report = import_file(CUSTOMS, repository, bundle)

    assert report.committed
    assert report.rows == 13
    assert report.created == len(OPEN_CUSTOMS)
    assert dict(report.skipped) == {
        "access status Closed": 1,  # 人事类, 不开放
        "its parent is not open": 3,
        "access status Controlled": 1,  # 关税征收情况报告, 控制使用
    }
    assert not Record.objects.filter(reference_code__startswith="J0001-002")
    assert Record.objects.public().count() == len(OPEN_CUSTOMS)


def test_dtd_era_ead2002_without_a_namespace_reads_the_same(repository, bundle):
    other = RepositoryFactory(code="120102")
    assert import_file(CUSTOMS, repository, bundle).committed
    report = import_file(CUSTOMS_DTD, other, bundle)

    assert report.committed, report.lines()
    fields = [
        "reference_code",
        "level",
        "title",
        "title_en",
        "date_expression",
        "date_start",
        "date_end",
        "creators",
        "subjects",
        "extent",
        "scope_and_content",
        "position",
    ]
    namespaced = list(repository.records.order_by("reference_code").values(*fields))
    dtd_era = list(other.records.order_by("reference_code").values(*fields))
    assert dtd_era == namespaced  # &mdash; became the dash; xml:lang="en" read
    assert other.records.get(reference_code="J0001-001-0001-0001").pages.count() == 2


def test_ead3_imports_structured_dates_extents_and_names(repository, bundle):
    report = import_file(CHAMBER, repository, bundle)

    assert report.committed, report.lines()
    assert codes() == ["J0002", "J0002-001", "J0002-001-0001", "J0002-001-0001-0001"]
    fonds = Record.objects.get(reference_code="J0002")
    assert (fonds.title, fonds.title_en) == (
        "滨江市商会",
        "Binjiang Chamber of Commerce",
    )
    assert (fonds.date_start, fonds.date_end) == (
        datetime.date(1912, 1, 1),
        datetime.date(1949, 12, 31),
    )
    assert fonds.creators == ["滨江市商会"]
    assert fonds.extent == "45卷"
    assert fonds.language == "中文、英文"
    assert fonds.subjects == ["国货运动", "商会"]
    assert (fonds.names, fonds.places) == (["陈敬之"], ["滨江"])
    series = Record.objects.get(reference_code="J0002-001")
    assert series.title_en == "Minutes of meetings"
    file = Record.objects.get(reference_code="J0002-001-0001")
    assert file.date_expression == "1934年5月"
    assert (file.date_start, file.date_end) == (
        datetime.date(1934, 5, 1),
        datetime.date(1934, 5, 31),
    )
    assert (file.extent, file.notes) == ("1册", "原件有虫蛀。")
    assert file.digital_objects.get().label == "函件首页"
    item = Record.objects.get(reference_code="J0002-001-0001-0001")
    assert (item.notes, item.names) == ("附会员签名。", ["陈敬之"])
    # <accessrestrict localtype="restricted"> on 会员名册 and inherited below it
    assert dict(report.skipped) == {
        "access status Controlled": 1,
        "its parent is not open": 1,
    }


def test_numbered_components_c01_to_c04_nest_like_c(repository):
    report = import_file(NUMBERED, repository)

    assert report.committed, report.lines()
    assert codes() == [
        "J0003",
        "J0003-001",
        "J0003-001-1956",
        "J0003-001-1956-0001",
        "J0003-001-1956-0001-0001",
        "J0003-001-1956-0001-0002",
        "J0003-002",
        "J0003-002-0001",
    ]
    assert Record.objects.get(reference_code="J0003-001-1956").level == "series"
    assert Record.objects.get(reference_code="J0003-001-1956-0001-0002").depth == 4
    fonds = Record.objects.get(reference_code="J0003")
    assert fonds.date_end == datetime.date(1966, 6, 30)


def test_what_is_marked_for_internal_use_is_not_published(repository):
    report = import_file(NUMBERED, repository)

    # <c03 audience="internal">: a closed record, not stored
    assert report.skipped == {"access status Closed": 1}
    assert not Record.objects.filter(reference_code="J0003-001-1956-0002")
    # <odd audience="internal">: the archivist's own remark is not read
    file = Record.objects.get(reference_code="J0003-001-1956-0001")
    assert file.notes == "计划草案与定稿并存。"


# Notes in mixed content ------------------------------------------------------------

catalogue = pages.catalogue  # the record pages' catalogue page


def test_mixed_content_is_kept_as_formatted_text(repository):
    report = import_file(MIXED, repository, default_access="open")

    assert report.committed, report.lines()
    fonds = Record.objects.get(reference_code="J0010")
    # The usual heading is left out; emphasis, names and titles are their text;
    # quotations are paragraphs; a list inside a paragraph follows it.
    assert fonds.scope_and_content == (
        "Letters of Li Ming on the Harbour Plan, with drafts.\n\n"
        "“The wharf shall be extended.”\n\n"
        "— from the minutes\n\n"
        "The files are:\n\n"
        "• Minutes\n"
        "• Plans\n\n"
        "1. First stage\n"
        "2. Second stage\n\n"
        "• Processed by: Wang Fang\n"
        "• Encoded by: Chen Lei\n\n"
        "Tonnage\n"
        "Year | Tonnes\n"
        "1950 | 12,000\n"
        "1955 | 30,500"
    )
    # <lb/> is a line; no space is left between Chinese characters.
    assert fonds.biographical_history == (
        "滨江港务局成立于1949年，隶属滨江市人民政府。\n"
        "1956年与海关合并。\n\n"
        "大事记\n"
        "1949年 — 港务局成立\n"
        "1956年 — 与海关合并；迁入新址"
    )
    # Web addresses are kept beside their text, once; others are left out.
    assert fonds.related_material == (
        "See the customs fonds (https://archives.example.org/J0011), "
        "http://archives.example.org/J0012, the plans below, the reading room "
        "and https://archives.example.org/guide."
    )
    assert fonds.notes == "Damaged by water (Restored in 1990.) in 1954."
    series = Record.objects.get(reference_code="J0010-001")
    # A heading that says more than the field's name is kept as a paragraph.
    assert series.arrangement == "Arrangement of the plans series\n\n按年度排列。"
    assert series.scope_and_content == "规划图纸\n及说明。"


HOSTILE = """<archdesc level="fonds"><did><unitid>J0012</unitid>
  <unittitle>滨江市航运公司</unittitle></did>
  <accessrestrict><p>开放</p></accessrestrict>
  <scopecontent>
    <p>Before <script>alert("x")</script> after.</p>
    <p><a onclick="steal()" href="javascript:steal()">click me</a></p>
    <p><![CDATA[<img src=x onerror=alert(2)><b>bold</b>]]></p>
  </scopecontent>
  <odd><p>Line one<lb/>Line two &amp; <emph>more</emph></p><p>Second paragraph</p></odd>
</archdesc>"""


def test_markup_in_a_note_is_stored_as_text(repository, tmp_path):
    report = import_file(ead(tmp_path, HOSTILE), repository)

    assert report.committed, report.lines()
    fonds = Record.objects.get(reference_code="J0012")
    assert fonds.scope_and_content == (
        'Before alert("x") after.\n\n'
        "click me\n\n"
        "<img src=x onerror=alert(2)><b>bold</b>"
    )
    assert fonds.notes == "Line one\nLine two & more\n\nSecond paragraph"


def test_markup_in_a_note_is_inert_on_the_record_page(
    client, catalogue, repository, tmp_path
):
    assert import_file(ead(tmp_path, HOSTILE), repository).committed
    fonds = Record.objects.get(reference_code="J0012")

    response = client.get(pages.url(fonds))

    assert response.status_code == 200
    page = response.content.decode()
    content = page.split("<body", 1)[1]
    # Positive control: the notes are on the page, as paragraphs and lines.
    assert "<p>Line one<br>Line two &amp; more</p>" in content
    assert "<p>Second paragraph</p>" in content
    assert "Before alert(&quot;x&quot;) after." in content
    assert "click me" in content
    # The CDATA's HTML is shown as the characters it is, never as markup.
    assert "&lt;img src=x onerror=alert(2)&gt;&lt;b&gt;bold&lt;/b&gt;" in content
    for markup in ("<script", "<img", "<b>", "<a onclick"):
        assert markup not in content, markup
    # The link's handler and address were never read.
    assert "onclick" not in content and "steal()" not in content


# Hostile, broken and wrong files --------------------------------------------------


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe-passwd.xml"])
def test_files_that_declare_entities_are_refused_before_anything_is_read(
    repository, name
):
    rows = list(read_ead(FIXTURES / name))
    report = import_records(rows, repository)

    assert not report.committed
    assert Record.objects.count() == 0
    assert report.rows == 0
    [problem] = report.problems
    assert problem.location == f"{name}, line 3"
    assert "declares its own XML entities" in problem.message
    assert "lol" not in str(problem) and "root:" not in str(problem)


def test_entities_in_the_root_start_tag_are_stopped_too(repository, tmp_path):
    path = tmp_path / "laughs-in-an-attribute.xml"
    path.write_text(
        (FIXTURES / "billion-laughs.xml")
        .read_text(encoding="utf-8")
        .replace("<ead>", '<ead id="&lol9;">'),
        encoding="utf-8",
    )

    report = import_file(path, repository)

    assert not report.committed
    assert "declares its own XML entities" in report.problems[0].message


def test_a_truncated_file_names_the_line_and_imports_nothing(repository):
    report = import_file(FIXTURES / "ead2002-truncated.xml", repository)

    assert not report.committed
    assert Record.objects.count() == 0
    [problem] = report.problems
    assert problem.location == "ead2002-truncated.xml, line 68"
    assert problem.field == "c"
    assert "not well-formed" in problem.message


def test_a_file_that_is_not_ead_is_refused(repository, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0"?>\n<mods><titleInfo/></mods>\n')

    report = import_file(path, repository)

    assert not report.committed
    assert "not an EAD finding aid" in str(report.problems[0])
    assert report.problems[0].location == "export.xml, line 2"


def test_what_real_files_lack_is_derived_and_reported_not_refused(repository, tmp_path):
    path = ead(
        tmp_path,
        """<archdesc level="fonds"><did><unitid>J0004</unitid>
  <unittitle>滨江市工商联</unittitle></did>
  <dsc>
    <c level="box"><did><unitid>001</unitid><unittitle>一号箱</unittitle></did></c>
    <c level="file"><did><unittitle>无档号的案卷</unittitle></did></c>
    <c level="file"><did><unitid>003</unitid><unittitle>案卷</unittitle>
      <unitdate normal="1956/1955-13">1956年</unitdate></did></c>
    <c><did><unitid>004</unitid><unittitle>无层级的案卷</unittitle></did></c>
  </dsc>
</archdesc>""",
    )

    report = import_file(path, repository, default_access="open")

    assert report.committed, report.lines()
    assert [(n.location, n.field, n.kind) for n in report.notices] == [
        ("finding-aid.xml, line 8", "unitid", "derived-code"),
        ("finding-aid.xml, line 10", "unitdate", "date"),
        ("finding-aid.xml, line 11", "c", "inferred-level"),
    ]
    # The second component is known by its place: the same on every import.
    assert Record.objects.get(reference_code="J0004-0002").title == "无档号的案卷"
    assert Record.objects.get(reference_code="J0004-003").date_start is None
    assert Record.objects.get(reference_code="J0004-004").level == "series"
    again = import_file(path, repository, default_access="open")
    assert again.committed and again.created == 0 and again.updated == 5


def test_an_access_restriction_after_the_components_is_a_problem(repository, tmp_path):
    path = ead(
        tmp_path,
        """<archdesc level="fonds"><did><unitid>J0005</unitid>
  <unittitle>滨江市公安局</unittitle></did>
  <dsc><c level="series"><did><unitid>001</unitid><unittitle>治安</unittitle>
  </did></c></dsc>
  <accessrestrict><p>不开放</p></accessrestrict>
</archdesc>""",
    )

    report = import_file(path, repository)

    # Too late to close what was already read: refuse rather than publish.
    assert not report.committed
    assert report.problems[0].field == "accessrestrict"
    assert report.problems[0].location == "finding-aid.xml, line 8"


# Re-imports, files, finding aids below the fonds -----------------------------------


def test_importing_again_updates_records_in_place(repository, bundle, tmp_path):
    assert import_file(CUSTOMS, repository, bundle).committed
    first = dict(Record.objects.values_list("reference_code", "pk"))
    corrected = tmp_path / "customs.xml"
    corrected.write_text(
        CUSTOMS.read_text(encoding="utf-8").replace("总务类", "总务类（含财务）"),
        encoding="utf-8",
    )

    report = import_file(corrected, repository, bundle)

    assert report.committed, report.lines()
    assert (report.created, report.updated) == (0, len(OPEN_CUSTOMS))
    assert dict(Record.objects.values_list("reference_code", "pk")) == first
    assert Record.objects.get(reference_code="J0001-001").title == "总务类（含财务）"
    assert Record.objects.get(reference_code="J0001-001-0001-0001").pages.count() == 2


def test_scans_and_full_text_come_from_the_bundle(repository, bundle, settings):
    report = import_file(CUSTOMS, repository, bundle)

    assert report.committed, report.lines()
    item = Record.objects.get(reference_code="J0001-001-0001-0001")
    # two scans; the full text is not a digital object; the web link is left out
    scans = list(item.digital_objects.order_by("position"))
    assert [(s.kind, s.label) for s in scans] == [
        ("image", "第1页"),
        ("image", "第2页"),
    ]
    assert all(s.file.storage.exists(s.file.name) for s in scans)
    pages = list(item.pages.order_by("page_number"))
    assert [(p.page_number, p.text) for p in pages] == [
        (1, "滨江海关呈文：拟扩建第三码头"),
        (2, "附工程预算一份"),
    ]
    # one text page per scan: each page's text sits beside its image
    assert [p.digital_object for p in pages] == scans


def test_files_of_records_that_are_not_open_are_not_read(repository, bundle):
    # The closed item links scans/J0001-002-0001-0001/0001.png, absent here.
    report = import_file(CUSTOMS, repository, bundle)

    assert report.committed, report.lines()


def test_linked_files_without_a_bundle_are_reported_and_left_out(repository):
    report = import_file(CUSTOMS, repository)

    assert report.committed, report.lines()
    assert any(n.kind == "files-not-imported" for n in report.notices)
    assert Record.objects.filter(reference_code="J0001").exists()
    assert not Record.objects.filter(digital_objects__isnull=False).exists()


def test_a_finding_aid_for_a_series_goes_under_its_fonds(repository, tmp_path):
    FondsFactory(repository=repository, reference_code="J0006", title="滨江市税务局")
    path = ead(
        tmp_path,
        """<archdesc level="series"><did><unitid>J0006-002</unitid>
  <unittitle>稽查类</unittitle></did>
  <dsc><c level="file"><did><unitid>0001</unitid><unittitle>稽查报告</unittitle>
  </did></c></dsc>
</archdesc>""",
    )

    report = import_file(path, repository)

    assert report.committed, report.lines()
    file = Record.objects.get(reference_code="J0006-002-0001")
    assert [a.reference_code for a in file.ancestors()] == ["J0006", "J0006-002"]


def test_an_opening_date_in_the_restriction_keeps_the_record_until_its_day(
    repository, tmp_path
):
    path = ead(
        tmp_path,
        """<archdesc level="fonds"><did><unitid>J0008</unitid>
  <unittitle>滨江市规划局</unittitle></did>
  <dsc>
    <c level="series"><did><unitid>001</unitid><unittitle>城市规划</unittitle>
      </did><accessrestrict><p>2099年1月1日起开放。</p></accessrestrict></c>
    <c level="series"><did><unitid>002</unitid><unittitle>用地审批</unittitle>
      </did><accessrestrict><p>Open from <date normal="2098-07-01">1 July
      2098</date>.</p></accessrestrict></c>
  </dsc>
</archdesc>""",
    )

    report = import_file(path, repository, default_access="open")

    assert report.committed, report.lines()
    assert report.not_yet_open == 2
    assert Record.objects.get(reference_code="J0008-001").opening_date == (
        datetime.date(2099, 1, 1)
    )
    assert Record.objects.get(reference_code="J0008-002").opening_date == (
        datetime.date(2098, 7, 1)
    )
    assert codes(pk__in=Record.objects.public()) == ["J0008"]


def test_a_unitid_typed_as_document_number_is_the_document_number(repository, tmp_path):
    path = ead(
        tmp_path,
        """<archdesc level="item"><did><unitid>J0009-001-0001-0003</unitid>
  <unitid type="文件编号">滨海发〔1953〕12号</unitid>
  <unittitle>关于码头扩建工程的呈文</unittitle></did>
</archdesc>""",
    )
    FondsFactory(repository=repository, reference_code="J0009")
    for code in ("J0009-001", "J0009-001-0001"):
        parent = Record.objects.get(reference_code=code.rsplit("-", 1)[0])
        Record.objects.create(
            repository=repository,
            parent=parent,
            reference_code=code,
            level="series" if code.count("-") == 1 else "file",
            title="案卷",
            access_status="open",
        )

    report = import_file(path, repository)

    assert report.committed, report.lines()
    item = Record.objects.get(reference_code="J0009-001-0001-0003")
    assert item.document_number == "滨海发〔1953〕12号"
    assert item.parent.reference_code == "J0009-001-0001"


def test_a_gb18030_finding_aid_is_read(repository, tmp_path):
    path = tmp_path / "gbk.xml"
    text = ead(tmp_path, "").read_text(encoding="utf-8")
    text = text.replace('encoding="UTF-8"', 'encoding="GB18030"').replace(
        "\n</ead>",
        '<archdesc level="fonds"><did><unitid>J0007</unitid>'
        "<unittitle>滨江市粮食局</unittitle></did></archdesc></ead>",
    )
    path.write_bytes(text.encode("gb18030"))

    report = import_file(path, repository, default_access="open")

    assert report.committed, report.lines()
    assert Record.objects.get(reference_code="J0007").title == "滨江市粮食局"


# Values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("normal", "start", "end"),
    [
        ("1949/1956", (1949, 1, 1), (1956, 12, 31)),
        ("19490101/19561231", (1949, 1, 1), (1956, 12, 31)),
        ("1949-10/1950-02", (1949, 10, 1), (1950, 2, 28)),
        ("1953-03-01", (1953, 3, 1), (1953, 3, 1)),
        ("1956", (1956, 1, 1), (1956, 12, 31)),
    ],
)
def test_normalised_dates_give_first_and_last_days(normal, start, end):
    assert normal_dates(normal) == (datetime.date(*start), datetime.date(*end))


@pytest.mark.parametrize(
    "normal", ["1949/", "民国三十八年", "1949/1950/1951", "1949-13"]
)
def test_unreadable_normalised_dates_raise(normal):
    with pytest.raises(ValueError):
        normal_dates(normal)


# Schemas ------------------------------------------------------------------------


def schema(name):
    """A shipped schema; EAD 2002's import of XLink is pointed at our copy."""
    path = STANDARDS / name
    text = path.read_text(encoding="utf-8").replace(
        "http://www.loc.gov/standards/xlink/xlink.xsd",
        (STANDARDS / "xlink.xsd").resolve().as_uri(),
    )
    return etree.XMLSchema(etree.fromstring(text.encode(), base_url=str(path)))


@pytest.mark.parametrize(
    ("fixture", "xsd"),
    [
        (CUSTOMS, "ead2002.xsd"),
        (NUMBERED, "ead2002.xsd"),
        (MIXED, "ead2002.xsd"),
        (CHAMBER, "ead3.xsd"),
    ],
)
def test_the_fixtures_are_valid_against_the_official_schemas(fixture, xsd):
    validator = schema(xsd)
    document = etree.parse(str(fixture))
    assert validator.validate(document), validator.error_log


def test_the_dtd_era_fixture_matches_the_namespaced_one():
    # Read without a namespace it must be the same finding aid, so the schema
    # check of the namespaced file vouches for it.
    def outline(path):
        return [
            (r.reference_code, r.level, r.title, r.access_status)
            for r in read_ead(path, bundle=None)
            if hasattr(r, "reference_code")
        ]

    assert outline(CUSTOMS_DTD) == outline(CUSTOMS)
    assert b"<!DOCTYPE ead PUBLIC" in CUSTOMS_DTD.read_bytes()


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"<ead><eadheader></ead>", "闭合"),
        (b"<ead><archdesc level='fonds'>", "截断"),
        (b"<ead>\xff\xfe</ead>", "UTF-8"),
        (b"<ead>Smith & Sons</ead>", "&amp;"),
    ],
)
def test_broken_xml_is_explained_in_the_editors_language(tmp_path, xml, reason):
    path = tmp_path / "检索工具.xml"
    path.write_bytes(xml)
    with translation.override("zh-hans"):
        [problem] = [p for p in read_ead(path) if isinstance(p, Problem)]
        message = problem.message
    assert message.startswith("文件不是格式正确的 XML")
    assert reason in message
    # libxml2's own English words are not shown for these.
    assert "line" not in message and "tag" not in message.lower()
