"""The indexes follow the database, and only public records ever reach them."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Record
from search import indexing, schema
from search.documents import CatalogueBuilder, NotPublic
from search.engines.base import EngineUnavailable, SearchRequest
from search.models import PendingUpdate
from tests.factories import FileFactory, FondsFactory, ItemFactory, SeriesFactory


def indexed_record_ids(engine):
    return {
        int(i.removeprefix("r").split("-")[0])
        for i in engine.document_ids(schema.CATALOGUE)
    }


def public_ids():
    return set(Record.objects.public().values_list("pk", flat=True))


def test_the_document_builder_refuses_a_record_that_is_not_public(db):
    closed = FondsFactory(access_status="closed")
    with pytest.raises(NotPublic):
        CatalogueBuilder().documents([closed.pk])


def test_pages_repeat_their_records_facet_fields(indexed_catalogue):
    documents = CatalogueBuilder().documents([indexed_catalogue.customs.pk])
    record, *pages = documents
    assert [page["page"] for page in pages] == [1, 2, 3]
    for page in pages:
        for name in ("record_id", "type", "repository", "fonds", "decade", "digital"):
            assert page[name] == record[name]


def test_editing_a_record_reindexes_it(
    indexed_catalogue, django_capture_on_commit_callbacks
):
    item = indexed_catalogue.tianjin
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "改题后的函件"
        item.save()
    result = indexed_catalogue.engine.search(SearchRequest(query="改题"))
    assert [h.document["record_id"] for h in result.hits] == [item.pk]


def test_closing_a_file_takes_its_whole_subtree_out_of_the_index(
    indexed_catalogue, django_capture_on_commit_callbacks
):
    file = indexed_catalogue.file
    with django_capture_on_commit_callbacks(execute=True):
        file.access_status = "controlled"
        file.save()
    assert indexed_record_ids(indexed_catalogue.engine) == public_ids()
    assert indexed_catalogue.tianjin.pk not in public_ids()
    with django_capture_on_commit_callbacks(execute=True):
        file.access_status = "open"
        file.save()
    assert indexed_catalogue.tianjin.pk in indexed_record_ids(indexed_catalogue.engine)


def test_withdrawing_and_deleting_remove_records(
    indexed_catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        indexed_catalogue.series.withdrawn = True
        indexed_catalogue.series.save()
    assert indexed_record_ids(indexed_catalogue.engine) == {indexed_catalogue.fonds.pk}
    with django_capture_on_commit_callbacks(execute=True):
        indexed_catalogue.series.withdrawn = False
        indexed_catalogue.series.save()
        indexed_catalogue.english.delete()
    assert indexed_record_ids(indexed_catalogue.engine) == public_ids()
    assert indexed_catalogue.english.pk not in indexed_record_ids(
        indexed_catalogue.engine
    )


def test_random_edits_never_leave_a_non_public_record_in_the_index(
    db, search_engine, django_capture_on_commit_callbacks
):
    chance = random.Random(20261121)
    records = []
    for _ in range(2):
        fonds = FondsFactory()
        for _ in range(2):
            series = SeriesFactory(parent=fonds)
            file = FileFactory(parent=series)
            records += [fonds, series, file]
            records += [ItemFactory(parent=file) for _ in range(3)]
    indexing.rebuild(schema.CATALOGUE, search_engine)
    today = datetime.date.today()
    for _ in range(30):
        record = Record.objects.get(pk=chance.choice(records).pk)
        change = chance.choice(["status", "withdrawn", "opening"])
        with django_capture_on_commit_callbacks(execute=True):
            if change == "status":
                record.access_status = chance.choice(["open", "open", "closed"])
            elif change == "withdrawn":
                record.withdrawn = not record.withdrawn
            else:
                record.opening_date = chance.choice(
                    [None, today - datetime.timedelta(days=3), today.replace(year=2099)]
                )
            record.save()
        assert indexed_record_ids(search_engine) == public_ids()


def test_an_engine_that_is_down_loses_no_update(
    indexed_catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    engine = indexed_catalogue.engine

    def down(*args, **kwargs):
        raise EngineUnavailable("connection refused")

    item = indexed_catalogue.tianjin
    with monkeypatch.context() as patch:
        patch.setattr(engine, "add_documents", down)
        patch.setattr(engine, "delete_records", down)
        with django_capture_on_commit_callbacks(execute=True):
            item.access_status = "closed"
            item.save()
        # The editor's save went through; the index still has the record.
        assert Record.objects.get(pk=item.pk).access_status == "closed"
        assert item.pk in indexed_record_ids(engine)
        # The update is kept for replay, and what it was to delete is
        # withheld from searches meanwhile (search.withheld).
        pending = dict(PendingUpdate.objects.values_list("kind", "keys"))
        assert pending == {
            PendingUpdate.Kind.SUBTREES: [item.pk],
            PendingUpdate.Kind.REMOVE_RECORDS: [item.pk],
        }
    with pytest.raises(CommandError):
        call_command("search_index", "check")
    call_command("search_index", "replay")
    assert item.pk not in indexed_record_ids(engine)
    assert PendingUpdate.objects.count() == 0
    call_command("search_index", "check")


def test_check_reports_drift_and_rebuild_repairs_it(indexed_catalogue, capsys):
    Record.objects.filter(pk=indexed_catalogue.customs.pk).update(title="直接改库")
    new = ItemFactory(parent=indexed_catalogue.file)
    with pytest.raises(CommandError):
        call_command("search_index", "check", "--index", "catalogue")
    assert f"r{new.pk}" in capsys.readouterr().out
    call_command("search_index", "rebuild")
    call_command("search_index", "check")
    assert "in step" in capsys.readouterr().out
    hits = indexed_catalogue.engine.search(SearchRequest(query="直接改库")).hits
    assert [h.document["record_id"] for h in hits] == [indexed_catalogue.customs.pk]


def test_a_failed_rebuild_leaves_the_live_index_alone(indexed_catalogue, monkeypatch):
    def broken_batches(*args, **kwargs):
        yield CatalogueBuilder().documents([indexed_catalogue.fonds.pk])
        raise RuntimeError("database went away")

    monkeypatch.setattr(indexing, "catalogue_batches", broken_batches)
    with pytest.raises(RuntimeError):
        indexing.rebuild(schema.CATALOGUE, indexed_catalogue.engine)
    assert indexed_record_ids(indexed_catalogue.engine) == public_ids()


def test_searches_keep_answering_while_a_rebuild_runs(indexed_catalogue, monkeypatch):
    engine = indexed_catalogue.engine
    seen = []
    real = indexing.catalogue_batches

    def watching(*args, **kwargs):
        for batch in real(*args, **kwargs):
            seen.append(engine.search(SearchRequest(query="海关")).total)
            yield batch

    monkeypatch.setattr(indexing, "catalogue_batches", watching)
    indexing.rebuild(schema.CATALOGUE, engine)
    assert seen and all(total == 4 for total in seen)


def test_records_are_indexed_on_their_opening_day(db, search_engine):
    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    fonds = FondsFactory(opening_date=tomorrow, title="明日开放的全宗")
    indexing.rebuild(schema.CATALOGUE, search_engine)
    indexing.index_opened(today=today, engine=search_engine)
    assert indexed_record_ids(search_engine) == set()
    # Nothing was written on the day: the gate opened it.
    assert indexing.index_opened(today=tomorrow, engine=search_engine) == 1
    assert indexed_record_ids(search_engine) == {fonds.pk}
    assert indexing.index_opened(today=tomorrow, engine=search_engine) == 0


def test_an_import_is_indexed_once_committed(
    db, search_engine, django_capture_on_commit_callbacks
):
    from catalogue.importers.base import RecordRow, import_records
    from tests.factories import RepositoryFactory

    repository = RepositoryFactory()
    rows = [
        RecordRow(
            location="row 1",
            reference_code="J0900",
            level="fonds",
            title="新入藏全宗",
            access_words=["开放"],
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_records(rows, repository)
    assert report.committed
    hits = search_engine.search(SearchRequest(query="新入藏")).hits
    assert [h.document["reference_code"] for h in hits] == ["J0900"]
