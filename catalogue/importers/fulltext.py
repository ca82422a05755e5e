"""Page texts from the files that come with an import.

A record's full text arrives as one text file per page, or as a PDF whose text
layer holds one page per PDF page. Either way each page keeps its number, so a
search hit can name the page it was found on.
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .base import Bundle, PageRow, Problem

# Pages split by form feed, the OCR tools' page break, inside one text file.
FORM_FEED = "\f"


def read_bytes(path):
    """The file's bytes, in as few system calls as can be: a catalogue's
    hundred thousand text files are read one after the other."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def read_text(path):
    """A text file in UTF-8 (with or without BOM) or GB18030, as OCR tools write."""
    return decode_text(read_bytes(path))


def decode_text(raw):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8/gb18030", raw[:1], 0, 1, "undecodable text")


TRAILING_SPACE = re.compile(r"[ \t]+\n")


def _clean(text):
    text = text.replace("\r\n", "\n")
    if " \n" in text or "\t\n" in text:  # most pages have none to remove
        text = TRAILING_SPACE.sub("\n", text)
    return text.strip()


class ReadAhead:
    """Text files a reader will soon need, read meanwhile in background threads.

    A catalogue's OCR text is a file per record, and a disk that is not warm
    answers each in a fraction of a millisecond: read one after the other, they
    keep an import waiting longer than it works. A reader names the files of
    rows it has read but not yet handled (`want`); threads read them while the
    import works (system calls let other threads run), and `pages_from_files`
    takes the bytes. At most `LIMIT` files are held, so memory stays flat.
    """

    THREADS = 4
    LIMIT = 256

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.pool = None
        self.pending = {}  # relative path -> Future of (path, bytes)

    def want(self, relative: str):
        if (
            relative in self.pending
            or len(self.pending) >= self.LIMIT
            or relative.lower().endswith(".pdf")  # read by pypdf, not here
        ):
            return
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.THREADS, "import-text")
        self.pending[relative] = self.pool.submit(self._read, relative)

    def _read(self, relative):
        path = self.bundle.resolve(relative)
        if path is None:
            return None
        try:
            return path, read_bytes(path)
        except OSError:
            return None  # read again when needed, and reported then

    def take(self, relative: str):
        """(path, bytes) of a file read ahead, or None."""
        future = self.pending.pop(relative, None)
        return future.result() if future is not None else None

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pending.clear()


def pages_from_files(
    bundle: Bundle, paths: list[str], location: str, ahead: ReadAhead | None = None
) -> tuple[list[PageRow], list[Problem]]:
    """Numbered pages from text files and PDFs, in the order given.

    Text files give one page each (or several, split by form feeds); a PDF gives
    one page per PDF page. Numbering runs on across the files. Files that
    `ahead` has read already are taken from it.
    """
    pages, problems = [], []
    for relative in paths:
        found = ahead.take(relative) if ahead is not None else None
        raw = None
        if found is not None:
            path, raw = found
        else:
            path = bundle.resolve(relative)
        if path is None:
            problems.append(
                Problem(
                    location,
                    _("full text"),
                    _("file not found: %(path)s") % {"path": relative},
                )
            )
            continue
        if path.suffix.lower() == ".pdf":
            try:
                texts = [page.extract_text() or "" for page in PdfReader(path).pages]
            except (PdfReadError, OSError, ValueError) as error:
                problems.append(
                    Problem(
                        location,
                        _("full text"),
                        _("cannot read the PDF %(path)s: %(error)s")
                        % {"path": relative, "error": error},
                    )
                )
                continue
        else:
            try:
                raw = read_bytes(path) if raw is None else raw
                texts = decode_text(raw).split(FORM_FEED)
            except UnicodeDecodeError:
                problems.append(
                    Problem(
                        location,
                        _("full text"),
                        _("%(path)s is neither UTF-8 nor GB18030 text")
                        % {"path": relative},
                    )
                )
                continue
        for text in texts:
            pages.append(PageRow(page_number=len(pages) + 1, text=_clean(text)))
    return pages, problems
