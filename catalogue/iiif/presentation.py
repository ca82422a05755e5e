"""IIIF Presentation 3: a manifest for each public record with page images, a
collection for each public fonds, series and file.

Both are built with iiif-prezi3 and say everything twice, in zh-Hans and en:
the record's data is Chinese (its English title, where the archive gave one,
is English), the interface's words are Django's translations. The metadata
are the rows of the record page, read from the field registry by the same
code (catalogue.templatetags.catalogue_tags.record_fields), once per language.

Collections list their public children, through the gate: a collection for
a child that is not an item, a manifest for a child with page images. IIIF
Presentation 3 has no paging of collections, so a record with more than
PER_COLLECTION children lists collections of PER_COLLECTION children each
(collection/1.json, collection/2.json, …) instead, in archival order.

Every URL comes from `url(record, suffix)`, which catalogue/pages.py gives:
the routes are its own.
"""

import math
import mimetypes
import re
from datetime import UTC, datetime, time

from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from iiif_prezi3 import (
    AnnotationBody,
    Canvas,
    Class,
    Collection,
    CollectionRef,
    Homepage,
    KeyValueString,
    LinkedResource,
    Manifest,
    ManifestRef,
    Resource,
    ServiceV3,
)

from catalogue import exports, views
from catalogue.models import DigitalObject, Level, Record
from catalogue.templatetags.catalogue_tags import record_fields

from . import tiles

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
CONTENT_TYPE = f'application/ld+json;profile="{CONTEXT}"'
# IIIF's language tags, and the interface language that speaks each.
LANGUAGES = {"zh-Hans": "zh-hans", "en": "en"}
DATA_LANGUAGE = "zh-Hans"
PER_COLLECTION = 1000
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
EAD_2002 = exports.EAD_NS


def response(resource):
    body = resource.json()
    answer = HttpResponse(body, content_type=CONTENT_TYPE)
    # Public metadata, like the other exports: any site may read it, and it
    # is asked for again each time, so it leaves with its record.
    answer["Access-Control-Allow-Origin"] = "*"
    answer["Cache-Control"] = "no-cache"
    return answer


# Words in both languages ----------------------------------------------------------


def _each_language(make):
    """{tag: make()} with the interface in each language in turn."""
    found = {}
    for tag, code in LANGUAGES.items():
        with translation.override(code):
            found[tag] = make()
    return found


def _both(make):
    return {tag: [str(text)] for tag, text in _each_language(make).items()}


def _title(record):
    label = {DATA_LANGUAGE: [record.title]}
    if record.title_en:
        label["en"] = [record.title_en]
    return label


def _metadata(record):
    """The record page's rows, main then "more", labelled in both languages."""

    def rows():
        # Labels and the interface's words are lazy: read them in the language.
        return {
            row.name: (row, str(row.label), [str(text) for text in _texts(row)])
            for row in record_fields(record, DATA_LANGUAGE)
            + record_fields(record, DATA_LANGUAGE, more=True)
        }

    by_language = _each_language(rows)
    english = by_language["en"]
    entries = []
    for name, (row, label, texts) in by_language[DATA_LANGUAGE].items():
        _row, english_label, english_texts = english.get(name, (row, label, texts))
        entries.append(
            KeyValueString(
                label={DATA_LANGUAGE: [label], "en": [english_label]},
                value=_value(row, texts, english_texts),
            )
        )
    return entries


def _value(row, chinese, english):
    if row.name == "title_en":
        return {"en": chinese}
    if row.lang and not row.dates:
        # The archive's words, in Chinese; a code or a number has no language.
        if any(HAN.search(text) for text in chinese):
            return {DATA_LANGUAGE: chinese}
        return {"none": chinese}
    if chinese == english:  # codes and numbers: no language
        return {"none": chinese}
    return {DATA_LANGUAGE: chinese, "en": english}


def _texts(row):
    if row.values:
        return list(row.values)
    if row.dates:
        dates = strip_tags(row.dates)
        return [f"{row.text} ({dates})" if row.text else dates]
    return [row.text]


