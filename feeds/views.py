"""新开放档案 (Newly opened records): the open catalogue as it grows, newest first.

The seeds ask archives to publish their open catalogue regularly
(定期公布开放档案目录); this page is that publication, paged by keyset
(catalogue/newly_opened.py) and followed by its Atom feed.
"""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue import newly_opened
from portal.pagination import keyset_links

from . import sources


@require_safe
def newly_opened_page(request):
    catalogue = sources.catalogue_page()
    problem, status = "", 200
    try:
        before = _cursor(request.GET.get("before"))
        after = _cursor(request.GET.get("after"))
    except newly_opened.BadCursor:
        problem, status = _("This link to a page of the list is not valid."), 400
        before = after = None
    today = timezone.localdate()
    listing = newly_opened.page(today, before=before, after=after)
    url_of = sources.record_urls(catalogue, request)
    for record in listing.records:
        record.url = url_of(record)
    here = reverse("newly_opened")
    context = {
        "records": listing.records,
        "pagination": keyset_links(
            first=here if before or after else "",
            newer=f"{here}?after={listing.newer.query}" if listing.newer else "",
            older=f"{here}?before={listing.older.query}" if listing.older else "",
        ),
        "problem": problem,
        "catalogue": catalogue,
        "crumbs": [{"title": catalogue.title, "url": catalogue.get_url(request)}],
        "feeds": ["newly_opened"],
        "same_path_in_every_language": True,
    }
    return TemplateResponse(request, "feeds/newly_opened.html", context, status=status)


def _cursor(text):
    return newly_opened.Cursor.parse(text) if text is not None else None
