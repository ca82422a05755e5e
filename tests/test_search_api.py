"""The JSON search API: parameters, refusals, caps, the gate, and its OpenAPI
description, against the real local engine."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate as validate_spec

from catalogue.models import Record
from search import schema, service
from search.engines.base import EngineUnavailable
from tests.search_fixtures import indexed_catalogue, search_engine  # noqa: F401
from tests.test_catalogue_pages import catalogue  # noqa: F401

SPEC_PATH = Path(__file__).resolve().parents[1] / "docs" / "search-api.openapi.json"


@pytest.fixture(scope="module")
def spec():
    return json.loads(SPEC_PATH.read_text())


@pytest.fixture
def catalogue_pages(catalogue):  # noqa: F811
    """档案查询 / Catalogue: the pages records link to."""
    return catalogue


@pytest.fixture
def searchable(catalogue_pages, indexed_catalogue):  # noqa: F811
    return indexed_catalogue


@pytest.fixture
def api(client, spec):
    """GET /api/search; every answer is checked against the OpenAPI description."""
    openapi = OpenAPI.from_dict(spec)

    def get(params="", status=200):
        response = client.get("/api/search", QUERY_STRING=quote(params, safe="=&+"))
        assert response.status_code == status, response.content.decode()
        assert response["Content-Type"] == "application/json; charset=utf-8"
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request),
            DjangoOpenAPIResponse(response),
        )
        return response.json()

    return get


def codes(answer):
    return [hit.get("reference_code") for hit in answer["hits"]]


# The description ----------------------------------------------------------------------


def test_the_openapi_description_is_valid(spec):
    validate_spec(spec)


def test_the_description_names_every_parameter_the_api_reads(spec):
    from search.forms import SearchForm

    documented = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert documented == set(SearchForm(api=True).fields)


def test_the_description_catches_a_wrong_answer(spec, searchable, client):
    """The response check is not a formality: a changed answer fails it."""
    from openapi_core.contrib.django import DjangoOpenAPIResponse
    from openapi_core.validation.response.exceptions import InvalidData

    response = client.get("/api/search", {"q": "海关"})
    body = response.json()
    body["hits"][0]["record_id"] = "r1"
    response.content = json.dumps(body).encode()
    with pytest.raises(InvalidData):
        OpenAPI.from_dict(spec).validate_response(
            DjangoOpenAPIRequest(response.wsgi_request),
            DjangoOpenAPIResponse(response),
        )


# Answers ------------------------------------------------------------------------------


def test_a_search_answers_hits_facets_and_counts(api, searchable):
    answer = api("q=海关")
    assert answer["total"] == 4
    assert answer["status"] == "共 4 条结果"
    assert answer["query"]["q"] == "海关"
    assert answer["query"]["lang"] == "zh-hans"
    assert answer["pages"] == 1
    facets = {facet["name"]: facet for facet in answer["facets"]}
    # Values that would find nothing are not listed.
    assert {v["value"]: v["count"] for v in facets["type"]["values"]} == {
        "fonds": 1,
        "item": 3,
    }
    assert facets["type"]["label"] == "类型"
    [fonds] = [hit for hit in answer["hits"] if hit["type"] == "fonds"]
    assert fonds["url"] == (
        f"http://testserver/zh-hans/catalogue/{searchable.fonds.repository.code}/J0001/"
    )
    assert fonds["title_html"] == "滨江<mark>海关</mark>"
    assert fonds["breadcrumb"] == []


def test_a_full_text_hit_names_its_page(api, searchable):
    [hit] = api("q=仓库租金")["hits"]
    assert hit["reference_code"] == searchable.customs.reference_code
    assert hit["page"] == 2
    assert hit["page_url"].endswith(f"/{searchable.customs.reference_code}/#page=2")
    assert "<mark>仓库租金</mark>" in hit["snippet_html"]
    assert [c["reference_code"] for c in hit["breadcrumb"]] == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
    ]


def test_english_answers_in_english_with_english_links(api, searchable):
    answer = api("q=往来&lang=en")
    assert answer["status"] == "1 result"
    [hit] = answer["hits"]
    assert hit["type_label"] == "Item"
    assert hit["title_lang"] == "zh-Hans"
    assert "/en/catalogue/" in hit["url"]
    assert hit["date"] == "4 May 1931"


def test_filters_are_or_within_and_across(api, searchable):
    assert len(api("q=海关&type=item")["hits"]) == 3
    assert len(api("q=海关&type=item&type=fonds")["hits"]) == 4
    narrowed = api("q=海关&type=item&decade=1940")
    assert codes(narrowed) == [searchable.customs.reference_code]
    assert {f["param"] for f in narrowed["active_filters"]} == {"type", "decade"}


def test_fielded_search_years_within_and_scope(api, searchable):
    assert len(api("ref=J0001-001-0001")["hits"]) == 5
    years = api("q=海关&from=1920&to=1935")
    assert set(codes(years)) == {
        searchable.tianjin.reference_code,
        searchable.traditional.reference_code,
    }
    file = searchable.file
    within = api(f"q=海关&within={file.repository.code}/{file.reference_code}")
    assert within["query"]["within"] == f"{file.repository.code}/{file.reference_code}"
    assert codes(within)
    assert all(code.startswith(file.reference_code) for code in codes(within))
    assert searchable.fonds.reference_code not in codes(within)
    assert all(hit["kind"] == "page" for hit in api("q=档案&scope=site")["hits"])
    assert all(hit["kind"] == "record" for hit in api("q=档案&scope=catalogue")["hits"])


def test_paging_and_page_size(api, searchable):
    first = api("ref=J0001&per_page=3")
    second = api("ref=J0001&per_page=3&page=2")
    assert first["total"] == second["total"] == 7
    assert first["pages"] == 3
    assert not set(codes(first)) & set(codes(second))
    assert len(api("ref=J0001&per_page=100")["hits"]) == 7


def test_a_page_past_the_last_is_refused_naming_the_last(api, searchable):
    last = api("ref=J0001&per_page=3&page=3")
    assert last["pages"] == 3
    assert len(last["hits"]) == 1  # the seventh of seven
    refused = api("ref=J0001&per_page=3&page=4", status=400)
    assert refused["error"] == "invalid_parameters"
    assert list(refused["errors"]) == ["page"]
    assert refused["message"].startswith("page: ")
    assert refused["last_page"] == 3
    # Nothing found: page 1 is the empty list, any further page is refused.
    assert api("q=海关&decade=1990")["hits"] == []
    assert api("q=海关&decade=1990&page=2", status=400)["last_page"] == 1


def test_the_html_regions_for_the_page_script(api, searchable):
    answer = api("q=海关&html=1")
    html = answer["html"]
    assert set(html) == {"results", "filters", "status", "title"}
    assert html["status"] == "共 4 条结果"
    assert html["title"] == "检索：海关"
    assert '<ol class="hits" start="1">' in html["results"]
    # Links in the regions lead to the page, not to the API.
    assert (
        'href="/zh-hans/search/?q=%E6%B5%B7%E5%85%B3&amp;sort=date_asc"'
        in (html["results"])
    )
    assert 'form="search-form"' in html["filters"]
    assert "html" not in api("q=海关")


def test_nothing_found_suggests_what_would_find_something(api, searchable):
    answer = api("q=海关&decade=1990")
    assert answer["total"] == 0
    assert answer["hits"] == []
    [suggestion] = answer["suggestions"]
    assert suggestion["kind"] == "without_filter"
    assert suggestion["count"] == 4
    assert suggestion["query"] == "q=%E6%B5%B7%E5%85%B3"


def test_answers_may_be_used_by_any_site_and_are_not_kept(client, searchable):
    response = client.get("/api/search", {"q": "海关"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-cache"


# The gate -----------------------------------------------------------------------------


def test_a_record_closed_since_indexing_is_dropped(api, searchable):
    Record.objects.filter(pk=searchable.customs.pk).update(gate_open=False)
    answer = api("q=海关")
    assert searchable.customs.reference_code not in codes(answer)
    assert answer["total"] == 3
    assert api("q=仓库租金")["hits"] == []


def test_records_that_were_never_public_are_never_found(api, searchable):
    assert api("q=密件")["hits"] == []
    assert searchable.closed.reference_code not in codes(api("ref=J0001&per_page=100"))


# Refusals -----------------------------------------------------------------------------


def test_unknown_parameters_are_refused_by_name(api, searchable):
    answer = api("q=海关&foo=1&bar=2", status=400)
    assert answer["error"] == "unknown_parameters"
    assert answer["parameters"] == ["bar", "foo"]
    assert "bar" in answer["message"] and "foo" in answer["message"]
    english = api("q=x&colour=red&lang=en", status=400)
    assert english["message"] == "Unknown parameters: colour."


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("from=19x0", "from"),
        ("to=1950&from=1960", "to"),
        ("per_page=10000", "per_page"),
        ("per_page=0", "per_page"),
        ("page=51", "page"),  # 51 × 20 > 1000
        ("page=11&per_page=100", "page"),
        ("sort=title", "sort"),
        ("lang=fr", "lang"),
        ("scope=world", "scope"),
        ("decade=19x0", "decade"),
        ("type=folder", "type"),
        ("within=abc", "within"),
        ("within=999999", "within"),
        ("within=120101/J9999", "within"),
        ("ref=J0001<b>", "ref"),
        (f"q={'档' * 201}", "q"),
        (f"q={'档' * 3000}", "q"),
        ("q=😀", "q"),
        ("q=%", "q"),
        ("q=^", "q"),
        ("q=-", "q"),
        ("repository=nope", "repository"),
        ("fonds=nope", "fonds"),
        ("fonds=120101/J9999", "fonds"),
        ("collection=999999", "collection"),
    ],
)
def test_malformed_values_are_refused_with_a_message(
    api, searchable, params, parameter
):
    answer = api(params, status=400)
    assert answer["error"] == "invalid_parameters"
    assert list(answer["errors"]) == [parameter]
    assert answer["message"].startswith(f"{parameter}: ")


def test_within_a_closed_record_is_refused_like_a_missing_one(api, searchable):
    closed = searchable.closed
    closed = api(f"within={closed.repository.code}/{closed.reference_code}", status=400)
    missing = api(f"within={searchable.file.repository.code}/J9999", status=400)
    assert closed["message"] == missing["message"]
    assert "密件" not in json.dumps(closed, ensure_ascii=False)


def test_the_depth_cap_follows_the_schema(api, searchable, monkeypatch):
    monkeypatch.setattr(schema, "MAX_RESULTS", 4)
    answer = api("ref=J0001&per_page=2")
    assert answer["total"] == 7
    assert answer["pages"] == 2
    assert answer["max_results"] == 4
    api("ref=J0001&per_page=2&page=3", status=400)


class DownEngine:
    name = "down"

    def search_many(self, requests):
        raise EngineUnavailable("connection refused")


def test_an_unavailable_engine_answers_503(api, catalogue_pages, monkeypatch):
    monkeypatch.setattr(service, "get_engine", DownEngine)
    answer = api("q=海关", status=503)
    assert answer == {"error": "unavailable", "message": "检索暂时无法使用。"}


def test_only_get_and_head(client, searchable):
    assert client.post("/api/search", {"q": "海关"}).status_code == 405
    assert client.head("/api/search?q=海关").status_code == 200


def test_a_filter_value_that_names_nothing_is_refused_as_a_malformed_one(
    api, searchable
):
    """`repository=nope` was accepted (and found nothing) while `fonds=nope`
    was refused: both are 400 now, each naming its parameter."""
    repository = api("q=海关&repository=nope", status=400)
    fonds = api("q=海关&fonds=nope", status=400)
    assert repository["error"] == fonds["error"] == "invalid_parameters"
    assert repository["message"].startswith("repository: ")
    assert fonds["message"].startswith("fonds: ")
    assert repository["message"].removeprefix("repository: ") == fonds[
        "message"
    ].removeprefix("fonds: ")
    # Positive control: the repository that exists filters.
    code = searchable.fonds.repository.code
    assert api(f"q=海关&repository={code}")["total"] == 4


def test_symbols_alone_are_refused_in_the_visitors_language(api, searchable):
    english = api("q=%&lang=en", status=400)
    assert "symbols alone cannot be searched" in english["message"]
    assert list(api("q=^", status=400)["errors"]) == ["q"]
    assert api("q=海关")["total"] == 4
