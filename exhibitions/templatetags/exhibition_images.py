"""Pictures by role: the specs come from exhibitions/renditions.py, which also
makes the renditions on publish, so a page finds them ready.

    {% role_picture image "hero" alt=image.default_alt_text fetchpriority="high" %}
    {% role_rendition item.image "gallery_large" as large %}
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import (
    get_rendition_or_not_found,
    get_renditions_or_not_found,
)

from exhibitions import renditions

register = template.Library()


@register.simple_tag
def role_picture(image, role, **attrs):
    """A <picture> of the role's renditions (AVIF, WebP, JPEG in several widths)
    with width and height, and the role's `sizes` unless one is given."""
    if not image:
        return ""
    attrs.setdefault("sizes", renditions.ROLES[role].sizes)
    found = get_renditions_or_not_found(image, renditions.filters(role))
    return Picture(found, {k: v for k, v in attrs.items() if v not in (None, "")})


@register.simple_tag
def role_rendition(image, role):
    """The role's one rendition (roles of a single spec: a poster, a large view)."""
    if not image:
        return None
    (only,) = renditions.filters(role)
    return get_rendition_or_not_found(image, only)


@register.filter
def lead_image(page):
    """The first image of a page's body (a chapter's card), or None."""
    return renditions.lead_image(page)
