"""Level 0 IIIF tiles of page images, made once when an image is stored.

The page image of digital object 42 has its tiles at iiif-tiles/42/ in the
catalogue's private storage (catalogue/storage.py), written by libvips'
dzsave in the IIIF 3 layout: <region>/<size>/0/default.jpg for every tile,
the page whole at the smallest level, and info.json. To those this module
adds the page whole at full size (full/max/0/default.jpg: level 0 requires
it), the whole-page sizes in info.json, and made-from.txt, the name of the
stored file they were made from, so that a replaced file is tiled again.

The tiles are private files like the scans: only catalogue.iiif.image_api
serves them, below a record that passed the gate. Their location comes from
the object's id, which no public URL carries.

Making them takes about a quarter of a second for an A4 scan at 300 dpi, so
an import never makes them itself: `schedule` queues a task once the
import's transaction has committed (and never when it rolls back).
"""

import json
import logging
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyvips
from django.core.files import File
from django.db import transaction
from PIL import Image

from catalogue.models import DigitalObject

logger = logging.getLogger(__name__)
# libvips reports every thread pool it finishes at INFO: one line per image.
logging.getLogger("pyvips").setLevel(logging.WARNING)

ROOT = "iiif-tiles"
TILE_SIZE = 512
QUALITY = 85
INFO = "info.json"
MADE_FROM = "made-from.txt"
FULL = "full/max/0/default.jpg"
EXIF_ORIENTATION = 0x0112
TURNED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


def location(object_id):
    return f"{ROOT}/{int(object_id)}"


def tile_name(object_id, region, size):
    return f"{location(object_id)}/{region}/{size}/0/default.jpg"


def file_storage():
    return DigitalObject._meta.get_field("file").storage


# Queueing -----------------------------------------------------------------------


def schedule(item):
    """Have a page image's tiles made once the current transaction commits."""
    if item.kind != DigitalObject.Kind.IMAGE:
        return
    object_id = item.pk
    transaction.on_commit(lambda: _enqueue(object_id))


def _enqueue(object_id):
    # catalogue.tasks imports the importers, which import this module.
    from catalogue.tasks import make_tiles

    try:
        make_tiles.enqueue(object_id)
    except Exception as error:  # noqa: BLE001 - the import has committed
        # `manage.py make_tiles` makes whatever is missing.
        logger.warning("could not queue the tiles of object %s: %s", object_id, error)


# Making -------------------------------------------------------------------------


def make_for(object_id, *, force=False):
    item = DigitalObject.objects.filter(
        pk=object_id, kind=DigitalObject.Kind.IMAGE
    ).first()
    return make(item, force=force) if item is not None else False


def make(item, *, force=False):
    """Make (or remake) the tiles of a page image; False when there was
    nothing to do or the file is not an image libvips can read."""
    if item.kind != DigitalObject.Kind.IMAGE or not item.file:
        return False
    if not force and is_current(item):
        return False
    storage = item.file.storage
    with _scratch(storage) as scratch:
        out = scratch / "tiles"
        try:
            with _local_file(storage, item.file.name, scratch) as source:
                _write_tiles(source, out)
        except (pyvips.Error, OSError) as error:
            logger.warning(
                "no tiles for object %s (%s): %s", item.pk, item.file.name, error
            )
            return False
        (out / MADE_FROM).write_text(item.file.name, encoding="utf-8")
        _publish(storage, out, location(item.pk))
    return True


def _write_tiles(source, out):
    image = _prepared(pyvips.Image.new_from_file(str(source)))
    # The id is a placeholder: info.json is served with the request's own URL.
    image.dzsave(
        str(out),
        layout="iiif3",
        id="https://tiles.invalid",
        tile_size=TILE_SIZE,
        suffix=f".jpg[Q={QUALITY}]",
        keep="none",
    )
    full = out / FULL
    full.parent.mkdir(parents=True, exist_ok=True)
    image.jpegsave(str(full), Q=QUALITY, keep="none")
    info_path = out / INFO
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["sizes"] = _whole_sizes(out, info)
    info_path.write_text(json.dumps(info), encoding="utf-8")


