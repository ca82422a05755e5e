"""What the feeds and the 新开放档案 page list, with absolute addresses.

Every address is built from the portal's configured public address
(home/addresses.py), never from the Host header: feed readers keep them.
"""

import datetime
from dataclasses import dataclass

from django.http import Http404
from wagtail.models import Locale

from catalogue.pages import CatalogueIndexPage
from exhibitions.models import (
    ExhibitionIndexPage,
    ExhibitionPage,
    ThematicCollectionIndexPage,
    ThematicCollectionPage,
)
from home import addresses


def in_active_language(model):
    """The live, public page of a model in the visitor's language, else the
    default language's (a translation may not exist yet)."""
    pages = model.objects.live().public()
    return (
        pages.filter(locale=Locale.get_active()).first()
        or pages.filter(locale=Locale.get_default()).first()
    )


@dataclass(frozen=True)
class Kind:
    """A kind of page with a feed of its newest: the index that lists them."""

    index_model: type
    model: type


EXHIBITIONS = Kind(ExhibitionIndexPage, ExhibitionPage)
COLLECTIONS = Kind(ThematicCollectionIndexPage, ThematicCollectionPage)


def newest_pages(kind, request, limit):
    """(index, [(page, absolute url)]): the index page in the visitor's language
    and its newest published children, with the default language's pages not
    translated yet at the address the index serves them (ServesUntranslatedChildren)."""
    index = in_active_language(kind.index_model)
    if index is None:
        raise Http404
    own = list(
        kind.model.objects.child_of(index)
        .live()
        .public()
        .order_by("-first_published_at", "-pk")[:limit]
    )
    others = index.mark_untranslated(
        list(
            index.untranslated_children(kind.model).order_by(
                "-first_published_at", "-pk"
            )[:limit]
        ),
        request,
    )
    pages = sorted(own + others, key=_newest_first, reverse=True)[:limit]
    site = addresses.site_of(request)
    listed = []
    for page in pages:
        local = getattr(page, "local_url", None)
        url = (
            addresses.absolute(local, site)
            if local
            else addresses.page_url(page, request)
        )
        listed.append((page, url))
    return index, listed


def published(page):
    """When a page was first published (a page made live without a revision,
    as scripts may, by its latest revision)."""
    return page.first_published_at or page.latest_revision_created_at


def _newest_first(page):
    return (
        published(page) or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        page.pk,
    )


def catalogue_page():
    """The catalogue page records link to, in the visitor's language."""
    catalogue = in_active_language(CatalogueIndexPage)
    if catalogue is None:
        raise Http404
    return catalogue


def record_urls(catalogue, request):
    """A function giving a record's absolute permalink under `catalogue`."""
    base = addresses.page_url(catalogue, request)

    def url(record):
        return base + catalogue.record_path(record)

    return url


# Each feed answers only while the page it follows exists: a page must not
# announce a feed that would answer 404.
FOLLOWS = {
    "exhibitions": ExhibitionIndexPage,
    "collections": ThematicCollectionIndexPage,
    "newly_opened": CatalogueIndexPage,
}


def feed_available(name):
    return in_active_language(FOLLOWS[name]) is not None
