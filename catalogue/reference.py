"""档号 (reference codes): normalising and splitting them into their parts.

A reference code is the record's stable public identifier, so two spellings of
the same code must become one: full-width characters and the many dashes that
word processors produce are folded, spaces dropped, Latin letters upper-cased.

Archives write two forms. Records arranged in volumes (案卷) are numbered
全宗号-目录号-案卷号-件号. Documents arranged by item under DA/T 22-2015
(归档文件整理规则) are numbered 全宗号-[门类代码·]年度-保管期限-[机构（问题）代码-]件号,
e.g. `0123-2016-D30-BGS-0001` or `Z109-WS·2011-Y-0001`. The parts are named
here, once: the record page shows each under its name.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d\u30fc_/]")
_SPACES = re.compile(r"\s+")
_VALID = re.compile(r"^[0-9A-Z\u3400-\u9fff·.()\-]+$")
MAX_LENGTH = 100
# DA/T 22: a year, after an archive category code and "·" when there is one,
# then the retention period: 永久 Y, 定期30年 D30, 定期10年 D10, and the
# older 长期 C and 短期 D; some archives write the words.
_CATEGORY_YEAR = re.compile(r"^(?:([A-Z]{1,4})·)?((?:1[89]|20)\d\d)$")
_RETENTION = re.compile(r"^(?:Y|C|D\d{0,3}|永久|长期|短期|定期\d{0,3}年?|\d{1,3}年)$")
_ITEM_NUMBER = re.compile(r"^\d{1,6}$")

# The parts' names, by key: the record page shows a code part by these.
PART_NAMES = {
    "fonds": gettext_lazy("fonds number"),
    "series": gettext_lazy("series number"),
    "file": gettext_lazy("file number"),
    "category": gettext_lazy("archive category"),
    "year": pgettext_lazy("part of a reference code", "year"),
    "retention": gettext_lazy("retention period"),
    "unit": gettext_lazy("organisational unit or subject"),
    "item": gettext_lazy("item number"),
}
# Retention codes of DA/T 22 as a reader says them.
RETENTION_NAMES = {
    "Y": gettext_lazy("permanent"),
    "C": gettext_lazy("long-term"),
    "D": gettext_lazy("short-term"),
}


class InvalidReferenceCode(ValueError):
    pass


@dataclass(frozen=True)
class ReferenceCode:
    """全宗号-目录号-案卷号-件号; later parts are empty when a level is skipped.

    A DA/T 22 item code has no 目录号 or 案卷号: its other parts are in
    `parts`, which holds every part of either form by its key (PART_NAMES)."""

    code: str
    fonds: str
    series: str = ""
    file: str = ""
    item: str = ""
    parts: tuple = ()

    def __str__(self):
        return self.code

    @property
    def by_item(self):
        """Whether the code is of DA/T 22's form (arranged by item)."""
        return any(key == "year" for key, _value in self.parts)


def retention_name(code: str) -> str:
    """D30 as 30 years (定期30年), Y as permanent; words as they are written."""
    if code in RETENTION_NAMES:
        return str(RETENTION_NAMES[code])
    if code[:1] == "D" and code[1:].isdigit():
        return _("%(years)s years") % {"years": int(code[1:])}
    return code


def _item_form(code, parts):
    """The parts of a DA/T 22 item code by key, or None for another form."""
    if len(parts) not in (4, 5):
        return None
    found = _CATEGORY_YEAR.match(parts[1])
    if not found or not _RETENTION.match(parts[2]) or not _ITEM_NUMBER.match(parts[-1]):
        return None
    category, year = found.groups()
    named = [("fonds", parts[0])]
    if category:
        named.append(("category", category))
    named += [("year", year), ("retention", parts[2])]
    if len(parts) == 5:
        named.append(("unit", parts[3]))
    named.append(("item", parts[-1]))
    return ReferenceCode(code, parts[0], item=parts[-1], parts=tuple(named))


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
    by_item = _item_form(code, parts)
    if by_item is not None:
        return by_item
    parts = parts[:3] + (["-".join(parts[3:])] if len(parts) > 3 else [])
    parts += [""] * (4 - len(parts))
    named = tuple(
        (key, value)
        for key, value in zip(("fonds", "series", "file", "item"), parts, strict=True)
        if value
    )
    return ReferenceCode(code, *parts, parts=named)