def _required_statement(record):
    """Who holds it, its rights (the access status Dublin Core gives as
    dc:rights, and the archive's conditions of reproduction) and how to cite
    it: what a viewer must show beside the images."""
    repository = record.repository

    def line():
        english = not translation.get_language().startswith("zh")
        text = _("Held by %(archive)s. Rights: %(access)s.") % {
            "archive": (repository.name_en or repository.name)
            if english
            else repository.name,
            "access": record.get_access_status_display(),
        }
        if record.conditions_of_use:
            text += " " + _("Conditions of reproduction: %(conditions)s") % {
                "conditions": record.conditions_of_use.strip()
            }
        return (
            text
            + " "
            + _("Cite as: %(citation)s")
            % {
                "citation": exports.citation_en(record)
                if english
                else exports.citation_zh(record)
            }
        )

    return KeyValueString(
        label=_both(lambda: _("Attribution and rights")), value=_both(line)
    )


def _nav_date(record):
    if record.date_start is None:
        return None
    return datetime.combine(record.date_start, time(), tzinfo=UTC)


def _common(record, url, parent):
    """What a manifest and a collection of the same record both say."""
    fields = {
        "label": _title(record),
        "requiredStatement": _required_statement(record),
        "homepage": [
            Homepage(
                id=url(record),
                type="Text",
                label=_title(record),
                format="text/html",
            )
        ],
        "seeAlso": _see_also(record, url),
    }
    if record.scope_and_content:
        fields["summary"] = {DATA_LANGUAGE: [record.scope_and_content]}
    if parent is not None:
        fields["partOf"] = [
            Class(
                id=url(parent, "collection.json"),
                type="Collection",
                label=_title(parent),
            )
        ]
    return fields


def _see_also(record, url):
    links = [
        LinkedResource(
            id=url(record, "dc.xml"),
            type="Dataset",
            label=_both(lambda: _("Dublin Core (XML)")),
            format="application/xml",
            profile=OAI_DC,
        ),
        LinkedResource(
            id=url(record, "record.json"),
            type="Dataset",
            label=_both(lambda: _("Description (JSON)")),
            format="application/json",
        ),
    ]
    if record.level in (Level.FONDS, Level.SERIES):
        links.append(
            LinkedResource(
                id=url(record, "ead.xml"),
                type="Dataset",
                label=_both(lambda: _("Finding aid (EAD XML)")),
                format="application/xml",
                profile=EAD_2002,
            )
        )
    return links


# Manifests ------------------------------------------------------------------------


def manifest(record, *, url, parent=None):
    """The manifest of a record's page images; None when it has none to show."""
    pages, others, has_text = views.digital_objects(record)
    canvases = [canvas for page in pages if (canvas := _canvas(record, page, url))]
    if not canvases:
        return None
    fields = _common(record, url, parent)
    fields["metadata"] = _metadata(record)
    if nav_date := _nav_date(record):
        fields["navDate"] = nav_date
    if canvases[0].thumbnail:
        fields["thumbnail"] = [Resource(canvases[0].thumbnail[0])]
    rendering = [
        LinkedResource(
            id=url(record, f"files/{item.number}/"),
            type="Text",
            label={DATA_LANGUAGE: [item.label]}
            if item.label
            else _both(lambda: _("PDF")),
            format="application/pdf",
        )
        for item in others
        if item.kind == DigitalObject.Kind.PDF
    ]
    if has_text:
        rendering.append(
            LinkedResource(
                id=url(record, "text.txt"),
                type="Text",
                label=_both(lambda: _("Machine-recognised text (TXT)")),
                format="text/plain",
            )
        )
    if rendering:
        fields["rendering"] = rendering
    built = Manifest(id=url(record, "manifest.json"), **fields)
    for canvas in canvases:
        built.add_item(canvas)
    return built


