"""The Meilisearch engine against the engine's published API, without a server.

Every request goes to tests.contract.fake, which validates it (and its own
answer) against shared/meilisearch/meilisearch-openapi.json; the last test
checks that every client call in search/engines/meili.py was exercised here.
"""

import copy
import logging

import pytest
import requests
from openapi_core import OpenAPI

from search import schema, service
from search.engines import meili
from search.engines.base import (
    HIGHLIGHT_POST,
    HIGHLIGHT_PRE,
    EngineError,
    EngineUnavailable,
    FacetValue,
    SearchRequest,
)
from search.engines.meili import MeilisearchEngine, filter_expression, quote
from tests.contract import spec, usage
from tests.contract.fake import (
    EXERCISED,
    ContractViolation,
    FakeMeilisearch,
    error_body,
    federated_answer,
    hit,
    read_filter,
    search_result,
)
from tests.factories import ItemFactory

CATALOGUE_UID = "portal_catalogue"
SITE_UID = "portal_site"
PRE, POST = HIGHLIGHT_PRE, HIGHLIGHT_POST


@pytest.fixture
def fake():
    with FakeMeilisearch() as server:
        yield server


@pytest.fixture
def engine(monkeypatch):
    slept = []
    monkeypatch.setattr(meili, "_sleep", slept.append)
    engine = MeilisearchEngine(spec.SERVER, "contract-key", "portal")
    engine.slept = slept
    return engine


def record_document(record_id, **fields):
    document = {
        "id": f"r{record_id}",
        "record_id": record_id,
        "type": "file",
        "title": f"档案 {record_id}",
        "reference_code": f"J0001-001-{record_id:04d}",
        "repository": "120101",
    }
    document.update(fields)
    return document


def page_document(record_id, page, text="第一页的全文"):
    return {
        "id": f"r{record_id}-p{page}",
        "record_id": record_id,
        "page": page,
        "text": text,
    }


# The harness itself -------------------------------------------------------------------


def test_the_document_has_its_three_known_defects_and_the_harness_patches_them():
    raw = copy.deepcopy(spec.raw_document())
    # 1. Strict validation of the document as published fails on LogMode.
    with pytest.raises(Exception, match="Human"):
        OpenAPI.from_dict(raw)
    spec.openapi()  # the patched document loads
    # 2. Facets are a plain list for the engine, an object for the document.
    facets = {"indexUid": "x", "facets": ["fonds"]}
    assert spec.errors({"queries": [facets]}, "FederatedSearch") == []
    # 3. The non-federated answer is allowed, next to the federated one.
    answer = spec.document()["paths"]["/multi-search"]["post"]["responses"]["200"]
    schemas = answer["content"]["application/json"]["schema"]["oneOf"]
    assert {"$ref": "#/components/schemas/SearchResults"} in schemas
    assert spec.errors({"results": [search_result("x")]}, "SearchResults") == []


def test_the_fake_refuses_what_the_document_does_not_allow(fake):
    import meilisearch

    client = meilisearch.Client(spec.SERVER, "contract-key")
    with pytest.raises(ContractViolation, match="hitsPerPages"):
        client.multi_search([{"indexUid": "x", "q": "a", "hitsPerPages": 3}])
    with pytest.raises(ContractViolation, match="rankingRule"):
        client.index("x").update_settings({"rankingRule": ["words"]})
    with pytest.raises(ContractViolation, match="the fake lacks it"):
        client.get_version()
    fake.on_search({"hits": []})  # an answer the document does not allow
    with pytest.raises(ContractViolation, match="answer 200"):
        client.multi_search([{"indexUid": "x"}], {})


# Settings -----------------------------------------------------------------------------


