"""The record's edit form scales to a city archive and shows the record's files."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from catalogue import wagtail_hooks
from catalogue.models import DigitalObject, PageText, Record
from tests.factories import (
    FileFactory,
    FondsFactory,
    ItemFactory,
    RepositoryFactory,
    SeriesFactory,
    UserFactory,
)

EDIT = "/admin/snippets/catalogue/record/edit/{}/"
MOVE = "/admin/catalogue/records/{}/files/move/"
CHOOSER = "/admin/catalogue_parent_chooser/"


@pytest.fixture
def archivist(client, db):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    return user


def editor_with(*codenames):
    """An editor of the admin holding only the given record permissions."""
    group = Group.objects.create(name=f"editors {' '.join(codenames)}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="catalogue", codename__in=codenames
        ),
    )
    user = UserFactory()
    user.groups.add(group)
    return user


def denied(response):
    """Wagtail's refusal: back to the dashboard, saying why (its
    require_admin_access turns a PermissionDenied into this)."""
    return (
        response.redirect_chain
        and response.redirect_chain[-1][0] == "/admin/"
        and response.status_code == 200
        and any(m.level_tag == "error" for m in response.context["messages"])
    )


def scans(record, count, texts=True):
    """`count` page images of a record, in order, each with its page text
    (paired by page number, as imports leave them)."""
    objects = []
    for number in range(1, count + 1):
        objects.append(
            DigitalObject.objects.create(
                record=record,
                position=number,
                kind=DigitalObject.Kind.IMAGE,
                label=f"第{number}页",
                file=ContentFile(b"\x89PNG\r\n\x1a\n" + bytes(number), name="p.png"),
            )
        )
        if texts:
            PageText.objects.create(
                record=record, page_number=number, text=f"第{number}页的文字"
            )
    return objects


def edit_page(client, record):
    response = client.get(EDIT.format(record.pk))
    assert response.status_code == 200
    return response.content.decode()


# The form -----------------------------------------------------------------------


def test_the_parent_is_a_chooser_whose_page_does_not_grow_with_the_catalogue(
    client, archivist
):
    item = ItemFactory()
    before = len(edit_page(client, item))
    SeriesFactory.create_batch(500, parent=item.parent.parent.parent)
    html = edit_page(client, item)

    assert len(html) - before < 2_000  # 500 more records, not 500 more options
    assert not re.search(r'<select[^>]*name="parent"', html)
    assert 'name="parent"' in html and 'type="hidden"' in html
    assert item.parent.reference_code in html  # the chosen parent, named
    assert "catalogue_parent_chooser" in html
    assert '"linkedFields": {"repository": "#id_repository"}' in html


def test_the_parent_chooser_offers_closed_records_of_the_same_repository_only(
    client, archivist
):
    fonds = FondsFactory(title="滨江海关", access_status="closed")
    other = FondsFactory(
        title="另一馆的全宗", repository=RepositoryFactory(code="999999")
    )
    response = client.get(CHOOSER, {"repository": fonds.repository_id})
    html = response.json()["html"]
    assert response.status_code == 200
    assert fonds.reference_code in html  # closed, yet a parent an editor may need
    assert other.reference_code not in html

    unscoped = client.get(CHOOSER).json()["html"]
    assert fonds.reference_code in unscoped and other.reference_code in unscoped

    searched = client.get(
        f"{CHOOSER}results/", {"repository": fonds.repository_id, "q": "海关"}
    )
    assert searched.status_code == 200
    assert fonds.reference_code in searched.content.decode()


def search_plans(queries):
    """The plans of the chooser's own searches (by code range, by title)."""
    plans = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if '"reference_code" >=' not in sql and "LIKE" not in sql:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A test table is small enough for a sequential scan: forbid it,
                # so the plan says whether an index could serve the query.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans.append(" ".join(str(row) for row in cursor.fetchall()))
    return plans


def test_the_parent_chooser_finds_by_code_range_and_lists_a_bounded_number(
    client, archivist, monkeypatch
):
    fonds = FondsFactory(reference_code="J0001", title="滨江海关")
    series = SeriesFactory(parent=fonds, reference_code="J0001-001", title="文书")
    files = [
        FileFactory(parent=series, reference_code=f"J0001-001-{n:04d}", title="案卷")
        for n in range(1, 6)
    ]
    item = ItemFactory(parent=files[0], reference_code="J0001-001-0001-0001")
    item.title = "海关呈文"
    item.save()
    monkeypatch.setattr(wagtail_hooks, "PARENT_MATCHES", 3)
    results = f"{CHOOSER}results/"
    scope = {"repository": fonds.repository_id}

    with CaptureQueriesContext(connection) as queries:
        response = client.get(results, {**scope, "q": "j0001—001—0"})  # as typed
    assert response.status_code == 200
    listed = set(re.findall(r"J0001-001-\d{4}(?:-\d{4})?", response.content.decode()))
    # Six records begin with the code; the chooser lists the first three.
    assert len(listed) == 3
    plans = search_plans(queries)
    assert plans and all(
        "record_unique_reference_code" in p or "autoindex" in p or "record_level" in p
        for p in plans
    ), plans
    assert not any("Seq Scan" in p or "SCAN catalogue_record" in p for p in plans)

    monkeypatch.setattr(wagtail_hooks, "PARENT_MATCHES", 200)
    by_code = client.get(results, {**scope, "q": "J0001-001-0001-0001"})
    assert by_code.status_code == 200
    assert "J0001-001-0001-0001" in by_code.content.decode()
    # A word of a title finds a fonds or a series, not an item (its code does).
    by_title = client.get(results, {**scope, "q": "海关"}).content.decode()
    assert fonds.reference_code in by_title
    assert item.reference_code not in by_title


