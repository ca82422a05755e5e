"""Atom feeds: new exhibitions, new thematic collections, newly opened records.

In the visitor's language, like every public page (/zh-hans/… and /en/…).
django.contrib.syndication builds them; every address handed to it is
already absolute (feeds/sources.py), so it never falls back on the Host
header. A feed's id is its own address: the exhibitions feed and the
exhibition hall share a link but are not the same thing.
"""

from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from catalogue import newly_opened
from catalogue.oai.datestamps import opens_at
from home import addresses
from home.models import ArchiveSettings, in_active_language

from . import sources

PAGES_PER_FEED = 20
RECORDS_PER_FEED = 50


@dataclass
class Listing:
    """What one request's feed shows (a Feed instance serves every request)."""

    title: str
    link: str
    feed_url: str
    subtitle: str
    author: str
    items: list = field(default_factory=list)


def _archive_name(request):
    archive = ArchiveSettings.for_request(request)
    return archive.name or _("Archive portal")


def _feed_url(request):
    return addresses.absolute(request.path, addresses.site_of(request))


class PortalFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.link

    def feed_url(self, obj):
        return obj.feed_url

    def feed_guid(self, obj):
        return obj.feed_url

    def subtitle(self, obj):
        return obj.subtitle

    def author_name(self, obj):
        return obj.author

    def items(self, obj):
        return obj.items

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["summary"]

    def item_link(self, item):
        return item["url"]

    def item_pubdate(self, item):
        return item["published"]

    def item_updateddate(self, item):
        return item["updated"]


class PagesFeed(PortalFeed):
    """The newest published pages of a kind (exhibitions, collections)."""

    kind = None

    def get_object(self, request):
        index, pages = sources.newest_pages(self.kind, request, PAGES_PER_FEED)
        archive = _archive_name(request)
        return Listing(
            title=f"{index.title} – {archive}",
            link=addresses.page_url(index, request),
            feed_url=_feed_url(request),
            subtitle=index.introduction,
            author=archive,
            items=[
                {
                    "title": page.title,
                    "summary": page.introduction,
                    "url": url,
                    "published": sources.published(page),
                    "updated": page.last_published_at or sources.published(page),
                }
                for page, url in pages
            ],
        )


class ExhibitionsFeed(PagesFeed):
    kind = sources.EXHIBITIONS


class CollectionsFeed(PagesFeed):
    kind = sources.COLLECTIONS


class NewlyOpenedFeed(PortalFeed):
    """新开放档案: the records opened last, each dated by the day it opened."""

    def get_object(self, request):
        catalogue = sources.catalogue_page()
        url_of = sources.record_urls(catalogue, request)
        archive = _archive_name(request)
        site = addresses.site_of(request)
        items = []
        for record in newly_opened.newly_opened(RECORDS_PER_FEED, timezone.localdate()):
            opened = opens_at(record.opened_on)
            items.append(
                {
                    "title": record_title(record),
                    "summary": record_summary(record),
                    "url": url_of(record),
                    "published": opened,
                    "updated": opened,
                }
            )
        return Listing(
            title=f"{_('Newly opened records')} – {archive}",
            link=addresses.absolute(reverse("newly_opened"), site),
            feed_url=_feed_url(request),
            subtitle=_("Records of the open catalogue, by the day they opened."),
            author=archive,
            items=items,
        )


def record_title(record):
    """The English title on English feeds when there is one (as on the pages)."""
    return in_active_language(record.title, record.title_en) or record.title


def record_summary(record):
    parts = [
        record.reference_code,
        in_active_language(record.repository.name, record.repository.name_en),
        record.date_expression,
    ]
    return " · ".join(part for part in parts if part)
