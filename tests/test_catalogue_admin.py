"""Editors browse, edit and withdraw records in Wagtail's admin, with an audit trail."""

import pytest
from wagtail.models import ModelLogEntry

from catalogue.models import Record
from tests.factories import FileFactory, ItemFactory, UserFactory


@pytest.fixture
def archivist(client, db):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    return user


def test_records_are_browsable_by_hierarchy_and_filterable(client, archivist):
    item = ItemFactory(title="关于码头扩建工程的呈文")
    file = item.parent
    listing = "/admin/snippets/catalogue/record/"
    response = client.get(listing, {"parent": file.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "关于码头扩建工程的呈文" in html
    assert file.title not in html.split("<tbody")[1]  # only the contents

    assert (
        client.get(listing, {"level": "item", "access_status": "open"}).status_code
        == 200
    )
    response = client.get(listing, {"q": item.reference_code})
    assert item.reference_code in response.content.decode()


def test_withdrawing_shows_what_will_disappear_and_logs_it(client, archivist):
    file = FileFactory()
    ItemFactory.create_batch(3, parent=file)
    url = f"/admin/catalogue/records/{file.pk}/withdraw/"

    page = client.get(url).content.decode()
    assert "4" in page  # the file and its three items

    response = client.post(url, {"reason": "涉及个人隐私，待复核"})
    assert response.status_code == 302
    assert not Record.objects.subtree(file).public().exists()
    entry = ModelLogEntry.objects.get(action="catalogue.withdraw")
    assert entry.data["records_affected"] == 4
    assert entry.data["reason"] == "涉及个人隐私，待复核"

    client.post(url)  # the same address restores
    assert Record.objects.subtree(file).public().count() == 4
    assert ModelLogEntry.objects.filter(action="catalogue.restore").exists()


def test_a_withdrawal_needs_a_reason(client, archivist):
    file = FileFactory()
    response = client.post(f"/admin/catalogue/records/{file.pk}/withdraw/", {})
    assert response.status_code == 200
    file.refresh_from_db()
    assert not file.withdrawn


def test_bulk_access_status_change_is_logged_per_record(client, archivist):
    items = ItemFactory.create_batch(2)
    url = "/admin/bulk/catalogue/record/set_access_status/"
    query = "&".join(f"id={item.pk}" for item in items)
    response = client.post(f"{url}?{query}", {"access_status": "closed"})
    assert response.status_code == 302
    assert not Record.objects.public().filter(pk__in=[i.pk for i in items]).exists()
    entries = ModelLogEntry.objects.filter(action="catalogue.access_status")
    assert entries.count() == 2
    assert entries.first().data == {"from": "open", "to": "closed", "source": "bulk"}


def test_editors_without_permission_cannot_withdraw(client, db):
    client.force_login(UserFactory())
    file = FileFactory()
    response = client.post(
        f"/admin/catalogue/records/{file.pk}/withdraw/", {"reason": "x"}
    )
    assert response.status_code in (302, 403)
    file.refresh_from_db()
    assert not file.withdrawn


def test_editing_the_access_status_is_logged(client, archivist):
    item = ItemFactory()
    form = {
        "repository": item.repository_id,
        "level": "item",
        "parent": item.parent_id,
        "reference_code": item.reference_code,
        "position": 0,
        "title": item.title,
        "access_status": "controlled",
        "creators": "滨江海关\n滨江市建设局",
        "subjects": "码头；基本建设",
        "names": "",
        "places": "滨江港",
    }
    response = client.post(f"/admin/snippets/catalogue/record/edit/{item.pk}/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    item.refresh_from_db()
    assert item.access_status == "controlled"
    assert item.creators == ["滨江海关", "滨江市建设局"]
    assert item.subjects == ["码头", "基本建设"]
    assert item.names == []
    page = client.get(f"/admin/snippets/catalogue/record/edit/{item.pk}/")
    assert "滨江海关\n滨江市建设局</textarea>" in page.content.decode()
    entry = ModelLogEntry.objects.get(action="catalogue.access_status")
    assert entry.data["from"] == "open" and entry.data["to"] == "controlled"


def test_an_invalid_reference_code_is_refused_with_a_message(client, archivist):
    item = ItemFactory()
    form = {
        "repository": item.repository_id,
        "level": "item",
        "parent": item.parent_id,
        "reference_code": "J0001-<b>",
        "position": 0,
        "title": item.title,
        "access_status": "open",
        "creators": "",
        "subjects": "",
        "names": "",
        "places": "",
    }
    response = client.post(f"/admin/snippets/catalogue/record/edit/{item.pk}/", form)
    assert response.status_code == 200  # the form again, with the error
    item.refresh_from_db()
    assert item.reference_code != "J0001-<b>"
