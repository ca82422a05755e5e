"""Meilisearch, the production engine (selected by MEILISEARCH_URL).

Two Meilisearch indexes per portal, f"{prefix}_catalogue" and f"{prefix}_site",
with the settings of `index_settings()`; docs/search.md ("Meilisearch") says
why each setting is what it is. A results page is one federated multi-search
(both indexes merged into one ranking); the facet-only counts the service asks
for alongside it go together in one non-federated multi-search.

Every request this module makes is checked against the engine's published
OpenAPI document by tests/test_meilisearch_contract.py. Talk to Meilisearch
only through `self._client`, `self._write_client`, `self._health_client` or
`self._index(uid)`: that test reads this file to find the client methods in
use, and fails when one of them has no contract test.
"""

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import meilisearch
from meilisearch.errors import MeilisearchApiError, MeilisearchError
from requests.exceptions import RequestException

from .. import schema
from .base import (
    HIGHLIGHT_POST,
    HIGHLIGHT_PRE,
    EngineError,
    EngineHealth,
    EngineUnavailable,
    FacetValue,
    Hit,
    IndexWriter,
    SearchEngine,
    SearchRequest,
    SearchResult,
)

logger = logging.getLogger(__name__)
# Waiting between task polls (replaced in tests).
_sleep = time.sleep

# A health probe must answer a load balancer quickly, even when the engine hangs.
HEALTH_TIMEOUT_SECONDS = 2
# A visitor waits for a search: past this the page says the search is unavailable.
SEARCH_TIMEOUT_SECONDS = 5
# Uploading a batch of OCR text over a slow link takes longer than a search.
WRITE_TIMEOUT_SECONDS = 120

# Meilisearch indexes best in large batches (10k–100k documents), but refuses a
# request body over its payload limit (100 MB by default) and OCR pages weigh up
# to ~60 kB each: a batch closes at whichever limit it reaches first.
BATCH_DOCUMENTS = 10_000
BATCH_BYTES = 20 * 1024 * 1024
# Ids or record ids named in one delete-by-filter request.
DELETE_BATCH = 1_000
# Ids read per request when listing an index.
LIST_PAGE = 10_000
# A rebuild keeps this many batches queued in the engine: the next batch is
# read from the database while the engine indexes the previous one, without
# queuing the whole catalogue in the engine's task store.
REBUILD_PENDING = 2

# Writes are tasks the engine runs later. The client waits 5 s by default,
# far too short for a batch of 10k documents; a task still running after its
# time is reported as "unavailable" (it may yet succeed, and replaying the
# write is harmless).
SETTINGS_TASK_SECONDS = 30 * 60  # changing settings re-indexes a full index
INDEX_TASK_SECONDS = 120  # create, delete, swap, delete documents


def document_task_seconds(documents: int, size: int) -> float:
    """How long to wait for a batch: ~100 documents or 100 kB a second at worst."""
    return 60 + documents / 100 + size / 100_000


# Task polling starts fast (small writes finish in milliseconds) and backs off
# to once a second, instead of the client's fixed 50 ms.
POLL_FIRST_SECONDS = 0.05
POLL_MAX_SECONDS = 1.0

# Relevance first; "sort" right after "words" so that a visitor who asks for
# date order gets date order (it is inert when a search does not sort).
# The rest is the engine's default order. Both indexes must share these rules:
# a federated search refuses to merge indexes whose rules disagree.
RANKING_RULES = [
    "words",
    "sort",
    "typo",
    "proximity",
    "attributeRank",
    "wordPosition",
    "exactness",
]
MAX_FACET_VALUES = 200
# 档号 and their prefixes match exactly or not at all.
TYPO_FREE_ATTRIBUTES = ["reference_code", "reference_prefixes"]
# Deleting by id goes through a filter on the primary key (the client's
# delete-by-id form is deprecated), so the engine also filters on "id".
FILTERABLE = ["id", *schema.FILTERABLE]

