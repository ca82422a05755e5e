import json
import socket

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

from search.engines import get_engine


@pytest.fixture(autouse=True)
def fresh_engine():
    get_engine.cache_clear()
    yield
    get_engine.cache_clear()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_reports_a_usable_database_and_local_search_engine(client, search_engine):
    for index in ("catalogue", "site"):
        with search_engine.rebuild(index):
            pass
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["search"] == {"ok": True, "engine": "local"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_an_index_never_built_is_reported_but_not_an_outage(client, settings, tmp_path):
    from search.engines import get_engine

    settings.SEARCH_LOCAL_PATH = tmp_path / "never-built"
    get_engine.cache_clear()
    response = client.get("/healthz")
    get_engine.cache_clear()
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["search"]["ok"] is True
    assert "not built" in body["search"]["detail"]


@pytest.mark.django_db
def test_a_dead_search_engine_makes_the_portal_unavailable(client):
    with override_settings(MEILISEARCH_URL=f"http://127.0.0.1:{closed_port()}"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["search"]["engine"] == "meilisearch"
    assert body["search"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_a_broken_database_makes_the_portal_unavailable(client, monkeypatch):
    from django.db import connection

    def refuse():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"]["ok"] is False


@pytest.mark.django_db
def test_stays_reachable_over_http_when_the_site_redirects_to_https():
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()
        assert client.get("/zh-hans/").status_code == 301
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_answers_only_get(client):
    assert client.post("/healthz").status_code == 405
