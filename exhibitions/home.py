"""The exhibitions' part of the home page (home/sections.py): how many
exhibitions there are, and 历史上的今天 from the chronicle."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.models import Locale

from home.sections import Figure, HomeSection

from .models import (
    ChronicleIndexPage,
    DatePrecision,
    ExhibitionIndexPage,
    ExhibitionPage,
    _attach_links,
)

# At most this many events under 历史上的今天: it is a taste, the chronicle is
# one click away.
ON_THIS_DAY = 4


def _in_visitors_language(model):
    return model.objects.live().public().filter(locale=Locale.get_active()).first()


@hooks.register("home_page_figures")
def exhibitions_figure(request, today):
    # An exhibition not yet translated is still shown (in Chinese) on the
    # English site: count each exhibition once, whatever its languages.
    count = (
        ExhibitionPage.objects.live()
        .public()
        .values("translation_key")
        .distinct()
        .count()
    )
    if not count:
        return []
    index = _in_visitors_language(ExhibitionIndexPage)
    return [
        Figure(
            number=count,
            label=ngettext("online exhibition", "online exhibitions", count),
            order=30,
            url=index.get_url(request) if index else "",
        )
    ]


@hooks.register("home_page_sections")
def on_this_day(request, today):
    """Events of the chronicle that happened on this day of the year; on a day
    without one, those of this month (历史上的本月)."""
    chronicle = _in_visitors_language(ChronicleIndexPage)
    if chronicle is None:
        return None
    events = chronicle.events()
    same_day = [
        event
        for event in events
        if event.precision == DatePrecision.DAY
        and (event.start_date.month, event.start_date.day) == (today.month, today.day)
    ]
    same_month = [
        event
        for event in events
        if event.precision in (DatePrecision.DAY, DatePrecision.MONTH)
        and event.start_date.month == today.month
    ]
    chosen, heading = (
        (same_day, _("On this day in history"))
        if same_day
        else (same_month, _("This month in history"))
    )
    if not chosen:
        return None
    chosen.sort(key=lambda event: (event.start_date, event.pk))
    chosen = chosen[:ON_THIS_DAY]
    chronicle.mark_untranslated(
        [event for event in chosen if event.locale_id != chronicle.locale_id], request
    )
    _attach_links(chosen, request)
    return HomeSection(
        key="on-this-day",
        template="exhibitions/includes/home_on_this_day.html",
        order=20,
        context={"heading": heading, "events": chosen, "chronicle": chronicle},
    )
