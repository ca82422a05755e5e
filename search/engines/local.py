"""The embedded engine: SQLite FTS5, one database file per index.

Why FTS5: it ships inside Python's sqlite3, needs no server, ranks with BM25,
does phrase and prefix queries, and keeps the index in one file that can be
built aside and swapped in. Chinese is prepared in Python (search.text):
folded to simplified, written as character pairs for the index, and split
into words with jieba for queries.

Layout of an index file:

- ``docs``: every document (records, their full-text pages, or site pages):
  the document as JSON without its long text, and the readable text the
  snippets are cut from.
- ``described``: FTS5 over what describes a record (title, 档号, creators,
  subjects), one row per entry, rowid = entry.
- ``fulltext``: FTS5 over its description and the OCR text of all its pages,
  one row per entry. Two tables rather than one so that the common case, a
  word in titles, reads short lists, and so that ranking can take the
  described records first without scanning full text (see _Query).
- ``entries``: one row per record or site page (the unit a hit counts as),
  with what sorting and range filters need.
- ``facets``: (entry, facet, value) rows for counting and filtering.
- ``postings``: for the Han tokens (character pairs) found in many entries,
  the bitmap of the entries holding them, made when the index is built. A
  common two-character word is then one bitmap read instead of tens of
  thousands of rows turned into Python integers, which at a million records
  is most of a query's time. Entries written since the build are listed in
  ``changed`` and their common tokens in ``changed_tokens``: a token's
  entries are its bitmap without the changed ones, plus the changed ones
  that hold it now.

The live file is named in ``<index>.current``; a rebuild writes a new file
and replaces that pointer in one rename, so searches never see a half-built
index. Writes made while a rebuild runs go to both files.
"""

import json
import multiprocessing
import os
import re
import sqlite3
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from pyroaring import BitMap

