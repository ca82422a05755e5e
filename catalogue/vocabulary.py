"""The catalogue's own words: levels of description and what access wordings mean.

One home, read by every importer (our template, AtoM CSV, Excel, EAD 2002 and
EAD3); nothing else keeps a list of these words.

Access is decided deny by default. A statement is cut into clauses; a record
is open only when every clause is a wording known to mean open and nothing in
it speaks of restriction. A 密级 other than none/公开 closes it whatever the
rest says. Wordings that name an opening date ("closed until 2030-01-01",
"2099年1月1日起开放") open the record on that day; one whose date cannot be
read is controlled. Anything else, and any mixture of open and restrictive
clauses, is *review*: not open, kept out of the portal, and listed with its
exact words in the report so an editor can decide it in the archive's own
table of wordings (`AccessWording`) and import again.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import DateError, parse_date
from .models import AccessStatus, Level

# Levels ----------------------------------------------------------------------

# Every word any source uses for a level: DA/T 18's, AtoM's taxonomy, EAD's
# @level and the @otherlevel values archives write.
LEVEL_WORDS = {
    "全宗": Level.FONDS,
    "fonds": Level.FONDS,
    "collection": Level.FONDS,
    "recordgrp": Level.FONDS,
    "record group": Level.FONDS,
    "子全宗": Level.SERIES,
    "subfonds": Level.SERIES,
    "subgrp": Level.SERIES,
    "目录": Level.SERIES,
    "类": Level.SERIES,
    "类别": Level.SERIES,
    "系列": Level.SERIES,
    "class": Level.SERIES,
    "series": Level.SERIES,
    "subseries": Level.SERIES,
    "sub-series": Level.SERIES,
    "案卷": Level.FILE,
    "卷": Level.FILE,
    "file": Level.FILE,
    "folder": Level.FILE,
    "box": Level.FILE,
    "件": Level.ITEM,
    "item": Level.ITEM,
    "part": Level.ITEM,
    "piece": Level.ITEM,
    "document": Level.ITEM,
}
# The level a component without one takes, from its parent's.
LEVEL_BELOW = {
    None: Level.FONDS,
    Level.FONDS: Level.SERIES,
    Level.SERIES: Level.FILE,
    Level.FILE: Level.ITEM,
    Level.ITEM: Level.ITEM,
}


@lru_cache(maxsize=256)  # a file has a handful of level words, a million times
def level_of(word: str) -> str | None:
    """The level a word names, or None."""
    key = " ".join(unicodedata.normalize("NFKC", word or "").casefold().split())
    return LEVEL_WORDS.get(key)


# Access ----------------------------------------------------------------------

REVIEW = "review"  # not a record's status: a row that is not imported until decided
_SEVERITY = {
    AccessStatus.OPEN: 0,
    REVIEW: 1,
    AccessStatus.CONTROLLED: 2,
    AccessStatus.CLOSED: 3,
}

# 密级 (security classification): any of these closes a record, and no table
# of wordings may say otherwise.
CLASSIFIED_WORDS = (
    "绝密",
    "机密",
    "秘密",
    "涉密",
    "保密",
    "top secret",
    "secret",
    "confidential",
    "classified",
)
# 密级 values that mean "not classified".
UNCLASSIFIED = frozenset(
    ["", "无", "公开", "非密", "不涉密", "none", "unclassified", "public", "-", "—"]
)

# Words that speak of restriction anywhere in a clause: the clause is not open
# unless the archive's own table says, for exactly that wording, what it means.
CLOSED_WORDS = (
    "不开放",
    "未开放",
    "不予开放",
    "暂不开放",
    "暂缓开放",
    "延期开放",
    "缓开",
    "不公开",
    "未公开",
    "封存",
    "禁止",
    "不得",
    "销毁",
    "closed",
    "sealed",
    "withheld",
    "withhold",
    "embargo",
    "private",
    "not open",
    "not available",
    "unavailable",
    "not accessible",
    "inaccessible",
    "not public",
    "not to the public",
    "no public access",
    "no access",
)
CONTROLLED_WORDS = (
    "控制",
    "限制",
    "受限",
    "限阅",
    "内部",
    "仅限",
    "仅供",
    "须经",
    "需经",
    "经批准",
    "经同意",
    "审批",
    "批准",
    "许可",
    "授权",
    "部分开放",
    "restrict",
    "permission",
    "approval",
    "approved",
    "authoriz",
    "authoris",
    "consent",
    "limited",
    "internal",
    "redact",
    "staff only",
    "only",
    "prior",
    "until",
    "after",
    "pending",
    "except",
)

# Wordings known to mean open, compared with the whole clause once it is
# normalised (below). Restrictive words are never among them.
OPEN_WORDINGS = (
    "开放",
    "公开",
    "已开放",
    "向社会开放",
    "对社会开放",
    "全部开放",
    "均已开放",
    "开放利用",
    "开放查阅",
    "可以查阅",
    "可查阅",
    "无限制",
    "不受限制",
    "没有限制",
    "open",
    "opened",
    "public",
    "open access",
    "open to the public",
    "open to all",
    "open to all users",
    "open to researchers",
    "open for research",
    "open for research use",
    "open for use",
    "open to research",
    "open for public research",
    "available",
    "available to the public",
    "available for research",
    "available for public research",
    "available to researchers",
    "unrestricted",
    "unrestricted access",
    "no restrictions",
    "no restriction",
    "no access restrictions",
    "no restrictions on access",
    "without restriction",
    "without restrictions",
    "open without restriction",
    "open without restrictions",
    "open for research without restriction",
    "open for research without restrictions",
    "open to researchers without restriction",
    "open to researchers without restrictions",
    "open for research with no restrictions",
    "there are no restrictions",
    "there are no access restrictions",
    "there are no restrictions on access",
    "open for research; no restrictions",
)

_WIDE_SPACE = re.compile(r"\s+")
# Clauses: a statement such as "开放；仅限本馆" or "Open, except files 3-5" is
# read clause by clause, so one open clause cannot carry a restrictive one.
_CLAUSES = re.compile(r"[;；。\n!！?？]+|[,，](?!\s*\d{3})|\.(?=\s+\D|$)")
# The frame around the words that matter, left out before comparing:
# "This collection is open for research." is "open for research".
_FRAME_EN = re.compile(
    r"^(?:(?:the|this|these|all|entire|whole)\s+)*"
    r"(?:(?:collection|collections|fonds|series|subseries|file|files|item|items"
    r"|record|records|material|materials|papers|archive|archives|finding aid"
    r"|record group|unit|portion|part|access|conditions? of access)\s+)?"
    r"(?:(?:is|are|remains?|:)\s+)?(?:(?:currently|now|fully|entirely)\s+)?"
)
_FRAME_ZH = re.compile(
    r"^(?:本|该|此)?(?:全宗|档案|案卷|卷宗|文件|材料|目录|卷|件|记录)*"
    r"(?:现已|已经|均已|全部|均|已|现)?"
)
_TRIM = " \t\"'“”‘’「」『』()（）[]【】:：-—–·.,，、"

# Opening-date phrases (after the frame is left out). A date is anything
# parse_date() reads, or "1 January 2030" / "January 1, 2030".
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_DATE_TEXT = (
    r"(?P<date>\d{4}(?:[-./年]\s*\d{1,2}(?:[-./月]\s*\d{1,2}日?)?月?)?年?"
    r"|\d{1,2}\s+[a-z]+\.?\s+\d{4}|[a-z]+\.?\s+\d{1,2},?\s+\d{4}|[a-z]+\.?\s+\d{4})"
)
_UNTIL_EN = re.compile(
    r"^(?:(?:closed|restricted|sealed|embargoed|unavailable|not available"
    r"|not open|under embargo)\s+)?(?:to\s+(?:the\s+)?(?:public|researchers)\s+)?"
    rf"(?P<word>until|till|through|to)\s+{_DATE_TEXT}$"
)
_FROM_EN = re.compile(
    r"^(?:(?:will\s+be\s+|to\s+be\s+|becomes?\s+)?(?:open|opens|opened|available"
    r"|accessible)\s+)(?:(?:to\s+(?:the\s+)?public|for\s+research|to\s+researchers)"
    rf"\s+)?(?P<word>from|on|after|in|as of|beginning|starting)\s+{_DATE_TEXT}$"
    r"|^(?:embargo(?:ed)?|closed|restricted)\s+(?:ends|lifts|expires)\s+(?:on\s+)?"
    rf"(?P<word2>on|in)?\s*{_DATE_TEXT.replace('date', 'date2')}$"
)
_FROM_ZH = re.compile(
    rf"^(?:自|从|于)?{_DATE_TEXT}\s*(?P<word>起|以后|之后|后|开始)?\s*"
    r"(?:向社会|对社会|对外)?(?:开放|公开|解禁)$"
)
_UNTIL_ZH = re.compile(
    r"^(?:封存|不开放|暂缓开放|延期开放|暂不开放|控制使用)?\s*(?:至|到|截至)\s*"
    rf"{_DATE_TEXT}\s*(?:止|前|为止)?$"
)


def normalise_wording(text: str) -> str:
    """A wording as compared: width and case folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _WIDE_SPACE.sub(" ", text).strip(_TRIM + " ")