def test_settings_create_the_index_and_are_applied_in_full(fake, engine):
    engine.apply_settings(schema.CATALOGUE)

    assert fake.operations == [
        "GET /indexes/{index_uid}",
        "POST /indexes",
        "GET /tasks/{task_id}",
        "PATCH /indexes/{index_uid}/settings",
        "GET /tasks/{task_id}",
    ]
    assert fake.calls[1].body == {"uid": CATALOGUE_UID, "primaryKey": "id"}
    settings = fake.calls_to("PATCH /indexes/{index_uid}/settings")[0].body
    assert fake.calls_to("PATCH /indexes/{index_uid}/settings")[0].path == (
        f"/indexes/{CATALOGUE_UID}/settings"
    )
    assert settings["searchableAttributes"] == list(schema.SEARCHABLE)
    assert set(settings["filterableAttributes"]) == {"id", *schema.FILTERABLE}
    assert settings["sortableAttributes"] == ["date_sort"]
    assert settings["distinctAttribute"] == "record_id"
    assert settings["rankingRules"][:2] == ["words", "sort"]
    assert settings["typoTolerance"]["disableOnAttributes"] == [
        "reference_code",
        "reference_prefixes",
    ]
    assert settings["typoTolerance"]["disableOnNumbers"] is True
    assert settings["localizedAttributes"] == [
        {"attributePatterns": list(schema.CHINESE_FIELDS), "locales": ["cmn"]},
        {"attributePatterns": list(schema.ENGLISH_FIELDS), "locales": ["eng"]},
    ]
    assert settings["pagination"] == {"maxTotalHits": schema.MAX_RESULTS}
    assert settings["faceting"] == {
        "maxValuesPerFacet": 200,
        "sortFacetValuesBy": {"*": "count"},
    }
    assert fake.indexes[CATALOGUE_UID].primary_key == "id"
    assert fake.indexes[CATALOGUE_UID].settings == settings


def test_the_site_index_has_no_distinct_attribute_and_an_existing_index_is_kept(
    fake, engine
):
    fake.add_index(SITE_UID, [{"id": "page1", "locale": "en"}])
    engine.apply_settings(schema.SITE)

    assert "POST /indexes" not in fake.operations
    settings = fake.calls_to("PATCH /indexes/{index_uid}/settings")[0].body
    # null resets a distinct attribute the index may have had.
    assert settings["distinctAttribute"] is None
    assert fake.indexes[SITE_UID].documents == {
        "page1": {"id": "page1", "locale": "en"}
    }


def test_a_refused_setting_is_an_error_naming_the_task_and_the_reason(
    fake, engine, caplog
):
    fake.add_index(CATALOGUE_UID)
    fake.next_task(fail=("invalid_settings_ranking_rules", "`sort` is not a rule."))
    with caplog.at_level(logging.ERROR), pytest.raises(EngineError) as raised:
        engine.apply_settings(schema.CATALOGUE)
    assert "`sort` is not a rule." in str(raised.value)
    assert "task 0" in str(raised.value)
    assert "`sort` is not a rule." in caplog.text


def test_a_task_still_running_at_its_deadline_is_unavailable_after_backing_off(
    fake, engine, monkeypatch
):
    fake.add_index(CATALOGUE_UID)
    fake.next_task(processing_polls=None)
    clock = iter(range(0, 10_000))
    monkeypatch.setattr(meili.time, "monotonic", lambda: next(clock) * 0.5)
    monkeypatch.setattr(meili, "SETTINGS_TASK_SECONDS", 5)

    with pytest.raises(EngineUnavailable, match="still processing after 5 s"):
        engine.apply_settings(schema.CATALOGUE)
    assert engine.slept[:4] == [0.05, 0.1, 0.2, 0.4]
    assert max(engine.slept) <= meili.POLL_MAX_SECONDS


# Documents ----------------------------------------------------------------------------


def test_documents_go_in_batches_each_awaited(fake, engine, monkeypatch):
    monkeypatch.setattr(meili, "BATCH_DOCUMENTS", 3)
    fake.add_index(CATALOGUE_UID)
    documents = [record_document(n, title=f"天津市档案馆藏 {n}") for n in range(1, 8)]

    assert engine.add_documents(schema.CATALOGUE, iter(documents)) == 7

    additions = fake.calls_to("POST /indexes/{index_uid}/documents")
    assert [len(call.body) for call in additions] == [3, 3, 1]
    assert all(call.query == {"primaryKey": "id"} for call in additions)
    # The index is looked up once; each batch is awaited before the next.
    batch = ["POST /indexes/{index_uid}/documents", "GET /tasks/{task_id}"]
    assert fake.operations == ["GET /indexes/{index_uid}", *batch * 3]
    assert sorted(fake.indexes[CATALOGUE_UID].documents) == [
        f"r{n}" for n in range(1, 8)
    ]
    engine.add_documents(schema.CATALOGUE, documents[:1])
    assert fake.operations.count("GET /indexes/{index_uid}") == 1


def test_documents_for_an_index_not_built_yet_wait_for_its_settings(fake, engine):
    engine.add_documents(
        schema.SITE, [{"id": "page1", "locale": "en", "title_en": "A"}]
    )
    operations = [op for op in fake.operations if op != "GET /tasks/{task_id}"]
    assert operations == [
        "GET /indexes/{index_uid}",
        "POST /indexes",
        "PATCH /indexes/{index_uid}/settings",
        "POST /indexes/{index_uid}/documents",
    ]
    assert fake.indexes[SITE_UID].settings["filterableAttributes"]


