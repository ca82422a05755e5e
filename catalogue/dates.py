"""Dates as archivists write them, and as EAD normalises them: one home.

Every reader (CSV, AtoM, Excel, EAD) and the access vocabulary's opening-date
phrases read dates here, so 1956年3月, 民国三十年 and 1949-1956 mean the same
thing wherever they are written.
"""

import calendar
import datetime
import re
import unicodedata
from functools import lru_cache


class DateError(ValueError):
    pass


_CN_DIGITS = {"〇": 0} | {char: n for n, char in enumerate("零一二三四五六七八九")}
_CN_NUMBER = "[0-9〇零一二三四五六七八九十]"
_YMD = re.compile(r"^(\d{4})(?:(\d{2})(\d{2})?)?$")
_SEPARATED = re.compile(r"^(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?$")
_CHINESE = re.compile(
    rf"^(民国)?({_CN_NUMBER}{{1,4}}|元)年"
    rf"(?:({_CN_NUMBER}{{1,3}})月(?:({_CN_NUMBER}{{1,3}})[日号])?)?$"
)
_RANGE = re.compile(r"至|到|—+|–|~|-")
_UNDATED = {
    "不详",
    "无",
    "日期不详",
    "年代不详",
    "时间不详",
    "n.d.",
    "nd",
    "s.d.",
    "undated",
    "unknown",
}
_APPROXIMATE = re.compile(
    r"^(?:约|大约|ca\.?|c\.|circa)\s*|\s*(?:前后|左右|\?)$", re.IGNORECASE
)
MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
ROC_EPOCH = 1911  # 民国元年 is 1912
SPACES = re.compile(r"\s+")
UNKNOWN_PARTS = re.compile(r"(-00)+$")


def _cn_number(text):
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    if "十" in text:
        tens, _ten, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (
            _CN_DIGITS[units] if units else 0
        )
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS[char]
    return value


def _span(year, month, day):
    """First and last day of a date that may lack its month or day (0)."""
    if not 1000 <= year <= 9999:
        raise DateError(year)
    if month == 0:
        if day:
            raise DateError(day)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not 1 <= month <= 12:
        raise DateError(month)
    last = (
        29
        if month == 2 and calendar.isleap(year)
        else MONTH_DAYS[month]  # calendar.monthrange() works out a weekday too
    )
    if day == 0:
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    if not 1 <= day <= last:
        raise DateError(day)
    date = datetime.date(year, month, day)
    return date, date


def _clean_date(text):
    text = unicodedata.normalize("NFKC", text).strip()
    text = text.strip("[]()").strip()
    text = _APPROXIMATE.sub("", text)
    return SPACES.sub("", text)


def single_date(text):
    """(start, end) of one date as archivists write it, or DateError."""
    text = _clean_date(text)
    match = _YMD.match(text) or _SEPARATED.match(text)
    if match:
        year, month, day = match.groups()
        return _span(int(year), int(month or 0), int(day or 0))
    match = _CHINESE.match(text)
    if match:
        return _chinese_date(match, text)
    raise DateError(text)


def _chinese_date(match, text):
    roc, year, month, day = match.groups()
    try:
        year = _cn_number(year)
        month = _cn_number(month) if month else 0
        day = _cn_number(day) if day else 0
    except KeyError:
        raise DateError(text) from None
    if roc:
        year += ROC_EPOCH
    return _span(year, month, day)


# A catalogue repeats its dates (a year, a month) from row to row.
@lru_cache(maxsize=4096)
def parse_date(text):
    """Normalise a date as written to (start, end); (None, None) when undated.

    One date gives its whole span (1956 is 1956-01-01 to 1956-12-31); a range
    runs from the start of the first to the end of the second.
    """
    if text.isascii():
        # 19560312, 1956-03-12, 1956.3.12: nothing to clean, nothing to try.
        match = _YMD.match(text) or _SEPARATED.match(text)
        if match:
            year, month, day = match.groups()
            return _span(int(year), int(month or 0), int(day or 0))
    else:
        # 1956年3月12日, 民国三十年五月: only such characters, nothing to clean
        # (and no range to try when it is not a date).
        match = _CHINESE.match(text)
        if match:
            return _chinese_date(match, text)
    cleaned = _clean_date(text)
    if not cleaned or cleaned.casefold() in _UNDATED:
        return None, None
    try:
        return single_date(cleaned)
    except DateError:
        pass
    # "-" both separates a range and the parts of a date: try every split.
    for separator in _RANGE.finditer(cleaned):
        left, right = cleaned[: separator.start()], cleaned[separator.end() :]
        try:
            start, _end = single_date(left)
            _start, end = single_date(right)
        except DateError:
            continue
        if end < start:
            raise DateError(text)
        return start, end
    raise DateError(text)


_NORMAL = re.compile(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$")


def normal_dates(normal: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of an ISO 8601 date or range as EAD writes them:
    `1949/1956`, `19490101/19561231`, `1953-03`, `1953-03-01`."""
    parts = normal.strip().split("/")
    if len(parts) > 2 or not all(parts):
        raise ValueError(normal)
    start = _day(parts[0], first=True)
    end = _day(parts[-1], first=False)
    return start, end


def _day(value, *, first):
    match = _NORMAL.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day = match.groups()
    year = int(year)
    if month is None:
        return datetime.date(year, 1, 1) if first else datetime.date(year, 12, 31)
    month = int(month)
    if day is None:
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return datetime.date(year, month, 1 if first else last)
    return datetime.date(year, month, int(day))