def _core(clause: str) -> str:
    """A clause without the frame around it (see _FRAME_EN, _FRAME_ZH)."""
    core = _FRAME_EN.sub("", clause, count=1).strip(_TRIM)
    return _FRAME_ZH.sub("", core, count=1).strip(_TRIM) or core


def _english_date(text):
    words = text.replace(",", " ").replace(".", " ").split()
    if len(words) == 3 and words[0].isdigit():
        day, month, year = words
    elif len(words) == 3:
        month, day, year = words
    elif len(words) == 2:
        (month, year), day = words, "1"
    else:
        return None
    number = _MONTHS.get(month)
    if number is None or not (day.isdigit() and year.isdigit()):
        return None
    try:
        return datetime.date(int(year), number, int(day))
    except ValueError:
        return None


def _date_in(match) -> tuple[datetime.date | None, bool]:
    """(the first day meant, whether only a year was written)."""
    text = match.group("date") if match.groupdict().get("date") else None
    if text is None:
        text = match.group("date2")
    text = text.strip()
    english = _english_date(text) if re.search("[a-z]", text) else None
    if english:
        return english, False
    try:
        start, _end = parse_date(text.rstrip("年"))
    except DateError:
        return None, False
    return start, bool(re.fullmatch(r"\d{4}年?", text))


