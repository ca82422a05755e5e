"""What the credit line under a picture says it is, in one place.

An image in the media library and an image block of an exhibition both say
whether the picture shows the item itself, with where it comes from (来源), or
is a drawing or reconstruction (示意图): archives must never credit a drawing
as their holdings.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CREDIT_KINDS = [
    ("source", _("Source: the item itself, or where it is kept")),
    ("illustration", _("Illustration: drawn or reconstructed, not the item itself")),
]
CREDIT_LABELS = {"source": _("Credit"), "illustration": _("Illustration")}


def credit_label(kind):
    return CREDIT_LABELS.get(kind or "source", CREDIT_LABELS["source"])


def in_page_language(text, text_en):
    """The English wording on English pages when there is one, else the text."""
    if text_en and (get_language() or "").startswith("en"):
        return text_en
    return text
