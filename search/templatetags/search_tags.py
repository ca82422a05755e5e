"""Small helpers for the search page's templates."""

from django import template
from django.utils.html import format_html

from home.numbers import grouped

register = template.Library()


# 1234 -> 1,234: the portal's one way of showing a count (home/numbers.py).
register.filter("number", grouped)


@register.simple_tag(takes_context=True)
def lang_attr(context, lang):
    """lang="…" when a piece of text is not in the page's language."""
    if lang and lang != context.get("page_lang"):
        return format_html(' lang="{}"', lang)
    return ""


@register.simple_tag
def search_url(results, params):
    """The search page asking for these query-string pairs."""
    return results.url_for(params)