def _prepared(image):
    """Upright, without alpha, in 8-bit sRGB or grey: what JPEG can carry."""
    image = image.autorot()
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    if image.interpretation == "grey16":
        image = image.colourspace("b-w")
    elif image.interpretation not in ("srgb", "b-w"):
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def _whole_sizes(out, info):
    """The sizes at which the whole page is on disk, smallest first."""
    sizes = {(info["width"], info["height"])}
    for folder in (out / "full").iterdir():
        width, _comma, height = folder.name.partition(",")
        if width.isdigit() and height.isdigit():
            sizes.add((int(width), int(height)))
    return [{"width": w, "height": h} for w, h in sorted(sizes)]


def _local_path(storage, name):
    try:
        return Path(storage.path(name))
    except NotImplementedError:  # object storage
        return None


@contextmanager
def _scratch(storage):
    """A scratch directory; on local storage under the tiles' root, so that
    the finished pyramid is swapped in by a rename."""
    root = _local_path(storage, ROOT)
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    prefix = ".making-"  # never an object id: the clean-up leaves it alone
    with tempfile.TemporaryDirectory(prefix=prefix, dir=root) as scratch:
        yield Path(scratch)


@contextmanager
def _local_file(storage, name, scratch):
    path = _local_path(storage, name)
    if path is not None:
        yield path
        return
    copy = scratch / "source"
    with storage.open(name, "rb") as source, copy.open("wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    yield copy


def _publish(storage, out, prefix):
    final = _local_path(storage, prefix)
    if final is not None:
        # Two renames: a viewer never meets half a pyramid.
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex}")
        if final.exists():
            final.rename(old)
        out.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        return
    _delete_tree(storage, prefix)
    for path in sorted(out.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                storage.save(
                    f"{prefix}/{path.relative_to(out).as_posix()}", File(handle)
                )


def remove(object_id, storage=None):
    """Delete the tiles of an object (that no longer exists, or changed)."""
    storage = storage or file_storage()
    prefix = location(object_id)
    path = _local_path(storage, prefix)
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
    else:
        _delete_tree(storage, prefix)


def _delete_tree(storage, prefix):
    try:
        folders, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        storage.delete(f"{prefix}/{name}")
    for folder in folders:
        _delete_tree(storage, f"{prefix}/{folder}")


def tiled_object_ids(storage=None):
    """The ids of the objects that have tiles on disk (for the clean-up)."""
    storage = storage or file_storage()
    try:
        folders, _files = storage.listdir(ROOT)
    except FileNotFoundError:
        return []
    return [int(name) for name in folders if name.isdigit()]


# Reading ------------------------------------------------------------------------


def _read(storage, name):
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError, OSError):
        return None


def is_current(item):
    """True when the object's tiles exist and were made from its file."""
    storage = item.file.storage
    made_from = _read(storage, f"{location(item.pk)}/{MADE_FROM}")
    return (
        made_from is not None
        and made_from.decode("utf-8", "replace") == item.file.name
        and storage.exists(f"{location(item.pk)}/{INFO}")
    )


def read_info(item):
    """The info.json dzsave wrote for a page image (with our sizes), or None."""
    data = _read(item.file.storage, f"{location(item.pk)}/{INFO}")
    if data is None:
        return None
    try:
        info = json.loads(data)
    except ValueError:
        return None
    if not isinstance(info.get("width"), int) or not isinstance(
        info.get("height"), int
    ):
        return None
    return info


def dimensions(item, info=None):
    """(width, height) of a page image as shown upright, or None.

    From its tiles when they are made, else from the image file's header.
    """
    info = info or read_info(item)
    if info is not None:
        return info["width"], info["height"]
    try:
        with (
            item.file.storage.open(item.file.name, "rb") as handle,
            Image.open(handle) as picture,
        ):
            width, height = picture.size
            orientation = picture.getexif().get(EXIF_ORIENTATION)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return (height, width) if orientation in TURNED else (width, height)
