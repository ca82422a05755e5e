from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page, Site

from home import addresses
from home.models import Menu
from home.numbers import grouped
from portal.pagination import numbered_links, page_links

register = template.Library()

# Set by an app that can tell when anything public changed (pagecache, from its
# ready()): a callable whose value changes with every such change, in every
# process. Without it menus are read on every request.
publication_version = None
MENU_SECONDS = 24 * 60 * 60


@register.simple_tag
def html_lang():
    """The active language as a BCP 47 tag: zh-Hans, en."""
    return translation.to_locale(translation.get_language() or "").replace("_", "-")


# A count as the public reads it, 3,251 in either language (home/numbers.py).
register.filter("grouped", grouped)


@register.filter
def bcp47(language_code):
    return translation.to_locale(language_code).replace("_", "-")


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language that keeps the visitor where they are.

    A page links to its own translation; a language the page is not (yet)
    translated into links to that language's home page.
    """
    request = context.get("request")
    page = context.get("page")
    active = translation.get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translated in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            translations[translated.locale.language_code] = translated

    # A routable page (the catalogue) serves records below its own URL: the
    # same record in the other language is at the same sub-path.
    subpage_path = context.get("subpage_path", "")
    # A view that is not a page (the search page) answers at the same path in
    # every language, with its query string.
    same_path = context.get("same_path_in_every_language", False)
    site = addresses.site_of(request)
    links = []
    for code, _name in settings.LANGUAGES:
        if same_path and request is not None:
            url = _swap_prefix(request, code)
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
        elif code in translations:
            url = translations[code].get_url(request) + subpage_path
        else:
            url = _home_url(request, code) or _swap_prefix(request, code)
        links.append(
            {
                "code": code,
                "lang": bcp47(code),
                "name": settings.LANGUAGE_NAMES.get(code, code),
                "url": url,
                # hreflang alternates must be absolute (search engines refuse
                # relative ones), on the portal's public address.
                "absolute_url": addresses.absolute(url, site),
                "is_active": code == active,
                "is_translation": code in translations or same_path,
            }
        )
    return links


def _home_url(request, language_code):
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        return None
    home = site.root_page.get_translation_or_none(locale)
    if home is None or not home.live:
        return None
    return home.get_url(request)


def _swap_prefix(request, language_code):
    path = request.path if request else "/"
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return f"/{language_code}/{path[len(prefix) :]}"
    return f"/{language_code}/"


@dataclass
class MenuLink:
    url: str
    text: str


@register.inclusion_tag("includes/menu.html", takes_context=True)
def menu(context, purpose):
    """The menu's links in the visitor's language.

    Kept in the cache until anything public changes when an app tells us when
    that is (pagecache sets `publication_version`): two menus are on every page.
    """
    request = context.get("request")
    version = publication_version() if publication_version else None
    host = request.get_host() if request else ""
    key = f"menu:{purpose}:{translation.get_language()}:{host}:{version}"
    links = cache.get(key) if version is not None else None
    if links is None:
        links = _menu_links(purpose, request)
        if version is not None:
            cache.set(key, links, MENU_SECONDS)
    return {
        "purpose": purpose,
        "items": links,
        "current_path": request.path if request else "",
    }


def _menu_links(purpose, request):
    """Linked pages are swapped for their live translations in one query, not
    one query per link and per attribute read."""
    found = Menu.for_active_locale(purpose)
    items = list(found.items.select_related("link_page")) if found else []
    pages = [item.link_page for item in items if item.link_page_id]
    locale = Locale.get_active() if pages else None
    keys = {page.translation_key for page in pages if page.locale_id != locale.pk}
    translated = {}
    if keys:
        translated = {
            page.translation_key: page
            for page in Page.objects.live().filter(
                translation_key__in=keys, locale=locale
            )
        }
    links = []
    for item in items:
        page = item.link_page
        if page is None:
            links.append(MenuLink(item.link_url, item.label))
            continue
        if not page.live:
            continue
        page = translated.get(page.translation_key, page)
        links.append(MenuLink(page.get_url(request), item.label or page.title))
    return links


@register.simple_tag(takes_context=True)
def home_url(context):
    # A component included with `only` has no context processors' variables,
    # but its RequestContext still holds the request.
    request = context.get("request") or getattr(context, "request", None)
    return _home_url(request, translation.get_language()) or "/"


@register.simple_tag(takes_context=True)
def page_crumbs(context, page):
    """The page's ancestors below the site root, in the visitor's language, as
    crumbs for components/breadcrumbs.html."""
    site = Site.find_for_request(context.get("request"))
    if site is None:
        return []
    ancestors = page.get_ancestors().filter(depth__gt=site.root_page.depth).live()
    return [
        {"title": ancestor.title, "url": ancestor.get_url(context.get("request"))}
        for ancestor in ancestors.specific()
    ]


@register.filter
def summary(text, length=120):
    """A listing's summary of at most `length` characters, cut where a reader
    expects: after a word in English (never mid-word), after a character in
    Chinese, which has no spaces to wait for. An ellipsis says it was cut."""
    text = " ".join(str(text or "").split())
    length = int(length)
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    latin_word = cut[-1:].isascii() and cut[-1:].isalnum()
    if latin_word and text[length - 1 : length].isalnum():
        space = cut.rfind(" ")
        if space > length // 2:
            cut = cut[:space]
    return cut.rstrip(" ,.;:，、；：") + "…"


def _query_url(request, param, anchor):
    """Page number -> this address with `param` set, as {% querystring %} makes it."""

    def url_for(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}{anchor}"

    return url_for


@register.simple_tag(takes_context=True)
def list_pagination(context, listing, anchor="", param="page"):
    """The pages of a Django Page of a list shown at this address (?page=n)."""
    return page_links(listing, _query_url(context["request"], param, anchor))


@register.simple_tag(takes_context=True)
def numbered_pagination(context, number, last, anchor="", param="page"):
    """The pages of a list known by its page number and last page only."""
    return numbered_links(number, last, _query_url(context["request"], param, anchor))
