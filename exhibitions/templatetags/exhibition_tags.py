"""Dates, addresses and trails for exhibitions, collections and the chronicle."""

from django import template
from django.db.models import prefetch_related_objects
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.models import Site

from exhibitions.models import DatePrecision, page_url

register = template.Library()

# Reign names of the late Qing (the archive's records begin in 1862): before
# 1912 a Chinese date gives the era with the Gregorian year, 光绪三十年（1904年）.
QING_ERAS = [
    (1821, "道光"),
    (1851, "咸丰"),
    (1862, "同治"),
    (1875, "光绪"),
    (1909, "宣统"),
]
DIGITS = "〇一二三四五六七八九"


def _chinese():
    return (translation.get_language() or "").startswith("zh")


def _chinese_number(number):
    """1..99 in Chinese numerals, as era years are written: 三十, 三十四, 十二."""
    tens, ones = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else DIGITS[tens]) + "十"
    if ones:
        text += DIGITS[ones]
    return text


def era_year(year):
    """光绪三十年 for 1904; empty from 1912 on (the Republic counts from 1912)."""
    if year >= 1912 or year < QING_ERAS[0][0]:
        return ""
    start, name = next((s, n) for s, n in reversed(QING_ERAS) if s <= year)
    number = year - start + 1
    return f"{name}{'元' if number == 1 else _chinese_number(number)}年"


def _time(iso, text):
    return format_html('<time datetime="{}">{}</time>', iso, text)


def _one_date(day, precision):
    if precision == DatePrecision.DECADE:
        decade = day.year // 10 * 10
        text = f"{decade}年代" if _chinese() else f"{decade}s"
        return f"{decade:04d}", text
    if precision == DatePrecision.YEAR:
        text = f"{day.year}年" if _chinese() else str(day.year)
        return f"{day.year:04d}", text
    if precision == DatePrecision.MONTH:
        return f"{day.year:04d}-{day.month:02d}", date_format(day, "YEAR_MONTH_FORMAT")
    return day.isoformat(), date_format(day, "DATE_FORMAT")


@register.simple_tag
def event_date(event):
    """When a chronicle event happened, at its precision, in the visitor's language.

    1949年10月1日 / 1 October 1949; 1956年3月; 1930年代 / 1930s; 约1920年 /
    c. 1920; 光绪三十年（1904年）before 1912; a range for events that lasted.
    """
    iso, text = _one_date(event.start_date, event.precision)
    result = _time(iso, text)
    if event.end_date and event.end_date != event.start_date:
        end_iso, end_text = _one_date(event.end_date, event.precision)
        if end_text != text:
            result = format_html("{}–{}", result, _time(end_iso, end_text))
    if event.circa:
        result = (
            format_html("约{}", result) if _chinese() else format_html("c. {}", result)
        )
    if _chinese() and event.precision != DatePrecision.DECADE:
        era = era_year(event.start_date.year)
        if era:
            result = format_html("{}（{}）", era, result)
    return result


def _unbroken(html):
    """A date that never breaks across lines (2027年5月17 / 日 on a phone)."""
    return format_html('<span class="nowrap">{}</span>', html)


@register.simple_tag
def exhibition_dates(exhibition):
    """2026年3月1日—2026年9月30日 / 1 March 2026 – 30 September 2026, or from the
    opening day for a permanent one.

    Each date is kept whole, and the dash stays at the end of the first line
    when the range has to break (a line never begins with it).
    """
    start = _time(
        exhibition.start_date.isoformat(),
        date_format(exhibition.start_date, "DATE_FORMAT"),
    )
    if exhibition.end_date is None:
        return format_html(_("From {start}, permanent"), start=_unbroken(start))
    end = _time(
        exhibition.end_date.isoformat(), date_format(exhibition.end_date, "DATE_FORMAT")
    )
    if _chinese():
        # 一字线, no spaces beside it (GB/T 15834).
        first = _unbroken(format_html("{}—", start))
        return format_html("{}{}", first, _unbroken(end))
    first = _unbroken(format_html("{}\u00a0–", start))
    return format_html("{} {}", first, _unbroken(end))


@register.simple_tag(takes_context=True)
def local_url(context, page):
    """A page's address for this visitor (see exhibitions.models.page_url)."""
    return page_url(page, context.get("request"))


@register.simple_tag(takes_context=True)
def trail(context, page):
    """The breadcrumb above a page: a crumb (title, url) for each ancestor below
    the site root, for components/breadcrumbs.html.

    For an untranslated page served under another language's index, the trail
    runs through that language's pages down to the index, then the page's own.
    """
    request = context.get("request")
    site = Site.find_for_request(request)
    if site is None:
        return []
    served = getattr(request, "untranslated_from", None)
    if served:
        index = served["index"]
        above = list(
            index.get_ancestors().filter(depth__gt=site.root_page.depth).live()
        ) + [index]
        below = page.get_ancestors().filter(depth__gt=served["source"].depth).live()
        ancestors = above + list(below)
    else:
        ancestors = list(
            page.get_ancestors().filter(depth__gt=site.root_page.depth).live()
        )
    return [
        {"title": ancestor.title, "url": page_url(ancestor, request)}
        for ancestor in ancestors
    ]


@register.filter
def uses_block(stream, block_type):
    """True when a StreamField value holds a block of that type."""
    return any(child.block_type == block_type for child in stream or [])


@register.simple_tag
def chronicle_decades(years):
    """The chronicle page's year groups gathered under their decades.

    [{"decade": 1950, "events": [known only to the decade], "years": [{"year":
    1956, "events": [...]}, ...]}, ...], in order; the pictures' renditions
    are fetched for the whole page at once.
    """
    decades = []
    for group in years:
        decade = group["year"] // 10 * 10
        if not decades or decades[-1]["decade"] != decade:
            decades.append({"decade": decade, "events": [], "years": []})
        here = decades[-1]
        if group["is_decade"]:
            here["events"] += group["events"]
        elif here["years"] and here["years"][-1]["year"] == group["year"]:
            # A year split by an event known only to its decade: one heading.
            here["years"][-1] = {
                **group,
                "events": here["years"][-1]["events"] + group["events"],
            }
        else:
            here["years"].append(group)
    images = [
        event.image
        for group in years
        for event in group["events"]
        if getattr(event, "image", None) is not None
    ]
    prefetch_related_objects(images, "renditions")
    return decades


@register.simple_tag
def sentence_space():
    """The space between two sentences: none after Chinese full-width punctuation."""
    return "" if _chinese() else " "
