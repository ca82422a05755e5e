"""Small helpers for the search page's templates."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def number(value):
    """1234 -> 1,234: counts read the same way in Chinese and English."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


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
