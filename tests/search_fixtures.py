"""Search fixtures: a fresh local index per test, and a small indexed catalogue.

tests/conftest.py loads this module as a plugin: any test may ask for
`search_engine` or `indexed_catalogue`.
"""

import datetime
from dataclasses import dataclass

import pytest

from catalogue.models import PageText, Record
from search import indexing, schema
from search.engines import get_engine
from tests.factories import FileFactory, FondsFactory, ItemFactory, SeriesFactory


@pytest.fixture
def search_engine(settings, tmp_path):
    """The local engine on an empty directory of its own."""
    settings.SEARCH_LOCAL_PATH = tmp_path / "search"
    settings.MEILISEARCH_URL = ""
    get_engine.cache_clear()
    engine = get_engine()
    for index in schema.INDEXES:
        engine.apply_settings(index)
    yield engine
    engine.close()
    get_engine.cache_clear()


@dataclass
class IndexedCatalogue:
    engine: object
    fonds: Record
    series: Record
    file: Record
    tianjin: Record  # "天津市档案馆藏…": the word 档案 inside a longer word
    customs: Record  # an item with three pages of full text
    traditional: Record  # a title in traditional characters
    english: Record
    closed: Record  # not open: must never be found
    closed_child: Record  # open, below a closed file: not public either
    dated: list


def add_pages(record, *texts):
    for number, page_text in enumerate(texts, start=1):
        PageText.objects.create(record=record, page_number=number, text=page_text)


@pytest.fixture
def indexed_catalogue(db, search_engine):
    """A fonds with series, files and items, some of them not public, indexed."""
    fonds = FondsFactory(
        title="滨江海关",
        reference_code="J0001",
        creators=["滨江海关"],
        scope_and_content="滨江海关在1902年至1949年间形成的文书。",
    )
    series = SeriesFactory(parent=fonds, title="关务类", reference_code="J0001-001")
    file = FileFactory(
        parent=series, title="1931年关务文件", reference_code="J0001-001-0001"
    )
    tianjin = ItemFactory(
        parent=file,
        title="天津市档案馆藏滨江海关往来函件",
        reference_code="J0001-001-0001-0001",
        creators=["滨江海关税务司"],
        date_start=datetime.date(1931, 5, 4),
        date_end=datetime.date(1931, 5, 4),
        date_expression="1931年5月4日",
    )
    customs = ItemFactory(
        parent=file,
        title="海关关税收支报告",
        reference_code="J0001-001-0001-0002",
        date_start=datetime.date(1948, 3, 1),
        date_end=datetime.date(1948, 3, 1),
        date_expression="1948年3月1日",
    )
    add_pages(
        customs,
        "第一页：本关本年度收支概况。",
        "第二页：码头仓库租金收入一项，计银五千两。",
        "第三页：附表。",
    )
    traditional = ItemFactory(
        parent=file,
        title="濱江海關檔案目錄",
        reference_code="J0001-001-0001-0003",
        date_start=datetime.date(1921, 1, 1),
        date_expression="1921年",
    )
    english = ItemFactory(
        parent=file,
        title="Customs revenue returns",
        title_en="Customs revenue returns",
        language="eng",
        reference_code="J0001-001-0001-0004",
        date_start=datetime.date(1910, 6, 1),
        date_expression="1910年6月",
    )
    closed = FileFactory(
        parent=series,
        title="密件档案卷",
        reference_code="J0001-001-0002",
        access_status="closed",
    )
    closed_child = ItemFactory(
        parent=closed, title="密件档案之一", reference_code="J0001-001-0002-0001"
    )
    for index in schema.INDEXES:
        indexing.rebuild(index, search_engine)
    return IndexedCatalogue(
        engine=search_engine,
        fonds=fonds,
        series=series,
        file=file,
        tianjin=tianjin,
        customs=customs,
        traditional=traditional,
        english=english,
        closed=closed,
        closed_child=closed_child,
        dated=[english, traditional, tianjin, customs],
    )
