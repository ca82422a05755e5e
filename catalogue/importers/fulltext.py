"""Page texts from the files that come with an import.

A record's full text arrives as one text file per page, or as a PDF whose text
layer holds one page per PDF page. Either way each page keeps its number, so a
search hit can name the page it was found on.
"""

import os
import re
import stat

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from .base import Bundle, PageRow, Problem
from .errors import logger, os_error

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


# Not on every system (macOS has none): there, files are read when needed.
ADVISE = getattr(os, "posix_fadvise", None)


def read_ahead(bundle: Bundle, relative: str):
    """Ask the system to start reading a text file that will soon be needed.

    A catalogue's OCR text is a file per record, and a disk that is not warm
    answers each in a fraction of a millisecond: read one after the other,
    they keep an import waiting longer than it works (a 100,000-row import
    took 1.3 to 1.6 times as long from a cold disk). A reader names the files of rows it
    has read but not yet handled; the system reads them in while the import
    works, and `pages_from_files` then finds them in memory. On a warm disk
    it costs a few system calls per file and changes nothing.

    Only a regular file in the bundle is opened, without following a link;
    nothing is read here and nothing is held.
    """
    if ADVISE is None or relative.lower().endswith(".pdf"):  # PDFs go to pypdf
        return
    folder, _slash, name = relative.replace("\\", "/").lstrip("/").rpartition("/")
    directory, inside = bundle.folder(folder)
    if not inside or name in ("", ".", ".."):
        return
    path = os.path.join(directory, name)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (OSError, ValueError):
        return  # reported when the row is handled
    try:
        ADVISE(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def pages_from_files(
    bundle: Bundle, paths: list[str], location: str
) -> tuple[list[PageRow], list[Problem]]:
    """Numbered pages from text files and PDFs, in the order given.

    Text files give one page each (or several, split by form feeds); a PDF gives
    one page per PDF page. Numbering runs on across the files.
    """
    pages, problems = [], []
    for relative in paths:
        path = bundle.locate(relative)
        if path is None:
            problems.append(
                Problem(
                    location,
                    _("full text"),
                    _("file not found: %(path)s") % {"path": relative},
                )
            )
            continue
        if path.lower().endswith(".pdf"):
            try:
                texts = [page.extract_text() or "" for page in PdfReader(path).pages]
            except Exception as error:  # a parser of any file it is given
                # pypdf's words ("EOF marker not found") are English.
                logger.info("import: cannot read the PDF %s: %r", relative, error)
                if isinstance(error, FileNotDecryptedError | DependencyError):
                    reason = _("it is protected by a password")
                elif isinstance(error, OSError):
                    reason = os_error(error)
                else:
                    reason = _("it is damaged or not a PDF")
                problems.append(
                    Problem(
                        location,
                        _("full text"),
                        _("cannot read the PDF %(path)s: %(error)s")
                        % {"path": relative, "error": reason},
                    )
                )
                continue
        else:
            try:
                texts = read_text(path).split(FORM_FEED)
            except OSError as error:
                problems.append(
                    Problem(
                        location,
                        _("full text"),
                        _("cannot read %(path)s: %(error)s")
                        % {"path": relative, "error": os_error(error)},
                    )
                )
                continue
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
        pages += [
            PageRow(number, _clean(text))
            for number, text in enumerate(texts, start=len(pages) + 1)
        ]
    return pages, problems
