"""A bundle's files are taken by their bytes, within a size limit checked first."""

import builtins
import io
import os

import pytest
from django.utils import translation

from catalogue.importers.files import MAX_FILE_BYTES, check_file

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english_messages():
    """Messages asserted in English; the portal's default language is Chinese."""
    with translation.override("en"):
        yield


def ftyp(major, *compatible):
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00\x00\x00\x08free"


def riff(form, rest=b""):
    return b"RIFF" + (4 + len(rest)).to_bytes(4, "little") + form + rest


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 10
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"\x08\x00\x00\x00a.txt"
EBML = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("scans/0001.png", PNG, "image"),
        ("scans/0001.jpg", JPEG, "image"),
        ("scans/0001.JPEG", JPEG, "image"),
        ("scans/0001.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "image"),
        ("scans/0001.tif", b"II*\x00\x08\x00\x00\x00\x00\x00", "image"),
        ("scans/0001.tiff", b"MM\x00*\x00\x00\x00\x08\x00\x00", "image"),
        ("scans/0001.webp", riff(b"WEBP", b"VP8 \x00\x00\x00\x00"), "image"),
        ("scans/0001.webp", riff(b"WEBP", b"VP8L\x00\x00\x00\x00"), "image"),
        ("scans/0001.jp2", b"\x00\x00\x00\x0cjP  \r\n\x87\n" + ftyp(b"jp2 "), "image"),
        ("scans/0001.j2k", b"\xff\x4f\xff\x51\x00\x2f\x00\x00", "image"),
        (
            "scans/0001.bmp",
            b"BM" + b"\x00" * 12 + (40).to_bytes(4, "little") + b"\x00" * 36,
            "image",
        ),
        ("docs/report.pdf", PDF, "pdf"),
        ("docs/report.pdf", b"\xef\xbb\xbf" + PDF, "pdf"),
        ("docs/report.pdf", b"\x00\x01junk from a scanner\r\n" * 20 + PDF, "pdf"),
        ("audio/talk.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb", "audio"),
        ("audio/talk.mp3", b"\xff\xfb\x90\x64" + b"\x00" * 20, "audio"),
        ("audio/talk.mp3", b"\xff\xf3\x48\xc4" + b"\x00" * 20, "audio"),  # MPEG 2
        ("audio/talk.wav", riff(b"WAVE", b"fmt \x10\x00\x00\x00"), "audio"),
        ("audio/talk.flac", b"fLaC\x00\x00\x00\x22" + b"\x00" * 34, "audio"),
        ("audio/talk.ogg", b"OggS\x00\x02" + b"\x00" * 20 + b"\x01vorbis", "audio"),
        ("audio/talk.m4a", ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio"),
        ("audio/talk.m4a", ftyp(b"mp42", b"isom", b"M4A "), "audio"),
        ("video/film.mp4", ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "video"),
        ("video/film.mp4", ftyp(b"mp42", b"mp42", b"isom"), "video"),
        ("video/film.m4v", ftyp(b"M4V ", b"M4V ", b"M4A ", b"mp42"), "video"),
        ("video/film.mov", ftyp(b"qt  ", b"qt  "), "video"),
        ("video/film.mov", b"\x00\x00\x10\x00moov" + b"\x00" * 20, "video"),
        ("video/film.webm", EBML + b"\x84webm\x42\x87\x81\x04", "video"),
        ("video/film.mkv", EBML + b"\x88matroska\x42\x87\x81\x04", "video"),
        ("video/film.avi", riff(b"AVI ", b"LIST\x00\x00\x00\x00"), "video"),
        ("video/film.ogv", b"OggS\x00\x02" + b"\x00" * 20 + b"\x80theora", "video"),
        # A name that says nothing: the bytes decide.
        ("scans/0001", PNG, "image"),
        # An MP4 container may hold sound alone: under an audio name, it is audio.
        ("audio/talk.mp3", ftyp(b"isom", b"mp41"), "audio"),
        ("scans/0001.scan", PDF, "pdf"),
        # Another image format than the name's is still an image.
        ("scans/0001.png", JPEG, "image"),
    ],
)
def test_each_accepted_format_is_recognised_by_its_bytes(tmp_path, name, content, kind):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert check_file(str(path)) == (kind, None)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scans/evil.png", HTML, "its contents are HTML"),
        ("scans/evil.html", HTML, "its contents are HTML"),
        ("scans/evil.png", b"\xef\xbb\xbf  <html>hi</html>", "its contents are HTML"),
        ("scans/evil.png", "<html>ü</html>".encode("utf-16"), "its contents are HTML"),
        ("scans/evil.png", b"<p>not a scan</p>", "its contents are HTML"),
        ("scans/evil.jpg", b"<iframe src=x>" + b"\n" * 20 + PDF, "are HTML"),
        ("scans/drawing.svg", SVG, "its contents are SVG"),
        ("scans/drawing.png", b"<svg onload='alert(1)'/>", "its contents are SVG"),
        ("scans/data.png", b'<?xml version="1.0"?><ead/>', "its contents are XML"),
        ("scans/bundle.zip", ZIP, "its contents are a ZIP archive"),
        ("scans/0001.png", ZIP, "its contents are a ZIP archive"),
        ("scans/0001.pdf", ZIP + b"\x00" * 10 + PDF, "its contents are a ZIP archive"),
        (
            "docs/letter.docx",
            ZIP[:30] + b"[Content_Types].xml",
            "its contents are an Office document",
        ),
        (
            "docs/letter.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,
            "its contents are an Office document",
        ),
        ("scans/0001.png", b"MZ\x90\x00\x03\x00\x00\x00", "its contents are a program"),
        ("scans/0001.png", b"\x7fELF\x02\x01\x01\x00", "its contents are a program"),
        ("scans/0001.png", b"#!/bin/sh\nrm -rf /\n", "its contents are a script"),
        ("scans/0001.gz", b"\x1f\x8b\x08\x00", "its contents are a compressed archive"),
        ("scans/notes.txt", "一份说明\nnotes\n".encode(), "its contents are text"),
        ("scans/0001.png", b"\x00\x01\x02\x03\x04\x05", "not a known image"),
        ("scans/0001.png", b"BM only a text starting BM", "its contents are text"),
        ("scans/0001.gif", b"GIFTS for the archive", "its contents are text"),
        ("scans/0001.heic", ftyp(b"heic", b"mif1", b"heic"), "not a known image"),
        ("audio/0001.aiff", b"FORM\x00\x00\x00\x00AIFF", "not a known image"),
        ("video/0001.wmv", riff(b"CDXA"), "not a known image"),
    ],
)
def test_anything_else_is_refused_and_said_what_it_is(tmp_path, name, content, message):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    kind, found = check_file(str(path))
    assert kind == ""
    assert found.startswith("not an image, PDF, audio or video file: ")
    assert message in found


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "0001.png"
    path.write_bytes(b"")
    assert check_file(str(path)) == ("", "the file is empty")


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    kind, message = check_file(str(tmp_path / "nothing.png"))
    assert kind == ""
    assert message.startswith("the file cannot be read: ")
    (tmp_path / "folder.png").mkdir()
    assert check_file(str(tmp_path / "folder.png")) == (
        "",
        "the file cannot be read: not a regular file",
    )


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("scans/0001.png", PDF, "a PDF"),
        ("docs/report.pdf", PNG, "PNG (an image)"),
        ("scans/0001.jpg", ftyp(b"isom", b"avc1"), "MP4 (a video file)"),
        ("audio/talk.flac", riff(b"AVI "), "AVI (a video file)"),
        ("audio/talk.m4a", ftyp(b"qt  "), "QuickTime (a video file)"),
        ("video/film.mov", b"ID3\x04\x00\x00\x00\x00\x00\x00", "MP3 (an audio file)"),
        ("scans/page.html", PNG, "PNG (an image)"),  # served as a web page
        ("scans/page.svg", PNG, "PNG (an image)"),
    ],
)
def test_a_name_that_says_another_kind_than_the_bytes_is_refused(
    tmp_path, name, content, found
):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    extension = os.path.splitext(name)[1]
    assert check_file(str(path)) == (
        "",
        "the name and the contents disagree: the name ends in "
        f"{extension}, the contents are {found}",
    )