# Every stored field a hit carries: all but the long text (schema.py). Crop
# and highlight only work on displayed attributes, so the long text stays
# displayed and each search names the fields it wants instead.
RETRIEVED = [
    "id",
    "record_id",
    "page",
    "type",
    "title",
    "title_en",
    "reference_code",
    "reference_prefixes",
    "creators",
    "terms",
    "description",
    "description_en",
    "date",
    "date_sort",
    "year_start",
    "year_end",
    "decade",
    "repository",
    "repository_name",
    "repository_name_en",
    "fonds",
    "ancestors",
    "breadcrumb",
    "medium",
    "digital",
    "language",
    "collections",
    "thumbnail",
    "page_count",
    "locale",
    "url",
]
HIGHLIGHTED = ["title", "title_en", "description", "description_en", "text", "text_en"]
CROPPED = ["description", "description_en", "text", "text_en"]
CROP_WORDS = 40
CROP_MARKER = "…"

# A federated search multiplies each index's ranking scores by its weight.
# Researchers come for records; a page of the site (long editorial text that
# matches many words loosely) should come first only when it matches clearly
# better.
WEIGHTS = {schema.CATALOGUE: 1.0, schema.SITE: 0.9}

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def index_settings(index: str) -> dict:
    """The settings of one index, applied before any document is added."""
    return {
        "searchableAttributes": list(schema.SEARCHABLE),
        "displayedAttributes": ["*"],
        "filterableAttributes": FILTERABLE,
        "sortableAttributes": list(schema.SORTABLE),
        "rankingRules": RANKING_RULES,
        "distinctAttribute": "record_id" if index == schema.CATALOGUE else None,
        "typoTolerance": {
            "enabled": True,
            "disableOnAttributes": TYPO_FREE_ATTRIBUTES,
            # 1949 must not find 1948.
            "disableOnNumbers": True,
        },
        "localizedAttributes": [
            {"attributePatterns": list(schema.CHINESE_FIELDS), "locales": ["cmn"]},
            {"attributePatterns": list(schema.ENGLISH_FIELDS), "locales": ["eng"]},
        ],
        "pagination": {"maxTotalHits": schema.MAX_RESULTS},
        "faceting": {
            "maxValuesPerFacet": MAX_FACET_VALUES,
            "sortFacetValuesBy": {"*": "count"},
        },
        # The portal never searches facet values: save the indexing work.
        "facetSearch": False,
    }


# Filters ------------------------------------------------------------------------


def quote(value) -> str:
    """A string as a Meilisearch filter value, whatever it contains.

    Inside double quotes the engine reads \\" as a quote and \\\\ as a
    backslash (and other backslash escapes), so both are escaped,
    backslashes first.
    """
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def filter_expression(request: SearchRequest, index: str) -> str | None:
    """The filter of `request` on `index`: OR within a facet, AND across."""
    clauses = []
    for name, values in request.filters.items():
        if not values:
            continue
        if name not in schema.FACET_FIELDS:
            raise ValueError(f"unknown facet {name!r}")
        listed = ", ".join(quote(value) for value in values)
        clauses.append(f"{schema.FACET_FIELDS[name]} IN [{listed}]")
    if request.reference:
        code = quote(request.reference)
        clauses.append(f"(reference_prefixes = {code} OR reference_code = {code})")
    if request.within is not None:
        record = int(request.within)
        clauses.append(f"(ancestors = {record} OR record_id = {record})")
    if request.year_from is not None:
        clauses.append(f"year_end >= {int(request.year_from)}")
    if request.year_to is not None:
        clauses.append(f"year_start <= {int(request.year_to)}")
    if index == schema.SITE:
        clauses.append(f"locale = {quote(request.language)}")
        if request.exclude_pages:
            # Site documents are "page<id>"; the primary key is filterable.
            listed = ", ".join(
                quote(f"page{int(pk)}") for pk in sorted(request.exclude_pages)
            )
            clauses.append(f"id NOT IN [{listed}]")
    elif request.exclude_records:
        # On record_id, so that a record's full-text pages go with it.
        listed = ", ".join(str(int(pk)) for pk in sorted(request.exclude_records))
        clauses.append(f"record_id NOT IN [{listed}]")
    return " AND ".join(clauses) or None


