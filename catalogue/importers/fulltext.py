"""Page texts from the files that come with an import.

A record's full text arrives as one text file per page, or as a PDF whose text
layer holds one page per PDF page. Either way each page keeps its number, so a
search hit can name the page it was found on.
"""

import re

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .base import Bundle, PageRow, Problem

# Pages split by form feed, the OCR tools' page break, inside one text file.
FORM_FEED = "\f"


def read_text(path):
    """A text file in UTF-8 (with or without BOM) or GB18030, as OCR tools write."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8/gb18030", raw[:1], 0, 1, "undecodable text")


def _clean(text):
    return re.sub(r"[ \t]+\n", "\n", text.replace("\r\n", "\n")).strip()


def pages_from_files(
    bundle: Bundle, paths: list[str], location: str
) -> tuple[list[PageRow], list[Problem]]:
    """Numbered pages from text files and PDFs, in the order given.

    Text files give one page each (or several, split by form feeds); a PDF gives
    one page per PDF page. Numbering runs on across the files.
    """
    pages, problems = [], []
    field = _("full text")
    for relative in paths:
        path = bundle.resolve(relative)
        if path is None:
            problems.append(
                Problem(
                    location, field, _("file not found: %(path)s") % {"path": relative}
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
                        field,
                        _("cannot read the PDF %(path)s: %(error)s")
                        % {"path": relative, "error": error},
                    )
                )
                continue
        else:
            try:
                texts = read_text(path).split(FORM_FEED)
            except UnicodeDecodeError:
                problems.append(
                    Problem(
                        location,
                        field,
                        _("%(path)s is neither UTF-8 nor GB18030 text")
                        % {"path": relative},
                    )
                )
                continue
        for text in texts:
            pages.append(PageRow(page_number=len(pages) + 1, text=_clean(text)))
    return pages, problems