def _canvas(record, page, url):
    item = page.image
    info = tiles.read_info(item)
    size = tiles.dimensions(item, info)
    if size is None:
        return None  # not an image anyone can show
    width, height = size
    # Canvases and their annotations live inside the manifest: their ids are
    # its URL with a fragment, so every id in it can be fetched.
    canvas_id = url(record, f"manifest.json#canvas-{page.number}")
    canvas = Canvas(
        id=canvas_id,
        label=_both(lambda: _("Page %(number)s") % {"number": page.number}),
        width=width,
        height=height,
    )
    if info is not None:
        service_id = url(record, f"iiif/{page.number}")
        service = [ServiceV3(id=service_id, type="ImageService3", profile="level0")]
        image_url, image_type = f"{service_id}/full/max/0/default.jpg", "image/jpeg"
        smallest = info["sizes"][0] if info.get("sizes") else None
        if smallest:
            # The whole page at its smallest size: a thumbnail any client
            # can fetch from a level 0 service.
            canvas.thumbnail = [
                Resource(
                    AnnotationBody(
                        id=f"{service_id}/full/{smallest['width']},"
                        f"{smallest['height']}/0/default.jpg",
                        type="Image",
                        format="image/jpeg",
                        width=smallest["width"],
                        height=smallest["height"],
                        service=service,
                    )
                )
            ]
    else:
        # Not tiled yet: the stored file itself.
        service = None
        image_url = url(record, f"files/{item.number}/")
        image_type, _encoding = mimetypes.guess_type(item.file.name)
    body = {"width": width, "height": height}
    if image_type:
        body["format"] = image_type
    if service:
        body["service"] = service
    canvas.add_image(
        image_url,
        anno_id=f"{canvas_id}-image",
        anno_page_id=f"{canvas_id}-page",
        **body,
    )
    if page.text_number is not None:
        canvas.rendering = [
            LinkedResource(
                id=url(record, f"pages/{page.text_number}.txt"),
                type="Text",
                label=_both(lambda: _("Machine-recognised text")),
                format="text/plain",
            )
        ]
    return canvas


# Collections ----------------------------------------------------------------------


def has_collection(record):
    return record.level != Level.ITEM


def collection(record, *, url, today, parent=None, part=None):
    """The collection of a fonds, series or file, or one part of it.

    None for an item, and for a part that does not exist.
    """
    if not has_collection(record):
        return None
    count = views.children_count(record, today)
    parts = math.ceil(count / PER_COLLECTION)
    whole_id = url(record, "collection.json")
    if part is None:
        built = Collection(id=whole_id, **_common(record, url, parent))
        if _has_images(record):
            built.add_item(
                ManifestRef(id=url(record, "manifest.json"), label=_title(record))
            )
        if parts <= 1:
            for reference in _children(record, today, url, 1):
                built.add_item(reference)
        else:
            for number in range(1, parts + 1):
                first = (number - 1) * PER_COLLECTION + 1
                last = min(number * PER_COLLECTION, count)
                built.add_item(
                    CollectionRef(
                        id=url(record, f"collection/{number}.json"),
                        type="Collection",
                        label=_part_label(record, first, last),
                    )
                )
        return built
    if parts <= 1 or not 1 <= part <= parts:
        return None
    first = (part - 1) * PER_COLLECTION + 1
    last = min(part * PER_COLLECTION, count)
    built = Collection(
        id=url(record, f"collection/{part}.json"),
        label=_part_label(record, first, last),
        partOf=[Class(id=whole_id, type="Collection", label=_title(record))],
        requiredStatement=_required_statement(record),
    )
    for reference in _children(record, today, url, part):
        built.add_item(reference)
    return built


def _part_label(record, first, last):
    return _both(
        lambda: (
            _("%(title)s: records %(first)s–%(last)s")
            % {"title": record.reference_code, "first": first, "last": last}
        )
    )


def _has_images(record):
    return record.digital_objects.filter(kind=DigitalObject.Kind.IMAGE).exists()


def _children(record, today, url, part):
    """References to one part's public children, in archival order: an
    indexed slice, like a page of the record page's list of children."""
    start = (part - 1) * PER_COLLECTION
    children = (
        Record.objects.public(today=today)
        .filter(parent_id=record.pk)
        .only(*views.LIST_FIELDS)
        .annotate(
            digitised=Exists(
                DigitalObject.objects.filter(
                    record_id=OuterRef("pk"), kind=DigitalObject.Kind.IMAGE
                )
            )
        )
        .order_by(*views.SORTS[views.DEFAULT_SORT])[start : start + PER_COLLECTION]
    )
    for child in children:
        child.repository = record.repository
        label = _title(child)
        if has_collection(child):
            yield CollectionRef(
                id=url(child, "collection.json"), type="Collection", label=label
            )
        if child.digitised:
            yield ManifestRef(id=url(child, "manifest.json"), label=label)