def test_a_batch_closes_at_its_byte_budget_and_travels_as_utf8(
    fake, engine, monkeypatch
):
    monkeypatch.setattr(meili, "BATCH_BYTES", 400)
    documents = [page_document(1, n, text="档" * 50) for n in range(1, 6)]
    engine.add_documents(schema.CATALOGUE, documents)

    additions = fake.calls_to("POST /indexes/{index_uid}/documents")
    assert len(additions) > 1
    assert sum(len(call.body) for call in additions) == 5
    sent = [r for r in fake._mock.calls if r.request.url.endswith("primaryKey=id")]
    assert all(len(r.request.body) <= 400 for r in sent)
    assert "档".encode() in sent[0].request.body  # not \\u6863


def test_the_task_wait_grows_with_the_batch():
    small = meili.document_task_seconds(1, 500)
    large = meili.document_task_seconds(10_000, 20 * 1024 * 1024)
    assert small >= 60  # never the client's 5 s
    assert large > 5 * 60


def test_a_failed_batch_stops_the_addition_and_says_why(fake, engine, monkeypatch):
    monkeypatch.setattr(meili, "BATCH_DOCUMENTS", 2)
    fake.add_index(CATALOGUE_UID)
    fake.next_task(fail=("missing_document_id", "Document doesn't have an `id`."))
    with pytest.raises(
        EngineError, match=r"task 0 failed: Document doesn't have an `id`"
    ):
        engine.add_documents(
            schema.CATALOGUE, [record_document(n) for n in range(1, 6)]
        )
    assert len(fake.calls_to("POST /indexes/{index_uid}/documents")) == 1


@pytest.mark.parametrize(
    "error", [requests.ConnectionError("refused"), requests.Timeout("slow")]
)
def test_an_unreachable_engine_is_unavailable_for_writes(fake, engine, error):
    fake.add_index(CATALOGUE_UID)
    fake.fail("POST /indexes/{index_uid}/documents", raises=error)
    with pytest.raises(EngineUnavailable, match="unreachable"):
        engine.add_documents(schema.CATALOGUE, [record_document(1)])


def test_documents_are_deleted_by_id_whatever_the_id(fake, engine, monkeypatch):
    monkeypatch.setattr(meili, "DELETE_BATCH", 2)
    hostile = ['page"1', "page\\2", 'x" OR id = "y']
    fake.add_index(SITE_UID, [{"id": i} for i in [*hostile, "page4"]])

    engine.delete_documents(schema.SITE, hostile)

    deletes = fake.calls_to("POST /indexes/{index_uid}/documents/delete")
    assert len(deletes) == 2
    read = [read_filter(call.body["filter"]) for call in deletes]
    assert read == [("id IN [$, $]", hostile[:2]), ("id IN [$]", hostile[2:])]
    assert list(fake.indexes[SITE_UID].documents) == ["page4"]


def test_records_are_deleted_with_their_pages(fake, engine):
    fake.add_index(
        CATALOGUE_UID,
        [
            record_document(1),
            page_document(1, 1),
            record_document(2),
            page_document(3, 1),
        ],
    )
    engine.delete_records([1, 3])

    (delete,) = fake.calls_to("POST /indexes/{index_uid}/documents/delete")
    assert delete.body == {"filter": "record_id IN [1, 3]"}
    assert list(fake.indexes[CATALOGUE_UID].documents) == ["r2"]


def test_deleting_from_an_index_not_built_yet_is_done(fake, engine):
    engine.delete_records([1])
    engine.delete_documents(schema.SITE, ["page1"])
    engine.delete_documents(schema.SITE, [])
    assert len(fake.calls_to("POST /indexes/{index_uid}/documents/delete")) == 2


def test_document_ids_page_through_the_index(fake, engine, monkeypatch):
    monkeypatch.setattr(meili, "LIST_PAGE", 2)
    fake.add_index(CATALOGUE_UID, [record_document(n) for n in range(1, 6)])

    assert list(engine.document_ids(schema.CATALOGUE)) == [f"r{n}" for n in range(1, 6)]
    fetches = fake.calls_to("POST /indexes/{index_uid}/documents/fetch")
    assert [call.body for call in fetches] == [
        {"fields": ["id"], "limit": 2, "offset": offset} for offset in (0, 2, 4)
    ]
    assert list(engine.document_ids(schema.SITE)) == []  # no index yet


# Rebuild ------------------------------------------------------------------------------