def query_text(request: SearchRequest) -> tuple[str, list[str] | None]:
    """The query string and the attributes it is searched on.

    Meilisearch has one query per search: title and creator words restrict
    the attributes searched when they are all there is; next to a general
    query they are added to it and match in any field.
    """
    words = [w for w in (request.query, request.title, request.creator) if w.strip()]
    text = " ".join(word.strip() for word in words)
    if request.query.strip() or not text:
        return text, None
    attributes = []
    if request.title.strip():
        attributes += ["title", "title_en"]
    if request.creator.strip():
        attributes.append("creators")
    return text, attributes


def query_locales(text: str) -> list[str] | None:
    """The languages of the query's scripts: Han is read as Mandarin (segmented
    with jieba, never mistaken for Japanese), Latin as English."""
    locales = []
    if HAN.search(text):
        locales.append("cmn")
    if LATIN.search(text):
        locales.append("eng")
    return locales or None


# The engine ------------------------------------------------------------------------


class TaskFailed(EngineError):
    """A write the engine accepted and then refused."""

    def __init__(self, message: str, code: str | None):
        super().__init__(message)
        self.code = code


class MeilisearchEngine(SearchEngine):
    name = "meilisearch"

    def __init__(self, url: str, api_key: str | None, index_prefix: str):
        self.url = url
        self.index_prefix = index_prefix
        self._health_client = meilisearch.Client(
            url, api_key, timeout=HEALTH_TIMEOUT_SECONDS
        )
        self._client = meilisearch.Client(url, api_key, timeout=SEARCH_TIMEOUT_SECONDS)
        self._write_client = meilisearch.Client(
            url, api_key, timeout=WRITE_TIMEOUT_SECONDS
        )
        # Indexes known to exist with their settings, in this process.
        self._ready: set[str] = set()

    # Names and plumbing ---------------------------------------------------------

    def uid(self, index: str) -> str:
        if index not in schema.INDEXES:
            raise ValueError(f"unknown index {index!r}")
        return f"{self.index_prefix}_{index}"

    def _index(self, uid: str, write: bool = False):
        if write:
            return self._write_client.index(uid)
        return self._client.index(uid)

    @contextmanager
    def _errors(self, what: str):
        """Engine errors as the portal's: unavailable, or refused (our bug)."""
        try:
            yield
        except MeilisearchApiError as error:
            raise self._refused(what, error) from error
        except (MeilisearchError, RequestException, OSError) as error:
            raise EngineUnavailable(
                f"{what}: Meilisearch unreachable ({type(error).__name__})"
            ) from error

    def _refused(self, what: str, error: MeilisearchApiError) -> Exception:
        status, code = error.status_code, error.code
        message = f"{what}: {error.message} ({code or status})"
        if status >= 500 or status == 429:
            logger.warning("Meilisearch failed %s", message)
            return EngineUnavailable(message)
        if status in (401, 403) or error.type == "auth":
            logger.error("Meilisearch refused the API key: %s", message)
            return EngineUnavailable(message)
        if code == "index_not_found":
            # Not built yet: the public is told search is unavailable.
            logger.warning("Meilisearch has no such index: %s", message)
            return EngineUnavailable(message)
        # Any other refusal is a request this module got wrong.
        logger.error("Meilisearch refused %s", message)
        return EngineError(message)

    def _wait(self, task_info, seconds: float, what: str):
        """Wait for a task; raise TaskFailed when the engine refused it."""
        uid = task_info.task_uid
        deadline = time.monotonic() + seconds
        delay = POLL_FIRST_SECONDS
        while True:
            with self._errors(what):
                task = self._client.get_task(uid)
            if task.status == "succeeded":
                return task
            if task.status in ("failed", "canceled"):
                error = task.error or {}
                code = error.get("code")
                message = error.get("message") or task.status
                if code != "index_not_found":
                    logger.error("Meilisearch task %s failed: %s", uid, message)
                raise TaskFailed(
                    f"{what}: task {uid} {task.status}: {message} ({code})", code
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineUnavailable(
                    f"{what}: task {uid} still {task.status} after {seconds:.0f} s"
                )
            _sleep(min(delay, remaining))
            delay = min(delay * 2, POLL_MAX_SECONDS)

    # Health ----------------------------------------------------------------------

    def health(self) -> EngineHealth:
        try:
            answer = self._health_client.health()
        except (MeilisearchError, RequestException, OSError) as error:
            return EngineHealth(self.name, False, type(error).__name__)
        status = answer.get("status") if isinstance(answer, dict) else None
        return EngineHealth(self.name, status == "available", str(status or ""))

    # Indexes and settings -------------------------------------------------------

    def apply_settings(self, index: str) -> None:
        uid = self.uid(index)
        if not self._exists(uid):
            self._create(uid)
        self._apply_settings(uid, index)

    def _exists(self, uid: str) -> bool:
        with self._errors(f"look up index {uid}"):
            try:
                self._client.get_raw_index(uid)
            except MeilisearchApiError as error:
                if error.code == "index_not_found":
                    return False
                raise
        return True

    def _create(self, uid: str) -> None:
        what = f"create index {uid}"
        with self._errors(what):
            task = self._client.create_index(uid, {"primaryKey": "id"})
        try:
            self._wait(task, INDEX_TASK_SECONDS, what)
        except TaskFailed as error:
            if error.code != "index_already_exists":
                raise

    def _drop(self, uid: str) -> None:
        """Delete an index; one that is not there is already deleted."""
        what = f"delete index {uid}"
        with self._errors(what):
            try:
                task = self._client.delete_index(uid)
            except MeilisearchApiError as error:
                if error.code == "index_not_found":
                    return
                raise
        try:
            self._wait(task, INDEX_TASK_SECONDS, what)
        except TaskFailed as error:
            if error.code != "index_not_found":
                raise

    def _apply_settings(self, uid: str, index: str) -> None:
        what = f"settings of {uid}"
        with self._errors(what):
            task = self._index(uid).update_settings(index_settings(index))
        self._wait(task, SETTINGS_TASK_SECONDS, what)

    # Documents -----------------------------------------------------------------

    def add_documents(self, index: str, documents: Iterable[dict]) -> int:
        uid = self.uid(index)
        if uid not in self._ready:
            # Documents sent to a missing index would create it with the
            # engine's default settings (no distinct, nothing filterable).
            if not self._exists(uid):
                self._create(uid)
                self._apply_settings(uid, index)
            self._ready.add(uid)
        batcher = _Batcher()
        count = 0
        for document in documents:
            batch = batcher.add(document)
            if batch:
                count += self._wait_batch(self._send(uid, batch))
        batch = batcher.take()
        if batch:
            count += self._wait_batch(self._send(uid, batch))
        return count

    def _send(self, uid: str, batch: "_Payload"):
        what = f"add {batch.count} documents to {uid}"
        with self._errors(what):
            task = self._index(uid, write=True).add_documents_raw(
                batch.body, primary_key="id", content_type="application/json"
            )
        return task, batch, what

    def _wait_batch(self, sent) -> int:
        task, batch, what = sent
        self._wait(task, document_task_seconds(batch.count, len(batch.body)), what)
        return batch.count

    def delete_documents(self, index: str, ids: Iterable[str]) -> None:
        uid = self.uid(index)
        for chunk in _chunks([str(i) for i in ids], DELETE_BATCH):
            listed = ", ".join(quote(i) for i in chunk)
            self._delete_where(
                uid, f"id IN [{listed}]", f"delete {len(chunk)} documents"
            )

    def delete_records(self, record_ids: Iterable[int]) -> None:
        uid = self.uid(schema.CATALOGUE)
        for chunk in _chunks([int(i) for i in record_ids], DELETE_BATCH):
            listed = ", ".join(str(i) for i in chunk)
            self._delete_where(
                uid, f"record_id IN [{listed}]", f"delete {len(chunk)} records"
            )

    def _delete_where(self, uid: str, expression: str, what: str) -> None:
        what = f"{what} from {uid}"
        with self._errors(what):
            task = self._index(uid, write=True).delete_documents(filter=expression)
        try:
            self._wait(task, INDEX_TASK_SECONDS, what)
        except TaskFailed as error:
            # No index, nothing to delete.
            if error.code != "index_not_found":
                raise

    def document_ids(self, index: str) -> Iterator[str]:
        uid = self.uid(index)
        offset = 0
        while True:
            parameters = {"fields": ["id"], "limit": LIST_PAGE, "offset": offset}
            with self._errors(f"list documents of {uid}"):
                try:
                    page = self._index(uid).get_documents(parameters)
                except MeilisearchApiError as error:
                    # No index: no documents.
                    if error.code == "index_not_found":
                        return
                    raise
            for document in page.results:
                yield str(dict(document)["id"])
            offset += len(page.results)
            if not page.results or offset >= page.total:
                return

    @contextmanager
    def rebuild(self, index: str):
        live = self.uid(index)
        aside = f"{live}_rebuild"
        # What a rebuild that died half-way left behind.
        self._drop(aside)
        self._create(aside)
        self._apply_settings(aside, index)
        writer = _RebuildWriter(self, aside)
        try:
            yield writer
            writer.finish()
            replaced = self._swap(live, aside)
            self._ready.add(live)
        except BaseException:
            try:
                self._drop(aside)
            except (EngineError, EngineUnavailable) as error:
                logger.warning("could not delete the half-built %s: %s", aside, error)
            raise
        if replaced:
            # `aside` now holds the old documents.
            try:
                self._drop(aside)
            except (EngineError, EngineUnavailable) as error:
                # The new index is live; the next rebuild deletes the old one.
                logger.warning("could not delete the replaced %s: %s", aside, error)

    def _swap(self, live: str, aside: str) -> bool:
        """Make `aside` the live index. True when the old one was kept aside."""
        exists = self._exists(live)
        if exists:
            swap = {"indexes": [live, aside]}
        else:
            # The first build: there is nothing to swap with, rename instead.
            swap = {"indexes": [aside, live], "rename": True}
        what = f"swap {aside} into {live}"
        with self._errors(what):
            task = self._client.swap_indexes([swap])
        self._wait(task, INDEX_TASK_SECONDS, what)
        return exists

    # Search ----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        return self.search_many([request])[0]

    def search_many(self, requests: list[SearchRequest]) -> list[SearchResult]:
        results: list[SearchResult | None] = [None] * len(requests)
        counts = []
        for position, request in enumerate(requests):
            if request.per_page > 0:
                results[position] = self._search_hits(request)
            else:
                counts.append(position)
        if counts:
            counted = self._count([requests[p] for p in counts])
            for position, result in zip(counts, counted, strict=True):
                results[position] = result
        return results

    def _indexes(self, request: SearchRequest) -> tuple[str, ...]:
        if request.scope == "all":
            return schema.INDEXES
        if request.scope in schema.INDEXES:
            return (request.scope,)
        raise ValueError(f"unknown scope {request.scope!r}")

    def _base_query(self, request: SearchRequest, index: str) -> dict:
        text, attributes = query_text(request)
        query = {"indexUid": self.uid(index), "q": text, "matchingStrategy": "all"}
        locales = query_locales(text)
        if locales:
            query["locales"] = locales
        if attributes:
            query["attributesToSearchOn"] = attributes
        expression = filter_expression(request, index)
        if expression:
            query["filter"] = expression
        if request.sort == schema.SORT_DATE_ASC:
            query["sort"] = ["date_sort:asc"]
        elif request.sort == schema.SORT_DATE_DESC:
            query["sort"] = ["date_sort:desc"]
        return query

    def _facet_fields(self, request: SearchRequest) -> list[str]:
        return [schema.FACET_FIELDS[name] for name in request.facets]

    def _search_hits(self, request: SearchRequest) -> SearchResult:
        """Records and pages ranked together: one federated multi-search."""
        indexes = self._indexes(request)
        queries = []
        for index in indexes:
            query = self._base_query(request, index)
            query.update(
                attributesToRetrieve=RETRIEVED,
                attributesToHighlight=HIGHLIGHTED,
                attributesToCrop=CROPPED,
                cropLength=CROP_WORDS,
                cropMarker=CROP_MARKER,
                highlightPreTag=HIGHLIGHT_PRE,
                highlightPostTag=HIGHLIGHT_POST,
                federationOptions={"weight": WEIGHTS[index]},
            )
            queries.append(query)
        # Pages rather than offset/limit: the engine then counts exhaustively,
        # and applies each index's distinct attribute to the whole count and
        # to the facet counts, not only to the hits it returns.
        federation = {"page": request.page, "hitsPerPage": request.per_page}
        fields = self._facet_fields(request)
        if fields:
            federation["facetsByIndex"] = {self.uid(i): fields for i in indexes}
            # "type" is in both indexes: its counts are added up.
            federation["mergeFacets"] = {"maxValuesPerFacet": MAX_FACET_VALUES}
        started = time.perf_counter()
        with self._errors("search"):
            answer = self._client.multi_search(queries, federation)
        hits = [self._hit(raw, request) for raw in answer["hits"]]
        self._complete_pages(hits, request)
        total = answer.get("totalHits", answer.get("estimatedTotalHits", 0))
        return SearchResult(
            hits=hits,
            total=total,
            # A federated search counts every match (it is not capped at
            # maxTotalHits, only the hits a visitor can page to are).
            total_is_capped=False,
            facets=self._facets([answer.get("facetDistribution") or {}], request),
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def _count(self, requests: list[SearchRequest]) -> list[SearchResult]:
        """Totals and facet counts without hits, all in one multi-search."""
        queries, owners = [], []
        for position, request in enumerate(requests):
            fields = self._facet_fields(request)
            for index in self._indexes(request):
                query = self._base_query(request, index)
                query.update(page=1, hitsPerPage=0)
                if fields:
                    query["facets"] = fields
                queries.append(query)
                owners.append(position)
        started = time.perf_counter()
        with self._errors("count facets"):
            answer = self._client.multi_search(queries)
        took_ms = (time.perf_counter() - started) * 1000
        totals = [0] * len(requests)
        capped = [False] * len(requests)
        distributions = [[] for _ in requests]
        for position, result in zip(owners, answer["results"], strict=True):
            total = result.get("totalHits", result.get("estimatedTotalHits", 0))
            totals[position] += total
            # A single-index search counts up to maxTotalHits and stops.
            capped[position] |= total >= schema.MAX_RESULTS
            distributions[position].append(result.get("facetDistribution") or {})
        return [
            SearchResult(
                hits=[],
                total=totals[n],
                total_is_capped=capped[n],
                facets=self._facets(distributions[n], request),
                took_ms=took_ms,
            )
            for n, request in enumerate(requests)
        ]

    def _facets(self, distributions: list[dict], request: SearchRequest):
        """Facet counts by facet name, most frequent first (added up across
        indexes when there are several distributions)."""
        facets = {}
        for name in request.facets:
            field = schema.FACET_FIELDS[name]
            counts: dict[str, int] = {}
            for distribution in distributions:
                for value, count in (distribution.get(field) or {}).items():
                    counts[value] = counts.get(value, 0) + count
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            facets[name] = [
                FacetValue(value, count) for value, count in ordered[:MAX_FACET_VALUES]
            ]
        return facets

    def _index_name(self, uid: str | None) -> str:
        for index in schema.INDEXES:
            if self.uid(index) == uid:
                return index
        raise EngineError(f"search: a hit from an unknown index {uid!r}")

    def _hit(self, raw: dict, request: SearchRequest) -> Hit:
        federation = raw.get("_federation") or {}
        index = self._index_name(federation.get("indexUid"))
        formatted = raw.get("_formatted") or {}
        document = _stored(raw)
        english = request.language == "en"
        title_fields = ("title_en", "title") if english else ("title", "title_en")
        snippet_fields = (
            ("text_en", "description_en", "text", "description")
            if english
            else ("text", "description", "text_en", "description_en")
        )
        page = document.get("page") if index == schema.CATALOGUE else None
        return Hit(
            index=index,
            document=document,
            title=_first_text(formatted, title_fields)
            or _first_text(document, title_fields),
            snippet=_snippet(formatted, snippet_fields),
            page=page if isinstance(page, int) else None,
            score=float(
                federation.get("weightedRankingScore") or raw.get("_rankingScore") or 0
            ),
        )

    def _complete_pages(self, hits: list[Hit], request: SearchRequest) -> None:
        """A hit on a page of full text shows its record: fetch the records."""
        pages = [hit for hit in hits if hit.page is not None]
        if not pages:
            return
        ids = sorted({f"r{hit.document['record_id']}" for hit in pages})
        uid = self.uid(schema.CATALOGUE)
        parameters = {"ids": ids, "fields": RETRIEVED, "limit": len(ids)}
        with self._errors("fetch the records of page hits"):
            found = self._index(uid).get_documents(parameters)
        records = {}
        for document in found.results:
            record = _stored(dict(document))
            records[record["id"]] = record
        english = request.language == "en"
        title_fields = ("title_en", "title") if english else ("title", "title_en")
        for hit in pages:
            record = records.get(f"r{hit.document['record_id']}")
            if record is None:
                # The record left the index after its pages: show what we have.
                hit.title = hit.title or str(hit.document.get("reference_code", ""))
                continue
            hit.document = record
            hit.title = _first_text(record, title_fields)


def _stored(raw: dict) -> dict:
    """A hit's document without the engine's fields and the long text."""
    return {
        key: value
        for key, value in raw.items()
        if not key.startswith("_") and key not in schema.DISPLAYED_WITHOUT
    }


def _first_text(source: dict, fields) -> str:
    for field in fields:
        value = source.get(field)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _snippet(formatted: dict, fields) -> str:
    """The cropped text with a match, or the first cropped text there is."""
    for field in fields:
        value = formatted.get(field)
        if isinstance(value, str) and HIGHLIGHT_PRE in value:
            return value
    return _first_text(formatted, fields)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Payload:
    def __init__(self, parts: list[bytes]):
        self.count = len(parts)
        self.body = b"[" + b",".join(parts) + b"]"


class _Batcher:
    """Cuts documents into request bodies of at most BATCH_DOCUMENTS documents
    and BATCH_BYTES bytes (UTF-8 JSON: Han text takes half the bytes of the
    client's ASCII-escaped JSON)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 2

    def add(self, document: dict) -> _Payload | None:
        part = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        full = None
        if self.parts and (
            len(self.parts) >= BATCH_DOCUMENTS
            or self.size + len(part) + 1 > BATCH_BYTES
        ):
            full = self.take()
        self.parts.append(part)
        self.size += len(part) + 1
        return full

    def take(self) -> _Payload | None:
        if not self.parts:
            return None
        payload = _Payload(self.parts)
        self.parts, self.size = [], 2
        return payload


class _RebuildWriter(IndexWriter):
    """Sends a rebuild's documents in full batches, a few tasks ahead."""

    def __init__(self, engine: MeilisearchEngine, uid: str):
        self.engine = engine
        self.uid = uid
        self.batcher = _Batcher()
        self.pending = []
        self.count = 0

    def add_documents(self, documents: Iterable[dict]) -> None:
        for document in documents:
            batch = self.batcher.add(document)
            if batch:
                self._send(batch)

    def _send(self, batch: _Payload) -> None:
        self.pending.append(self.engine._send(self.uid, batch))
        while len(self.pending) > REBUILD_PENDING:
            self.count += self.engine._wait_batch(self.pending.pop(0))

    def finish(self) -> int:
        batch = self.batcher.take()
        if batch:
            self._send(batch)
        while self.pending:
            self.count += self.engine._wait_batch(self.pending.pop(0))
        return self.count
