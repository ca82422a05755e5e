"""The edges of the public JSON (portal/api_edges.py): CORS, preflight, 405
with Allow, HEAD, and the one OpenAPI document real answers validate against."""

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate as validate_spec

from catalogue import fields
from tests.search_fixtures import indexed_catalogue, search_engine  # noqa: F401
from tests.test_catalogue_pages import archive, catalogue, url  # noqa: F401

SPEC_PATH = Path(__file__).resolve().parents[1] / "docs" / "search-api.openapi.json"
ALLOW = "GET, HEAD, OPTIONS"


@pytest.fixture(scope="module")
def spec():
    return json.loads(SPEC_PATH.read_text())


def validate(spec, response):
    """Check a test client's answer against the document, found by its path
    (Django's URL patterns for the catalogue are not OpenAPI's templates)."""
    request = response.wsgi_request
    OpenAPI.from_dict(spec).validate_response(
        MockRequest(
            "http://testserver",
            request.method.lower(),
            request.path,
            args=request.GET,
        ),
        MockResponse(
            response.content,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=response["Content-Type"].split(";")[0],
        ),
    )


def public_paths(archive):  # noqa: F811
    return ["/api/search", "/healthz", url(archive.item, suffix="record.json")]


# CORS and preflight -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_preflight_is_answered_204_with_methods_and_headers(client, archive):  # noqa: F811
    for path in public_paths(archive):
        response = client.options(
            path,
            HTTP_ORIGIN="https://elsewhere.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
        assert response.status_code == 204, path
        assert response.content == b""
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Allow-Methods"] == ALLOW
        assert "Accept-Language" in response["Access-Control-Allow-Headers"]
        assert response["Allow"] == ALLOW
        assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_get_answers_are_open_to_every_site(client, catalogue, archive):  # noqa: F811
    for path in public_paths(archive):
        response = client.get(path, HTTP_ORIGIN="https://elsewhere.example")
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
    # A refusal too: the reader's script can tell why.
    refused = client.get("/api/search", {"nonsense": "1"})
    assert refused.status_code == 400
    assert refused["Access-Control-Allow-Origin"] == "*"
    # The site's pages are not an API: no CORS there.
    page = client.get(url(archive.item))
    assert page.status_code == 200
    assert "Access-Control-Allow-Origin" not in page


# Wrong methods ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_get_405_with_allow_in_json(client, archive, spec, method):  # noqa: F811
    for path in public_paths(archive):
        response = getattr(client, method)(path, data="{}", content_type="text/plain")
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == ALLOW
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        jsonschema.validate(body, spec["components"]["schemas"]["MethodNotAllowed"])
        assert body["error"] == "method_not_allowed"
        assert method.upper() in body["message"]


@pytest.mark.django_db
def test_a_post_to_a_page_is_still_refused_by_csrf(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/zh-hans/search/")
    assert response.status_code == 403  # CSRF's page: not an API URL
    assert response["Content-Type"].startswith("text/html")


# HEAD -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_head_on_the_health_check_is_get_without_a_body(client):
    got = client.get("/healthz")
    head = client.head("/healthz")
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"] == "application/json"
    assert got.json()["status"] == "ok"


# The OpenAPI document ---------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1(spec):
    validate_spec(spec)
    assert spec["openapi"].startswith("3.1")
    assert {"/api/search", "/healthz"} <= set(spec["paths"])


def test_the_record_schema_names_the_public_fields_and_nothing_else(spec):
    schema = spec["components"]["schemas"]["RecordJson"]
    assert schema["additionalProperties"] is False
    extras = {"level", "repository", "url", "ancestors", "digital_objects"}
    assert set(schema["properties"]) == set(fields.PUBLIC) | extras | {
        "citation",
        "links",
    }
    assert "opening_date" not in schema["properties"]
    assert "withdrawal_reason" not in schema["properties"]


@pytest.mark.django_db
def test_record_json_answers_validate_against_the_document(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
    spec,
):
    for record in (archive.fonds, archive.series, archive.file, archive.item):
        for language in ("zh-hans", "en"):
            response = client.get(url(record, language, "record.json"))
            assert response.status_code == 200
            validate(spec, response)


@pytest.mark.django_db
def test_the_document_catches_a_leaking_record_answer(
    client,
    catalogue,  # noqa: F811
    archive,  # noqa: F811
    spec,
):
    from openapi_core.validation.response.exceptions import InvalidData

    response = client.get(url(archive.item, suffix="record.json"))
    body = response.json()
    body["opening_date"] = "2000-01-01"
    response.content = json.dumps(body).encode()
    with pytest.raises(InvalidData):
        validate(spec, response)


@pytest.mark.django_db
def test_search_and_health_answers_validate_against_the_document(
    client,
    catalogue,  # noqa: F811
    indexed_catalogue,  # noqa: F811
    spec,
):
    for params in ({"q": "海关"}, {"q": "码头", "lang": "en"}, {"ref": "J0001-001"}):
        response = client.get("/api/search", params)
        assert response.status_code == 200
        validate(spec, response)
    health = client.get("/healthz")
    assert health.status_code == 200
    validate(spec, health)
