"""Template helpers for record pages: URLs, titles in the visitor's language, dates."""

import calendar
from dataclasses import dataclass, field

from django import template
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from catalogue import fields, reference
from catalogue import values as record_values
from catalogue.dates import DateError, parse_date
from catalogue.models import Level, Record
from catalogue.views import DEFAULT_SORT
from home.models import in_active_language
from home.numbers import grouped
from portal.pagination import page_links

register = template.Library()

# The DA/T 18 fields a visitor sees first, then the ones behind "more";
# the registry (catalogue/fields.py) says which are which. Dates are one row.
MAIN_FIELDS = fields.MAIN
MORE_FIELDS = fields.MORE
# Fields whose text is the archive's own words, not the interface's.
INTERFACE_FIELDS = {"access_status", "page_count", "date_expression"}


def _chinese_page():
    return (translation.get_language() or "").startswith("zh")


@register.simple_tag(takes_context=True)
def record_url(context, record, suffix=""):
    """The permalink of a record under the catalogue page being rendered."""
    page = context["page"]
    base = context.get("catalogue_url") or page.get_url(context.get("request"))
    return base + page.record_path(record, suffix)


@register.filter
def record_title(record):
    """The English title on English pages when there is one, else the Chinese."""
    if not _chinese_page() and record.title_en:
        return record.title_en
    return record.title


@register.filter
def title_lang(record):
    """A lang attribute when the title shown is not in the page's language."""
    if title_lang_code(record):
        return mark_safe(' lang="zh-Hans"')  # noqa: S308 - a constant
    return ""


@register.filter
def title_lang_code(record):
    """The language of the title shown when it is not the page's, else ""."""
    return "zh-Hans" if not _chinese_page() and not record.title_en else ""


def _time(iso, text):
    return format_html('<time datetime="{}">{}</time>', iso, text)


def _year(day):
    return _time(
        f"{day.year:04d}", pgettext("year alone", "%(year)s") % {"year": day.year}
    )


@register.simple_tag
def normalised_dates(start, end):
    """Normalised dates in the visitor's language, with machine-readable <time>s.

    A whole year reads 1956年 / 1956, a whole month 1956年3月 / March 1956, a day
    1956年3月12日 / 12 March 1956, and anything else as a range of days.
    """
    if not start and not end:
        return ""
    if start and end and start != end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            if start.year == end.year:
                return _year(start)
            return format_html("{}–{}", _year(start), _year(end))
        last_day = calendar.monthrange(start.year, start.month)[1]
        if (start.day, end.year, end.month, end.day) == (
            1,
            start.year,
            start.month,
            last_day,
        ):
            return _time(
                f"{start.year:04d}-{start.month:02d}",
                date_format(start, "YEAR_MONTH_FORMAT"),
            )
        return format_html(
            "{} – {}",
            _time(start.isoformat(), date_format(start, "DATE_FORMAT")),
            _time(end.isoformat(), date_format(end, "DATE_FORMAT")),
        )
    day = start or end
    return _time(day.isoformat(), date_format(day, "DATE_FORMAT"))


@register.simple_tag
def record_dates(record):
    """The dates a visitor reads first: normalised when known, else as written."""
    return normalised_dates(record.date_start, record.date_end) or (
        record.date_expression
    )


def _written_as_normalised(record):
    """True when the date as written reads as exactly the normalised dates
    ("1902—1949" and 1902-01-01 to 1949-12-31): then it is said once."""
    try:
        start, end = parse_date(record.date_expression)
    except DateError:
        return False
    return start is not None and (start, end) == (
        record.date_start,
        record.date_end or record.date_start,
    )


@dataclass
class FieldRow:
    name: str
    label: str
    text: str = ""
    values: list = field(default_factory=list)
    dates: str = ""
    lang: str = ""
    multiline: bool = False


def _row(record, name, data_lang):
    label = capfirst(Record._meta.get_field(name).verbose_name)
    lang = "" if name in INTERFACE_FIELDS else data_lang
    value = getattr(record, name)
    if name == "access_status":
        return FieldRow(name, label, text=record.get_access_status_display())
    if name == "date_expression":
        dates = normalised_dates(record.date_start, record.date_end)
        if not value and not dates:
            return None
        if value and _written_as_normalised(record):
            dates = ""  # the words as written say what the dates say: once
        elif strip_tags(dates) == value:
            value = ""
        return FieldRow(name, label, text=value, dates=dates, lang=data_lang)
    if name == "language" and value:
        names = record_values.language_names(value)
        if names:
            # Names from the interface's catalogue: in the page's language.
            return FieldRow(
                name,
                label,
                text="、".join(names) if _chinese_page() else ", ".join(names),
            )
    if name == "extent" and value and not _chinese_page():
        extent = record_values.translated_extent(value)
        if extent:
            return FieldRow(name, label, text=extent)
    if name == "title_en":
        lang = "en" if _chinese_page() else ""
    if isinstance(value, list):
        values = [str(item) for item in value if str(item).strip()]
        return FieldRow(name, label, values=values, lang=lang) if values else None
    if value in (None, ""):
        return None
    text = str(value)
    return FieldRow(name, label, text=text, lang=lang, multiline="\n" in text)