def test_a_rebuild_fills_an_index_aside_then_swaps_it_in(fake, engine):
    fake.add_index(CATALOGUE_UID, [record_document(1, title="旧")])
    with engine.rebuild(schema.CATALOGUE) as writer:
        writer.add_documents([record_document(2), page_document(2, 1)])
        writer.add_documents([record_document(3)])

    assert sorted(fake.indexes) == [CATALOGUE_UID]
    assert sorted(fake.indexes[CATALOGUE_UID].documents) == ["r2", "r2-p1", "r3"]
    assert fake.indexes[CATALOGUE_UID].settings["distinctAttribute"] == "record_id"
    operations = [op for op in fake.operations if op != "GET /tasks/{task_id}"]
    assert operations == [
        "DELETE /indexes/{index_uid}",  # a leftover of a rebuild that died
        "POST /indexes",
        "PATCH /indexes/{index_uid}/settings",
        "POST /indexes/{index_uid}/documents",
        "GET /indexes/{index_uid}",
        "POST /swap-indexes",
        "DELETE /indexes/{index_uid}",
    ]
    aside = f"{CATALOGUE_UID}_rebuild"
    assert fake.calls_to("POST /indexes")[0].body["uid"] == aside
    assert fake.calls_to("POST /swap-indexes")[0].body == [
        {"indexes": [CATALOGUE_UID, aside]}
    ]
    assert fake.calls_to("DELETE /indexes/{index_uid}")[-1].path == f"/indexes/{aside}"


def test_the_first_build_renames_the_index_aside_into_place(fake, engine):
    with engine.rebuild(schema.SITE) as writer:
        writer.add_documents([{"id": "page1", "locale": "zh-hans", "title": "展览"}])

    assert list(fake.indexes) == [SITE_UID]
    assert fake.calls_to("POST /swap-indexes")[0].body == [
        {"indexes": [f"{SITE_UID}_rebuild", SITE_UID], "rename": True}
    ]


def test_a_rebuild_that_fails_leaves_the_live_index_alone(fake, engine):
    fake.add_index(CATALOGUE_UID, [record_document(1)])
    with pytest.raises(RuntimeError), engine.rebuild(schema.CATALOGUE) as writer:
        writer.add_documents([record_document(2)])
        raise RuntimeError("the database went away")

    assert list(fake.indexes) == [CATALOGUE_UID]
    assert list(fake.indexes[CATALOGUE_UID].documents) == ["r1"]
    assert "POST /swap-indexes" not in fake.operations


def test_a_refused_batch_fails_the_rebuild_before_the_swap(fake, engine, monkeypatch):
    monkeypatch.setattr(meili, "BATCH_DOCUMENTS", 1)
    fake.add_index(CATALOGUE_UID, [record_document(1)])
    for _ in range(4):  # delete leftover, create, settings, first batch: fine
        fake.next_task()
    fake.next_task(fail=("invalid_document_id", "Document identifier `é` is invalid."))

    with pytest.raises(EngineError, match="is invalid"):  # noqa: SIM117
        with engine.rebuild(schema.CATALOGUE) as writer:
            writer.add_documents([record_document(n) for n in (2, 3, 4, 5)])

    assert list(fake.indexes) == [CATALOGUE_UID]
    assert list(fake.indexes[CATALOGUE_UID].documents) == ["r1"]
    assert "POST /swap-indexes" not in fake.operations


def test_a_rebuild_keeps_only_a_few_batches_queued(fake, engine, monkeypatch):
    monkeypatch.setattr(meili, "BATCH_DOCUMENTS", 1)
    with engine.rebuild(schema.CATALOGUE) as writer:
        writer.add_documents([record_document(n) for n in range(1, 7)])
    outstanding = most = 0
    for operation in fake.operations:
        if operation == "POST /indexes/{index_uid}/documents":
            outstanding += 1
            most = max(most, outstanding)
        elif operation == "GET /tasks/{task_id}" and outstanding:
            outstanding -= 1
    assert most == meili.REBUILD_PENDING + 1
    assert len(fake.indexes[CATALOGUE_UID].documents) == 6


# Search: the requests -----------------------------------------------------------------


