"""The newly opened records on the home page (home/sections.py)."""

from django.http import Http404
from django.urls import reverse
from wagtail import hooks

from catalogue import newly_opened
from home.sections import HomeSection

from . import sources

# A few of the newest, beside the way to the whole list and its feed.
ON_THE_HOME_PAGE = 6


@hooks.register("home_page_sections")
def newly_opened_records(request, today):
    records = newly_opened.newly_opened(ON_THE_HOME_PAGE, today)
    if not records:
        return None
    try:
        catalogue = sources.catalogue_page()
    except Http404:
        return None
    url_of = sources.record_urls(catalogue, request)
    for record in records:
        record.url = url_of(record)
    return HomeSection(
        key="newly-opened",
        template="feeds/includes/home_newly_opened.html",
        order=10,
        context={"records": records, "more_url": reverse("newly_opened")},
    )
