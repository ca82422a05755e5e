"""The IIIF Image API 3.0, level 0, for the page images of a public record.

Level 0 serves only what was made beforehand (catalogue.iiif.tiles): the
tiles info.json describes, the whole page at the sizes it lists, and the
whole page at full size. Any other region, size, rotation, quality or format
is answered 404, as the Image API has a level 0 server answer what it does
not have; so is a page without tiles.

The caller (catalogue/pages.py) has found the record through the gate and
the page by its number; nothing here knows a database id from a URL.
"""

import json
import re

from django.http import HttpResponse, HttpResponseNotFound

from catalogue import views

from . import tiles

CONTEXT = "http://iiif.io/api/image/3/context.json"
JSON_LD = f'application/ld+json;profile="{CONTEXT}"'
REGION = re.compile(r"^(full|[0-9]{1,6},[0-9]{1,6},[0-9]{1,6},[0-9]{1,6})$")
SIZE = re.compile(r"^(max|[0-9]{1,6},[0-9]{1,6})$")
# What info.json says first, in the order the specification lists it.
INFO_ORDER = ("@context", "id", "type", "protocol", "profile", "width", "height")


def public(response):
    # Any site's viewer may read a public record's images; none may keep them
    # without asking again, so they leave with the record.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def not_found():
    return public(HttpResponseNotFound("Not found", content_type="text/plain"))


def info_response(request, item, service_id):
    """info.json of a page image, its `id` the service's URL on this host."""
    info = tiles.read_info(item) if item is not None else None
    if info is None:
        return not_found()
    info.update({"@context": CONTEXT, "id": service_id, "type": "ImageService3"})
    ordered = {key: info[key] for key in INFO_ORDER if key in info}
    ordered.update(info)
    accept = request.headers.get("Accept", "")
    content_type = JSON_LD if "application/ld+json" in accept else "application/json"
    return public(HttpResponse(json.dumps(ordered), content_type=content_type))


def image_response(request, item, region, size, rotation, quality, extension):
    """One tile, or a whole-page size, of a page image; 404 for the rest."""
    if item is None or (rotation, quality, extension) != ("0", "default", "jpg"):
        return not_found()
    if not REGION.match(region) or not SIZE.match(size):
        return not_found()
    storage = item.file.storage
    for region_name, size_name in _spellings(item, region, size):
        name = tiles.tile_name(item.pk, region_name, size_name)
        if storage.exists(name):
            return public(
                views.stored_file_response(
                    request, storage, name, content_type="image/jpeg"
                )
            )
    return not_found()


def _spellings(item, region, size):
    """The request as asked, then as the same image may be named on disk:
    the whole page is both `full` and 0,0,w,h; full resolution both `max`
    and its pixel size (clients differ, and so do dzsave's names)."""
    yield region, size
    info = tiles.read_info(item)
    if info is None:
        return
    width, height = info["width"], info["height"]
    whole = f"0,0,{width},{height}"
    if region == "full":
        shown = (width, height)
        regions = [region, whole]
    else:
        x, y, w, h = (int(part) for part in region.split(","))
        if x >= width or y >= height or not w or not h:
            return
        shown = (min(w, width - x), min(h, height - y))
        regions = [region, "full"] if region == whole else [region]
    full_size = f"{shown[0]},{shown[1]}"
    sizes = [size, full_size] if size == "max" else [size]
    if size == full_size:
        sizes.append("max")
    for region_name in regions:
        for size_name in sizes:
            if (region_name, size_name) != (region, size):
                yield region_name, size_name
