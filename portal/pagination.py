"""The one shape every paged list hands to templates/components/pagination.html.

Two kinds of list are paged on the portal:

- counted lists (search results, a record's children, the exhibitions hall, a
  collection's records, the chronicle): previous, next and numbered pages, the
  far ones elided with a gap, built by `page_links` from a Django `Page`;
- keyset lists (新开放档案, which nothing counts): newest, newer and older only,
  built by `keyset_links`.

Each app knows its own addresses, so it passes a function from a page number
to a URL; nothing here reads a request.
"""

from django.core.paginator import Paginator

# Two pages either side of the current one and one at each end: on a phone a
# row of at most nine items, enough to jump ahead without a page of numbers.
ON_EACH_SIDE = 2
ON_ENDS = 1


def page_links(page, url_for, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS):
    """Previous, next and numbered items with gaps for one Django `Page`.

    `url_for(number)` gives the address of a page. Returns None when the list
    fits on one page, so a template shows no navigation at all.
    """
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    current = page.number
    items = []
    for number in paginator.get_elided_page_range(
        current, on_each_side=on_each_side, on_ends=on_ends
    ):
        if number == paginator.ELLIPSIS:
            items.append({"gap": str(number)})
        else:
            items.append(
                {"number": number, "url": url_for(number), "current": number == current}
            )
    return {
        "keyset": False,
        "items": items,
        "previous": url_for(current - 1) if page.has_previous() else "",
        "next": url_for(current + 1) if page.has_next() else "",
        "first": "",
    }


def numbered_links(number, last, url_for):
    """`page_links` for a list known only by its current and last page numbers
    (a saved search's results: the engine pages them, not a Paginator)."""
    last = max(1, last)
    paginator = Paginator(range(last), 1)
    return page_links(paginator.page(min(max(1, number), last)), url_for)


def keyset_links(first="", newer="", older=""):
    """Newest, newer and older links of a list paged by keyset (no numbers)."""
    if not (first or newer or older):
        return None
    return {
        "keyset": True,
        "items": [],
        "previous": newer,
        "next": older,
        "first": first,
    }
