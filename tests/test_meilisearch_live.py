"""The Meilisearch engine against a real server, when the environment names one.

    MEILISEARCH_URL=http://127.0.0.1:7700 [MEILISEARCH_API_KEY=…] \\
        .venv/bin/pytest tests/test_meilisearch_live.py

tests/environment.py keeps every other test on the local engine and hands
the URL to this module. Each test works in indexes of its own (a random
prefix) and deletes them afterwards. Documents come from the portal's own
builders (search/documents.py), from records made by the factories.
"""

import os
import secrets
from datetime import date

import meilisearch
import pytest

from catalogue.models import PageText
from search import schema, service
from search.documents import CatalogueBuilder, site_document
from search.engines.base import HIGHLIGHT_POST, HIGHLIGHT_PRE, SearchRequest
from search.engines.meili import MeilisearchEngine
from tests.factories import FileFactory, FondsFactory, RepositoryFactory, SeriesFactory

LIVE_URL = os.environ.get("PORTAL_TEST_MEILISEARCH_URL")
API_KEY = os.environ.get("MEILISEARCH_API_KEY") or None

pytestmark = [
    pytest.mark.skipif(
        not LIVE_URL,
        reason="no Meilisearch server: set MEILISEARCH_URL (and MEILISEARCH_API_KEY) "
        "to run the live suite",
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def engine():
    engine = MeilisearchEngine(LIVE_URL, API_KEY, f"portaltest{secrets.token_hex(4)}")
    yield engine
    for index in schema.INDEXES:
        for uid in (engine.uid(index), f"{engine.uid(index)}_rebuild"):
            engine._drop(uid)


@pytest.fixture
def catalogue():
    """A fonds of customs records: one with three pages of full text, one in
    English, one of another decade in another repository."""
    fonds = FondsFactory(title="滨江海关", date_start=date(1930, 1, 1))
    series = SeriesFactory(parent=fonds, title="码头工程")
    quay = FileFactory(
        parent=series,
        title="海关关于码头扩建工程的呈文",
        creators=["滨江海关"],
        date_start=date(1956, 3, 1),
        date_end=date(1956, 12, 31),
    )
    for number, text in enumerate(
        [
            "呈文第一页：码头现状。",
            "第二页：扩建工程预算与仓库。",
            "第三页：仓库图纸说明。",
        ],
        1,
    ):
        PageText.objects.create(record=quay, page_number=number, text=text)
    english = FileFactory(
        parent=series,
        title="Report on the harbour warehouses",
        title_en="Report on the harbour warehouses",
        language="eng",
        date_start=date(1948, 5, 1),
    )
    other = FondsFactory(
        repository=RepositoryFactory(code="120199"),
        title="滨江纺织厂一九五六年生产计划",
        date_start=date(1956, 1, 1),
    )
    return {
        "fonds": fonds,
        "series": series,
        "quay": quay,
        "english": english,
        "other": other,
    }


def load(engine, catalogue):
    engine.apply_settings(schema.CATALOGUE)
    ids = [record.pk for record in catalogue.values()]
    documents = CatalogueBuilder().documents(ids)
    assert engine.add_documents(schema.CATALOGUE, documents) == len(documents)
    return documents


def found(result):
    return [hit.document["record_id"] for hit in result.hits]


def test_the_settings_are_in_force(engine):
    engine.apply_settings(schema.CATALOGUE)
    engine.apply_settings(schema.SITE)
    client = meilisearch.Client(LIVE_URL, API_KEY)
    catalogue = client.index(engine.uid(schema.CATALOGUE)).get_settings()
    site = client.index(engine.uid(schema.SITE)).get_settings()
    assert catalogue["searchableAttributes"] == list(schema.SEARCHABLE)
    assert catalogue["distinctAttribute"] == "record_id"
    assert site["distinctAttribute"] is None
    assert catalogue["pagination"]["maxTotalHits"] == schema.MAX_RESULTS
    assert set(schema.FILTERABLE) <= {
        rule if isinstance(rule, str) else rule["attributePatterns"][0]
        for rule in catalogue["filterableAttributes"]
    }


def test_chinese_finds_a_word_inside_a_longer_one_with_its_page(engine, catalogue):
    load(engine, catalogue)
    quay = catalogue["quay"]

    result = engine.search(SearchRequest(query="仓库", scope="catalogue"))
    assert found(result) == [quay.pk]  # one hit for the record, not one per page
    (hit,) = result.hits
    assert hit.page in (2, 3)
    assert f"{HIGHLIGHT_PRE}仓库{HIGHLIGHT_POST}" in hit.snippet
    assert hit.title == quay.title
    assert result.total == 1

    titled = engine.search(SearchRequest(query="码头扩建", scope="catalogue"))
    assert quay.pk in found(titled)


def test_english_words_are_found_and_typos_forgiven(engine, catalogue):
    load(engine, catalogue)
    english = catalogue["english"].pk
    assert english in found(engine.search(SearchRequest(query="warehouses")))
    assert english in found(engine.search(SearchRequest(query="harbeur warehouses")))
    hit = engine.search(SearchRequest(query="harbour", language="en")).hits[0]
    assert HIGHLIGHT_PRE in hit.title


def test_facets_are_counted_once_per_record_and_combine(engine, catalogue):
    load(engine, catalogue)
    request = SearchRequest(
        query="", scope="catalogue", facets=("type", "repository", "decade")
    )
    outcome = service.run(request, engine=engine)
    counts = {value.value: value.count for value in outcome.facets["type"]}
    # Three page documents of one file count as that one file.
    assert counts == {"fonds": 2, "series": 1, "file": 2}
    assert outcome.total == 5

    narrowed = service.run(
        SearchRequest(
            scope="catalogue",
            filters={"type": ("file",), "decade": ("1950",)},
            facets=("type", "decade"),
        ),
        engine=engine,
    )
    assert found(narrowed.result) == [catalogue["quay"].pk]
    types = {value.value: value.count for value in narrowed.facets["type"]}
    assert types["file"] == 1 and types["fonds"] == 1  # disjunctive within a facet


def test_reference_within_and_years_filter(engine, catalogue):
    load(engine, catalogue)
    fonds, quay = catalogue["fonds"], catalogue["quay"]

    by_prefix = engine.search(
        SearchRequest(reference=fonds.reference_code, scope="catalogue", per_page=50)
    )
    assert catalogue["other"].pk not in found(by_prefix)
    assert quay.pk in found(by_prefix) and fonds.pk in found(by_prefix)

    exact = engine.search(
        SearchRequest(reference=quay.reference_code, scope="catalogue")
    )
    assert found(exact) == [quay.pk]

    within = engine.search(
        SearchRequest(within=catalogue["series"].pk, scope="catalogue")
    )
    assert set(found(within)) == {
        catalogue["series"].pk,
        quay.pk,
        catalogue["english"].pk,
    }

    fifties = engine.search(
        SearchRequest(year_from=1950, year_to=1959, scope="catalogue", per_page=50)
    )
    assert set(found(fifties)) == {quay.pk, catalogue["other"].pk}


def test_dates_sort_both_ways(engine, catalogue):
    load(engine, catalogue)
    request = SearchRequest(scope="catalogue", sort=schema.SORT_DATE_ASC, per_page=50)
    ascending = [hit.document.get("date_sort") for hit in engine.search(request).hits]
    dated = [d for d in ascending if d is not None]
    assert dated == sorted(dated)
    descending = engine.search(
        SearchRequest(scope="catalogue", sort=schema.SORT_DATE_DESC, per_page=50)
    )
    dated = [
        h.document["date_sort"] for h in descending.hits if "date_sort" in h.document
    ]
    assert dated == sorted(dated, reverse=True)


def test_site_pages_are_searched_in_the_visitors_language(
    engine, catalogue, services_page, bilingual_site
):
    load(engine, catalogue)
    engine.apply_settings(schema.SITE)
    english = services_page.get_translation(bilingual_site.en)
    documents = [site_document(services_page), site_document(english)]
    engine.add_documents(schema.SITE, [d for d in documents if d])

    chinese = engine.search(SearchRequest(query="利用服务", language="zh-hans"))
    assert [h.document["id"] for h in chinese.hits if h.index == "site"] == [
        f"page{services_page.pk}"
    ]
    english_hits = engine.search(SearchRequest(query="archives", language="en"))
    assert [h.document["id"] for h in english_hits.hits if h.index == "site"] == [
        f"page{english.pk}"
    ]


def test_a_rebuild_swaps_in_a_new_index_and_deletes_the_old(engine, catalogue):
    load(engine, catalogue)
    quay = catalogue["quay"]
    with engine.rebuild(schema.CATALOGUE) as writer:
        writer.add_documents(CatalogueBuilder().documents([quay.pk]))

    assert set(engine.document_ids(schema.CATALOGUE)) == {
        f"r{quay.pk}",
        *(f"r{quay.pk}-p{n}" for n in (1, 2, 3)),
    }
    client = meilisearch.Client(LIVE_URL, API_KEY)
    uids = {index.uid for index in client.get_indexes({"limit": 1000})["results"]}
    assert f"{engine.uid(schema.CATALOGUE)}_rebuild" not in uids


def test_deleting_a_record_deletes_its_pages(engine, catalogue):
    load(engine, catalogue)
    quay = catalogue["quay"]
    engine.delete_records([quay.pk])
    ids = set(engine.document_ids(schema.CATALOGUE))
    assert not {i for i in ids if i.startswith(f"r{quay.pk}")}
    assert f"r{catalogue['fonds'].pk}" in ids
    engine.delete_documents(schema.CATALOGUE, [f"r{catalogue['fonds'].pk}"])
    assert f"r{catalogue['fonds'].pk}" not in set(engine.document_ids(schema.CATALOGUE))
