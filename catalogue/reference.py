"""档号 (reference codes): normalising and splitting them into their parts.

A reference code is the record's stable public identifier, so two spellings of
the same code must become one: full-width characters and the many dashes that
word processors produce are folded, spaces dropped, Latin letters upper-cased.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d\u30fc_/]")
_SPACES = re.compile(r"\s+")
_VALID = re.compile(r"^[0-9A-Z\u3400-\u9fff·.()\-]+$")
MAX_LENGTH = 100


class InvalidReferenceCode(ValueError):
    pass


@dataclass(frozen=True)
class ReferenceCode:
    """全宗号-目录号-案卷号-件号; later parts are empty when a level is skipped."""

    code: str
    fonds: str
    series: str = ""
    file: str = ""
    item: str = ""

    def __str__(self):
        return self.code


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    text = _SPACES.sub("", text).upper()
    text = _DASHES.sub("-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return text


def parse(raw: str) -> ReferenceCode:
    """Parse a reference code as archivists write it.

    Accepts `J0001-001-0001-0001`, `J1－1－1` (full-width), `J0001—001` and
    item-level codes such as `Z109-WS·2011-Y-0001`: the first part is always the
    fonds, then up to three more; anything beyond the fourth part stays with it.
    """
    code = normalise(raw)
    if not code:
        raise InvalidReferenceCode(_("the reference code is empty"))
    if len(code) > MAX_LENGTH:
        raise InvalidReferenceCode(
            _("longer than %(max)d characters") % {"max": MAX_LENGTH}
        )
    if not _VALID.match(code):
        bad = sorted({c for c in code if not _VALID.match(c)})
        raise InvalidReferenceCode(
            _("unexpected characters: %(chars)s") % {"chars": " ".join(bad)}
        )
    parts = code.split("-")
    parts = parts[:3] + (["-".join(parts[3:])] if len(parts) > 3 else [])
    parts += [""] * (4 - len(parts))
    return ReferenceCode(code, *parts)