def _code_rows(record):
    """The reference code's parts, each under the name its form gives it: a
    DA/T 22 item code has a year and a retention period, not a 目录号."""
    try:
        parsed = reference.parse(record.reference_code)
    except reference.InvalidReferenceCode:
        return []
    return [
        FieldRow(
            f"code-{key}",
            capfirst(reference.PART_NAMES[key]),
            text=reference.retention_name(value) if key == "retention" else value,
        )
        for key, value in parsed.parts
        # The record's own retention period says it in the archive's words.
        if key != "retention" or not record.retention_period
    ]


@register.simple_tag
def record_fields(record, data_lang="", more=False):
    """The record's public DA/T 18 fields that have a value, labelled."""
    rows = []
    for name in MORE_FIELDS if more else MAIN_FIELDS:
        if name in fields.CODE_PARTS:
            if name == fields.CODE_PARTS[0]:
                rows += _code_rows(record)
        elif row := _row(record, name, data_lang):
            rows.append(row)
    return rows


@register.simple_tag(takes_context=True)
def children_query(context, page=None, sort=None):
    """A link to another page or order of the children list, and nothing else.

    Choosing an order starts again at page 1; paging keeps the order.
    """
    sort = sort or context["children"]["sort"]
    params = {}
    if sort != DEFAULT_SORT:
        params["sort"] = sort
    if page and page != 1:
        params["page"] = page
    path = context["request"].path
    return f"{path}?{urlencode(params)}#children" if params else f"{path}#children"


# A breadcrumb of long Chinese titles would fill a phone's screen.
CRUMB_LENGTH = 24


@register.simple_tag(takes_context=True)
def record_crumbs(context, record, ancestors):
    """The crumbs above a record for components/breadcrumbs.html: the catalogue,
    then its public ancestors, titles cut short and marked with their language."""
    crumbs = [{"title": context["page"].title, "url": context["catalogue_url"]}]
    for ancestor in ancestors:
        crumbs.append(
            {
                "title": crumb_title(ancestor),
                "url": record_url(context, ancestor),
                "lang": title_lang_code(ancestor),
            }
        )
    return crumbs


@register.filter
def crumb_title(record):
    """A record's title as a crumb: cut after CRUMB_LENGTH characters."""
    return Truncator(record_title(record)).chars(CRUMB_LENGTH)


@register.simple_tag(takes_context=True)
def children_pagination(context):
    """The children list's pages, for components/pagination.html."""
    return page_links(
        context["children"]["page"],
        lambda number: children_query(context, page=number),
    )


@register.filter
def repository_name(repository):
    return in_active_language(repository.name, repository.name_en)


# "Next" and "previous" worded by the level of the record they lead to:
# 下一件, 下一卷, 下一个系列, 下一个全宗.
PAGER_LABELS = {
    ("next", Level.ITEM): pgettext_lazy("record pager", "Next item"),
    ("previous", Level.ITEM): pgettext_lazy("record pager", "Previous item"),
    ("next", Level.FILE): pgettext_lazy("record pager", "Next file"),
    ("previous", Level.FILE): pgettext_lazy("record pager", "Previous file"),
    ("next", Level.SERIES): pgettext_lazy("record pager", "Next series"),
    ("previous", Level.SERIES): pgettext_lazy("record pager", "Previous series"),
    ("next", Level.FONDS): pgettext_lazy("record pager", "Next fonds"),
    ("previous", Level.FONDS): pgettext_lazy("record pager", "Previous fonds"),
}


@register.simple_tag
def pager_label(record, direction):
    return PAGER_LABELS[(direction, record.level)]


@register.simple_tag
def digitisation_summary(record, counts):
    """How many of the public items below a file, series or fonds are
    digitised, worded by its level ("本卷 10 件中 5 件已数字化"); "" when
    nothing public lies below it."""
    digitised, total = counts
    if not total:
        return ""
    if record.level == Level.FILE:
        text = ngettext(
            "%(digitised)s of the file's %(total)s item is digitised",
            "%(digitised)s of the file's %(total)s items are digitised",
            total,
        )
    elif record.level == Level.SERIES:
        text = ngettext(
            "%(digitised)s of the series' %(total)s item is digitised",
            "%(digitised)s of the series' %(total)s items are digitised",
            total,
        )
    else:
        text = ngettext(
            "%(digitised)s of the fonds' %(total)s item is digitised",
            "%(digitised)s of the fonds' %(total)s items are digitised",
            total,
        )
    return text % {"digitised": grouped(digitised), "total": grouped(total)}