def test_a_search_is_one_federated_request_over_both_indexes(fake, engine):
    request = SearchRequest(
        query="海关 档案",
        filters={"repository": ("120101",), "type": ("file", "item")},
        facets=("repository", "type", "collection"),
        page=2,
        per_page=10,
        language="en",
    )
    engine.search(request)

    (call,) = fake.calls_to("POST /multi-search")
    assert call.variant == "federated"
    catalogue, site = call.body["queries"]
    assert catalogue["indexUid"] == CATALOGUE_UID and site["indexUid"] == SITE_UID
    assert catalogue["q"] == site["q"] == "海关 档案"
    assert catalogue["locales"] == ["cmn"]
    assert catalogue["matchingStrategy"] == "all"
    assert catalogue["filter"] == (
        'repository IN ["120101"] AND type IN ["file", "item"]'
    )
    assert site["filter"] == catalogue["filter"] + ' AND locale = "en"'
    assert catalogue["highlightPreTag"] == PRE and catalogue["highlightPostTag"] == POST
    assert catalogue["attributesToCrop"] == [
        "description",
        "description_en",
        "text",
        "text_en",
    ]
    assert catalogue["cropMarker"] == "…"
    assert "text" not in catalogue["attributesToRetrieve"]
    assert catalogue["federationOptions"] == {"weight": 1.0}
    assert site["federationOptions"]["weight"] < 1.0
    assert not {"page", "hitsPerPage", "limit", "offset", "facets"} & set(catalogue)
    federation = call.body["federation"]
    assert federation["page"] == 2 and federation["hitsPerPage"] == 10
    fields = ["repository", "type", "collections"]
    assert federation["facetsByIndex"] == {CATALOGUE_UID: fields, SITE_UID: fields}
    assert federation["mergeFacets"] == {"maxValuesPerFacet": 200}


@pytest.mark.parametrize(
    ("scope", "indexes"),
    [
        ("catalogue", [CATALOGUE_UID]),
        ("site", [SITE_UID]),
        ("all", [CATALOGUE_UID, SITE_UID]),
    ],
)
def test_the_scope_chooses_the_indexes(fake, engine, scope, indexes):
    engine.search(SearchRequest(query="x", scope=scope))
    (call,) = fake.calls_to("POST /multi-search")
    assert [q["indexUid"] for q in call.body["queries"]] == indexes
    assert "facetsByIndex" not in call.body["federation"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (schema.SORT_RELEVANCE, None),
        (schema.SORT_DATE_ASC, ["date_sort:asc"]),
        (schema.SORT_DATE_DESC, ["date_sort:desc"]),
    ],
)
def test_date_sorts_sort_on_the_start_date(fake, engine, sort, expected):
    engine.search(SearchRequest(sort=sort))
    for query in fake.calls_to("POST /multi-search")[0].body["queries"]:
        assert query.get("sort") == expected


@pytest.mark.parametrize(
    ("fields", "q", "attributes"),
    [
        ({"title": "纺织厂"}, "纺织厂", ["title", "title_en"]),
        ({"creator": "滨江海关"}, "滨江海关", ["creators"]),
        (
            {"title": "计划", "creator": "纺织厂"},
            "计划 纺织厂",
            ["title", "title_en", "creators"],
        ),
        # Next to a general query, fielded words match anywhere.
        ({"query": "1956", "title": "计划"}, "1956 计划", None),
    ],
)
def test_fielded_search_restricts_the_attributes_searched(
    fake, engine, fields, q, attributes
):
    engine.search(SearchRequest(scope="catalogue", **fields))
    (query,) = fake.calls_to("POST /multi-search")[0].body["queries"]
    assert query["q"] == q
    assert query.get("attributesToSearchOn") == attributes


@pytest.mark.parametrize(
    ("text", "locales"),
    [
        ("档案", ["cmn"]),
        ("customs", ["eng"]),
        ("J0001 档案", ["cmn", "eng"]),
        ("1949", None),
        ("", None),
    ],
)
def test_the_query_declares_the_languages_of_its_scripts(fake, engine, text, locales):
    engine.search(SearchRequest(query=text, scope="catalogue"))
    (query,) = fake.calls_to("POST /multi-search")[0].body["queries"]
    assert query.get("locales") == locales


# Filters ------------------------------------------------------------------------------


HOSTILE = [
    'say "hi"',
    "back\\slash",
    "trailing\\",
    '\\"',
    '" OR record_id = 1 OR "',
    '\\\\"\\',
    "'single' \\n not a newline",
    "换行\n和\t制表",
    "AND OR NOT IN [ ] ( )",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_quoted_value_reads_back_as_itself(value):
    skeleton, values = read_filter(f"medium = {quote(value)}")
    assert (skeleton, values) == ("medium = $", [value])


def test_hostile_facet_values_stay_values(fake, engine):
    request = SearchRequest(filters={"medium": tuple(HOSTILE), "fonds": ("12",)})
    skeleton, values = read_filter(filter_expression(request, schema.CATALOGUE))
    assert (
        skeleton == "medium IN [" + ", ".join("$" * len(HOSTILE)) + "] AND fonds IN [$]"
    )
    assert values == [*HOSTILE, "12"]
    engine.search(request)  # and the document accepts the request


def test_a_reference_matches_itself_or_as_a_prefix_at_a_dash():
    request = SearchRequest(reference="J0001-001")
    assert filter_expression(request, schema.CATALOGUE) == (
        '(reference_prefixes = "J0001-001" OR reference_code = "J0001-001")'
    )


def test_within_a_record_means_below_it_or_itself():
    request = SearchRequest(within=42)
    assert filter_expression(request, schema.CATALOGUE) == (
        "(ancestors = 42 OR record_id = 42)"
    )


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (
            {"year_from": 1940, "year_to": 1949},
            "year_end >= 1940 AND year_start <= 1949",
        ),
        ({"year_from": 1940}, "year_end >= 1940"),
        ({"year_to": 1949}, "year_start <= 1949"),
    ],
)
def test_a_year_range_keeps_records_whose_dates_overlap_it(years, expected):
    assert filter_expression(SearchRequest(**years), schema.CATALOGUE) == expected


