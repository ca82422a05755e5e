"""Open Graph tags (ogp.me): what another site shows when a page is shared.

og:url and og:image are absolute on the configured public address. og:locale
is the language_TERRITORY form the protocol asks for; the page's other
published languages are og:locale:alternate.
"""

from django.utils import translation
from django.utils.text import Truncator

from catalogue.pages import CatalogueIndexPage
from catalogue.templatetags.catalogue_tags import record_title
from home.models import ArchiveSettings, HomePage

from . import context as page_context

OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}
DESCRIPTION_CHARACTERS = 200


def og_locale(language_code):
    return OG_LOCALES.get(language_code, language_code.replace("-", "_"))


def tags(context):
    """[(property, content)] for the page being rendered; [] when it is none."""
    page = context.get("page")
    url = page_context.page_address(context)
    if not url:
        return []
    record = context.get("record") if isinstance(page, CatalogueIndexPage) else None
    if record is not None:
        title = record_title(record)
        description = record.scope_and_content or f"{record.reference_code} {title}"
        kind = "article"
        image = ""
    else:
        title = getattr(page, "seo_title", "") or page.title
        description = getattr(page, "search_description", "") or getattr(
            page, "introduction", ""
        )
        kind = "website" if isinstance(page, HomePage) else "article"
        image = page_context.image_url(page, context.get("request"))
    request = context.get("request")
    site_name = ArchiveSettings.for_request(request).name if request else ""
    active = translation.get_language() or ""
    found = [
        ("og:type", kind),
        ("og:title", title),
        ("og:url", url),
        ("og:locale", og_locale(active)),
    ]
    for language in context.get("languages") or []:
        if language.get("is_translation") and language.get("code") != active:
            found.append(("og:locale:alternate", og_locale(language["code"])))
    if site_name:
        found.append(("og:site_name", site_name))
    if description:
        found.append(
            ("og:description", Truncator(description).chars(DESCRIPTION_CHARACTERS))
        )
    if image:
        found.append(("og:image", image))
    return found
