# ruff: noqa: F811 — the catalogue's page fixtures are imported, then asked for.
"""IIIF: Presentation 3 manifests and collections, Image API 3 level 0 tiles.

Manifests and collections are validated against the official JSON schema
(../shared/standards/iiif/); tiles are made for real by libvips from real
images and fetched through the portal. Every surface sits behind the gate:
closed records answer 404, withdrawn ones 410, and an open sibling in the
same place answers 200 so that an error page cannot pass for an absence.
"""

import io
import json
import math
import shutil
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from catalogue.iiif import presentation, tiles
from catalogue.importers.base import Bundle, import_records
from catalogue.importers.csv import read_csv
from catalogue.models import AccessStatus, DigitalObject, PageText, Record
from tests.factories import ItemFactory, RepositoryFactory
from tests.test_catalogue_pages import archive, catalogue, url  # noqa: F401

SCHEMA_PATH = (
    Path(__file__).resolve().parents[1].parent
    / "shared/standards/iiif/iiif_presentation_3_0.schema.json"
)
SCHEMA = jsonschema.Draft7Validator(json.loads(SCHEMA_PATH.read_text()))
PRESENTATION_TYPE = (
    'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
)
HOST = "http://testserver"
ITEM = "/zh-hans/catalogue/120101/J0001-001-0001-0001/"
BUNDLE = Path(__file__).parent / "fixtures" / "catalogue" / "bundle"
# Real scans are portrait; one is wider than a tile and taller than two.
PAGE_SIZES = [(1100, 1500), (900, 1200), (400, 300)]


@pytest.fixture(autouse=True)
def no_tiles_left_over():
    """Object ids come back after a rolled-back test: so would their tiles."""
    root = Path(tiles.file_storage().path(tiles.ROOT))
    shutil.rmtree(root, ignore_errors=True)
    yield
    shutil.rmtree(root, ignore_errors=True)


