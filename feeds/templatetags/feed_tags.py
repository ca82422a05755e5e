"""The feeds a page announces in its <head> (templates/base.html, block feeds).

A view names them in its context (`feeds`: a list of names); a Wagtail page
announces those of its type, so the exhibition hall, the collections and the
catalogue need no template of their own to say it. A feed whose page does not
exist (no exhibition hall yet) is not announced.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from home import addresses

from .. import sources

register = template.Library()

# name -> (URL name, title)
FEEDS = {
    "exhibitions": ("exhibitions_feed", _("New exhibitions")),
    "collections": ("collections_feed", _("New thematic collections")),
    "newly_opened": ("newly_opened_feed", _("Newly opened records")),
}
# Page types, by app label and model name (no app is imported here).
BY_PAGE_TYPE = {
    "home.homepage": ["exhibitions", "collections", "newly_opened"],
    "exhibitions.exhibitionindexpage": ["exhibitions"],
    "exhibitions.thematiccollectionindexpage": ["collections"],
    "catalogue.catalogueindexpage": ["newly_opened"],
}


@register.simple_tag(takes_context=True)
def feed_links(context):
    """[{"title", "url"}] of the feeds the page being rendered follows."""
    names = context.get("feeds")
    page = context.get("page")
    if names is None and page is not None and "record" not in context:
        meta = getattr(page, "specific_class", type(page))._meta
        names = BY_PAGE_TYPE.get(f"{meta.app_label}.{meta.model_name}", [])
    request = context.get("request")
    site = addresses.site_of(request)
    return [
        {
            "title": FEEDS[name][1],
            "url": addresses.absolute(reverse(FEEDS[name][0]), site),
        }
        for name in names or []
        if sources.feed_available(name)
    ]