def _opening_clause(core: str):
    """(date or None) when the clause names an opening date; False otherwise."""
    for pattern in (_UNTIL_EN, _FROM_EN, _FROM_ZH, _UNTIL_ZH):
        match = pattern.match(core)
        if match is None:
            continue
        day, year_only = _date_in(match)
        if day is None:
            return None
        word = match.groupdict().get("word") or ""
        if word == "after":
            # "Available after 2099" opens with 2100; after a day, the next one.
            day = (
                datetime.date(day.year + 1, 1, 1)
                if year_only
                else day + datetime.timedelta(days=1)
            )
        elif word == "through":
            day = (
                datetime.date(day.year + 1, 1, 1)
                if year_only
                else day + datetime.timedelta(days=1)
            )
        return day
    return False


@dataclass(frozen=True)
class AccessDecision:
    status: str  # AccessStatus value, or REVIEW
    opening_date: datetime.date | None = None
    words: str = ""  # the statement as written, for the report
    reason: str = ""  # why it is not open, in the active language

    @property
    def is_open(self):
        return self.status == AccessStatus.OPEN


def _most_restrictive(statuses):
    return max(statuses, key=_SEVERITY.__getitem__, default=AccessStatus.OPEN)


def classified(text: str) -> bool:
    folded = normalise_wording(text)
    return any(word in folded for word in CLASSIFIED_WORDS)