@pytest.mark.parametrize("value", ["abc", "-1", "١٢", "1; DROP", ""])
def test_a_strange_repository_in_the_chooser_address_is_ignored(
    client, archivist, value
):
    fonds = FondsFactory()
    response = client.get(CHOOSER, {"repository": value})
    assert response.status_code == 200
    assert fonds.reference_code in response.json()["html"]


def test_titles_are_single_lines_and_dates_are_iso(client, archivist):
    item = ItemFactory(
        date_expression="民国十九年十月十四日",
        date_start=datetime.date(1930, 10, 14),
        date_end=datetime.date(1930, 10, 14),
    )
    html = edit_page(client, item)

    for name in ("title", "title_en", "date_expression"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag and 'type="text"' in tag.group(0), name
        max_length = Record._meta.get_field(name).max_length
        if max_length:
            assert f'maxlength="{max_length}"' in tag.group(0)
    assert not re.search(r'<textarea[^>]*name="title', html)
    assert re.search(r'name="date_start"[^>]*value="1930-10-14"', html) or re.search(
        r'value="1930-10-14"[^>]*name="date_start"', html
    )
    assert "1930/10/14" not in html
    assert "Date as written" in html or "日期" in html


def test_a_saved_form_keeps_the_parent_chosen(client, archivist):
    item = ItemFactory()
    new_parent = FileFactory(parent=item.parent.parent)
    form = {
        "repository": item.repository_id,
        "level": "item",
        "parent": new_parent.pk,
        "reference_code": item.reference_code,
        "position": 0,
        "title": "改过的题名",
        "access_status": "open",
        "date_start": "1930-10-14",
        "creators": "",
        "subjects": "",
        "names": "",
        "places": "",
    }
    response = client.post(EDIT.format(item.pk), form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    item.refresh_from_db()
    assert item.parent_id == new_parent.pk
    assert item.date_start == datetime.date(1930, 10, 14)


# The record's files -------------------------------------------------------------


def test_the_edit_view_lists_the_files_and_page_texts(client, archivist):
    file = FileFactory(access_status="closed")
    scans(file, 3)
    html = edit_page(client, file)

    for number in (1, 2, 3):
        assert f"/admin/catalogue/records/{file.pk}/files/{number}/thumbnail/" in html
        assert f"/admin/catalogue/records/{file.pk}/pages/{number}.txt" in html
        assert f"第{number}页" in html
    assert 'form="record-files-move"' in html
    assert re.search(r'<form id="record-files-move"[^>]*method="post"', html)
    move_form = html.split('<form id="record-files-move"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" in move_form
    # The move form is outside the edit form: forms do not nest.
    assert html.index('id="record-files-move"') < html.index('id="w-editor-form"')


def test_an_editor_sees_the_files_of_a_closed_record(client, archivist):
    file = FileFactory(access_status="closed")
    scans(file, 2)
    image = client.get(f"/admin/catalogue/records/{file.pk}/files/2/")
    assert image.status_code == 200
    assert b"".join(image.streaming_content).endswith(bytes(2))
    thumbnail = client.get(f"/admin/catalogue/records/{file.pk}/files/1/thumbnail/")
    assert thumbnail.status_code == 200
    text = client.get(f"/admin/catalogue/records/{file.pk}/pages/2.txt")
    assert text.status_code == 200 and "第2页的文字" in text.content.decode()
    # A file past the last is not found (LocaleMiddleware first tries the
    # address under a language prefix, which the public site does not know).
    missing = client.get(f"/admin/catalogue/records/{file.pk}/files/3/", follow=True)
    assert missing.status_code == 404


def test_moving_a_file_renumbers_the_files_and_their_texts_and_is_logged(
    client, archivist
):
    file = FileFactory()
    first, second, third = scans(file, 3)

    response = client.post(MOVE.format(file.pk), {"move": "3:up"})
    assert response.status_code == 302
    assert response["Location"] == EDIT.format(file.pk)
    files = file.digital_objects.order_by("position")
    order = list(files.values_list("pk", "position"))
    assert order == [(first.pk, 1), (third.pk, 2), (second.pk, 3)]
    # Each text stays with its scan, numbered as the scan's page now is.
    texts = dict(file.pages.values_list("page_number", "text"))
    assert texts == {1: "第1页的文字", 2: "第3页的文字", 3: "第2页的文字"}
    entry = ModelLogEntry.objects.get(action="catalogue.files_reorder")
    assert entry.object_id == str(file.pk)
    assert entry.data == {"from": 3, "to": 2, "files": 3}
    assert entry.user_id == archivist.pk

    client.post(MOVE.format(file.pk), {"move": "1:to", "place-1": "3"})
    order = list(file.digital_objects.order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, second.pk, first.pk]
    assert file.pages.get(page_number=3).text == "第1页的文字"


def test_a_move_past_either_end_changes_nothing_and_logs_nothing(client, archivist):
    file = FileFactory()
    first, second = scans(file, 2, texts=False)
    client.post(MOVE.format(file.pk), {"move": "1:up"})
    client.post(MOVE.format(file.pk), {"move": "2:to", "place-2": "99"})
    order = list(file.digital_objects.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, second.pk]
    assert not ModelLogEntry.objects.filter(action="catalogue.files_reorder").exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"move": "x:up"}, {"move": "1:sideways"}, {"move": "1:to"}, {"move": "9:up"}],
)
def test_a_bad_move_is_refused_without_an_error_page(client, archivist, data):
    file = FileFactory()
    first, second = scans(file, 2, texts=False)
    response = client.post(MOVE.format(file.pk), data)
    assert response.status_code == 302
    order = list(file.digital_objects.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, second.pk]


