"""Highlighted text from an engine, made safe to show.

Engines return plain text with HIGHLIGHT_PRE/HIGHLIGHT_POST around the
matches and never markup. Everything is escaped first; only then do the two
markers become <mark> and </mark>, so catalogue text can never inject HTML.
Unbalanced markers (a snippet cut inside a match) are closed or dropped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .engines.base import HIGHLIGHT_POST, HIGHLIGHT_PRE


def highlight(text: str) -> SafeString:
    """Safe HTML: the text escaped, its matches in <mark>."""
    parts = []
    open_mark = False
    for piece in _split(text or ""):
        if piece == HIGHLIGHT_PRE:
            if not open_mark:
                parts.append("<mark>")
                open_mark = True
        elif piece == HIGHLIGHT_POST:
            if open_mark:
                parts.append("</mark>")
                open_mark = False
        else:
            parts.append(escape(piece))
    if open_mark:
        parts.append("</mark>")
    # Empty marks say nothing to a reader or a screen reader.
    return mark_safe("".join(parts).replace("<mark></mark>", ""))  # noqa: S308 - escaped above


def plain(text: str) -> str:
    """The text without its markers."""
    return (text or "").replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, "")


def _split(text):
    start = 0
    for index, character in enumerate(text):
        if character in (HIGHLIGHT_PRE, HIGHLIGHT_POST):
            if index > start:
                yield text[start:index]
            yield character
            start = index + 1
    if start < len(text):
        yield text[start:]
