"""Keeping the indexes in step with the database.

Every update is expressed as "make the index agree with the database for
these records / pages": documents are rebuilt from the public gate, and
whatever is no longer public is deleted. An update the engine cannot take is
recorded as a PendingUpdate and replayed later, so none is lost.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.utils import timezone

from catalogue.models import Record
from exhibitions.records import citations

from . import schema, withheld
from .documents import (
    CatalogueBuilder,
    catalogue_batches,
    indexable_pages,
    site_batches,
    site_document,
    site_document_id,
)
from .engines import get_engine
from .engines.base import EngineError, EngineUnavailable, SearchRequest
from .models import IndexState, PendingUpdate

logger = logging.getLogger(__name__)

BATCH = 1000


def _chunks(items, size=BATCH):
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


# What each kind of update does -------------------------------------------------


def sync_records(
    record_ids: Iterable[int], engine=None, today=None, pages: bool = True
) -> int:
    """Index these records if public, delete them from the index if not.

    The pages whose blocks cite any of them are indexed again afterwards
    (`pages`): a block shows its note only while its record is public, and a
    page's document holds only what the page shows.
    """
    engine = engine or get_engine()
    sent = 0
    builder = CatalogueBuilder(today)
    cited = citations() if pages else {}
    citing = set()
    for chunk in _chunks(record_ids):
        documents, public = builder.documents_for_public(chunk)
        gone = set(chunk) - set(public)
        if gone:
            engine.delete_records(sorted(gone))
        if documents:
            engine.add_documents(schema.CATALOGUE, documents)
        sent += len(public)
        for pk in chunk:
            citing.update(cited.get(pk, ()))
    if citing:
        sync_pages(sorted(citing), engine)
    return sent


def _subtree_ids(roots: Iterable[int]) -> Iterator[int]:
    for root_id in roots:
        root = Record.objects.filter(pk=root_id).only("pk", "path").first()
        if root is None:
            # Deleted: its documents, if any, must go.
            yield root_id
            continue
        ids = Record.objects.subtree(root).order_by("pk").values_list("pk", flat=True)
        yield from ids.iterator(chunk_size=BATCH)


def _repository_ids(repository_ids: Iterable[int]) -> Iterator[int]:
    for repository_id in repository_ids:
        ids = (
            Record.objects.filter(repository_id=repository_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        yield from ids.iterator(chunk_size=BATCH)


def sync_subtrees(roots: Iterable[int], engine=None) -> int:
    return sync_records(_subtree_ids(roots), engine)


def sync_repository(repository_id: int, engine=None) -> int:
    return sync_records(_repository_ids([repository_id]), engine)


def sync_pages(page_ids: Iterable[int], engine=None) -> int:
    """Index these pages if live and public; delete them otherwise."""
    from wagtail.models import Page

    engine = engine or get_engine()
    page_ids = list(page_ids)
    live = {
        page.pk: page
        for page in indexable_pages().filter(pk__in=page_ids)
        if page.pk in set(page_ids)
    }
    documents = [d for d in (site_document(p) for p in live.values()) if d]
    indexed = {int(d["id"].removeprefix("page")) for d in documents}
    gone = [site_document_id(pk) for pk in page_ids if pk not in indexed]
    if gone:
        engine.delete_documents(schema.SITE, gone)
    if documents:
        engine.add_documents(schema.SITE, documents)
    # A collection's membership is a facet of its records.
    collections = [
        page
        for page in Page.objects.filter(pk__in=page_ids).specific()
        if page.specific_class._meta.model_name == "thematiccollectionpage"
    ]
    for page in collections:
        sync_collection(page, engine)
    return len(documents)


def remove_pages(page_ids: Iterable[int], engine=None) -> int:
    page_ids = list(page_ids)
    (engine or get_engine()).delete_documents(
        schema.SITE, [site_document_id(pk) for pk in page_ids]
    )
    return len(page_ids)


def sync_collection(page, engine=None):
    """Records that are, or were, in a collection get their facet updated."""
    engine = engine or get_engine()
    key = str(getattr(page, "collection_key", page.pk))
    now = set(
        page.collection_records.values_list("record_id", flat=True)
        if hasattr(page, "collection_records")
        else []
    )
    before = set()
    request = SearchRequest(
        filters={"collection": (key,)}, scope="catalogue", per_page=100
    )
    while True:
        result = engine.search(request)
        before.update(hit.document["record_id"] for hit in result.hits)
        if len(result.hits) < request.per_page or request.page * 100 >= 1000:
            break
        request = SearchRequest(
            filters={"collection": (key,)},
            scope="catalogue",
            per_page=100,
            page=request.page + 1,
        )
    # The collection's pages are this update's own: not indexed again here.
    sync_records(sorted(now | before), engine, pages=False)


Kind = PendingUpdate.Kind

UPDATES: dict[str, Callable] = {
    Kind.RECORDS: sync_records,
    Kind.SUBTREES: sync_subtrees,
    Kind.REPOSITORY: lambda keys, engine=None: sync_records(
        _repository_ids(keys), engine
    ),
    Kind.PAGES: sync_pages,
    Kind.REMOVE_PAGES: remove_pages,
    # Made to agree with the database rather than deleted blindly: a record
    # that is public again by the time this is replayed stays in the index.
    Kind.REMOVE_RECORDS: sync_records,
}

# The records an update of each kind is about (for withholding on failure).
SCOPES: dict[str, Callable[[list], Iterable[int]]] = {
    Kind.RECORDS: lambda keys: keys,
    Kind.SUBTREES: _subtree_ids,
    Kind.REPOSITORY: _repository_ids,
}

# What a rebuild of each index makes unnecessary.
KINDS_OF = {
    schema.CATALOGUE: (
        Kind.RECORDS,
        Kind.SUBTREES,
        Kind.REPOSITORY,
        *withheld.RECORD_KINDS,
    ),
    schema.SITE: withheld.PAGE_KINDS,
}


def record_failure(kind: str, keys: list, error) -> None:
    """Keep a failed update for replay, and withhold what it was to remove.

    The index still holds whatever the update would have deleted: the records
    of its scope that are not public, and the pages whose blocks cite them.
    Those are withheld from every search (search.withheld) until the replay.
    """
    PendingUpdate.objects.create(kind=kind, keys=list(keys), error=str(error))
    scope = SCOPES.get(kind)
    if scope is not None:
        withheld.withhold_hidden(scope(list(keys)), citations(), str(error))


def apply(kind: str, keys: list, engine=None) -> bool:
    """Run one update; on failure record it for replay. True when it went through."""
    try:
        UPDATES[kind](keys, engine=engine)
    except (EngineUnavailable, EngineError) as error:
        logger.warning("search update %s %s failed: %s", kind, keys[:5], error)
        record_failure(kind, keys, error)
        return False
    replay(limit=20, engine=engine)
    return True


def replay(limit: int | None = None, engine=None) -> tuple[int, int]:
    """Send recorded updates again, oldest first. Returns (done, still failing)."""
    done = failed = 0
    pending = PendingUpdate.objects.order_by("pk")
    if limit is not None:
        pending = pending[:limit]
    for update in list(pending):
        try:
            UPDATES[update.kind](update.keys, engine=engine)
        except (EngineUnavailable, EngineError) as error:
            update.attempts += 1
            update.error = str(error)
            update.save(update_fields=["attempts", "error", "last_tried_at"])
            failed += 1
            # The engine is still down: the rest would fail the same way.
            break
        update.delete()
        done += 1
    return done, failed


# Whole indexes ------------------------------------------------------------------


def rebuild(index: str, engine=None, progress: Callable[[int], None] | None = None):
    """Build `index` aside from the database and swap it in. Returns documents."""
    engine = engine or get_engine()
    started = timezone.now()
    count = 0
    batches = catalogue_batches() if index == schema.CATALOGUE else site_batches()
    with engine.rebuild(index) as writer:
        for documents in batches:
            writer.add_documents(documents)
            count += len(documents)
            if progress:
                # Progress counts records (or pages), not their full-text pages.
                progress(sum(1 for d in documents if "page" not in d))
    # Everything recorded for this index before the rebuild began is now in it.
    PendingUpdate.objects.filter(
        created_at__lt=started, kind__in=KINDS_OF[index]
    ).delete()
    return count


def expected_ids(index: str) -> set[str]:
    ids = set()
    batches = catalogue_batches() if index == schema.CATALOGUE else site_batches()
    for documents in batches:
        ids.update(d["id"] for d in documents)
    return ids


def drift(index: str, engine=None) -> tuple[set[str], set[str]]:
    """(ids missing from the index, ids in the index that should not be)."""
    engine = engine or get_engine()
    expected = expected_ids(index)
    present = set(engine.document_ids(index))
    return expected - present, present - expected


OPENED_STATE = "opened_through"


def index_opened(today=None, engine=None) -> int:
    """Index records whose opening date has come since the last run.

    The gate opens a record on its day without any write, so nothing else
    would tell the index. Run daily (cron, or a scheduled task).
    """
    today = today or timezone.localdate()
    state, _ = IndexState.objects.get_or_create(name=OPENED_STATE)
    since = state.value or None
    records = Record.objects.public(today).filter(gate_opens_on__lte=today)
    if since:
        records = records.filter(gate_opens_on__gt=since)
    ids = list(records.order_by("pk").values_list("pk", flat=True))
    if ids:
        sync_records(ids, engine, today=today)
    state.value = today.isoformat()
    state.save(update_fields=["value"])
    return len(ids)