def test_site_pages_are_searched_in_the_visitors_language():
    assert filter_expression(SearchRequest(language="zh-hans"), schema.SITE) == (
        'locale = "zh-hans"'
    )
    assert filter_expression(SearchRequest(), schema.CATALOGUE) is None


def test_an_unknown_facet_is_refused():
    with pytest.raises(ValueError, match="unknown facet"):
        filter_expression(SearchRequest(filters={"colour": ("red",)}), schema.CATALOGUE)


# Search: the answers ------------------------------------------------------------------


def test_hits_carry_highlighted_titles_snippets_and_the_page(fake, engine):
    record = record_document(
        7, title="滨江海关档案", description="关于码头扩建的呈文", date="1956"
    )
    fake.add_index(CATALOGUE_UID, [record, page_document(9, 3), record_document(9)])
    fake.on_search(
        federated_answer(
            [
                hit(
                    CATALOGUE_UID,
                    record,
                    {
                        **record,
                        "title": f"滨江海关{PRE}档案{POST}",
                        "description": "关于码头扩建的呈文",
                    },
                    score=0.9,
                ),
                hit(
                    CATALOGUE_UID,
                    {"id": "r9-p3", "record_id": 9, "page": 3, "type": "file"},
                    {"id": "r9-p3", "text": f"…第三页 {PRE}档案{POST} 全文…"},
                    score=0.7,
                ),
                hit(
                    SITE_UID,
                    {
                        "id": "page5",
                        "type": "exhibition",
                        "title": "海关展览",
                        "url": "/zh-hans/x/",
                    },
                    {"title": "海关展览", "description": f"介绍{PRE}档案{POST}"},
                    score=0.5,
                ),
            ],
            total=3,
            facets={"type": {"file": 2, "exhibition": 1}},
        )
    )
    result = engine.search(SearchRequest(query="档案", facets=("type",)))

    first, page, exhibition = result.hits
    assert (first.index, first.title, first.page) == (
        "catalogue",
        f"滨江海关{PRE}档案{POST}",
        None,
    )
    assert first.snippet == "关于码头扩建的呈文"
    assert first.document["date"] == "1956" and first.score == 0.9
    # A page hit shows its record, fetched by id, and links to its page.
    assert page.page == 3 and page.document["id"] == "r9"
    assert page.title == "档案 9"
    assert page.snippet == f"…第三页 {PRE}档案{POST} 全文…"
    assert "text" not in page.document
    (fetch,) = fake.calls_to("POST /indexes/{index_uid}/documents/fetch")
    assert fetch.variant == "by ids" and fetch.body["ids"] == ["r9"]
    assert (exhibition.index, exhibition.page) == ("site", None)
    assert exhibition.snippet == f"介绍{PRE}档案{POST}"
    assert result.total == 3 and result.total_is_capped is False
    assert result.facets == {
        "type": [FacetValue("file", 2), FacetValue("exhibition", 1)]
    }


def test_an_english_visitor_sees_the_english_title(fake, engine):
    document = record_document(
        1, title="海关", title_en="Customs", description_en="Quay works"
    )
    fake.on_search(federated_answer([hit(CATALOGUE_UID, document)]))
    (found,) = engine.search(SearchRequest(query="customs", language="en")).hits
    assert found.title == "Customs"
    assert found.snippet == "Quay works"


def test_highlight_marks_pass_through_and_nothing_else_is_added(fake, engine):
    title = f'<b>"R&D"</b> {PRE}Ü{POST}'
    document = record_document(1, title='<b>"R&D"</b> Ü', description="plain start…")
    formatted = {
        **document,
        "title": title,
        "description": "plain start…",
        "text": f"…a {PRE}match{POST}…",
    }
    fake.on_search(federated_answer([hit(CATALOGUE_UID, document, formatted)]))
    (found,) = engine.search(SearchRequest(query="Ü")).hits
    assert found.title == title  # no escaping here: search.highlight does it
    assert found.snippet == f"…a {PRE}match{POST}…"  # the text that matched
    assert "<em>" not in found.title


