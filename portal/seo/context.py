"""What Open Graph and JSON-LD both read from a page: its addresses and its image."""

import logging

from catalogue.pages import CatalogueIndexPage
from exhibitions.models import (
    ChronicleEventPage,
    ExhibitionPage,
    ThematicCollectionPage,
)
from home import addresses
from home.models import HomePage

logger = logging.getLogger(__name__)

# The picture that stands for a page, as a rendition its own template (or the
# renditions made at publication, exhibitions/renditions.py) already has, so
# showing it to another site resizes nothing: (image field, filter spec).
PAGE_IMAGES = {
    ExhibitionPage: ("hero_image", "format-jpeg|fill-1280x720"),
    ThematicCollectionPage: ("hero_image", "format-jpeg|fill-1280x720"),
    ChronicleEventPage: ("image", "format-jpeg|width-1200"),
    HomePage: ("hero_image", "fill-1200x400"),
}


def record_url(page, record, request):
    """A record's permalink under the catalogue page being rendered, absolute."""
    return addresses.page_url(page, request) + page.record_path(record)


def page_address(context):
    """The absolute URL of what is being rendered: a record, or the page."""
    page = context.get("page")
    request = context.get("request")
    if isinstance(page, CatalogueIndexPage) and context.get("record") is not None:
        return record_url(page, context["record"], request)
    if page is None or not getattr(page, "pk", None):
        return ""
    return addresses.page_url(page, request)


def image_url(page, request):
    """The absolute URL of the page's picture, "" when it has none."""
    field, spec = PAGE_IMAGES.get(type(page), (None, None))
    image = getattr(page, field, None) if field else None
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(spec)
    except OSError:  # a missing original (SourceImageIOError): no picture, no 500
        logger.warning("No rendition %s of image %s", spec, image.pk, exc_info=True)
        return ""
    return addresses.absolute(rendition.url, addresses.site_of(request))
