# ruff: noqa: F811 — the catalogue's page fixtures are imported, then asked for.
"""The page cache: fast for anonymous visitors, and never a record past its publication.

A page is cached under the publication generation, which every process reads
from the database on every request. Each test first proves the page is served
from the cache (X-Page-Cache: hit), then makes a record stop being public the
way an editor, an import or another portal process would, and proves the next
request no longer gets the cached page.
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from catalogue.models import AccessStatus, Record
from catalogue.signals import announce_import
from home.models import ArchiveSettings
from pagecache.models import Generation
from tests.factories import UserFactory
from tests.test_catalogue_pages import archive, catalogue, url  # noqa: F401

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def cached(client, path, **headers):
    """Ask twice; the second answer, which must come from the cache."""
    first = client.get(path, **headers)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(path, **headers)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    return second


# What is kept, and what visitors and shared caches are told ----------------------


def test_a_record_page_is_kept_and_served_again(client, catalogue, archive):
    response = cached(client, url(archive.item))
    assert response.status_code == 200
    assert "关于码头扩建工程的呈文" in response.content.decode()


def test_browsers_and_shared_caches_must_revalidate(client, catalogue, archive):
    response = cached(client, url(archive.file))
    assert "no-cache" in response["Cache-Control"]
    assert response["ETag"]
    again = client.get(url(archive.file), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_head_request_is_answered_from_the_cache_without_a_body(
    client, catalogue, archive
):
    full = cached(client, url(archive.series))
    head = client.head(url(archive.series))
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))


def test_the_front_page_and_a_missing_record_are_kept_too(client, catalogue, archive):
    cached(client, "/zh-hans/catalogue/")
    missing = cached(client, "/zh-hans/catalogue/120101/J9999/")
    assert missing.status_code == 404


def test_exports_files_and_search_are_never_kept(client, catalogue, archive):
    for path in (
        url(archive.item, suffix="record.json"),
        url(archive.item, suffix="dc.xml"),
        "/zh-hans/search/?q=码头",
    ):
        client.get(path)
        response = client.get(path)
        assert "X-Page-Cache" not in response, path


# Requests that are never answered from the cache nor stored ----------------------


def test_an_editors_request_is_never_cached(client, catalogue, archive):
    editor = UserFactory(is_superuser=True)
    client.force_login(editor)
    for _ in range(2):
        response = client.get(url(archive.item))
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
    # Nor did the editor's page (with the user bar) become anyone else's.
    anonymous = Client()
    assert anonymous.get(url(archive.item))["X-Page-Cache"] == "miss"


def test_an_editors_request_gets_the_live_page_not_the_cached_one(
    client, catalogue, archive
):
    cached(client, url(archive.item))
    client.force_login(UserFactory(is_superuser=True))
    assert "X-Page-Cache" not in client.get(url(archive.item))


def test_a_request_with_credentials_is_never_cached(client, catalogue, archive):
    cached(client, url(archive.item))
    response = client.get(url(archive.item), HTTP_AUTHORIZATION="Bearer something")
    assert "X-Page-Cache" not in response


def test_only_get_and_head_are_cached(client, catalogue, archive):
    cached(client, url(archive.item))
    response = client.post(url(archive.item))
    assert "X-Page-Cache" not in response


def test_the_cache_can_be_switched_off(catalogue, archive, settings):
    settings.PAGE_CACHE_ENABLED = False
    client = Client()
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(url(archive.item))


# A record that stops being public is never served from the cache again -----------


def test_a_closed_record_is_not_served_after_it_closed(client, catalogue, archive):
    cached(client, url(archive.item))
    archive.item.access_status = AccessStatus.CLOSED
    archive.item.save()
    assert client.get(url(archive.item)).status_code == 404


def test_a_withdrawn_record_is_not_served_after_its_withdrawal(
    client, catalogue, archive
):
    cached(client, url(archive.item))
    archive.item.withdrawn = True
    archive.item.save()
    assert client.get(url(archive.item)).status_code == 410


def test_closing_the_fonds_closes_every_cached_page_below_it(
    client, catalogue, archive
):
    for record in (archive.series, archive.file, archive.item):
        cached(client, url(record))
    cached(client, "/zh-hans/catalogue/")
    archive.fonds.access_status = AccessStatus.CLOSED
    archive.fonds.save()
    for record in (archive.series, archive.file, archive.item):
        assert client.get(url(record)).status_code == 404
    front = client.get("/zh-hans/catalogue/").content.decode()
    assert "滨江海关" not in front


def test_an_opening_date_moved_later_hides_the_record_at_once(
    client, catalogue, archive
):
    cached(client, url(archive.item))
    archive.item.opening_date = TOMORROW
    archive.item.save()
    assert client.get(url(archive.item)).status_code == 404


def test_a_deleted_record_is_not_served(client, catalogue, archive):
    cached(client, url(archive.item))
    Record.objects.get(pk=archive.item.pk).delete()
    assert client.get(url(archive.item)).status_code == 404


def test_a_closed_child_leaves_its_parents_cached_list(client, catalogue, archive):
    title = "关于码头扩建工程的呈文"
    assert title in cached(client, url(archive.file)).content.decode()
    archive.item.access_status = AccessStatus.CLOSED
    archive.item.save()
    assert title not in client.get(url(archive.file)).content.decode()


def test_an_import_that_closes_records_empties_the_cache(
    client, catalogue, archive, django_capture_on_commit_callbacks
):
    """The importer writes with bulk SQL and announces the import once committed."""
    cached(client, url(archive.item))
    with django_capture_on_commit_callbacks(execute=True):
        Record.objects.filter(pk=archive.item.pk).update(
            access_status=AccessStatus.CLOSED
        )
        Record.objects.refresh_gate(root=archive.item)
        announce_import(Record, archive.repository.pk)
    assert client.get(url(archive.item)).status_code == 404


def test_an_import_moves_the_generation_inside_its_own_transaction(
    client, catalogue, archive
):
    """Another process must never see the import committed and the old
    generation: the bump is written before the import's transaction ends,
    without waiting for the callbacks run after it."""
    cached(client, url(archive.item))
    before = Generation.current()
    Record.objects.filter(pk=archive.item.pk).update(access_status=AccessStatus.CLOSED)
    Record.objects.refresh_gate(root=archive.item)
    announce_import(Record, archive.repository.pk)  # on-commit callbacks never run
    assert Generation.current() != before
    assert client.get(url(archive.item)).status_code == 404


def test_a_change_made_by_another_process_is_seen_through_the_database(
    client, catalogue, archive
):
    """Another portal process closes the record and bumps the generation: this
    process holds nothing in memory that would keep the old page alive."""
    cached(client, url(archive.item))
    with connection.cursor() as cursor:
        # What the other process's save wrote, without any signal in this one.
        cursor.execute(
            "UPDATE catalogue_record SET access_status = %s, gate_open = %s "
            "WHERE id = %s",
            [AccessStatus.CLOSED, False, archive.item.pk],
        )
        cursor.execute(
            "UPDATE pagecache_generation SET value = value + 1, token = %s",
            ["elsewhere"],
        )
    assert client.get(url(archive.item)).status_code == 404


def test_the_generation_moves_in_the_writers_transaction(catalogue, archive):
    """Saved and counted together: no moment shows the change with the old number."""
    before = Generation.current()
    archive.item.access_status = AccessStatus.CLOSED
    archive.item.save()
    assert Generation.current() != before


def test_pages_are_filed_by_day_so_records_open_on_their_date(
    client, catalogue, archive, monkeypatch
):
    archive.item.opening_date = TOMORROW
    archive.item.save()
    assert cached(client, url(archive.item)).status_code == 404
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: TOMORROW
    )
    response = client.get(url(archive.item))
    assert response["X-Page-Cache"] == "miss"
    assert response.status_code == 200


def test_unpublishing_a_page_removes_it_from_the_cache(client, catalogue, archive):
    cached(client, "/zh-hans/catalogue/")
    catalogue.zh.unpublish()
    assert client.get("/zh-hans/catalogue/").status_code == 404


def test_edited_site_settings_show_at_once(client, catalogue, archive):
    cached(client, url(archive.item))
    archive_settings = ArchiveSettings.for_site(catalogue.site.site)
    archive_settings.phone = "0571-12345678"
    archive_settings.save()
    assert "0571-12345678" in client.get(url(archive.item)).content.decode()


def test_an_edited_menu_shows_at_once(client, catalogue, archive):
    from tests.factories import MenuFactory, MenuItemFactory

    cached(client, url(archive.item))
    menu = MenuFactory(purpose="main", locale=catalogue.site.zh)
    MenuItemFactory(menu=menu, link_url="/zh-hans/about/", label="关于本馆")
    assert "关于本馆" in client.get(url(archive.item)).content.decode()
