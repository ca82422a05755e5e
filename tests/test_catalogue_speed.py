# ruff: noqa: F811 — the catalogue's page fixtures are imported, then asked for.
"""What record pages keep between requests to be fast, and that it is never stale.

With the page cache off (as in these tests), a page is rendered every time,
but counts over a large catalogue (the fonds' record counts, a file's 100,000
children) and the menus are kept until public data changes: the publication
generation moves, in every process, with every change that can alter them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.routable_page.models import RoutablePageMixin

from catalogue.models import AccessStatus, Record
from catalogue.signals import announce_import
from tests.factories import ItemFactory, MenuFactory, MenuItemFactory
from tests.test_catalogue_pages import archive, catalogue, url  # noqa: F401

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def children_summary(client, record):
    html = client.get(url(record)).content.decode()
    return html.split('class="children__summary">', 1)[1].split("</p>", 1)[0]


@pytest.fixture
def full_file(archive):
    for n in range(2, 6):
        ItemFactory(
            parent=archive.file, reference_code=f"J0001-001-0001-{n:04d}", position=n
        )
    return archive.file


def test_a_kept_count_of_children_follows_a_closed_child(client, catalogue, full_file):
    assert "共 5 条" in children_summary(client, full_file)
    child = Record.objects.get(reference_code="J0001-001-0001-0003")
    child.access_status = AccessStatus.CLOSED
    child.save()
    assert "共 4 条" in children_summary(client, full_file)


def test_a_kept_count_follows_an_opening_date_moved_later(client, catalogue, full_file):
    assert "共 5 条" in children_summary(client, full_file)
    child = Record.objects.get(reference_code="J0001-001-0001-0004")
    child.opening_date = TOMORROW
    child.save()
    assert "共 4 条" in children_summary(client, full_file)


def test_a_kept_count_follows_an_import(
    client, catalogue, full_file, django_capture_on_commit_callbacks
):
    assert "共 5 条" in children_summary(client, full_file)
    with django_capture_on_commit_callbacks(execute=True):
        Record.objects.filter(reference_code="J0001-001-0001-0005").update(
            access_status=AccessStatus.CLOSED
        )
        Record.objects.refresh_gate(root=full_file)
        announce_import(Record, full_file.repository_id)
    assert "共 4 条" in children_summary(client, full_file)


def test_the_second_visit_counts_nothing(client, catalogue, full_file):
    client.get(url(full_file))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(full_file)).status_code == 200
    assert not [q for q in captured if "COUNT(" in q["sql"].upper()]


def test_the_front_page_counts_follow_a_closed_record(client, catalogue, archive):
    def front():
        return client.get("/zh-hans/catalogue/").content.decode()

    assert "4 条开放档案" in front()
    archive.item.access_status = AccessStatus.CLOSED
    archive.item.save()
    assert "3 条开放档案" in front()


def test_a_kept_menu_follows_an_edit(client, catalogue, archive):
    menu = MenuFactory(purpose="main", locale=catalogue.site.zh)
    link = MenuItemFactory(menu=menu, link_url="/zh-hans/about/", label="关于本馆")
    assert "关于本馆" in client.get(url(archive.item)).content.decode()
    link.label = "本馆简介"
    link.save()
    html = client.get(url(archive.item)).content.decode()
    assert "本馆简介" in html
    assert "关于本馆" not in html


@pytest.mark.parametrize(
    "code",
    ["J0001", "J0001-001-0001-0001", "J0001·001", "J0001.(1)", "J 1", "J%1", "档案-1"],
)
def test_record_paths_are_what_django_would_reverse(catalogue, code):
    record = SimpleNamespace(
        repository=SimpleNamespace(code="120101"), reference_code=code
    )
    reversed_path = RoutablePageMixin.reverse_subpage(
        catalogue.zh, "record", kwargs={"repository": "120101", "reference": code}
    )
    assert catalogue.zh.record_path(record) == reversed_path
