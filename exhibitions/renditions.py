"""The renditions that exhibitions, collections and the chronicle show, in one place.

Each role names the filter specs of one kind of picture (an exhibition's hero, a
card, a gallery image…) and the `sizes` the browser chooses among them with.
The `{% role_picture %}` and `{% role_rendition %}` tags (templatetags/
exhibition_images.py) draw pictures by role, and `make()` creates the same
renditions when a page is published or an image saved (receivers.py), so the
two cannot disagree and no visitor waits while an image is resized: on this
machine a first view used to take 1–3 s per page, most of it AVIF encoding.

`pictures_of(page)` says which images a page shows in which role; blocks say it
for their own values through a `pictures(value)` method.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

# Every role is drawn in the three formats <picture> offers, best first.
FORMATS = "format-{avif,webp,jpeg}"


@dataclass(frozen=True)
class Role:
    sizes_spec: str
    sizes: str = ""
    formats: str = FORMATS

    @cached_property
    def filter_specs(self) -> list[str]:
        return Filter.expand_spec([self.formats, self.sizes_spec])


ROLES = {
    # Across the whole window, above an exhibition or a collection.
    "hero": Role("fill-{640x360,1280x720,1920x1080}", "100vw"),
    # Listings, chapter cards and the home page's featured cards (the same specs
    # as templates/home/home_page.html, so they share renditions).
    "card": Role("fill-{320x180,640x360}", "(max-width: 40em) 100vw, 22rem"),
    # An image in the text column.
    "figure": Role("width-{400,800,1200}", "(max-width: 40em) 100vw, 36em"),
    # An image wider than the text, as wide as the page.
    "figure_wide": Role("width-{640,1280,1920}", "(max-width: 72rem) 100vw, 68rem"),
    # Gallery images, which keep their proportions in rows that fill the width.
    "gallery": Role(
        "width-{400,800,1200}",
        "(max-width: 40em) 100vw, (max-width: 72rem) 45vw, 30rem",
    ),
    # What a gallery link opens (and the lightbox shows): one large image.
    "gallery_large": Role("max-1600x1600", formats="format-webp"),
    # The image half of an image-and-text row.
    "image_text": Role("width-{400,800,1200}", "(max-width: 48em) 100vw, 36rem"),
    "poster": Role("width-960", formats="format-webp"),
    # Beside an event in the chronicle.
    "event_thumb": Role("fill-{160x120,320x240}", "8rem"),
}


def filters(role: str) -> list[Filter]:
    return [Filter(spec=spec) for spec in ROLES[role].filter_specs]


# Which images a page shows ---------------------------------------------------------


def stream_pictures(stream) -> Iterator[tuple[object, str]]:
    """(image, role) of every block of a StreamField value that shows images."""
    for child in stream or []:
        pictures = getattr(child.block, "pictures", None)
        if pictures is not None:
            yield from pictures(child.value)


def lead_image(page):
    """The first image a page's body shows: its card in the chapter list."""
    for image, _role in stream_pictures(getattr(page, "body", None)):
        if image is not None:
            return image
    return None


def pictures_of(page) -> Iterator[tuple[object, str]]:
    """(image, role) of every picture the page's template and its listings draw."""
    from .models import (
        ChronicleEventPage,
        ExhibitionChapterPage,
        ExhibitionPage,
        ThematicCollectionPage,
    )

    page = page.specific
    if isinstance(page, ExhibitionPage | ThematicCollectionPage):
        if page.hero_image is not None:
            yield page.hero_image, "hero"
            yield page.hero_image, "card"
        yield from stream_pictures(page.body)
    if isinstance(page, ExhibitionPage):
        for chapter in page.chapters():
            lead = lead_image(chapter)
            if lead is not None:
                yield lead, "card"
    elif isinstance(page, ExhibitionChapterPage):
        yield from stream_pictures(page.body)
        lead = lead_image(page)
        if lead is not None:
            yield lead, "card"  # on its exhibition's landing page
    elif isinstance(page, ChronicleEventPage) and page.image is not None:
        yield page.image, "event_thumb"
        yield page.image, "figure"


# Making them -----------------------------------------------------------------------


def make(pictures: Iterable[tuple[object, str]]) -> int:
    """Create the renditions these (image, role) pairs need and do not have yet.

    Returns how many images were seen to. An image whose file cannot be read
    is logged and skipped: it must not stop the others, nor a publication.
    """
    wanted = {}
    for image, role in pictures:
        if image is None:
            continue
        _image, specs = wanted.setdefault(image.pk, (image, {}))
        specs.update(dict.fromkeys(ROLES[role].filter_specs))
    for image, specs in wanted.values():
        try:
            image.get_renditions(*specs)
        except Exception:  # noqa: BLE001 — a broken file must not stop the rest
            logger.exception("Could not make the renditions of image %s", image.pk)
    return len(wanted)


def make_for_page(page) -> int:
    return make(pictures_of(page))


def make_for_image(image) -> int:
    """The renditions of this image that the live pages showing it need."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    page_ids = (
        ReferenceIndex.get_references_to(image)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    pictures = []
    for page in Page.objects.live().filter(pk__in=list(page_ids)).specific():
        pictures += [
            (shown, role)
            for shown, role in pictures_of(page)
            if shown is not None and shown.pk == image.pk
        ]
    return make(pictures)