def assert_presentation_3(data):
    errors = sorted(SCHEMA.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(
        f"{list(error.path)}: {error.message}" for error in errors[:10]
    )


def picture(width, height, colour="#f3ecd9", fmt="PNG"):
    image = Image.new("RGB", (width, height), colour)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def add_pages(record, sizes, *, tiled=True, text=True):
    images = []
    for n, (width, height) in enumerate(sizes, start=1):
        image = DigitalObject.objects.create(
            record=record,
            kind="image",
            position=n,
            file=ContentFile(picture(width, height), name=f"page-{n}.png"),
        )
        if text:
            PageText.objects.create(
                record=record, page_number=n, digital_object=image, text=f"第{n}页"
            )
        if tiled:
            assert tiles.make(image)
        images.append(image)
    return images


@pytest.fixture
def digitised(archive):
    """The item with three real page images, their tiles and texts, and a PDF."""
    images = add_pages(archive.item, PAGE_SIZES)
    pdf = DigitalObject.objects.create(
        record=archive.item,
        kind="pdf",
        position=4,
        label="全文 PDF",
        file=ContentFile(b"%PDF-1.4 fake", name="whole.pdf"),
    )
    return SimpleNamespace(archive=archive, item=archive.item, images=images, pdf=pdf)


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response, json.loads(response.content) if status == 200 else None


def local(link):
    assert link.startswith(HOST), link
    return link[len(HOST) :]


# Manifests ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manifest_of_an_item_with_pages_is_presentation_3(
    client, catalogue, digitised
):
    Record.objects.filter(pk=digitised.item.pk).update(
        conditions_of_use="复制须经本馆同意。"
    )
    response, manifest = get_json(client, ITEM + "manifest.json")

    assert response["Content-Type"] == PRESENTATION_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_presentation_3(manifest)
    assert manifest["id"] == HOST + ITEM + "manifest.json"
    assert manifest["label"] == {
        "zh-Hans": ["关于码头扩建工程的呈文"],
        "en": ["Petition on the wharf extension works"],
    }
    assert manifest["summary"] == {
        "zh-Hans": ["海关向市政府呈报码头扩建工程的计划与经费。"]
    }
    assert manifest["homepage"][0]["id"] == HOST + ITEM

    # One canvas a page, as large as its image, painted with its image service.
    canvases = manifest["items"]
    assert [(c["width"], c["height"]) for c in canvases] == PAGE_SIZES
    assert canvases[0]["label"]["en"] == ["Page 1"]
    body = canvases[1]["items"][0]["items"][0]["body"]
    assert body["service"][0] == {
        "id": HOST + ITEM + "iiif/2",
        "type": "ImageService3",
        "profile": "level0",
    }
    assert body["id"] == HOST + ITEM + "iiif/2/full/max/0/default.jpg"
    assert canvases[2]["rendering"][0]["id"] == HOST + ITEM + "pages/3.txt"
    assert manifest["thumbnail"][0]["id"].startswith(HOST + ITEM + "iiif/1/full/")

    # The metadata are the record page's rows, labelled in both languages.
    metadata = {entry["label"]["en"][0]: entry for entry in manifest["metadata"]}
    assert metadata["Reference code"]["value"] == {"none": ["J0001-001-0001-0001"]}
    assert metadata["Reference code"]["label"]["zh-Hans"] == ["档号"]
    assert metadata["Subjects"]["value"] == {"zh-Hans": ["港口建设", "码头"]}
    assert metadata["Access status"]["value"] == {"zh-Hans": ["开放"], "en": ["Open"]}
    statement = manifest["requiredStatement"]["value"]
    assert "滨江市档案馆" in statement["zh-Hans"][0]
    assert "Binjiang Municipal Archives" in statement["en"][0]
    assert "J0001-001-0001-0001" in statement["en"][0]
    # The rights line: the access status (dc:rights) and the conditions.
    assert "Rights: Open." in statement["en"][0]
    assert "开放" in statement["zh-Hans"][0]
    assert all("复制须经本馆同意" in statement[tag][0] for tag in ("en", "zh-Hans"))
    assert manifest["requiredStatement"]["label"]["en"] == ["Attribution and rights"]

    # The PDF and the text, the exports, the file's collection: all answer.
    rendering = {link["format"]: link["id"] for link in manifest["rendering"]}
    assert rendering == {
        "application/pdf": HOST + ITEM + "files/4/",
        "text/plain": HOST + ITEM + "text.txt",
    }
    assert [link["id"] for link in manifest["seeAlso"]] == [
        HOST + ITEM + "dc.xml",
        HOST + ITEM + "record.json",
    ]
    assert manifest["partOf"] == [
        {
            "id": f"{HOST}/zh-hans/catalogue/120101/J0001-001-0001/collection.json",
            "type": "Collection",
            "label": {"zh-Hans": ["码头扩建工程文件"]},
        }
    ]
    links = [*rendering.values(), *(link["id"] for link in manifest["seeAlso"])]
    for link in [*links, manifest["partOf"][0]["id"], body["id"]]:
        assert client.get(local(link)).status_code == 200, link


@pytest.mark.django_db
def test_the_manifest_is_the_same_in_either_language_but_its_address(
    client, catalogue, digitised
):
    _response, chinese = get_json(client, ITEM + "manifest.json")
    _response, english = get_json(
        client, ITEM.replace("/zh-hans/", "/en/") + "manifest.json"
    )

    assert english["id"] == HOST + "/en" + ITEM[len("/zh-hans") :] + "manifest.json"
    assert english["label"] == chinese["label"]
    assert [m["label"] for m in english["metadata"]] == [
        m["label"] for m in chinese["metadata"]
    ]


@pytest.mark.django_db
def test_pages_not_yet_tiled_are_painted_with_their_files(client, catalogue, archive):
    add_pages(archive.item, [(600, 800)], tiled=False)

    _response, manifest = get_json(client, ITEM + "manifest.json")

    assert_presentation_3(manifest)
    canvas = manifest["items"][0]
    assert (canvas["width"], canvas["height"]) == (600, 800)
    body = canvas["items"][0]["items"][0]["body"]
    assert body["id"] == HOST + ITEM + "files/1/"
    assert body["format"] == "image/png" and "service" not in body
    assert client.get(ITEM + "iiif/1/info.json").status_code == 404


@pytest.mark.django_db
def test_a_record_without_page_images_has_no_manifest(client, catalogue, archive):
    assert client.get(ITEM).status_code == 200
    assert client.get(ITEM + "manifest.json").status_code == 404
    # Files that are no images are not pages.
    DigitalObject.objects.create(
        record=archive.item,
        kind="image",
        file=ContentFile(b"not an image at all", name="broken.png"),
    )
    assert client.get(ITEM + "manifest.json").status_code == 404