from .. import schema, text
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

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS entries (
    entry INTEGER PRIMARY KEY,
    date_sort INTEGER,
    reference_code TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS entries_reference ON entries (reference_code);
CREATE INDEX IF NOT EXISTS entries_path ON entries (path);
CREATE INDEX IF NOT EXISTS entries_date ON entries (date_sort, entry);
CREATE TABLE IF NOT EXISTS facets (
    entry INTEGER NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (entry, name, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bitmaps (
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    bits BLOB NOT NULL,
    PRIMARY KEY (name, value)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS described USING fts5 (
    title, reference, creators, terms,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '1 2'
);
INSERT INTO described (described, rank) VALUES ('rank', 'bm25(10.0, 8.0, 5.0, 4.0)');
CREATE VIRTUAL TABLE IF NOT EXISTS fulltext USING fts5 (
    description, text,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '1 2'
);
INSERT INTO fulltext (fulltext, rank) VALUES ('rank', 'bm25(2.0, 1.0)');
CREATE TABLE IF NOT EXISTS postings (
    tbl TEXT NOT NULL,
    token TEXT NOT NULL,
    bits BLOB NOT NULL,
    PRIMARY KEY (tbl, token)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changed (entry INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS changed_tokens (
    tbl TEXT NOT NULL,
    token TEXT NOT NULL,
    entry INTEGER NOT NULL,
    PRIMARY KEY (tbl, token, entry)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS changed_tokens_entry ON changed_tokens (entry);
PRAGMA user_version = 2;
"""
# Files of another layout are not read: `search_index rebuild` replaces them.
FORMAT = 2
FTS_TABLES = ("described", "fulltext")
# Tiers of relevance: records described by every word, then the rest.
DESCRIBED, FULL_TEXT = 0, 1
# A document's rowid is its entry (record or page id) shifted left, plus its
# full-text page number (0 for the record itself): the entry of any match is
# one shift away, without a join.
PAGE_BITS = 16
MAX_PAGE = (1 << PAGE_BITS) - 1
# Internal bitmaps beside the visitor's facets: every entry, the site
# pages' language, and years for range filters.
ALL = ("_all", "")
LOCALE = "_locale"
YEAR_START = "_ys"
YEAR_END = "_ye"
# Site pages (exhibitions, collections) are few and curated: they rank a
# little above a record with the same score.
SITE_BOOST = 1.5
SEGMENT = 10
SNIPPET_CHARS = 80
TITLE_MAX = 500
# BM25 costs about 2 µs a matching row, for every row a MATCH returns, and a
# common word matches tens of thousands: beyond this many matches in a tier,
# the tier comes in catalogue order (fonds, then 档号), which is also what an
# archivist would read; a visitor narrows such a list with the facets.
RANK_WINDOW = 4000
# A filtered tier this small is ranked record by record instead.
RANK_BY_ROW = 50
# A build prepares text in a helper process once it has written this many
# documents (a small build is over before a process would pay for itself).
HELPER_AFTER = 20000
# Tokens in at least this many entries get a posting bitmap at build time.
POSTINGS_MIN = 2000
# A MATCH expression that is one Han token: a character or a pair.
ONE_HAN_TOKEN = re.compile(f'"({text.HAN.pattern.removesuffix("+")}{{1,2}})"')
# Below this many candidates, date order is read through SQL; above it, by
# walking the date index and keeping what is in the bitmap.
DATE_SQL_LIMIT = 20000


class LocalEngine(SearchEngine):
    name = "local"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()

    # Health -------------------------------------------------------------

    def health(self) -> EngineHealth:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(":memory:") as connection:
                connection.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        except (OSError, sqlite3.Error) as error:
            return EngineHealth(self.name, False, str(error))
        if not self.path.is_dir() or not _writable(self.path):
            return EngineHealth(self.name, False, f"{self.path} is not writable")
        missing = [i for i in schema.INDEXES if not self._pointer(i).exists()]
        if missing:
            return EngineHealth(self.name, True, "not built: " + ", ".join(missing))
        for index in schema.INDEXES:
            try:
                self._connection(self._live_file(index))
            except EngineUnavailable as error:
                return EngineHealth(self.name, False, str(error))
        return EngineHealth(self.name, True)

    # Files --------------------------------------------------------------

    def _pointer(self, index):
        return self.path / f"{index}.current"

    def _building_pointer(self, index):
        return self.path / f"{index}.building"

    def _live_file(self, index, create=False) -> Path | None:
        pointer = self._pointer(index)
        try:
            return self.path / pointer.read_text().strip()
        except FileNotFoundError:
            if not create:
                return None
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{index}-{uuid.uuid4().hex[:12]}.sqlite3"
        _create(self.path / name)
        _replace_text(pointer, name)
        return self.path / name

    def _building_file(self, index) -> Path | None:
        try:
            return self.path / self._building_pointer(index).read_text().strip()
        except FileNotFoundError:
            return None

    def _connection(self, file: Path) -> sqlite3.Connection:
        cache = getattr(self._local, "connections", None)
        if cache is None:
            cache = self._local.connections = {}
        connection = cache.get(file)
        if connection is None:
            if not file.exists():
                raise EngineUnavailable(f"{file.name} is missing")
            connection = _connect(file)
            found = connection.execute("PRAGMA user_version").fetchone()[0]
            if found != FORMAT:
                connection.close()
                raise EngineUnavailable(
                    f"{file.name} has an earlier layout (format {found}, this"
                    f" version reads {FORMAT}): run `manage.py search_index rebuild`"
                )
            cache[file] = connection
        return connection

    def close(self):
        for connection in getattr(self._local, "connections", {}).values():
            connection.close()
        self._local.connections = {}
        self._local.states = {}

    def _write_targets(self, index) -> list[sqlite3.Connection]:
        files = [self._live_file(index, create=True)]
        building = self._building_file(index)
        if building is not None and building.exists():
            files.append(building)
        return [self._connection(file) for file in files]

    # Settings and writes --------------------------------------------------

    def apply_settings(self, index: str) -> None:
        # The settings are the schema in SCHEMA_SQL and the weights above.
        self._live_file(index, create=True)

    def add_documents(self, index: str, documents: Iterable[dict]) -> int:
        count = 0
        targets = self._write_targets(index)
        for batch in _entry_batches(index, documents, 2000):
            for connection in targets:
                self._change(connection, _write, index, batch, _BitmapChanges())
            count += len(batch)
        return count

    def delete_documents(self, index: str, ids: Iterable[str]) -> None:
        ids = [str(i) for i in ids]
        for connection in self._write_targets(index):
            self._change(connection, _delete_documents, ids, _BitmapChanges())

    def delete_records(self, record_ids: Iterable[int]) -> None:
        record_ids = [int(i) for i in record_ids]
        for connection in self._write_targets(schema.CATALOGUE):
            self._change(connection, _delete_entries, record_ids, _BitmapChanges())

    def _change(self, connection, function, *args):
        try:
            with connection:
                function(connection, *args)
        except sqlite3.Error as error:
            raise EngineError(str(error)) from error
        finally:
            # Our own commits do not move PRAGMA data_version: forget the state.
            self._states().pop(id(connection), None)

    def _states(self):
        states = getattr(self._local, "states", None)
        if states is None:
            states = self._local.states = {}
        return states

    def _state(self, connection) -> "_State":
        states = self._states()
        state = states.get(id(connection))
        if state is None or state.version != _data_version(connection):
            state = states[id(connection)] = _State(connection)
        return state

    def document_ids(self, index: str) -> Iterator[str]:
        file = self._live_file(index)
        if file is None:
            return iter(())
        connection = self._connection(file)
        return (row[0] for row in connection.execute("SELECT id FROM docs"))

    @contextmanager
    def rebuild(self, index: str):
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{index}-{uuid.uuid4().hex[:12]}.sqlite3"
        file = self.path / name
        _create(file)
        _replace_text(self._building_pointer(index), name)
        connection = _connect(file)
        writer = _Writer(connection, index)
        try:
            yield writer
            writer.finish()
            for table in FTS_TABLES:
                connection.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            connection.commit()
        except BaseException:
            writer.close()
            connection.close()
            self._building_pointer(index).unlink(missing_ok=True)
            file.unlink(missing_ok=True)
            raise
        connection.close()
        old = self._live_file(index)
        _replace_text(self._pointer(index), name)
        self._building_pointer(index).unlink(missing_ok=True)
        self.close()
        if old is not None and old != file:
            for suffix in ("", "-wal", "-shm"):
                Path(str(old) + suffix).unlink(missing_ok=True)

    def index_size(self, index: str) -> int:
        file = self._live_file(index)
        return file.stat().st_size if file and file.exists() else 0

    # Search ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        terms = _terms(request)
        parts = []
        if request.scope in ("all", schema.CATALOGUE):
            parts.append(self._search_index(schema.CATALOGUE, request, terms))
        if request.scope in ("all", schema.SITE) and not _catalogue_only(request):
            parts.append(self._search_index(schema.SITE, request, terms))
        parts = [part for part in parts if part is not None]
        total = sum(part.total for part in parts)
        wanted = request.page * request.per_page if request.per_page else 0
        if wanted and total > wanted - request.per_page:
            # Ranking a thousand hits for a page past the last is wasted.
            for part in parts:
                if part.total and part.order:
                    part.rows = part.order(wanted)
        facets: dict[str, dict[str, int]] = defaultdict(dict)
        for part in parts:
            for name, values in part.facets.items():
                for value, count in values.items():
                    facets[name][value] = facets[name].get(value, 0) + count
        hits = _merge(parts, request)
        return SearchResult(
            hits=hits,
            total=total,
            facets={
                name: [FacetValue(v, c) for v, c in _sorted_counts(values)]
                for name, values in facets.items()
            },
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def _search_index(self, index, request, terms):
        file = self._live_file(index)
        if file is None or not file.exists():
            # Never built (a new site): nothing to find, which is not an outage.
            # health() says "not built" so operators see it.
            return None
        try:
            connection = self._connection(file)
            state = self._state(connection)
            return _Query(connection, state, index, request, terms).run()
        except sqlite3.OperationalError as error:
            if "fts5" in str(error) or "syntax" in str(error):
                # A query FTS5 cannot parse finds nothing; it is not an outage.
                return _Part(index=index, total=0, rows=[], facets={})
            raise EngineUnavailable(str(error)) from error


class _Writer(IndexWriter):
    """Fills a fresh file; bitmaps are kept in memory and written at the end.

    A large build prepares each batch's text (folding, character pairs, JSON)
    in a helper process while this one reads the next batch from the database
    and writes the last: on two cores that overlaps a quarter of the work with
    the rest. Batches are written in the order they came.
    """

    def __init__(self, connection, index):
        self.connection = connection
        self.index = index
        self.bitmaps = _BitmapChanges()
        self.written = 0
        self.helper = None
        self.pending = None  # the batch being prepared in the helper

    def add_documents(self, documents):
        for batch in _entry_batches(self.index, documents, 2000):
            self.written += len(batch)
            if self.helper is None and self.written > HELPER_AFTER:
                self.helper = _helper_process()
            if not self.helper:
                self._insert(_prepare_batch(self.index, batch))
                continue
            future = self.helper.submit(_prepare_batch, self.index, batch)
            self._drain()
            self.pending = future

    def _drain(self):
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self._insert(pending.result())

    def _insert(self, rows):
        with self.connection:
            _insert(self.connection, rows, self.bitmaps)

    def finish(self):
        self._drain()
        self.close()
        with self.connection:
            self.bitmaps.flush(self.connection)
        with self.connection:
            _build_postings(self.connection)

    def close(self):
        if self.helper:
            self.helper.shutdown(wait=True, cancel_futures=True)
        self.helper = False
        self.pending = None


def _helper_process():
    """A process to prepare text in, or False where none can be started."""
    try:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    except (OSError, ValueError):
        return False


# Storage helpers ------------------------------------------------------------


def _connect(file: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(file, timeout=30, check_same_thread=False)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA cache_size = -65536")
    return connection


def _create(file: Path):
    connection = _connect(file)
    connection.executescript(SCHEMA_SQL)
    connection.commit()
    connection.close()


def _replace_text(path: Path, content: str):
    temporary = path.with_name(path.name + f".{uuid.uuid4().hex[:6]}")
    temporary.write_text(content)
    os.replace(temporary, path)


def _writable(path: Path) -> bool:
    probe = path / ".write-probe"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _entry_batches(index, documents, size):
    """Batches of about `size` documents that keep an entry's documents (a
    record and its pages, which come together) in the same batch."""
    batch, last = [], None
    for document in documents:
        entry = _entry_of(index, document)
        if len(batch) >= size and entry != last:
            yield batch
            batch = []
        batch.append(document)
        last = entry
    if batch:
        yield batch


def _entry_of(index, document):
    if index == schema.CATALOGUE:
        return int(document["record_id"])
    return int(str(document["id"]).removeprefix("page"))


def _rowid(entry, page):
    return (entry << PAGE_BITS) | (page or 0)


def _joined(value):
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value or "")


def _both(document, name):
    return " ".join(filter(None, [document.get(name), document.get(name + "_en")]))


def _entry_values(document) -> set[tuple[str, str]]:
    """The bitmaps an entry belongs to."""
    values = {ALL}
    for name, field in schema.FACET_FIELDS.items():
        value = document.get(field)
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item != "":
                values.add((name, str(item)))
    if document.get("locale"):
        values.add((LOCALE, document["locale"]))
    if document.get("year_start") is not None:
        values.add((YEAR_START, str(document["year_start"])))
        end = document.get("year_end")
        values.add((YEAR_END, str(end if end is not None else document["year_start"])))
    return values


class _BitmapChanges:
    def __init__(self):
        self.adds = defaultdict(BitMap)
        self.removes = defaultdict(BitMap)

    def add(self, key, entry):
        self.adds[key].add(entry)
        self.removes[key].discard(entry)

    def remove(self, key, entry):
        self.removes[key].add(entry)
        self.adds[key].discard(entry)

    def flush(self, connection):
        for key in set(self.adds) | set(self.removes):
            row = connection.execute(
                "SELECT bits FROM bitmaps WHERE name = ? AND value = ?", key
            ).fetchone()
            bits = BitMap.deserialize(row[0]) if row else BitMap()
            bits |= self.adds.get(key, BitMap())
            bits -= self.removes.get(key, BitMap())
            if bits:
                connection.execute(
                    "INSERT OR REPLACE INTO bitmaps (name, value, bits)"
                    " VALUES (?, ?, ?)",
                    (*key, bits.serialize()),
                )
            elif row:
                connection.execute(
                    "DELETE FROM bitmaps WHERE name = ? AND value = ?", key
                )
        self.adds.clear()
        self.removes.clear()


def _write(connection, index, documents, bitmaps):
    """Write documents into a live index. A record's own document replaces the
    record whole: its pages are the ones written with it. Pages written alone
    are added to or replace pages of a record already there. (A build fills a
    fresh file through _Writer, with nothing to replace.)"""
    groups = _groups(index, documents)
    for entry, (main, pages) in groups.items():
        if main is not None:
            _delete_entry(connection, entry, bitmaps)
        else:
            ids = [str(p["id"]) for p in pages]
            _delete_rowids(connection, _ids_rowids(connection, ids), bitmaps)
    _insert(connection, _prepare(groups), bitmaps)
    _mark_changed(connection, list(groups))
    bitmaps.flush(connection)


def _groups(index, documents):
    """entry -> [its own document or None, its pages]"""
    groups = {}
    for document in documents:
        entry = _entry_of(index, document)
        page = document.get("page")
        if page is not None and not 0 < int(page) <= MAX_PAGE:
            continue
        group = groups.setdefault(entry, [None, []])
        if page is None:
            group[0] = document
        else:
            group[1].append(document)
    return groups


def _prepare_batch(index, documents):
    return _prepare(_groups(index, documents))


def _prepare(groups):
    """The rows of every table for these entries: text folded and written as
    pairs, documents as JSON. Pure Python, no database: a build runs it in a
    helper process."""
    docs, described, fulltext, entries, facet_rows, orphans = [], [], [], [], [], []
    for entry, (main, pages) in groups.items():
        for document in pages:
            docs.append(_doc_row(_rowid(entry, document["page"]), document))
        if main is None:
            orphans.append(entry)
            continue
        docs.append(_doc_row(_rowid(entry, 0), main))
        described.append(
            (
                entry,
                text.index_text(_both(main, "title")),
                text.index_text(main.get("reference_code", "")),
                text.index_text(_joined(main.get("creators"))),
                text.index_text(_joined(main.get("terms"))),
            )
        )
        full = [_both(main, "text")] + [_both(p, "text") for p in pages]
        fulltext.append(
            (
                entry,
                text.index_text(_both(main, "description")),
                # A line between pages: a Han run, so a phrase, never spans two.
                text.index_text("\n".join(filter(None, full))),
            )
        )
        ancestors = main.get("ancestors") or []
        path = "".join(f"{int(a):0{SEGMENT}d}" for a in ancestors)
        entries.append(
            (entry, main.get("date_sort"), main.get("reference_code", ""), path)
        )
        facet_rows += [(entry, *key) for key in _entry_values(main)]
    return docs, described, fulltext, entries, facet_rows, orphans


def _insert(connection, rows, bitmaps):
    docs, described, fulltext, entries, facet_rows, orphans = rows
    for entry, name, value in facet_rows:
        bitmaps.add((name, value), entry)
    connection.executemany(
        "INSERT OR REPLACE INTO docs (rowid, id, data, body) VALUES (?, ?, ?, ?)", docs
    )
    connection.executemany(
        "INSERT INTO described (rowid, title, reference, creators, terms)"
        " VALUES (?, ?, ?, ?, ?)",
        described,
    )
    connection.executemany(
        "INSERT INTO fulltext (rowid, description, text) VALUES (?, ?, ?)", fulltext
    )
    connection.executemany(
        "INSERT OR REPLACE INTO entries (entry, date_sort, reference_code, path)"
        " VALUES (?, ?, ?, ?)",
        entries,
    )
    connection.executemany(
        "INSERT OR IGNORE INTO facets (entry, name, value) VALUES (?, ?, ?)",
        facet_rows,
    )
    for entry in orphans:
        _refresh_fulltext(connection, entry)


def _doc_row(rowid, document):
    body = _both(document, "text") or _both(document, "description")
    stored = {k: v for k, v in document.items() if k not in schema.DISPLAYED_WITHOUT}
    data = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
    return (rowid, str(document["id"]), data, body)


def _refresh_fulltext(connection, entry):
    """An entry's full-text row again from its documents, after pages were
    written or deleted without their record."""
    low, high = _rowid(entry, 0), _rowid(entry, MAX_PAGE)
    rows = connection.execute(
        "SELECT rowid, data, body FROM docs WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
        (low, high),
    ).fetchall()
    connection.execute("DELETE FROM fulltext WHERE rowid = ?", (entry,))
    if not rows:
        return
    description, full = "", []
    for rowid, data, body in rows:
        if rowid == low:
            description = _both(json.loads(data), "description")
            if body != description:
                full.append(body)
        else:
            full.append(body)
    connection.execute(
        "INSERT INTO fulltext (rowid, description, text) VALUES (?, ?, ?)",
        (
            entry,
            text.index_text(description),
            text.index_text("\n".join(filter(None, full))),
        ),
    )


def _delete_rowids(connection, rows, bitmaps):
    """Delete documents by rowid. A record's own document takes its pages and
    its entry with it; a page alone leaves its record's full text to be
    written again (the entries returned)."""
    touched = set()
    for (rowid,) in rows:
        entry, page = rowid >> PAGE_BITS, rowid & MAX_PAGE
        if page:
            connection.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
            touched.add(entry)
        else:
            _delete_entry(connection, entry, bitmaps)
            touched.discard(entry)
    return touched


def _delete_entry(connection, entry, bitmaps):
    low, high = _rowid(entry, 0), _rowid(entry, MAX_PAGE)
    for table in FTS_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE rowid = ?", (entry,))
    connection.execute("DELETE FROM docs WHERE rowid BETWEEN ? AND ?", (low, high))
    connection.execute("DELETE FROM entries WHERE entry = ?", (entry,))
    for name, value in connection.execute(
        "SELECT name, value FROM facets WHERE entry = ?", (entry,)
    ).fetchall():
        bitmaps.remove((name, value), entry)
    connection.execute("DELETE FROM facets WHERE entry = ?", (entry,))


def _delete_entries(connection, entries, bitmaps):
    for entry in entries:
        _delete_entry(connection, entry, bitmaps)
    _mark_changed(connection, entries)
    bitmaps.flush(connection)


def _delete_documents(connection, ids, bitmaps):
    rows = _ids_rowids(connection, ids)
    for entry in _delete_rowids(connection, rows, bitmaps):
        if connection.execute(
            "SELECT 1 FROM docs WHERE rowid = ?", (_rowid(entry, 0),)
        ).fetchone():
            _refresh_fulltext(connection, entry)
        else:
            connection.execute("DELETE FROM fulltext WHERE rowid = ?", (entry,))
    _mark_changed(connection, sorted({rowid >> PAGE_BITS for (rowid,) in rows}))
    bitmaps.flush(connection)


def _ids_rowids(connection, ids):
    rows = []
    for batch in _batches(ids, 500):
        marks = ",".join("?" * len(batch))
        rows += connection.execute(
            f"SELECT rowid FROM docs WHERE id IN ({marks})", batch
        ).fetchall()
    return rows


class _State:
    """An index file's bitmaps, read once and kept until the file changes."""

    def __init__(self, connection):
        self.version = _data_version(connection)
        self.bitmaps: dict[tuple[str, str], BitMap] = {}
        self.by_name: dict[str, list[tuple[str, BitMap]]] = defaultdict(list)
        for name, value, bits in connection.execute(
            "SELECT name, value, bits FROM bitmaps"
        ):
            bitmap = BitMap.deserialize(bits)
            self.bitmaps[(name, value)] = bitmap
            self.by_name[name].append((value, bitmap))

        self.postings: dict[tuple[str, str], BitMap | None] = {}
        self.changed = None

    def posting(self, connection, table, token):
        """The entries holding a common token, or None when it has no posting."""
        key = (table, token)
        if key not in self.postings:
            row = connection.execute(
                "SELECT bits FROM postings WHERE tbl = ? AND token = ?", key
            ).fetchone()
            self.postings[key] = BitMap.deserialize(row[0]) if row else None
        bits = self.postings[key]
        if bits is None:
            return None
        if self.changed is None:
            self.changed = BitMap(
                entry for (entry,) in connection.execute("SELECT entry FROM changed")
            )
        if not self.changed:
            return bits
        now = BitMap(
            entry
            for (entry,) in connection.execute(
                "SELECT entry FROM changed_tokens WHERE tbl = ? AND token = ?", key
            )
        )
        return (bits - self.changed) | now

    def get(self, name, value):
        return self.bitmaps.get((name, str(value)), BitMap())

    def union(self, name, values):
        return BitMap.union(BitMap(), *(self.get(name, v) for v in values))

    def years(self, name, keep):
        return BitMap.union(
            BitMap(),
            *(b for value, b in self.by_name.get(name, []) if keep(int(value))),
        )


def _match_bitmap(connection, table, expression):
    # One string from SQLite, read as JSON, is turned into integers faster
    # than thousands of rows.
    joined = connection.execute(
        f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH ?",
        [expression],
    ).fetchone()[0]
    return BitMap(json.loads(f"[{joined}]")) if joined else BitMap()


def _build_postings(connection):
    """Posting bitmaps of the common Han tokens, from the FTS tables as they
    are now; entries changed before this are then counted in."""
    connection.execute("DELETE FROM postings")
    for table in FTS_TABLES:
        vocabulary = f"temp.vocabulary_{table}"
        connection.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocabulary}"
            f" USING fts5vocab(main, {table}, 'row')"
        )
        common = [
            term
            for (term,) in connection.execute(
                f"SELECT term FROM {vocabulary} WHERE doc >= ?", [POSTINGS_MIN]
            )
            if ONE_HAN_TOKEN.fullmatch(f'"{term}"')
        ]
        connection.execute(f"DROP TABLE {vocabulary}")
        for term in common:
            bits = _match_bitmap(connection, table, f'"{term}"')
            connection.execute(
                "INSERT INTO postings (tbl, token, bits) VALUES (?, ?, ?)",
                (table, term, bits.serialize()),
            )
    connection.execute("DELETE FROM changed")
    connection.execute("DELETE FROM changed_tokens")


def _mark_changed(connection, entries):
    """Entries written or deleted since the postings were made, with the
    common tokens they hold now."""
    common = defaultdict(set)
    for table, token in connection.execute("SELECT tbl, token FROM postings"):
        common[table].add(token)
    if not common:
        return
    for entry in entries:
        connection.execute("INSERT OR IGNORE INTO changed (entry) VALUES (?)", (entry,))
        connection.execute("DELETE FROM changed_tokens WHERE entry = ?", (entry,))
        rows = []
        for table in FTS_TABLES:
            row = connection.execute(
                f"SELECT * FROM {table} WHERE rowid = ?", (entry,)
            ).fetchone()
            if row is None or not common[table]:
                continue
            tokens = set(" ".join(filter(None, row)).split()) & common[table]
            rows += [(table, token, entry) for token in tokens]
        connection.executemany(
            "INSERT OR IGNORE INTO changed_tokens (tbl, token, entry) VALUES (?, ?, ?)",
            rows,
        )


def _data_version(connection):
    return connection.execute("PRAGMA data_version").fetchone()[0]


# Queries --------------------------------------------------------------------


def _catalogue_only(request):
    """Filters that only catalogue records have exclude site pages."""
    catalogue_facets = set(schema.FACETS) - {"type"}
    if any(request.filters.get(name) for name in catalogue_facets):
        return True
    return bool(
        request.reference
        or request.creator
        or request.within
        or request.year_from
        or request.year_to
    )


def _terms(request):
    query = {"all": text.parse_query(request.query)}
    if request.title:
        query["title"] = text.parse_query(request.title, typing=False)
    if request.creator:
        query["creators"] = text.parse_query(request.creator, typing=False)
    return query


class _Part:
    def __init__(self, index, total, rows, facets, connection=None):
        self.index = index
        self.total = total
        # (entry, tier, score) in result order
        self.rows = rows
        self.facets = facets
        self.connection = connection
        self.order = None  # wanted -> rows, when the page shown needs them


class _Query:
    """One index's answer: the matching entries as a bitmap, counted by facet,
    and the page of them in order.

    Every word must match, in what describes the record or in its full text.
    Each word is looked up once in each FTS table, as the bitmap of entries
    it matches there; the records whose description holds every word are the
    first tier of relevance, the rest the second. Ranking within a tier by
    BM25 reads every row the tier's MATCH returns, so it is done only when the
    tier's matches are few enough (RANK_WINDOW).
    """

    def __init__(self, connection, state, index, request, terms):
        self.connection = connection
        self.state = state
        self.index = index
        self.request = request
        self.terms = terms
        self.described = BitMap()

    def run(self) -> _Part:
        request, state = self.request, self.state
        asked = any(self.terms.values())
        all_terms = [t for t in self.terms.get("all", []) if t.fts()]
        words = [t.fts() for t in all_terms]
        fielded = {}
        for column, column_terms in self.terms.items():
            column_words = [t.fts() for t in column_terms if t.fts()]
            if column != "all" and column_words:
                fielded[column] = column_words
        if asked and not (words or fielded):
            return _Part(self.index, 0, [], {})
        self.words, self.fielded = words, fielded
        if asked:
            found, described = None, None
            for term in all_terms:
                in_description = self._term_matches("described", term)
                either = in_description | self._term_matches("fulltext", term)
                found = either if found is None else found & either
                described = (
                    in_description if described is None else described & in_description
                )
            for column, column_words in fielded.items():
                expression = f"{column} : ({' AND '.join(column_words)})"
                matched = self._matches("described", expression)
                found = matched if found is None else found & matched
                described = matched if described is None else described & matched
            self.described_matches = len(described)
            self.described = described
        else:
            found = BitMap(state.get(*ALL))
        found = self._filter(found)
        total = len(found)
        facets = self._facets(found) if request.facets else {}
        part = _Part(self.index, total, [], facets, self.connection)
        part.order = lambda wanted: self._order(found, asked, wanted)
        return part

    def _term_matches(self, table, term):
        """Entries matching a word. A word of three or more Han characters,
        not quoted, is its character pairs, all in the same record: read from
        the postings when every pair has one (a record holding 城市, 市规 and
        规划 all but always holds 城市规划), else as the exact phrase. Quotes
        ask for the exact phrase always."""
        long_word = len(term.text) >= 3 and text.HAN.fullmatch(term.text)
        if long_word and not term.phrase and not term.prefix:
            found = None
            for pair in text.han_pairs(term.text)[:-1]:
                bits = self.state.posting(self.connection, table, pair)
                if bits is None:
                    found = None
                    break
                found = bits if found is None else found & bits
            if found is not None:
                return found
        return self._matches(table, term.fts())

    def _matches(self, table, expression):
        single = ONE_HAN_TOKEN.fullmatch(expression)
        if single:
            found = self.state.posting(self.connection, table, single.group(1))
            if found is not None:
                return found
        return _match_bitmap(self.connection, table, expression)

    def _filter(self, found):
        request, state = self.request, self.state
        for name, values in request.filters.items():
            if values and name in schema.FACET_FIELDS:
                found &= state.union(name, values)
        if self.index == schema.SITE:
            if request.exclude_pages:
                found = found - BitMap(request.exclude_pages)
            return found & state.get(LOCALE, request.language)
        if request.exclude_records:
            found = found - BitMap(request.exclude_records)
        if request.year_from is not None:
            found &= state.years(YEAR_END, lambda year: year >= request.year_from)
        if request.year_to is not None:
            found &= state.years(YEAR_START, lambda year: year <= request.year_to)
        if request.reference:
            code = text.clean(request.reference).strip().upper()
            found &= self._entries(
                "SELECT entry FROM entries WHERE reference_code = ?"
                " OR (reference_code > ? AND reference_code < ?)",
                [code, code + "-", code + "."],
            )
        if request.within is not None:
            row = self.connection.execute(
                "SELECT path FROM entries WHERE entry = ?", [request.within]
            ).fetchone()
            if row is None:
                return BitMap()
            prefix = row[0] + f"{int(request.within):0{SEGMENT}d}"
            high = f"{int(prefix) + 1:0{len(prefix)}d}"
            below = self._entries(
                "SELECT entry FROM entries WHERE path >= ? AND path < ?",
                [prefix, high],
            )
            below.add(int(request.within))
            found &= below
        return found

    def _entries(self, sql, params):
        # The widest file has 100,000 children: one string, read as JSON, is
        # three times quicker than as many rows.
        joined = self.connection.execute(
            f"SELECT group_concat(entry) FROM ({sql})", params
        ).fetchone()[0]
        return BitMap(json.loads(f"[{joined}]")) if joined else BitMap()

    def _facets(self, found):
        counted = {}
        for name in self.request.facets:
            values = {}
            for value, bitmap in self.state.by_name.get(name, ()):
                count = found.intersection_cardinality(bitmap)
                if count:
                    values[value] = count
            if values:
                counted[name] = values
        return counted

    def _tier(self, entry):
        return DESCRIBED if entry in self.described else FULL_TEXT

    def _order(self, found, asked, wanted):
        sort = self.request.sort
        if sort == schema.SORT_RELEVANCE and asked:
            return self._by_relevance(found, wanted)
        if sort == schema.SORT_RELEVANCE:
            # Nothing to rank by: catalogue order (records were added in it).
            return [(e, DESCRIBED, 0.0) for e in found[: min(wanted, len(found))]]
        entries = self._by_date(found, wanted, sort == schema.SORT_DATE_DESC)
        return [(e, self._tier(e) if asked else DESCRIBED, 0.0) for e in entries]

    def _by_relevance(self, found, wanted):
        rows = []
        first = found & self.described
        tiers = [(DESCRIBED, first), (FULL_TEXT, found - first)]
        for tier, members in tiers:
            if len(rows) >= wanted:
                break
            if members:
                rows += self._rank_tier(tier, members, wanted - len(rows))
        return rows

    def _rank_tier(self, tier, members, wanted):
        if tier == DESCRIBED:
            table = "described"
            parts = [f"({w})" for w in self.words] + [
                f"({c} : ({' AND '.join(ws)}))" for c, ws in self.fielded.items()
            ]
            expression = " AND ".join(parts)
            matches = self.described_matches
        else:
            table = "fulltext"
            # Each of these records has at least one of the words in its text.
            expression = " OR ".join(f"({w})" for w in self.words)
            matches = None  # not counted: known small only through `members`
        ranked = []
        if matches is not None and matches <= RANK_WINDOW:
            ranked = self._ranked(table, expression, members, wanted)
        elif len(members) <= RANK_BY_ROW:
            ranked = self._ranked_by_row(table, expression, members)
        elif tier == FULL_TEXT and len(members) <= RANK_WINDOW:
            ranked = self._ranked(table, expression, members, wanted, RANK_WINDOW * 4)
        if ranked:
            seen = {entry for entry, _score in ranked}
            rest = [e for e in members if e not in seen] if len(ranked) < wanted else []
            rows = [(e, tier, score) for e, score in ranked]
            rows += [(e, tier, 0.0) for e in rest[: wanted - len(rows)]]
            return rows[:wanted]
        return [(e, tier, 0.0) for e in members[: min(wanted, len(members))]]

    def _ranked(self, table, expression, members, wanted, budget=None):
        """(entry, score) of members, best first, read from one ranked MATCH;
        [] when the MATCH has more than `budget` rows (too many to rank)."""
        if budget is not None:
            count = self.connection.execute(
                f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [expression]
            ).fetchone()[0]
            if count > budget:
                return []
        ranked = []
        cursor = self.connection.execute(
            f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank",
            [expression],
        )
        for entry, score in cursor:
            if entry in members:
                ranked.append((entry, score))
                if len(ranked) >= wanted:
                    break
        cursor.close()
        return ranked

    def _ranked_by_row(self, table, expression, members):
        scores = []
        for entry in members:
            row = self.connection.execute(
                f"SELECT rank FROM {table} WHERE {table} MATCH ? AND rowid = ?",
                [expression, entry],
            ).fetchone()
            scores.append((entry, row[0] if row else 0.0))
        scores.sort(key=lambda item: (item[1], item[0]))
        return scores

    def _by_date(self, found, wanted, descending):
        direction = "DESC" if descending else "ASC"
        # Undated records come last either way.
        order = f"date_sort IS NULL, date_sort {direction}, entry"
        if len(found) <= DATE_SQL_LIMIT:
            return [
                row[0]
                for row in self.connection.execute(
                    "SELECT entry FROM entries WHERE entry IN"
                    f" (SELECT value FROM json_each(?)) ORDER BY {order} LIMIT ?",
                    [json.dumps(list(found)), wanted],
                )
            ]
        entries = []
        cursor = self.connection.execute(f"SELECT entry FROM entries ORDER BY {order}")
        for (entry,) in cursor:
            if entry in found:
                entries.append(entry)
                if len(entries) >= wanted:
                    break
        cursor.close()
        return entries


def _sorted_counts(values):
    return sorted(values.items(), key=lambda item: (-item[1], item[0]))


def _merge(parts, request):
    if not request.per_page:
        return []
    scored = []
    for part in parts:
        boost = SITE_BOOST if part.index == schema.SITE else 1.0
        for position, (entry, tier, score) in enumerate(part.rows):
            scored.append((part, position, tier, (score or 0.0) * boost, entry))
    if request.sort == schema.SORT_RELEVANCE:
        # Each part's own order within a tier; a ranked row before an unranked.
        scored.sort(key=lambda item: (item[2], item[3], item[1]))
    else:
        # Date order within each part; site pages (undated here) after records.
        scored.sort(key=lambda item: (item[0].index != schema.CATALOGUE, item[1]))
    start = (request.page - 1) * request.per_page
    chosen = scored[start : start + request.per_page]
    return [
        _hit(part, entry, tier, score, request)
        for part, _pos, tier, score, entry in chosen
    ]


def _hit(part, entry, tier, score, request):
    connection = part.connection
    words = _highlight_words(request)
    main = connection.execute(
        "SELECT data, body FROM docs WHERE rowid = ?", [_rowid(entry, 0)]
    ).fetchone()
    page, body = None, main[1] if main else ""
    if tier == FULL_TEXT and words:
        page, page_body = _best_page(connection, entry, words)
        if page is not None:
            body = page_body
    if main is None:
        row = connection.execute(
            "SELECT data FROM docs WHERE rowid BETWEEN ? AND ? LIMIT 1",
            [_rowid(entry, 0), _rowid(entry, MAX_PAGE)],
        ).fetchone()
        document = json.loads(row[0]) if row else {}
    else:
        document = json.loads(main[0])
    title = document.get("title") or document.get("title_en") or ""
    if request.language == "en" and document.get("title_en"):
        title = document["title_en"]
    return Hit(
        index=part.index,
        document=document,
        title=mark(title[:TITLE_MAX], words),
        snippet=snippet(body, words),
        page=page,
        score=-score,
    )


def _best_page(connection, entry, words):
    """(number, text) of the full-text page holding most of the words, the
    first of them on a tie; (None, "") when no page holds any.

    Read as stored, without folding every page: each word is looked for as
    folded (simplified, lower case) and in traditional characters."""
    forms = [{word, text.to_traditional(word)} for word in words]
    best, best_count = (None, ""), 0
    for rowid, body in connection.execute(
        "SELECT rowid, body FROM docs WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
        [_rowid(entry, 0), _rowid(entry, MAX_PAGE)],
    ):
        lowered = body.lower()
        count = sum(1 for variants in forms if any(v in lowered for v in variants))
        if count > best_count:
            best, best_count = (rowid & MAX_PAGE, body), count
            if count == len(forms):
                break
    return best


def _highlight_words(request):
    words = []
    for value in (request.query, request.title, request.creator):
        for term in text.parse_query(value, typing=False) if value else []:
            words.append(term.text)
    return sorted({w for w in words if w}, key=len, reverse=True)


def _positions(folded, words):
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _display(value):
    """The text as shown, and its folded form of the same length."""
    folded = text.fold(value)
    if len(folded) != len(value):
        # Folding changed the length (rare phrase conversions): show folded.
        return folded, folded
    return value, folded


def mark(value: str, words) -> str:
    shown, folded = _display(value)
    out, last = [], 0
    for start, end in _positions(folded, words):
        out += [shown[last:start], HIGHLIGHT_PRE, shown[start:end], HIGHLIGHT_POST]
        last = end
    out.append(shown[last:])
    return "".join(out)


def snippet(body: str, words, width: int = SNIPPET_CHARS) -> str:
    if not body:
        return ""
    shown, folded = _display(body)
    spans = _positions(folded, words)
    if not spans:
        end = _word_end(shown, min(len(shown), width), 0)
        cut = shown[:end].rstrip()
        return cut + ("…" if end < len(shown) else "")
    first = spans[0][0]
    start = _word_start(shown, max(0, first - width // 3), first)
    end = _word_end(shown, min(len(shown), start + width), spans[0][1])
    piece = mark(shown[start:end].strip(), words)
    return ("…" if start else "") + piece + ("…" if end < len(shown) else "")


def _inside_word(value, index):
    """Between two letters of a word written with spaces (Latin, Cyrillic…):
    Han text has no spaces and may be cut anywhere."""
    before, after = value[index - 1], value[index]
    return (
        before.isalnum()
        and after.isalnum()
        and not text.HAN.match(before)
        and not text.HAN.match(after)
    )


def _word_start(value, start, limit):
    """`start`, moved on to the next word when it falls inside one (never past
    `limit`, the first match)."""
    if start == 0 or not _inside_word(value, start):
        return start
    space = value.find(" ", start, limit)
    return space + 1 if space >= 0 else start


def _word_end(value, end, limit):
    """`end`, moved back to the end of the last whole word when it falls inside
    one (never before `limit`, the end of the first match)."""
    if end >= len(value) or not _inside_word(value, end):
        return end
    space = value.rfind(" ", limit, end)
    return space if space > limit else end
