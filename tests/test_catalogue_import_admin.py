"""Editors import catalogues from the admin and read the report: its status,
its counts, its problems, warnings and rows for review, as a page and as CSV."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.users.models import UserProfile

from catalogue import import_report
from catalogue.importers.base import (
    ImportReport,
    Notice,
    Problem,
    ReviewItem,
    import_records,
    line_location,
    row_location,
)
from catalogue.importers.csv import TEMPLATE_HEADER, read_csv
from catalogue.models import AccessWording, ImportJob, Record
from tests.factories import RepositoryFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"


@pytest.fixture
def editor(client, db):
    """An archivist of the Editors group, reading the admin in English (the
    source language: the assertions read the messages as written)."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return user


@pytest.fixture
def repository(db):
    return RepositoryFactory(code="120101", name="滨江市档案馆")


def upload(client, repository, name, content, **fields):
    return client.post(
        "/admin/catalogue/import/",
        {
            "repository": repository.pk,
            "file": SimpleUploadedFile(name, content),
            **fields,
        },
        follow=True,
    )


def test_an_editor_imports_a_csv_and_reads_the_report(client, editor, repository):
    content = (FIXTURES / "template.csv").read_bytes()
    response = upload(client, repository, "目录.csv", content)
    html = response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.report
    assert Record.objects.filter(repository=repository).exists()
    report = job.report
    assert report["status"] == "imported"
    assert report["counts"]["rows"] == 13
    assert report["counts"]["created"] == 10
    assert job.file_name == "目录.csv"
    assert '<p role="status" class="import-status"><strong>Finished</strong>' in html
    assert "<dt>Records created</dt><dd>10</dd>" in html
    assert "<dt>Not imported, access status Controlled</dt><dd>1</dd>" in html
    # The upload may describe closed records: it is not kept.
    assert not job.file


def test_checking_only_imports_nothing(client, editor, repository):
    content = (FIXTURES / "template.csv").read_bytes()
    response = upload(client, repository, "目录.csv", content, dry_run="on")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert job.report["status"] == "checked"
    assert not Record.objects.exists()
    html = response.content.decode()
    assert "<strong>Checked, nothing imported (dry run)</strong>" in html
    assert "<strong>Finished</strong>" not in html
    assert "<dt>Records that would be created</dt><dd>10</dd>" in html


def test_a_broken_file_imports_nothing_and_says_why(client, editor, repository):
    content = (FIXTURES / "malformed.csv").read_bytes()
    response = upload(client, repository, "坏文件.csv", content)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert not Record.objects.exists()
    problems = job.report["problems"]
    assert len(problems) > 1
    assert job.report["counts"]["created"] == 0
    html = response.content.decode()
    count = job.report["counts"]["problems"]
    assert f"<strong>Not imported: {count} problems</strong>" in html
    assert problems[-1]["message"] in html


def test_a_zip_bundle_brings_its_scans_and_texts(client, editor, repository):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in (FIXTURES / "bundle").rglob("*"):
            if path.is_file():
                bundle.write(path, path.relative_to(FIXTURES / "bundle").as_posix())
    upload(client, repository, "bundle.zip", archive.getvalue())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.report
    assert Record.objects.filter(digital_objects__isnull=False).exists()