@pytest.mark.parametrize(
    ("name", "content", "declared", "result"),
    [
        ("0001.png", PNG, "image", ("image", None)),
        ("0001", PDF, "pdf", ("pdf", None)),
        # An MP4 or an Ogg file may hold sound alone: the import may say so.
        ("talk.mp4", ftyp(b"isom", b"mp41"), "audio", ("audio", None)),
        ("talk.ogg", b"OggS\x00\x02", "audio", ("audio", None)),
        ("film.ogg", b"OggS\x00\x02", "video", ("video", None)),
        (
            "0001.png",
            PNG,
            "audio",
            ("", "it is listed as an audio file, but its contents are PNG (an image)"),
        ),
        (
            "0001",
            PDF,
            "image",
            ("", "it is listed as an image, but its contents are a PDF"),
        ),
        (
            "talk.m4a",
            ftyp(b"M4A "),
            "video",
            (
                "",
                "it is listed as a video file, "
                "but its contents are M4A (an audio file)",
            ),
        ),
        ("0001.png", PNG, "text", ("", "unknown kind of file “text”")),
    ],
)
def test_the_declared_kind_must_agree_with_the_bytes(
    tmp_path, name, content, declared, result
):
    path = tmp_path / name
    path.write_bytes(content)
    assert check_file(str(path), declared) == result