# Collections ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_collections_of_a_fonds_and_a_series_list_their_public_children(
    client, catalogue, digitised
):
    base = "/zh-hans/catalogue/120101/"

    response, fonds = get_json(client, base + "J0001/collection.json")
    assert response["Content-Type"] == PRESENTATION_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_presentation_3(fonds)
    assert fonds["label"] == {"zh-Hans": ["滨江海关"], "en": ["Binjiang Customs"]}
    assert fonds["items"] == [
        {
            "id": f"{HOST}{base}J0001-001/collection.json",
            "type": "Collection",
            "label": {"zh-Hans": ["文书档案"]},
        }
    ]
    assert f"{HOST}{base}J0001/ead.xml" in [link["id"] for link in fonds["seeAlso"]]
    assert "partOf" not in fonds

    _response, series = get_json(client, base + "J0001-001/collection.json")
    assert_presentation_3(series)
    assert [item["id"] for item in series["items"]] == [
        f"{HOST}{base}J0001-001-0001/collection.json"
    ]
    assert series["partOf"][0]["id"] == f"{HOST}{base}J0001/collection.json"

    # The file lists the item's manifest; an item without images has none.
    ItemFactory(
        parent=digitised.archive.file, reference_code="J0001-001-0001-0002", position=2
    )
    _response, file = get_json(client, base + "J0001-001-0001/collection.json")
    assert_presentation_3(file)
    assert file["items"] == [
        {
            "id": f"{HOST}{ITEM}manifest.json",
            "type": "Manifest",
            "label": {
                "zh-Hans": ["关于码头扩建工程的呈文"],
                "en": ["Petition on the wharf extension works"],
            },
        }
    ]
    # An item has no collection; a file's collection is found from its record.
    assert client.get(ITEM + "collection.json").status_code == 404
    _response, data = get_json(client, ITEM.replace("zh-hans", "en") + "record.json")
    assert data["links"]["iiif_manifest"] == f"{HOST}/en{ITEM[8:]}manifest.json"


@pytest.mark.django_db
def test_a_closed_child_is_absent_from_the_collection_and_its_open_sibling_present(
    client,
    catalogue,
    archive,
):
    closed = ItemFactory(
        parent=archive.file,
        reference_code="J0001-001-0001-0099",
        title="未开放的内部报告",
        access_status=AccessStatus.CLOSED,
        position=99,
    )
    add_pages(archive.item, [(300, 400)])
    add_pages(closed, [(300, 400)])
    closed_url = "/zh-hans/catalogue/120101/J0001-001-0001-0099/"

    response, file = get_json(
        client, "/zh-hans/catalogue/120101/J0001-001-0001/collection.json"
    )
    listed = [item["id"] for item in file["items"]]
    assert listed == [HOST + ITEM + "manifest.json"]
    assert "未开放的内部报告" not in response.content.decode()
    assert client.get(ITEM + "manifest.json").status_code == 200
    assert client.get(ITEM + "iiif/1/info.json").status_code == 200
    for path in ("manifest.json", "iiif/1/info.json", "iiif/1/full/max/0/default.jpg"):
        assert client.get(closed_url + path).status_code == 404, path


@pytest.mark.django_db
def test_a_file_of_many_items_is_listed_in_parts(
    client,
    catalogue,
    archive,
    monkeypatch,
):
    monkeypatch.setattr(presentation, "PER_COLLECTION", 2)
    for n in range(2, 6):
        ItemFactory(
            parent=archive.file, reference_code=f"J0001-001-0001-{n:04d}", position=n
        )
    add_pages(Record.objects.get(reference_code="J0001-001-0001-0003"), [(200, 300)])
    file_url = "/zh-hans/catalogue/120101/J0001-001-0001/"

    _response, whole = get_json(client, file_url + "collection.json")
    assert_presentation_3(whole)
    assert [item["id"] for item in whole["items"]] == [
        f"{HOST}{file_url}collection/{n}.json" for n in (1, 2, 3)
    ]
    assert whole["items"][2]["label"]["en"] == ["J0001-001-0001: records 5–5"]

    _response, second = get_json(client, file_url + "collection/2.json")
    assert_presentation_3(second)
    assert second["partOf"][0]["id"] == f"{HOST}{file_url}collection.json"
    # Items 3 and 4; only item 3 has images.
    assert [item["id"] for item in second["items"]] == [
        f"{HOST}/zh-hans/catalogue/120101/J0001-001-0001-0003/manifest.json"
    ]
    for part in (0, 4, 999999):
        assert client.get(f"{file_url}collection/{part}.json").status_code == 404


