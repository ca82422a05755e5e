"""`manage.py import_catalogue`: files, bundles, zips, reports and refusals."""

import io
import shutil
import stat
import sys
import types
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from catalogue.importers import sources
from catalogue.importers.base import RecordRow
from catalogue.management.commands import import_catalogue
from catalogue.models import Record
from tests.factories import RepositoryFactory

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions read the messages in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def repository(db):
    return RepositoryFactory(code="120101", name="滨江市档案馆")


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def zip_of(tmp_path, entries, name="目录包.zip"):
    """A zip with (name, bytes) entries, or ZipInfo for unusual ones."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in entries:
            archive.writestr(entry, data)
    return path


def bundle_entries(folder=""):
    root = FIXTURES / "bundle"
    return [
        (folder + p.relative_to(root).as_posix(), p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def test_imports_a_csv_file_and_prints_the_report(repository):
    out, _err = run(str(FIXTURES / "template.csv"), repository="120101")

    assert Record.objects.count() == 10
    assert "13" in out  # rows read
    assert "10" in out  # created


def test_a_dry_run_writes_nothing(repository):
    out, _err = run(str(FIXTURES / "template.csv"), repository="120101", dry_run=True)

    assert Record.objects.count() == 0
    assert "10" in out


def test_an_unknown_repository_lists_the_known_ones(repository):
    with pytest.raises(CommandError) as raised:
        run(str(FIXTURES / "template.csv"), repository="999999")

    assert "999999" in str(raised.value)
    assert "120101 (滨江市档案馆)" in str(raised.value)


def test_problems_fail_the_command_and_nothing_is_imported(repository):
    with pytest.raises(CommandError):
        run(str(FIXTURES / "malformed.csv"), repository="120101", language="en")

    assert Record.objects.count() == 0


def test_the_report_names_file_row_and_field(repository):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_catalogue",
            str(FIXTURES / "malformed.csv"),
            repository="120101",
            language="en",
            stdout=out,
            stderr=io.StringIO(),
        )

    assert "malformed.csv, row 4, 日期: cannot read the date '1956年13月'" in (
        out.getvalue()
    )


def test_a_bundle_directory_attaches_its_files(repository):
    run(str(FIXTURES / "bundle"), repository="120101")

    item = Record.objects.get(reference_code="J0006-001-0001")
    assert item.digital_objects.count() == 2
    assert item.pages.count() == 2


def test_a_zip_bundle_is_unpacked_and_imported(repository, tmp_path):
    # Compressing a folder puts the folder itself at the top of the zip.
    archive = zip_of(tmp_path, bundle_entries("政府文书/"))

    run(str(archive), repository="120101")

    item = Record.objects.get(reference_code="J0006-001-0001")
    assert [p.text.splitlines()[0] for p in item.pages.order_by("page_number")] == [
        "滨江市人民政府关于整顿市区交通秩序的通知",
        "一、车辆一律靠右行驶。",
    ]
    assert all(d.file.storage.exists(d.file.name) for d in item.digital_objects.all())


def test_zip_entry_names_written_in_gbk_are_understood(repository, tmp_path):
    # Chinese Windows writes names in GBK without zip's UTF-8 flag; Python's
    # zipfile always sets the flag, so the name is patched into the bytes.
    placeholder = "XXXX.csv"
    gbk = "目录.csv".encode("gbk")
    assert len(gbk) == len(placeholder)
    entries = [(n, d) for n, d in bundle_entries() if n != "目录.csv"]
    entries.append((placeholder, (FIXTURES / "bundle" / "目录.csv").read_bytes()))
    archive = zip_of(tmp_path, entries)
    archive.write_bytes(archive.read_bytes().replace(placeholder.encode(), gbk))

    out, _err = run(str(archive), repository="120101", language="en")

    assert "目录.csv" not in out  # no problems to report
    assert Record.objects.filter(reference_code="J0006-001-0001").exists()


@pytest.mark.parametrize(
    "name",
    ["../escape.csv", "scans/../../escape.png", "/etc/cron.d/escape", "C:/escape.csv"],
)
def test_a_zip_with_an_escaping_entry_is_refused(repository, tmp_path, name):
    archive = zip_of(tmp_path, [*bundle_entries(), (name, b"x")])

    with pytest.raises(CommandError) as raised:
        run(str(archive), repository="120101", language="en")

    assert "unsafe path" in str(raised.value)
    assert not (tmp_path.parent / "escape.csv").exists()
    assert Record.objects.count() == 0


def test_a_zip_with_a_symbolic_link_is_refused(repository, tmp_path):
    link = zipfile.ZipInfo("scans/0003.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = zip_of(tmp_path, [*bundle_entries(), (link, "/etc/passwd")])

    with pytest.raises(CommandError) as raised:
        run(str(archive), repository="120101", language="en")

    assert "symbolic link" in str(raised.value)


def test_a_zip_with_too_many_entries_is_refused(repository, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_ZIP_ENTRIES", 3)
    archive = zip_of(tmp_path, bundle_entries())

    with pytest.raises(CommandError) as raised:
        run(str(archive), repository="120101", language="en")

    assert "more than 3 entries" in str(raised.value)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(repository, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_ZIP_BYTES", 32 * 1024**2)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("目录.csv", b"a,b\n")
        with archive.open("filler.bin", "w") as filler:
            block = b"\x00" * 1024**2
            for _ in range(33):
                filler.write(block)
    assert path.stat().st_size < 100 * 1024

    with pytest.raises(CommandError) as raised:
        run(str(path), repository="120101", language="en")

    assert "unpacks to more than" in str(raised.value)


def test_a_bundle_with_two_metadata_files_is_refused(repository, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURES / "bundle", bundle)
    shutil.copy(FIXTURES / "template.csv", bundle)

    with pytest.raises(CommandError) as raised:
        run(str(bundle), repository="120101", language="en")

    assert "template.csv" in str(raised.value)


def test_a_path_that_does_not_exist_is_an_error(repository, tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "nowhere.csv"), repository="120101")


def test_ead_files_go_to_the_ead_reader(repository, tmp_path, monkeypatch):
    calls = []

    def read_ead(path, *, bundle=None, location_name=None):
        calls.append((Path(path).name, location_name))
        yield RecordRow(
            location=f"{location_name}, line 3",
            reference_code="J0007",
            level="fonds",
            title="滨江电报局",
            access_words=["开放"],
        )

    module = types.ModuleType("catalogue.importers.ead")
    module.read_ead = read_ead
    monkeypatch.setitem(sys.modules, "catalogue.importers.ead", module)
    finding_aid = tmp_path / "finding-aid.xml"
    finding_aid.write_text("<ead/>", encoding="utf-8")

    run(str(finding_aid), repository="120101")

    assert calls == [("finding-aid.xml", "finding-aid.xml")]
    assert Record.objects.filter(reference_code="J0007").exists()


def test_progress_goes_to_stderr_when_asked(repository):
    _out, err = run(
        str(FIXTURES / "template.csv"),
        repository="120101",
        progress=True,
        language="en",
    )

    assert err.startswith("\r")
    assert "13 of 13 (100%)" in err


def test_no_progress_when_stderr_is_not_a_terminal(repository):
    _out, err = run(str(FIXTURES / "template.csv"), repository="120101")

    assert err == ""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_report_is_in_the_language_asked_for(repository, monkeypatch, language):
    seen = []
    real = import_catalogue.import_records

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_catalogue, "import_records", spy)
    options = {"language": language} if language == "en" else {}

    run(str(FIXTURES / "template.csv"), repository="120101", **options)

    assert seen == [language]


# zipfile's words are not the report's ------------------------------------------


def refusal_in_chinese(path):
    with translation.override("zh-hans"), pytest.raises(sources.BundleError) as raised:
        sources.extract_zip(path, path.parent / "unpacked")
    return str(raised.value)


def test_a_file_that_is_not_a_zip_is_refused_in_the_reports_language(tmp_path):
    path = tmp_path / "目录包.zip"
    path.write_bytes(b"PK\x03\x04 this is not a zip file at all")
    with pytest.raises(zipfile.BadZipFile, match="File is not a zip file"):
        zipfile.ZipFile(path)

    message = refusal_in_chinese(path)

    assert message.startswith("目录包.zip ")
    assert "File is not a zip file" not in message


def test_a_damaged_zip_entry_is_refused_in_the_reports_language(tmp_path):
    path = tmp_path / "目录包.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("目录.csv", "档号,层级,题名,开放标识\n" * 200)
    data = bytearray(path.read_bytes())
    start = data.index(b"PK\x03\x04") + 30 + len("目录.csv".encode())
    data[start + 5 : start + 25] = b"\xff" * 20  # the deflated bytes
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, pytest.raises(Exception) as raw:
        archive.read("目录.csv")
    english = str(raw.value)

    message = refusal_in_chinese(path)

    assert "目录.csv" in message
    assert english and english not in message


def test_a_zip_compressed_in_an_unknown_way_says_how_to_make_it_again(tmp_path):
    path = tmp_path / "目录包.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("目录.csv", "档号,层级,题名,开放标识\n")
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.index(signature) + offset
        data[at : at + 2] = (9).to_bytes(2, "little")  # Deflate64
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, pytest.raises(NotImplementedError) as raw:
        archive.read("目录.csv")

    message = refusal_in_chinese(path)

    assert str(raw.value) not in message
    assert "Deflate" in message


def test_replace_empties_what_the_file_leaves_empty(repository, tmp_path):
    full = tmp_path / "full.csv"
    full.write_text("档号,层级,题名,附注,开放标识\nJ0001,全宗,滨江海关,移交进馆,开放\n")
    short = tmp_path / "short.csv"
    short.write_text("档号,层级,题名,开放标识\nJ0001,全宗,滨江海关,开放\n")
    run(str(full), repository="120101")

    run(str(short), repository="120101")
    assert Record.objects.get(reference_code="J0001").notes == "移交进馆"

    run(str(short), "--replace", repository="120101")
    assert Record.objects.get(reference_code="J0001").notes == ""
