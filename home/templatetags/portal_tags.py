from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from home.models import Menu

register = template.Library()


@register.simple_tag
def html_lang():
    """The active language as a BCP 47 tag: zh-Hans, en."""
    return translation.to_locale(translation.get_language() or "").replace("_", "-")


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


@register.inclusion_tag("includes/menu.html", takes_context=True)
def menu(context, purpose):
    found = Menu.for_active_locale(purpose)
    items = []
    if found is not None:
        for item in found.items.select_related("link_page"):
            if item.link_page_id and not item.link_page.live:
                continue
            items.append(item)
    request = context.get("request")
    current_path = request.path if request else ""
    return {
        "purpose": purpose,
        "items": items,
        "current_path": current_path,
    }


@register.simple_tag(takes_context=True)
def home_url(context):
    request = context.get("request")
    return _home_url(request, translation.get_language()) or "/"


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The page's ancestors below the site root, in the visitor's language."""
    site = Site.find_for_request(context.get("request"))
    if site is None:
        return []
    return page.get_ancestors().filter(depth__gt=site.root_page.depth).live().specific()