# The Image API --------------------------------------------------------------------


def spec_tiles(info):
    """Every tile request the Image API's tiling of info.json implies."""
    width, height = info["width"], info["height"]
    for tiling in info["tiles"]:
        tile_width = tiling["width"]
        tile_height = tiling.get("height", tile_width)
        for factor in tiling["scaleFactors"]:
            step_x, step_y = tile_width * factor, tile_height * factor
            for x in range(0, width, step_x):
                for y in range(0, height, step_y):
                    w, h = min(step_x, width - x), min(step_y, height - y)
                    yield (
                        f"{x},{y},{w},{h}",
                        f"{math.ceil(w / factor)},{math.ceil(h / factor)}",
                    )


@pytest.mark.django_db
def test_info_json_describes_the_tiles_and_every_tile_is_served(
    client, catalogue, digitised
):
    response = client.get(ITEM + "iiif/1/info.json", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    info = json.loads(response.content)
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == HOST + ITEM + "iiif/1"
    assert (info["type"], info["profile"]) == ("ImageService3", "level0")
    assert (info["width"], info["height"]) == PAGE_SIZES[0]
    assert info["tiles"][0]["width"] == tiles.TILE_SIZE
    assert info["sizes"][-1] == {"width": 1100, "height": 1500}

    requests = list(spec_tiles(info))
    assert len(requests) > 6
    for region, size in requests:
        tile = client.get(f"{ITEM}iiif/1/{region}/{size}/0/default.jpg")
        assert tile.status_code == 200, (region, size)
        assert tile["Content-Type"] == "image/jpeg"
        assert tile["Access-Control-Allow-Origin"] == "*"
        assert tile["Cache-Control"] == "no-cache"
        picture_size = Image.open(io.BytesIO(b"".join(tile.streaming_content))).size
        assert picture_size == tuple(int(n) for n in size.split(","))
    for size in info["sizes"]:
        whole = client.get(
            f"{ITEM}iiif/1/full/{size['width']},{size['height']}/0/default.jpg"
        )
        assert whole.status_code == 200, size
    full = client.get(f"{ITEM}iiif/1/full/max/0/default.jpg")
    assert Image.open(io.BytesIO(b"".join(full.streaming_content))).size == (1100, 1500)
    # A page smaller than a tile is one image, by either of its names.
    for spelling in (
        "full/max",
        "full/400,300",
        "0,0,400,300/max",
        "0,0,400,300/400,300",
    ):
        assert client.get(f"{ITEM}iiif/3/{spelling}/0/default.jpg").status_code == 200


@pytest.mark.django_db
def test_info_json_names_the_host_it_was_asked_on(
    client, catalogue, digitised, settings
):
    settings.ALLOWED_HOSTS = ["archives.example.org"]
    response = client.get(
        ITEM.replace("zh-hans", "en") + "iiif/2/info.json",
        HTTP_HOST="archives.example.org",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    info = json.loads(response.content)
    assert info["id"] == "http://archives.example.org/en" + ITEM[8:] + "iiif/2"
    assert (info["width"], info["height"]) == PAGE_SIZES[1]


@pytest.mark.django_db
def test_the_base_uri_of_an_image_service_leads_to_its_info(
    client, catalogue, digitised
):
    response = client.get(ITEM + "iiif/1/")
    assert response.status_code == 303
    assert response["Location"] == ITEM + "iiif/1/info.json"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "iiif/1/full/max/90/default.jpg",
        "iiif/1/full/max/0/gray.jpg",
        "iiif/1/full/max/0/default.png",
        "iiif/1/full/pct:50/0/default.jpg",
        "iiif/1/full/512,/0/default.jpg",
        "iiif/1/full/!512,512/0/default.jpg",
        "iiif/1/full/^max/0/default.jpg",
        "iiif/1/square/max/0/default.jpg",
        "iiif/1/pct:0,0,50,50/max/0/default.jpg",
        "iiif/1/0,0,100,100/100,100/0/default.jpg",
        "iiif/1/99999,0,512,512/512,512/0/default.jpg",
        "iiif/1/0,0,0,0/0,0/0/default.jpg",
        "iiif/1/0,0,512,512/512,512/0/default",
        "iiif/1/0,0,512,512/512,512/0/default.jpg/extra",
        "iiif/9/info.json",
        "iiif/0/info.json",
        "iiif/4/info.json",
        "iiif/abc/info.json",
        "iiif/1/info.xml",
        "iiif/",
        "iiif/1/%2e%2e/%2e%2e/info.json",
        "iiif/1/..%2f..%2f/max/0/default.jpg",
    ],
)
def test_what_a_level_0_server_does_not_have_is_a_404(
    client, catalogue, digitised, path
):
    assert (
        client.get(ITEM + "iiif/1/0,0,512,512/512,512/0/default.jpg").status_code == 200
    )
    # Django adds the slash a path without a known extension lacks (301).
    response = client.get(ITEM + path, follow=True)
    assert response.status_code == 404, path
    if "%2" not in path:  # encoded dots and slashes leave the record's routes
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_files_are_named_by_their_place_and_old_object_urls_are_gone(
    client, catalogue, digitised
):
    html = client.get(ITEM).content.decode()
    assert f'src="{ITEM}files/1/"' in html
    assert f'data-info-url="{ITEM}iiif/1/info.json"' in html
    assert f'href="{ITEM}manifest.json"' in html
    for n, image in enumerate(digitised.images, start=1):
        response = client.get(f"{ITEM}files/{n}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == image.file.open().read()
        assert client.get(f"{ITEM}objects/{image.pk}/").status_code == 404
    assert client.get(f"{ITEM}files/4/")["Content-Type"] == "application/pdf"
    assert client.get(f"{ITEM}files/5/").status_code == 404
    assert client.get(f"{ITEM}files/0/").status_code == 404


# Leaving the public ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_withdrawn_record_takes_its_manifest_and_tiles_with_it(
    client, catalogue, digitised
):
    paths = [
        "manifest.json",
        "iiif/1/info.json",
        "iiif/1/0,0,512,512/512,512/0/default.jpg",
        "iiif/1/full/max/0/default.jpg",
        "files/1/",
    ]
    for path in paths:
        assert client.get(ITEM + path).status_code == 200, path
    file_collection = "/zh-hans/catalogue/120101/J0001-001-0001/collection.json"

    item = digitised.item
    item.withdrawn = True
    item.save()

    for path in paths:
        assert client.get(ITEM + path).status_code == 410, path
    _response, file = get_json(client, file_collection)
    assert file["items"] == []

    # Closing its series hides it as if it never existed.
    item.withdrawn = False
    item.save()
    assert client.get(ITEM + "manifest.json").status_code == 200
    series = digitised.archive.series
    series.access_status = AccessStatus.CLOSED
    series.save()
    for path in [*paths, "../collection.json"]:
        assert client.get(ITEM + path).status_code == 404, path


