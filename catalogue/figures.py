"""The open catalogue in figures, for the home page: records and digitised pages.

Both are counts over the whole public catalogue (a second or more at a million
records), so they are kept, like the front page's counts, until public data
changes (catalogue.views.publication_version) or the day turns.
"""

from dataclasses import dataclass

from django.core.cache import cache

from . import views
from .models import DigitalObject, Record


@dataclass(frozen=True)
class CatalogueFigures:
    records: int
    digitised_records: int
    pages: int


def catalogue_figures(today):
    version = views.publication_version() if views.publication_version else None
    key = f"catalogue:figures:{today.isoformat()}:{version}"
    if version is not None:
        kept = cache.get(key)
        if kept is not None:
            return kept
    public = Record.objects.public(today=today)
    pages = DigitalObject.objects.filter(
        kind=DigitalObject.Kind.IMAGE, record__in=public.values("pk")
    )
    figures = CatalogueFigures(
        records=public.count(),
        digitised_records=pages.order_by().values("record_id").distinct().count(),
        pages=pages.count(),
    )
    if version is not None:
        cache.set(key, figures, views.COUNTS_SECONDS)
    return figures