def test_facet_only_counts_go_together_in_one_plain_multi_search(fake, engine):
    repository = SearchRequest(query="档案", facets=("repository",), per_page=0)
    types = SearchRequest(query="档案", facets=("type",), per_page=0)
    fake.on_search(
        lambda body: {
            "results": [
                search_result(
                    CATALOGUE_UID, 1000, {"repository": {"A": 900, "B": 100}}
                ),
                search_result(SITE_UID, 0, {"repository": {}}),
                search_result(CATALOGUE_UID, 12, {"type": {"file": 10, "fonds": 2}}),
                search_result(SITE_UID, 3, {"type": {"exhibition": 2, "file": 1}}),
            ]
        }
    )
    counted_repositories, counted_types = engine.search_many([repository, types])

    (call,) = fake.calls_to("POST /multi-search")
    assert call.variant == "non-federated"
    assert [q["indexUid"] for q in call.body["queries"]] == [
        CATALOGUE_UID,
        SITE_UID,
    ] * 2
    for query in call.body["queries"]:
        assert query["page"] == 1 and query["hitsPerPage"] == 0
        assert "attributesToHighlight" not in query
    assert counted_repositories.total == 1000 and counted_repositories.total_is_capped
    assert counted_types.facets == {
        "type": [
            FacetValue("file", 11),
            FacetValue("exhibition", 2),
            FacetValue("fonds", 2),
        ]
    }
    assert counted_types.total == 15 and not counted_types.total_is_capped


@pytest.mark.django_db
def test_facets_are_disjunctive_through_the_service(fake, engine):
    # The service reads every hit again through the gate: this one is public.
    record = ItemFactory()
    request = SearchRequest(
        query="档案",
        filters={"repository": ("A",), "type": ("file",)},
        facets=("repository", "type", "decade"),
    )
    fake.on_search(
        federated_answer(
            [hit(CATALOGUE_UID, record_document(record.pk, repository="A"))],
            facets={"decade": {"1950": 1}},
        )
    )
    fake.on_search(
        lambda body: {
            "results": [
                search_result(CATALOGUE_UID, 5, {"repository": {"A": 1, "B": 4}}),
                search_result(SITE_UID, 0, {"repository": {}}),
                search_result(CATALOGUE_UID, 2, {"type": {"fonds": 1, "file": 1}}),
                search_result(SITE_UID, 0, {"type": {}}),
            ]
        }
    )
    outcome = service.run(request, engine=engine)

    main, counts = fake.calls_to("POST /multi-search")
    assert main.body["federation"]["facetsByIndex"][CATALOGUE_UID] == ["decade"]
    filters = [q["filter"] for q in counts.body["queries"]]
    # Each facet is counted without its own selection, with the others'.
    assert filters == [
        'type IN ["file"]',
        'type IN ["file"] AND locale = "zh-hans"',
        'repository IN ["A"]',
        'repository IN ["A"] AND locale = "zh-hans"',
    ]
    assert outcome.facets == {
        "repository": [FacetValue("B", 4), FacetValue("A", 1)],
        "type": [FacetValue("file", 1), FacetValue("fonds", 1)],
        "decade": [FacetValue("1950", 1)],
    }
    assert outcome.total == 1 and not outcome.unavailable


# Errors -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_server_error_makes_search_unavailable_and_the_page_says_so(fake, engine):
    fake.on_search((500, error_body("internal", "Database is locked.", "internal")))
    with pytest.raises(EngineUnavailable, match="Database is locked"):
        engine.search(SearchRequest(query="x"))

    fake.on_search((503, error_body("internal", "Restarting.", "internal")))
    outcome = service.run(SearchRequest(query="x"), engine=engine)
    assert outcome.unavailable and outcome.result is None