def test_a_move_returns_to_the_files_page_it_came_from_and_nowhere_else(
    client, archivist
):
    file = FileFactory()
    scans(file, 2, texts=False)
    files_page = f"/admin/catalogue/records/{file.pk}/files/?p=1"
    response = client.post(MOVE.format(file.pk), {"move": "2:up", "next": files_page})
    assert response["Location"] == files_page
    response = client.post(
        MOVE.format(file.pk), {"move": "2:up", "next": "https://evil.example/"}
    )
    assert response["Location"] == EDIT.format(file.pk)


def test_the_files_page_lists_every_file_a_page_at_a_time(client, archivist):
    file = FileFactory()
    scans(file, 55)
    html = edit_page(client, file)
    assert f"/admin/catalogue/records/{file.pk}/files/" in html  # the whole list
    assert "/files/51/thumbnail/" not in html  # the panel shows the first page

    second = client.get(f"/admin/catalogue/records/{file.pk}/files/", {"p": 2})
    assert second.status_code == 200
    page = second.content.decode()
    assert "/files/55/thumbnail/" in page and "/files/50/thumbnail/" not in page
    strange = client.get(f"/admin/catalogue/records/{file.pk}/files/", {"p": "x"})
    assert strange.status_code == 200


def test_an_editor_without_change_permission_cannot_move_files(client, db):
    file = FileFactory()
    first, second = scans(file, 2, texts=False)
    client.force_login(editor_with("view_record"))

    response = client.post(MOVE.format(file.pk), {"move": "2:up"}, follow=True)
    assert denied(response)
    order = list(file.digital_objects.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, second.pk]
    # They still see the files, without the buttons.
    page = client.get(f"/admin/catalogue/records/{file.pk}/files/")
    assert page.status_code == 200
    assert "/files/1/thumbnail/" in page.content.decode()
    assert 'name="move"' not in page.content.decode()


def test_an_editor_with_change_permission_may_move_files(client, db):
    file = FileFactory()
    first, second = scans(file, 2, texts=False)
    client.force_login(editor_with("change_record"))
    response = client.post(MOVE.format(file.pk), {"move": "2:up"})
    assert response.status_code == 302
    order = list(file.digital_objects.order_by("position").values_list("pk", flat=True))
    assert order == [second.pk, first.pk]


def test_people_without_record_permissions_see_no_files(client, db):
    file = FileFactory(access_status="closed")
    scans(file, 1)
    client.force_login(editor_with())
    for url in (
        f"/admin/catalogue/records/{file.pk}/files/",
        f"/admin/catalogue/records/{file.pk}/files/1/",
        f"/admin/catalogue/records/{file.pk}/files/1/thumbnail/",
        f"/admin/catalogue/records/{file.pk}/pages/1.txt",
    ):
        response = client.get(url, follow=True)
        assert denied(response), url
        assert "第1页的文字" not in response.content.decode()
    # A positive control: an editor who may view records sees them.
    client.force_login(editor_with("view_record"))
    response = client.get(f"/admin/catalogue/records/{file.pk}/pages/1.txt")
    assert response.status_code == 200 and "第1页的文字" in response.content.decode()
    client.logout()
    response = client.get(f"/admin/catalogue/records/{file.pk}/files/1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_moving_files_needs_a_post_with_the_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(is_superuser=True))
    file = FileFactory()
    first, second = scans(file, 2, texts=False)
    assert strict.get(MOVE.format(file.pk), {"move": "2:up"}).status_code == 405
    assert strict.post(MOVE.format(file.pk), {"move": "2:up"}).status_code == 403
    order = list(file.digital_objects.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, second.pk]
