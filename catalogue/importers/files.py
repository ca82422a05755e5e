"""Whether a file named by a catalogue import may become a digital object.

A bundle's file (a page image, a PDF, audio, video) is judged by its bytes, not
its name: `scans/evil.html`, or a web page renamed `0001.png`, is refused. Its
size comes first, from os.stat, so a file over the limit is never opened;
then at most HEAD bytes are read and their signature decides what the file is.
A name whose extension says another kind than the bytes, or a kind the import
declares that the bytes contradict, is refused too.

The signatures are our own short table rather than the `filetype` package's
(which Willow brings in): its BMP is any file starting "BM" and its GIF any
starting "GIF", it knows no JPEG 2000 codestream, finds "%PDF-" only at the
very start, and knows MP4 by three brands only; it would have needed
correcting for most of the formats accepted here.

Messages are in the active language and name no path: the caller says which
file of the bundle it was.
"""

import mimetypes
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import os_error

# The kinds of catalogue.models.DigitalObject.Kind.
IMAGE, PDF, AUDIO, VIDEO = "image", "pdf", "audio", "video"
KINDS = (IMAGE, PDF, AUDIO, VIDEO)
MB = 1024 * 1024
HEAD = 4096  # bytes read to tell what a file is
PDF_WITHIN = 1024  # "%PDF-" may follow a little junk, as readers allow


class _Limits(Mapping):
    """{kind: largest size in bytes}, read from the settings at each look-up
    (CATALOGUE_MAX_IMAGE_MB, CATALOGUE_MAX_FILE_MB), so they can be changed
    in tests and by an operator without importing anything again."""

    def __getitem__(self, kind: str) -> int:
        if kind == IMAGE:
            megabytes = getattr(settings, "CATALOGUE_MAX_IMAGE_MB", 50)
        elif kind in KINDS:
            megabytes = getattr(settings, "CATALOGUE_MAX_FILE_MB", 200)
        else:
            raise KeyError(kind)
        return int(megabytes * MB)

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)

    def __repr__(self):
        return repr(dict(self))


MAX_FILE_BYTES: Mapping[str, int] = _Limits()


@dataclass(frozen=True)
class Format:
    name: str  # as messages show it: "PNG", "MP4"
    kinds: tuple[str, ...]  # what a file of it may be, the likeliest first


PNG = Format("PNG", (IMAGE,))
JPEG = Format("JPEG", (IMAGE,))
GIF = Format("GIF", (IMAGE,))
TIFF = Format("TIFF", (IMAGE,))
WEBP = Format("WebP", (IMAGE,))
JPEG2000 = Format("JPEG 2000", (IMAGE,))
BMP = Format("BMP", (IMAGE,))
PDF_FORMAT = Format("PDF", (PDF,))
MP3 = Format("MP3", (AUDIO,))
WAV = Format("WAV", (AUDIO,))
FLAC = Format("FLAC", (AUDIO,))
OGG = Format("Ogg", (AUDIO, VIDEO))
OGG_VIDEO = Format("Ogg", (VIDEO, AUDIO))
M4A = Format("M4A", (AUDIO,))
MP4 = Format("MP4", (VIDEO, AUDIO))
QUICKTIME = Format("QuickTime", (VIDEO,))
WEBM = Format("WebM", (VIDEO, AUDIO))
MATROSKA = Format("Matroska", (VIDEO, AUDIO))
AVI = Format("AVI", (VIDEO,))

# What a name's extension says: the kinds a file so named may be.
EXTENSIONS = {
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".tif", ".tiff"),
        (IMAGE,),
    ),
    **dict.fromkeys(
        (".webp", ".jp2", ".j2k", ".j2c", ".jpc", ".jpf", ".jpx", ".jpm"),
        (IMAGE,),
    ),
    **dict.fromkeys((".bmp", ".dib"), (IMAGE,)),
    ".pdf": (PDF,),
    **dict.fromkeys(
        (".mp3", ".wav", ".wave", ".flac", ".oga", ".opus", ".m4a", ".m4b"),
        (AUDIO,),
    ),
    **dict.fromkeys((".mka", ".weba"), (AUDIO,)),
    ".ogg": (AUDIO, VIDEO),
    **dict.fromkeys((".mp4", ".webm"), (VIDEO, AUDIO)),
    **dict.fromkeys((".m4v", ".mov", ".qt", ".mkv", ".avi", ".ogv"), (VIDEO,)),
}
# Python's own table, not the system's: the same answer on every machine.
_MIME_TYPES = mimetypes.MimeTypes()