def test_a_refused_search_is_our_bug_logged_and_raised(fake, engine, caplog):
    fake.on_search(
        (
            400,
            error_body(
                "invalid_search_filter", "Attribute `colour` is not filterable."
            ),
        )
    )
    with caplog.at_level(logging.ERROR), pytest.raises(EngineError, match="colour"):
        engine.search(SearchRequest(query="x"))
    assert "invalid_search_filter" in caplog.text


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            400,
            error_body(
                "index_not_found",
                "Inside `.queries[0]`: Index `portal_catalogue` not found.",
            ),
        ),
        (
            401,
            error_body(
                "missing_authorization_header",
                "The Authorization header is missing.",
                "auth",
            ),
        ),
        (
            403,
            error_body("invalid_api_key", "The provided API key is invalid.", "auth"),
        ),
        (429, error_body("too_many_search_requests", "Too many requests.", "system")),
    ],
)
def test_an_index_not_built_or_a_wrong_key_is_unavailable(fake, engine, status, body):
    fake.on_search((status, body))
    with pytest.raises(EngineUnavailable):
        engine.search(SearchRequest(query="x"))


@pytest.mark.parametrize(
    "error", [requests.ConnectionError("refused"), requests.Timeout("read timed out")]
)
def test_an_unreachable_engine_is_unavailable_for_searches(fake, engine, error):
    fake.fail("POST /multi-search", raises=error)
    with pytest.raises(EngineUnavailable, match="unreachable"):
        engine.search(SearchRequest(query="x"))


def test_searches_and_health_probes_have_short_timeouts(engine):
    assert engine._health_client.config.timeout == 2
    assert engine._client.config.timeout == meili.SEARCH_TIMEOUT_SECONDS <= 5
    assert engine._write_client.config.timeout > engine._client.config.timeout


def test_health_asks_the_engine_and_never_raises(fake, engine):
    health = engine.health()
    assert (health.engine, health.ok, health.detail) == (
        "meilisearch",
        True,
        "available",
    )
    fake.fail("GET /health", raises=requests.ConnectionError("refused"))
    health = engine.health()
    assert (health.ok, health.detail) == (False, "MeilisearchCommunicationError")


# What a hit carries -------------------------------------------------------------------


@pytest.mark.django_db
def test_hits_carry_every_field_the_document_builders_write(services_page):
    from catalogue.models import PageText
    from search.documents import CatalogueBuilder, site_document
    from tests.factories import FileFactory

    record = FileFactory(
        title_en="Customs",
        creators=["滨江海关"],
        subjects=["码头"],
        scope_and_content="关于码头",
        date_expression="1956年",
    )
    PageText.objects.create(record=record, page_number=1, text="第一页")
    documents = CatalogueBuilder().documents([record.pk])
    documents.append(site_document(services_page))
    assert documents[-1] is not None
    fields = {key for document in documents for key in document}
    assert fields - set(meili.RETRIEVED) - set(schema.DISPLAYED_WITHOUT) == set()


# Coverage: every client call the engine makes was exercised above ---------------------


def test_every_client_call_in_the_engine_has_a_contract_test(request):
    used = usage.client_methods()
    assert not {m for m in used if m.startswith("<")}, (
        "meili.py reaches the client in a way this check cannot follow"
    )
    assert used <= usage.known_client_methods()
    unmapped = used - set(usage.CLIENT_OPERATIONS)
    assert not unmapped, (
        f"add these client methods to tests/contract/usage.py: {unmapped}"
    )
    if not _whole_module_selected(request):
        pytest.skip("run the whole module to check which operations it exercised")
    needed = set().union(*(usage.CLIENT_OPERATIONS[m] for m in used))
    missing = needed - EXERCISED
    assert not missing, f"no contract test sends {sorted(missing)}"


def _whole_module_selected(request) -> bool:
    import inspect

    selected = {
        item.originalname or item.name
        for item in request.session.items
        if item.module is request.module
    }
    defined = {
        name
        for name, value in inspect.getmembers(request.module, inspect.isfunction)
        if name.startswith("test_")
    }
    return defined <= selected


@pytest.mark.parametrize("code", ["0123-2016-D30-BGS-0001", "Z109-WS·2011-Y-0001"])
def test_dat22_codes_go_in_with_their_prefixes_and_are_filtered_by_them(
    fake, engine, code
):
    from search.documents import reference_prefixes

    fake.add_index(CATALOGUE_UID)
    prefixes = reference_prefixes(code)
    document = record_document(1, reference_code=code, reference_prefixes=prefixes)
    assert engine.add_documents(schema.CATALOGUE, [document]) == 1
    assert fake.indexes[CATALOGUE_UID].documents["r1"]["reference_prefixes"] == (
        prefixes
    )
    year = prefixes[1]  # "0123-2016", "Z109-WS·2011": a year of the fonds
    request = SearchRequest(reference=year)

    engine.search(request)

    (call,) = fake.calls_to("POST /multi-search")
    skeleton, values = read_filter(call.body["queries"][0]["filter"])
    assert skeleton == "(reference_prefixes = $ OR reference_code = $)"
    assert values == [year, year]