@pytest.mark.django_db
def test_a_withdrawn_file_takes_its_collection_and_its_place_in_the_series(
    client, catalogue, digitised
):
    base = "/zh-hans/catalogue/120101/"
    file_collection = base + "J0001-001-0001/collection.json"
    _response, series = get_json(client, base + "J0001-001/collection.json")
    assert [item["id"] for item in series["items"]] == [HOST + file_collection]
    assert client.get(file_collection).status_code == 200

    file = digitised.archive.file
    file.withdrawn = True
    file.save()

    assert client.get(file_collection).status_code == 410
    assert client.get(ITEM + "manifest.json").status_code == 410
    # The series still answers (the positive control), without the file.
    _response, series = get_json(client, base + "J0001-001/collection.json")
    assert series["items"] == []
    assert series["label"] == {"zh-Hans": ["文书档案"]}


# Making tiles ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_import_has_the_tiles_made_once_it_has_committed(
    django_capture_on_commit_callbacks,
):
    repository = RepositoryFactory(code="120101")
    bundle = Bundle(BUNDLE)
    with django_capture_on_commit_callbacks(execute=False) as dry_run:
        report = import_records(
            read_csv(BUNDLE / "目录.csv", bundle=bundle),
            repository,
            bundle=bundle,
            dry_run=True,
        )
    assert report.ok and not report.committed
    assert not DigitalObject.objects.exists()
    assert not any(
        getattr(callback, "__qualname__", "").startswith("schedule")
        for callback in dry_run
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = import_records(
            read_csv(BUNDLE / "目录.csv", bundle=bundle), repository, bundle=bundle
        )
        images = list(DigitalObject.objects.filter(kind="image"))
        # Inside the import's transaction nothing is made yet.
        assert len(images) == 2
        assert not any(tiles.read_info(image) for image in images)
    assert report.committed
    for callback in callbacks:
        callback()
    for image in images:
        info = tiles.read_info(image)
        assert (info["width"], info["height"]) == (48, 64)
        assert tiles.is_current(image)


@pytest.mark.django_db
def test_the_command_makes_missing_tiles_once_and_cleans_up_old_ones(archive):
    first, second = add_pages(archive.item, [(700, 900), (500, 600)], tiled=False)
    out = io.StringIO()

    call_command("make_tiles", stdout=out, stderr=io.StringIO())
    assert "tiles made for 2, 0 already up to date" in out.getvalue()
    assert tiles.is_current(first) and tiles.is_current(second)

    out = io.StringIO()
    call_command("make_tiles", stdout=out, stderr=io.StringIO())
    assert "tiles made for 0, 2 already up to date" in out.getvalue()

    # A replaced file is tiled again; a deleted object's tiles are cleaned up.
    first.file = ContentFile(picture(320, 240), name="replaced.png")
    first.save()
    assert not tiles.is_current(first)
    gone = second.pk
    second.delete()
    out = io.StringIO()
    call_command("make_tiles", "--clean", stdout=out, stderr=io.StringIO())
    assert "tiles made for 1, 0 already up to date" in out.getvalue()
    assert "Deleted the tiles of 1 old objects." in out.getvalue()
    first.refresh_from_db()
    assert (tiles.read_info(first)["width"], tiles.read_info(first)["height"]) == (
        320,
        240,
    )
    assert gone not in tiles.tiled_object_ids()
    assert first.pk in tiles.tiled_object_ids()


@pytest.mark.django_db
def test_an_unreadable_image_gets_no_tiles_and_no_error(archive, caplog):
    broken = DigitalObject.objects.create(
        record=archive.item,
        kind="image",
        file=ContentFile(b"\x89PNG\r\n\x1a\n but no more", name="broken.png"),
    )
    assert tiles.make(broken) is False
    assert tiles.read_info(broken) is None
    assert "no tiles for object" in caplog.text
    out = io.StringIO()
    call_command("make_tiles", stdout=out, stderr=io.StringIO())
    assert "1 not readable as images" in out.getvalue()


@pytest.mark.django_db
def test_rotated_and_transparent_scans_are_tiled_upright_in_jpeg(archive):
    rotated = Image.new("RGB", (600, 400), "white")
    exif = rotated.getexif()
    exif[tiles.EXIF_ORIENTATION] = 6  # turned 90°: shown 400 wide, 600 high
    buffer = io.BytesIO()
    rotated.save(buffer, format="JPEG", exif=exif)
    turned = DigitalObject.objects.create(
        record=archive.item,
        kind="image",
        file=ContentFile(buffer.getvalue(), name="turned.jpg"),
    )
    assert tiles.dimensions(turned) == (400, 600)
    assert tiles.make(turned)
    assert (tiles.read_info(turned)["width"], tiles.read_info(turned)["height"]) == (
        400,
        600,
    )

    buffer = io.BytesIO()
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(buffer, format="PNG")
    clear = DigitalObject.objects.create(
        record=archive.item,
        kind="image",
        file=ContentFile(buffer.getvalue(), name="clear.png"),
    )
    assert tiles.make(clear)
    storage = clear.file.storage
    with storage.open(tiles.tile_name(clear.pk, "full", "max")) as handle:
        assert Image.open(handle).mode == "RGB"