# ISO base media (MP4) brands.
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_STILL_BRANDS = {b"mif1", b"msf1", b"miaf", b"heic", b"heix", b"avif", b"avis"}
_VIDEO_BRAND_PREFIXES = (
    b"iso",
    b"mp4",
    b"avc",
    b"dash",
    b"M4V",
    b"3gp",
    b"3g2",
    b"MSNV",
    b"f4v",
    b"mmp4",
    b"qt  ",
)
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}


def _iso_media(head: bytes) -> Format | None:
    size = int.from_bytes(head[:4], "big")
    if size < 16:
        return None
    major = head[8:12]
    brands = {major}
    brands.update(head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4))
    if major in _AUDIO_BRANDS:
        return M4A
    if major == b"qt  ":
        return QUICKTIME
    if brands & _STILL_BRANDS:
        return None  # HEIF, AVIF: images, but not of the formats taken here
    if any(brand.startswith(_VIDEO_BRAND_PREFIXES) for brand in brands):
        return MP4
    if brands & _AUDIO_BRANDS:
        return M4A
    return None


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio layer III frame header: sync, and no reserved values."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer == 1 and bitrate != 15 and rate != 3


def _ebml(head: bytes) -> Format | None:
    doctype = head.find(b"\x42\x82")
    if doctype < 0:
        return None
    value = head[doctype + 2 : doctype + 12]
    if b"webm" in value:
        return WEBM
    if b"matroska" in value:
        return MATROSKA
    return None


def sniff(head: bytes) -> Format | None:
    """The accepted format the bytes begin with, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF  # classic and BigTIFF, either byte order
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return JPEG2000  # the jp2 file format, or a bare j2k codestream
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in (
        _BMP_HEADER_SIZES
    ):
        return BMP
    if head[:4] == b"RIFF":
        form = head[8:12]
        if form == b"WEBP" and head[12:15] == b"VP8":
            return WEBP
        return {b"WAVE": WAV, b"AVI ": AVI}.get(form)
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return OGG_VIDEO if b"\x80theora" in head else OGG
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _ebml(head)
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head[4:8] in (b"moov", b"mdat", b"wide"):
        return QUICKTIME  # older QuickTime, without a file type box
    if head[:3] == b"ID3" and len(head) >= 10 and head[3] in (2, 3, 4):
        return MP3
    if _mp3_frame(head):
        return MP3
    start = head.find(b"%PDF-", 0, PDF_WITHIN + 5)
    if start == 0 or (
        start > 0
        and _program_or_archive(head[:start]) is None
        and _markup(head[:start]) is None
    ):
        return PDF_FORMAT
    return None


def _program_or_archive(head: bytes) -> str | None:
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe")) or head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
    ):
        return _("a program")
    if head.startswith(b"#!"):
        return _("a script")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        if b"[Content_Types].xml" in head or b"mimetypeapplication/vnd.oasis" in head:
            return _("an Office document")
        return _("a ZIP archive")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("an Office document")
    if head.startswith(
        (b"\x1f\x8b", b"BZh", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\xfd7zXZ\x00")
    ):
        return _("a compressed archive")
    return None


_HTML_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<meta",
    b"<title",
    b"<style",
    b"<object",
    b"<embed",
    b"<form",
    b"<div",
    b"<img",
    b"<a ",
)


def _markup(head: bytes) -> str | None:
    """HTML, SVG or other XML, in UTF-8 or UTF-16."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if b"<svg" in text:
        return "SVG"
    if any(tag in text for tag in _HTML_TAGS):
        return "HTML"
    if text.startswith(b"<?xml"):
        return "XML"
    if text.startswith(b"<"):
        return "HTML"  # what a browser would make of it
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f")
    return controls * 20 < len(head)


def _refused(head: bytes) -> str | None:
    """What a file that is none of the accepted formats is, when it can be said."""
    found = _program_or_archive(head) or _markup(head)
    if found is None and _is_text(head):
        found = _("text")
    return found


def _kind_name(kind: str) -> str:
    return {
        IMAGE: _("an image"),
        PDF: _("a PDF"),
        AUDIO: _("an audio file"),
        VIDEO: _("a video file"),
    }[kind]