@pytest.fixture
def never_opened(monkeypatch):
    """Paths that must not be opened: opening one fails the test."""
    forbidden = set()

    def guard(real):
        def opener(file, *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)):
                assert os.fsdecode(file) not in forbidden, f"{file} was opened"
            return real(file, *args, **kwargs)

        return opener

    monkeypatch.setattr(builtins, "open", guard(builtins.open))
    monkeypatch.setattr(io, "open", guard(io.open))
    monkeypatch.setattr(os, "open", guard(os.open))
    return forbidden


def sparse(path, size, head=b""):
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return str(path)


def test_the_guard_catches_an_opening(tmp_path, never_opened):
    path = sparse(tmp_path / "0001.png", 10, PNG)
    never_opened.add(path)
    with pytest.raises(AssertionError, match="was opened"):
        check_file(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("big.png", "the file is 300 MB, larger than the limit of 50 MB for an image"),
        ("big.pdf", "the file is 300 MB, larger than the limit of 200 MB for a PDF"),
        ("big.mp4", "the file is 300 MB, larger than the limit of 200 MB"),
        ("big", "the file is 300 MB, larger than the limit of 200 MB"),
        ("big.html", "the file is 300 MB, larger than the limit of 200 MB"),
    ],
)
def test_a_file_over_the_limit_is_refused_without_being_read(
    tmp_path, never_opened, name, message
):
    path = sparse(tmp_path / name, 300 * MB, PNG)
    never_opened.add(path)
    assert check_file(path) == ("", message)


def test_the_limit_of_the_declared_kind_applies_before_reading(tmp_path, never_opened):
    path = sparse(tmp_path / "scan", 60 * MB, PNG)
    never_opened.add(path)
    assert check_file(path, "image") == (
        "",
        "the file is 60 MB, larger than the limit of 50 MB for an image",
    )


def test_a_file_that_turns_out_an_image_has_the_image_limit(tmp_path):
    # Named for no kind, so its first bytes are read (it is under every
    # kind's limit); they make it an image, which may not be so large.
    path = sparse(tmp_path / "scan", 60 * MB, PNG)
    assert check_file(path) == (
        "",
        "the file is 60 MB, larger than the limit of 50 MB for an image",
    )
    assert check_file(sparse(tmp_path / "scan.pdf", 60 * MB, PDF)) == ("pdf", None)


def test_limits_come_from_the_settings_at_each_call(tmp_path, settings):
    path = sparse(tmp_path / "0001.png", MB + 1, PNG)
    assert check_file(path) == ("image", None)
    settings.CATALOGUE_MAX_IMAGE_MB = 1
    assert MAX_FILE_BYTES["image"] == MB
    assert check_file(path) == (
        "",
        "the file is 1.1 MB, larger than the limit of 1 MB for an image",
    )
    assert check_file(sparse(tmp_path / "exact.png", MB, PNG)) == ("image", None)
    settings.CATALOGUE_MAX_FILE_MB = 2
    assert dict(MAX_FILE_BYTES) == {
        "image": MB,
        "pdf": 2 * MB,
        "audio": 2 * MB,
        "video": 2 * MB,
    }


def test_the_default_limits(settings):
    assert MAX_FILE_BYTES["image"] == 50 * MB
    assert MAX_FILE_BYTES["pdf"] == MAX_FILE_BYTES["video"] == 200 * MB
    with pytest.raises(KeyError):
        MAX_FILE_BYTES["text"]


def test_messages_are_in_chinese_for_chinese_editors(tmp_path):
    html = tmp_path / "evil.png"
    html.write_bytes(HTML)
    pdf = tmp_path / "0001.png"
    pdf.write_bytes(PDF)
    png = tmp_path / "0002.png"
    png.write_bytes(PNG)
    empty = tmp_path / "0003.png"
    empty.write_bytes(b"")
    unknown = tmp_path / "0004.png"
    unknown.write_bytes(b"\x00\x01\x02")
    big = sparse(tmp_path / "big.png", 300 * MB)
    with translation.override("zh-hans"):
        assert check_file(str(html)) == (
            "",
            "不是图像、PDF、音频或视频文件：其内容是 HTML",
        )
        assert check_file(str(unknown)) == (
            "",
            "不是图像、PDF、音频或视频文件：其内容不属于已知的图像、PDF、音频或视频格式",
        )
        assert check_file(str(pdf)) == (
            "",
            "文件名与内容不符：文件名以 .png 结尾，内容却是 PDF 文件",
        )
        assert check_file(str(png), "audio") == (
            "",
            "著录为音频文件，但其内容是 PNG（图像）",
        )
        assert check_file(str(empty)) == ("", "文件为空")
        assert check_file(big) == ("", "文件大小为 300 MB，超过了图像 50 MB 的上限")