class Wordings:
    """What an archive's wordings mean: its own table over the defaults.

    Built once per import (`for_repository`); decisions are remembered, since
    a catalogue of a million rows uses a few dozen wordings.
    """

    MAX_REMEMBERED = 50_000

    def __init__(self, table: dict[str, str] | None = None):
        # normalised wording -> status; a wording naming a 密级 never opens.
        self.table = {
            normalise_wording(wording): status
            for wording, status in (table or {}).items()
            if not (status == AccessStatus.OPEN and classified(wording))
        }
        self.open = frozenset(normalise_wording(w) for w in OPEN_WORDINGS)
        self.remembered = {}

    @classmethod
    def for_repository(cls, repository=None):
        from .models import AccessWording

        rows = AccessWording.objects.filter(repository__isnull=True)
        table = dict(rows.values_list("wording", "meaning"))
        if repository is not None:
            own = AccessWording.objects.filter(repository=repository)
            table.update(own.values_list("wording", "meaning"))
        return cls(table)

    def decide(
        self,
        statements: Iterable[str],
        classification: str = "",
        inherited: str | None = None,
    ) -> AccessDecision:
        """Open, controlled, closed or review, from what the source says.

        `statements` are the access wordings as written (a 开放标识, an
        accessConditions cell, each accessrestrict); `classification` the 密级;
        `inherited` the status a record without a statement takes (its
        parent's), None when there is none to take: then it is review.
        """
        statements = tuple(s for s in statements if s and s.strip())
        key = (statements, classification, inherited)
        found = self.remembered.get(key)
        if found is None:
            found = self._decide(statements, classification, inherited)
            if len(self.remembered) < self.MAX_REMEMBERED:
                self.remembered[key] = found
        return found

    def _decide(self, statements, classification, inherited):
        words = " / ".join(statements)
        level = normalise_wording(classification)
        if level not in UNCLASSIFIED and self.table.get(level) != AccessStatus.OPEN:
            status = AccessStatus.CLOSED if classified(level) else REVIEW
            return AccessDecision(
                status,
                words=classification,
                reason=_("security classification (密级) %(level)s")
                % {"level": classification.strip()},
            )
        if not statements:
            if inherited is None:
                return AccessDecision(REVIEW, reason=str(NO_STATEMENT))
            statements = ()
            statuses, openings = [inherited], []
        else:
            statuses, openings = [], []
        for statement in statements:
            status, opening = self._statement(statement)
            statuses.append(status)
            if opening:
                openings.append(opening)
        status = _most_restrictive(statuses)
        if status == AccessStatus.OPEN:
            return AccessDecision(
                status, opening_date=max(openings, default=None), words=words
            )
        reason = (
            str(REVIEW_REASON)
            if status == REVIEW
            else _("access status %(status)s") % {"status": AccessStatus(status).label}
        )
        return AccessDecision(status, words=words, reason=reason)

    def _statement(self, statement):
        """(status, opening date) of one statement."""
        whole = normalise_wording(statement)
        if whole in self.table:
            return self.table[whole], None
        if classified(whole):
            return AccessStatus.CLOSED, None
        statuses, openings, plain_open = [], [], False
        for clause in filter(None, (c.strip(_TRIM) for c in _CLAUSES.split(whole))):
            status, opening = self._clause(clause)
            statuses.append(status)
            if opening:
                openings.append(opening)
            elif status == AccessStatus.OPEN:
                plain_open = True
        if not statuses:
            return REVIEW, None
        kinds = set(statuses)
        if AccessStatus.OPEN in kinds and len(kinds) > 1 and not plain_open:
            # "Restricted: personnel files; closed until 2040": the date ends
            # a restriction the rest still imposes.
            return _most_restrictive(statuses), None
        if AccessStatus.OPEN in kinds and len(kinds) > 1:
            # Mixed: "closed to the public; open to researchers with permission".
            return (
                (AccessStatus.CLOSED, None)
                if AccessStatus.CLOSED in kinds and REVIEW not in kinds
                else (REVIEW, None)
            )
        return _most_restrictive(statuses), max(openings, default=None)

    def _clause(self, clause):
        if clause in self.table:
            return self.table[clause], None
        core = _core(clause)
        if core in self.table:
            return self.table[core], None
        if core in self.open or clause in self.open:
            return AccessStatus.OPEN, None
        opening = _opening_clause(core)
        if opening is None:
            # Names a day the restriction ends, but not one we can read.
            return AccessStatus.CONTROLLED, None
        if opening:
            return AccessStatus.OPEN, opening
        if any(word in clause for word in CLOSED_WORDS):
            return AccessStatus.CLOSED, None
        if any(word in clause for word in CONTROLLED_WORDS):
            return AccessStatus.CONTROLLED, None
        return REVIEW, None


NO_STATEMENT = gettext_lazy("no access statement")
REVIEW_REASON = gettext_lazy("wording not known to mean open")
