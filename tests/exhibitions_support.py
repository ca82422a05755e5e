"""What the exhibition, collection and chronicle tests share: a bilingual site
with the three index pages, a catalogue page and records on both sides of the
public gate, and small images drawn on the spot."""

import io
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

from catalogue.pages import CatalogueIndexPage
from home.models import ArchiveImage
from tests.factories import (
    ChronicleIndexPageFactory,
    ExhibitionIndexPageFactory,
    FileFactory,
    ItemFactory,
    ThematicCollectionIndexPageFactory,
)


def make_image(title="滨江港", size=(1600, 900), painter=None, **fields):
    picture = Image.new("RGB", size, "#2c3e60")
    if painter is not None:
        painter(ImageDraw.Draw(picture))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG")
    return ArchiveImage.objects.create(
        title=title,
        description=f"{title}的照片",
        file=ImageFile(buffer, name="test.jpg"),
        **fields,
    )


@dataclass
class Curated:
    site: object
    exhibitions: object
    exhibitions_en: object
    collections: object
    collections_en: object
    chronicle: object
    chronicle_en: object
    open_item: object
    second_item: object
    closed_item: object
    withdrawn_item: object


def build_curated(bilingual_site):
    """The three index pages in both languages, a catalogue, and four items: two
    open, one closed, one withdrawn (all in the same open file)."""
    site = bilingual_site
    catalogue = CatalogueIndexPage(title="档案查询", slug="catalogue")
    site.home.add_child(instance=catalogue)
    site.translate(catalogue, title="Catalogue", slug="catalogue")
    exhibitions = ExhibitionIndexPageFactory(parent=site.home)
    collections = ThematicCollectionIndexPageFactory(parent=site.home)
    chronicle = ChronicleIndexPageFactory(parent=site.home)
    file = FileFactory(title="码头扩建工程文件")
    items = [
        ItemFactory(parent=file, title=title, title_en=title_en, **extra)
        for title, title_en, extra in [
            ("关于码头扩建工程的呈文", "Petition on the wharf extension", {}),
            ("码头扩建工程经费预算", "", {}),
            ("未开放的内部报告", "", {"access_status": "closed"}),
            ("已撤回的函件", "", {"withdrawn": True}),
        ]
    ]
    return Curated(
        site,
        exhibitions,
        site.translate(exhibitions, title="Online exhibitions", slug="exhibitions"),
        collections,
        site.translate(collections, title="Thematic collections", slug="collections"),
        chronicle,
        site.translate(chronicle, title="Chronicle", slug="chronicle"),
        *items,
    )
