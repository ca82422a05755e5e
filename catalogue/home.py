"""The catalogue's part of the home page (home/sections.py): the open
catalogue in figures."""

from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.models import Locale

from home.sections import Figure

from .figures import catalogue_figures
from .pages import CatalogueIndexPage


@hooks.register("home_page_figures")
def catalogue_in_figures(request, today):
    figures = catalogue_figures(today)
    if not figures.records:
        return []
    index = (
        CatalogueIndexPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .first()
    )
    url = index.get_url(request) if index else ""
    shown = [
        Figure(
            number=figures.records,
            label=ngettext("open record", "open records", figures.records),
            order=10,
            url=url,
        )
    ]
    if figures.pages:
        shown.append(
            Figure(
                number=figures.pages,
                label=ngettext("digitised page", "digitised pages", figures.pages),
                order=20,
            )
        )
    return shown
