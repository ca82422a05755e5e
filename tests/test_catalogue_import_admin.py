"""Editors import catalogues from the admin and read the same report."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import ImportJob, Record
from tests.factories import RepositoryFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"


@pytest.fixture
def editor(client, db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
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
    assert job.report[0] in html
    # The upload may describe closed records: it is not kept.
    assert not job.file


def test_checking_only_imports_nothing(client, editor, repository):
    content = (FIXTURES / "template.csv").read_bytes()
    upload(client, repository, "目录.csv", content, dry_run="on")
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert not Record.objects.exists()


def test_a_broken_file_imports_nothing_and_says_why(client, editor, repository):
    content = (FIXTURES / "malformed.csv").read_bytes()
    response = upload(client, repository, "坏文件.csv", content)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert not Record.objects.exists()
    assert len(job.report) > 1
    assert job.report[-1] in response.content.decode()


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