def _contents(found: Format) -> str:
    """What the bytes are, for a message: "PNG (an image)", "a PDF"."""
    kind = found.kinds[0]
    if kind == PDF:
        return _kind_name(kind)
    return _("%(format)s (%(kind)s)") % {"format": found.name, "kind": _kind_name(kind)}


def _megabytes(size: int) -> str:
    """A size in MB to one decimal, rounded up: never "50 MB" for a file
    over a 50 MB limit."""
    tenths = ceil(size * 10 / MB)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def _too_large(size: int, kinds) -> str:
    values = {"size": _megabytes(size)}
    values["limit"] = _megabytes(max(MAX_FILE_BYTES[kind] for kind in kinds))
    if len(kinds) == 1:
        values["kind"] = _kind_name(kinds[0])
        return (
            _(
                "the file is %(size)s MB, larger than the limit of %(limit)s MB "
                "for %(kind)s"
            )
            % values
        )
    return _("the file is %(size)s MB, larger than the limit of %(limit)s MB") % values


def _named(path: str) -> tuple[str, tuple[str, ...] | None]:
    """(the name's extension, the kinds it says): None when it says nothing,
    () when it says some other type of file (.html, .svg, .docx)."""
    extension = os.path.splitext(os.path.basename(path))[1].lower()
    if not extension:
        return extension, None
    kinds = EXTENSIONS.get(extension)
    if kinds is None and _MIME_TYPES.guess_type("x" + extension)[0]:
        kinds = ()
    return extension, kinds


def _read_head(path: str, limit: int):
    """(size, first bytes) of a regular file, or (size, None) when it turns
    out larger than `limit` once open. Raises OSError."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, _("not a regular file"))
        if status.st_size > limit:
            return status.st_size, None
        chunks, wanted = [], min(HEAD, status.st_size)
        while wanted > 0 and (chunk := os.read(descriptor, wanted)):
            chunks.append(chunk)
            wanted -= len(chunk)
        return status.st_size, b"".join(chunks)
    finally:
        os.close(descriptor)


def _unreadable(error: OSError) -> str:
    return _("the file cannot be read: %(error)s") % {"error": os_error(error)}


def check_file(path: str, declared_kind: str = "") -> tuple[str, str | None]:
    """(kind, None) when acceptable — kind in 'image','pdf','audio','video' as
    sniffed — or ('', message) with a message in the active language saying
    why not.

    `declared_kind` is the kind the import says the file is, if it says.
    """
    if declared_kind and declared_kind not in KINDS:
        return "", _("unknown kind of file “%(kind)s”") % {"kind": declared_kind}
    extension, named = _named(path)
    # Before reading anything, the largest size any kind claimed for it allows.
    declared = (declared_kind,) if declared_kind else ()
    claimed = tuple(dict.fromkeys(declared + (named or ()))) or KINDS
    limit = max(MAX_FILE_BYTES[kind] for kind in claimed)
    try:
        status = os.stat(path)
    except OSError as error:
        return "", _unreadable(error)
    if not stat.S_ISREG(status.st_mode):
        return "", _unreadable(OSError(0, _("not a regular file")))
    if status.st_size > limit:
        return "", _too_large(status.st_size, claimed)
    if status.st_size == 0:
        return "", _("the file is empty")
    try:
        size, head = _read_head(path, limit)
    except OSError as error:
        return "", _unreadable(error)
    if head is None:  # grown since os.stat
        return "", _too_large(size, claimed)
    if not head:
        return "", _("the file is empty")

    found = sniff(head)
    if found is None:
        what = _refused(head)
        if what is None:
            return "", _(
                "not an image, PDF, audio or video file: its contents are not "
                "a known image, PDF, audio or video format"
            )
        return "", _(
            "not an image, PDF, audio or video file: its contents are %(what)s"
        ) % {"what": what}
    kinds = found.kinds
    if named is not None:
        kinds = tuple(kind for kind in kinds if kind in named)
        if not kinds:
            return "", _(
                "the name and the contents disagree: the name ends in "
                "%(extension)s, the contents are %(contents)s"
            ) % {"extension": extension, "contents": _contents(found)}
    if declared_kind:
        if declared_kind not in kinds:
            return "", _(
                "it is listed as %(declared)s, but its contents are %(contents)s"
            ) % {"declared": _kind_name(declared_kind), "contents": _contents(found)}
        kind = declared_kind
    else:
        kind = kinds[0]
    if size > MAX_FILE_BYTES[kind]:
        return "", _too_large(size, (kind,))
    return kind, None