def test_a_running_import_shows_its_progress_without_javascript(
    client, editor, repository
):
    job = ImportJob.objects.create(
        repository=repository,
        file=SimpleUploadedFile("大.csv", b"x"),
        status=ImportJob.Status.RUNNING,
        rows_read=500,
        rows_expected=2000,
    )
    html = client.get(f"/admin/catalogue/import/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="2000" value="500"' in html


def test_visitors_without_permission_cannot_import(client, db, repository):
    client.force_login(UserFactory())
    response = client.get("/admin/catalogue/import/")
    assert response.status_code in (302, 403)


# The start page -------------------------------------------------------------


def test_the_start_page_offers_every_format_templates_and_the_guide(client, editor):
    html = client.get("/admin/catalogue/import/").content.decode()

    assert '<option value="xlsx">Excel (.xlsx)</option>' in html
    assert "A CSV, Excel (.xlsx) or EAD file" in html
    assert 'name="default_access"' in html
    assert 'href="/admin/catalogue/import/template.csv"' in html
    assert 'href="/admin/catalogue/import/template.xlsx"' in html
    assert 'href="/admin/catalogue/import/guide/importing/"' in html
    guide = client.get("/admin/catalogue/import/guide/importing/")
    assert guide["Content-Type"] == "text/plain; charset=utf-8"
    assert "## Importing from the admin" in guide.content.decode()
    missing = client.get("/admin/catalogue/import/guide/settings/", follow=True)
    assert missing.status_code == 404


def test_the_templates_download_with_one_header(client, editor, repository, tmp_path):
    response = client.get("/admin/catalogue/import/template.csv")
    content = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads UTF-8 by
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == TEMPLATE_HEADER
    assert rows[0][:4] == ["档号", "上级档号", "层级", "题名"]

    response = client.get("/admin/catalogue/import/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    header = next(workbook.active.iter_rows(max_row=1, values_only=True))
    assert list(header) == rows[0]

    # The CSV template, examples and all, imports as it is.
    path = tmp_path / "模板.csv"
    path.write_bytes(content)
    with translation.override("en"):
        report = import_records(read_csv(path), repository, dry_run=True)
    assert report.ok, report.lines()
    assert report.created == len(rows) - 1 == 2
    missing = client.get("/admin/catalogue/import/template.pdf", follow=True)
    assert missing.status_code == 404


# The report page ------------------------------------------------------------


def job_with(repository, report, **fields):
    return ImportJob.objects.create(
        repository=repository,
        file_name="目录.csv",
        status=ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED,
        report=report.as_data(),
        **fields,
    )


def test_problems_are_grouped_by_message_with_where_each_is(client, editor, repository):
    text = (
        "档号,层级,题名,开放标识\n"
        "J0001,全宗,海关,开放\n"
        "J0001-001,目录,,开放\n"
        "J0001-002,目录,,开放\n"
        "J0001-003,目录,,开放\n"
        "J0001-004,坏层级,总务,开放\n"
    )
    response = upload(client, repository, "目录.csv", text.encode())
    html = response.content.decode()

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.report["counts"]["rows"] == 5
    assert [p["number"] for p in job.report["problems"]] == [3, 4, 5, 6]
    assert job.report["problems"][0] == {
        "file": "目录.csv",
        "unit": "row",
        "number": 3,
        "field": "题名",
        "message": "a title is required",
    }
    assert "<strong>Not imported: 4 problems</strong>" in html
    assert "<strong>Finished</strong>" not in html
    # One group of three under its message, the one alone among the others.
    assert 'a title is required <span class="w-status">3</span></h3>' in html
    assert 'Other problems <span class="w-status">1</span></h3>' in html
    assert "<td>目录.csv</td>\n        <td>4</td>\n        <td>题名</td>" in html
    assert "unknown level &#x27;坏层级&#x27;" in html


def test_long_groups_are_capped_on_the_page_and_whole_in_the_csv(
    client, editor, repository
):
    report = ImportReport(max_problems=5000)
    for number in range(2, 302):
        report.add_problem(
            Problem(row_location("目录.csv", number), "题名", "a title is required")
        )
    job = job_with(repository, report)

    html = client.get(f"/admin/catalogue/import/{job.pk}/").content.decode()
    assert html.count("<td>a title is required</td>") == 0  # the group's title
    assert html.count("<td>题名</td>") == import_report.PAGE_LIMIT
    assert "… and 100 more: see the CSV download." in html

    rows = read_report(client, job)
    assert len([row for row in rows if row["severity"] == "problem"]) == 300


def read_report(client, job):
    response = client.get(f"/admin/catalogue/import/{job.pk}/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_report_downloads_as_csv_with_every_entry(client, editor, repository):
    report = ImportReport(max_problems=2)
    report.rows = 4
    for number in (3, 4, 5):
        report.add_problem(
            Problem(row_location("目录.csv", number), "日期", "无法识别")
        )
    report.add_notice(
        Notice(
            line_location("全宗.xml", 12), "unitid", "档号由位置推出", "derived-code"
        )
    )
    report.add_review(
        ReviewItem(row_location("目录.csv", 6), "开放标识", "待定", "未知措辞")
    )
    job = job_with(repository, report)

    rows = read_report(client, job)

    assert list(rows[0]) == list(import_report.CSV_COLUMNS)
    assert [tuple(row.values()) for row in rows] == [
        ("problem", "", "目录.csv", "3", "日期", "无法识别", ""),
        ("problem", "", "目录.csv", "4", "日期", "无法识别", ""),
        ("problem", "not-listed", "", "", "", "… and 1 more.", ""),
        ("warning", "derived-code", "全宗.xml", "12", "unitid", "档号由位置推出", ""),
        ("review", "", "目录.csv", "6", "开放标识", "未知措辞", "待定"),
    ]


def test_a_formula_in_the_file_stays_text_in_the_csv(client, editor, repository):
    report = ImportReport()
    report.add_review(
        ReviewItem(row_location("目录.csv", 2), "开放标识", '=HYPERLINK("x")', "未知")
    )
    rows = read_report(client, job_with(repository, report))
    assert rows[0]["words"] == '\'=HYPERLINK("x")'


def test_rows_for_review_show_their_words_and_how_to_decide_them(
    client, editor, repository
):
    text = "档号,层级,题名,开放标识\nJ0001,全宗,海关,待鉴定\nJ0002,全宗,商会,待鉴定\n"
    response = upload(client, repository, "目录.csv", text.encode())
    html = response.content.decode()

    job = ImportJob.objects.get()
    assert job.report["status"] == "nothing"
    assert job.report["review"][0]["words"] == "待鉴定"
    assert job.report["review"][0]["number"] == 2
    assert "<strong>Nothing imported: every row was left out</strong>" in html
    assert "<strong>Finished</strong>" not in html
    assert '<blockquote class="import-words">待鉴定</blockquote>' in html
    assert "Add the wording to the access wordings table" in html
    # Editors do not keep the table of wordings: they are told who does.
    assert "Ask an administrator to add it" in html
    editor.user_permissions.add(Permission.objects.get(codename="add_accesswording"))
    html = client.get(f"/admin/catalogue/import/{job.pk}/").content.decode()
    assert 'href="/admin/snippets/catalogue/accesswording/add/"' in html

    # Deciding the wording and importing again resolves them.
    AccessWording.objects.create(wording="待鉴定", meaning="open")
    upload(client, repository, "目录.csv", text.encode())
    assert ImportJob.objects.latest("pk").report["status"] == "imported"
    assert Record.objects.count() == 2


# An import's options --------------------------------------------------------

FINDING_AID = """<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="urn:isbn:1-931666-22-9">
  <eadheader><eadid>120101-J0020</eadid></eadheader>
  <archdesc level="fonds">
    <did><unitid>J0020</unitid><unittitle>滨江市航运公司</unittitle></did>
    <dsc>
      <c01 level="file"><did><unitid>001</unitid><unittitle>航线</unittitle></did></c01>
    </dsc>
  </archdesc>
</ead>
"""


def test_a_finding_aid_without_access_is_open_only_when_the_editor_says_so(
    client, editor, repository
):
    response = upload(client, repository, "全宗.xml", FINDING_AID.encode())
    job = ImportJob.objects.get()
    assert job.default_access == ""
    assert job.report["status"] == "nothing"
    assert job.report["counts"]["review"] == 1
    assert not Record.objects.exists()
    html = response.content.decode()
    assert "The file says nothing about access here" in html

    upload(client, repository, "全宗.xml", FINDING_AID.encode(), default_access="on")
    job = ImportJob.objects.latest("pk")
    assert job.default_access == "open"
    assert job.report["status"] == "imported", job.report
    assert job.report["counts"]["review"] == 0
    assert set(Record.objects.values_list("reference_code", flat=True)) == {
        "J0020",
        "J0020-001",
    }


def test_an_excel_file_can_be_named_by_its_format(client, editor, repository):
    content = (FIXTURES / "template.csv").read_bytes()
    upload(client, repository, "目录.dat", content, format="csv")
    assert ImportJob.objects.get().report["status"] == "imported"
    upload(client, repository, "目录.dat", content, format="xlsx")
    job = ImportJob.objects.latest("pk")
    assert job.format == "xlsx"
    assert job.report["status"] == "problems"  # a CSV file is not a workbook


# What a new user found ------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("目录.csv", "档号,上级档号,层级,题名,开放标识\n".encode()),
        ("atom.csv", b"legacyId,parentId,identifier,title,levelOfDescription\n"),
    ],
)
def test_a_file_with_only_a_header_is_not_finished(
    client, editor, repository, name, content
):
    response = upload(client, repository, name, content)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.report["problems"][0]["message"] == (
        "the file holds no records: there is nothing below its header"
    )
    html = response.content.decode()
    assert "<strong>Not imported: 1 problem</strong>" in html
    assert "<strong>Finished</strong>" not in html
    # The same file with a row is imported (a positive control).
    row = "J0001,,全宗,海关,开放\n" if name == "目录.csv" else "1,,J0001,海关,Fonds\n"
    upload(client, repository, name, content + row.encode())
    assert ImportJob.objects.latest("pk").status == ImportJob.Status.DONE


def test_a_file_that_is_not_a_zip_is_refused_in_the_editors_language(
    client, editor, repository
):
    response = upload(client, repository, "bundle.zip", b"PK\x03\x04 not really")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    message = job.report["problems"][0]["message"]
    assert message.startswith("bundle.zip is not a readable zip file: ")
    assert "File is not a zip file" not in message
    assert message in response.content.decode()


def test_an_unexpected_error_ends_the_job_with_a_problem(
    client, editor, repository, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("catalogue.tasks.import_records", broken)
    content = (FIXTURES / "template.csv").read_bytes()
    upload(client, repository, "目录.csv", content)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    [problem] = job.report["problems"]
    assert "stopped because of an error in the portal" in problem["message"]
    assert not job.file


def test_a_report_kept_as_lines_still_shows(client, editor, repository):
    job = ImportJob.objects.create(
        repository=repository,
        status=ImportJob.Status.DONE,
        report={"lines": ["Rows read: 3", "Records created: 3, updated: 0"]},
    )
    html = client.get(f"/admin/catalogue/import/{job.pk}/").content.decode()
    assert "<li>Records created: 3, updated: 0</li>" in html
    rows = read_report(client, job)
    assert rows[1]["message"] == "Records created: 3, updated: 0"


# Who may import -------------------------------------------------------------


def test_only_importers_see_reports_templates_and_guides(client, editor, repository):
    job = job_with(repository, ImportReport())
    urls = [
        "/admin/catalogue/import/",
        f"/admin/catalogue/import/{job.pk}/",
        f"/admin/catalogue/import/{job.pk}/report.csv",
        "/admin/catalogue/import/template.csv",
        "/admin/catalogue/import/template.xlsx",
        "/admin/catalogue/import/guide/importing/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url

    # An admin user without the import permission is refused each of them
    # (Wagtail sends them back to the dashboard with a message).
    other = UserFactory()
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(other)
    assert client.get("/admin/").status_code == 200
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == "/admin/", url
