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
- ``fts``: the FTS5 table over the prepared text, rowid = docs.rowid.
- ``entries``: one row per record or site page (the unit a hit counts as),
  with what sorting and range filters need.
- ``facets``: (entry, facet, value) rows for counting and filtering.

The live file is named in ``<index>.current``; a rebuild writes a new file
and replaces that pointer in one rename, so searches never see a half-built
index. Writes made while a rebuild runs go to both files.
"""

import json
import os
import sqlite3
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
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
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, reference, creators, terms, description, text,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '1 2'
);
INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25(10.0, 8.0, 5.0, 4.0, 2.0, 1.0)');
"""
FTS_COLUMNS = ("title", "reference", "creators", "terms", "description", "text")
# The columns that describe a record (not its description or full text).
DESCRIBING = ("title", "reference", "creators", "terms")
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
# BM25 over every match of a word found nearly everywhere costs more than it
# tells: beyond this many records, results come in catalogue order.
RANK_LIMIT = 50000
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
        for batch in _batches(documents, 2000):
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
        try:
            writer = _Writer(connection, index)
            yield writer
            writer.finish()
            connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            connection.commit()
        except BaseException:
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
    """Fills a fresh file; bitmaps are kept in memory and written at the end."""

    def __init__(self, connection, index):
        self.connection = connection
        self.index = index
        self.bitmaps = _BitmapChanges()

    def add_documents(self, documents):
        for batch in _batches(documents, 2000):
            with self.connection:
                _write(self.connection, self.index, batch, self.bitmaps, fresh=True)

    def finish(self):
        with self.connection:
            self.bitmaps.flush(self.connection)


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


def _write(connection, index, documents, bitmaps, fresh=False):
    if not fresh:
        _delete_ids(connection, [str(d["id"]) for d in documents], bitmaps, keep=True)
    docs, fts_rows, entries, facet_rows = [], [], [], []
    for document in documents:
        entry = _entry_of(index, document)
        page = document.get("page")
        if page is not None and not 0 < int(page) <= MAX_PAGE:
            continue
        rowid = _rowid(entry, page)
        is_main = page is None
        body = _both(document, "text") or _both(document, "description")
        stored = {
            k: v for k, v in document.items() if k not in schema.DISPLAYED_WITHOUT
        }
        data = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
        docs.append((rowid, str(document["id"]), data, body))
        if is_main:
            fts_rows.append(
                (
                    rowid,
                    text.index_text(_both(document, "title")),
                    text.index_text(document.get("reference_code", "")),
                    text.index_text(_joined(document.get("creators"))),
                    text.index_text(_joined(document.get("terms"))),
                    text.index_text(_both(document, "description")),
                    text.index_text(_both(document, "text")),
                )
            )
        else:
            fts_rows.append(
                (rowid, "", "", "", "", "", text.index_text(_both(document, "text")))
            )
            continue
        ancestors = document.get("ancestors") or []
        path = "".join(f"{int(a):0{SEGMENT}d}" for a in ancestors)
        entries.append(
            (entry, document.get("date_sort"), document.get("reference_code", ""), path)
        )
        new = _entry_values(document)
        if not fresh:
            old = {
                (name, value)
                for name, value in connection.execute(
                    "SELECT name, value FROM facets WHERE entry = ?", (entry,)
                )
            }
            for key in old - new:
                bitmaps.remove(key, entry)
            connection.execute("DELETE FROM facets WHERE entry = ?", (entry,))
        for key in new:
            bitmaps.add(key, entry)
            facet_rows.append((entry, *key))
    connection.executemany(
        "INSERT OR REPLACE INTO docs (rowid, id, data, body) VALUES (?, ?, ?, ?)", docs
    )
    connection.executemany(
        "INSERT INTO fts (rowid, title, reference, creators, terms, description, text)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        fts_rows,
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
    if not fresh:
        bitmaps.flush(connection)


def _delete_ids(connection, ids, bitmaps, keep=False):
    """Delete documents by id; a record's or page's own document takes its
    full-text pages with it unless `keep` (it is about to be replaced)."""
    rows = []
    for batch in _batches(ids, 500):
        marks = ",".join("?" * len(batch))
        rows += connection.execute(
            f"SELECT rowid FROM docs WHERE id IN ({marks})", batch
        ).fetchall()
    for (rowid,) in rows:
        entry, page = rowid >> PAGE_BITS, rowid & MAX_PAGE
        if page or keep:
            connection.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
            connection.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
        else:
            _delete_entry(connection, entry, bitmaps)


def _delete_entry(connection, entry, bitmaps):
    low, high = _rowid(entry, 0), _rowid(entry, MAX_PAGE)
    connection.execute("DELETE FROM fts WHERE rowid BETWEEN ? AND ?", (low, high))
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
    bitmaps.flush(connection)


def _delete_documents(connection, ids, bitmaps):
    _delete_ids(connection, ids, bitmaps)
    bitmaps.flush(connection)


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

    def get(self, name, value):
        return self.bitmaps.get((name, str(value)), BitMap())

    def union(self, name, values):
        return BitMap.union(BitMap(), *(self.get(name, v) for v in values))

    def years(self, name, keep):
        return BitMap.union(
            BitMap(),
            *(b for value, b in self.by_name.get(name, []) if keep(int(value))),
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


def _match_expression(terms):
    clauses = []
    for column, column_terms in terms.items():
        parts = [term.fts() for term in column_terms]
        parts = [part for part in parts if part]
        if not parts:
            continue
        joined = " AND ".join(parts)
        if column == "all":
            clauses.append(f"({joined})")
        else:
            clauses.append(f"({column} : ({joined}))")
    return " AND ".join(clauses)


class _Part:
    def __init__(self, index, total, rows, facets, connection=None):
        self.index = index
        self.total = total
        # (entry, score, rowid of the best document) in result order
        self.rows = rows
        self.facets = facets
        self.connection = connection


class _Query:
    def __init__(self, connection, state, index, request, terms):
        self.connection = connection
        self.state = state
        self.index = index
        self.request = request
        self.terms = terms

    def run(self) -> _Part:
        request, state = self.request, self.state
        match = _match_expression(self.terms)
        if any(self.terms.values()) and not match:
            return _Part(self.index, 0, [], {})
        if match:
            # One string from SQLite is parsed faster than thousands of rows.
            joined = self.connection.execute(
                f"SELECT group_concat(rowid >> {PAGE_BITS}) FROM fts WHERE fts MATCH ?",
                [match],
            ).fetchone()[0]
            found = BitMap(map(int, joined.split(","))) if joined else BitMap()
        else:
            found = BitMap(state.get(*ALL))
        found = self._filter(found)
        total = len(found)
        facets = self._facets(found) if request.facets else {}
        wanted = request.page * request.per_page if request.per_page else 0
        rows = self._order(found, match, wanted) if wanted and total else []
        return _Part(self.index, total, rows, facets, self.connection)

    def _filter(self, found):
        request, state = self.request, self.state
        for name, values in request.filters.items():
            if values and name in schema.FACET_FIELDS:
                found &= state.union(name, values)
        if self.index == schema.SITE:
            return found & state.get(LOCALE, request.language)
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
        return BitMap(row[0] for row in self.connection.execute(sql, params))

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

    def _order(self, found, match, wanted):
        sort = self.request.sort
        if sort == schema.SORT_RELEVANCE and match and len(found) <= RANK_LIMIT:
            return self._by_relevance(found, match, wanted)
        if sort == schema.SORT_RELEVANCE:
            # Nothing to rank by: catalogue order (records were added in it).
            entries = list(found[: min(wanted, len(found))])
            return [(e, 0.0, _rowid(e, 0)) for e in entries]
        entries = self._by_date(found, wanted, sort == schema.SORT_DATE_DESC)
        rows = [(e, 0.0, _rowid(e, 0)) for e in entries]
        if match:
            rows = [(e, s, self._best_document(e, match)) for e, s, _ in rows]
        return rows

    def _by_relevance(self, found, match, wanted):
        """Records matching in their own description first, then full text.

        BM25 is computed for every row a MATCH returns, and common words match
        tens of thousands of full-text pages. The column weights put title,
        档号, creator and subject matches first anyway, so those rows are
        ranked alone, and the full text only when they do not fill the page.
        """
        rows, seen = [], set()
        stages = [match]
        if set(self.terms) == {"all"}:
            stages.insert(0, f"{{{' '.join(DESCRIBING)}}} : ({match})")
        for expression in stages:
            cursor = self.connection.execute(
                "SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank",
                [expression],
            )
            for rowid, score in cursor:
                entry = rowid >> PAGE_BITS
                if entry in seen or entry not in found:
                    continue
                seen.add(entry)
                rows.append((entry, score, rowid))
                if len(rows) >= wanted:
                    break
            cursor.close()
            if len(rows) >= wanted:
                break
        return rows

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

    def _best_document(self, entry, match):
        row = self.connection.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?"
            " ORDER BY rank LIMIT 1",
            [match, _rowid(entry, 0), _rowid(entry, MAX_PAGE)],
        ).fetchone()
        return row[0] if row else _rowid(entry, 0)


def _sorted_counts(values):
    return sorted(values.items(), key=lambda item: (-item[1], item[0]))


def _merge(parts, request):
    if not request.per_page:
        return []
    scored = []
    for part in parts:
        boost = SITE_BOOST if part.index == schema.SITE else 1.0
        for position, (_entry, score, best) in enumerate(part.rows):
            scored.append((part, position, (score or 0.0) * boost, best))
    if request.sort == schema.SORT_RELEVANCE:
        scored.sort(key=lambda item: (item[2], item[1]))
    else:
        # Date order within each part; site pages (undated here) after records.
        scored.sort(key=lambda item: (item[0].index != schema.CATALOGUE, item[1]))
    start = (request.page - 1) * request.per_page
    chosen = scored[start : start + request.per_page]
    return [_hit(part, best, score, request) for part, _pos, score, best in chosen]


def _hit(part, rowid, score, request):
    connection = part.connection
    row = connection.execute(
        "SELECT data, body FROM docs WHERE rowid = ?", [rowid]
    ).fetchone()
    if row is None:
        row = connection.execute(
            "SELECT data, body FROM docs WHERE rowid = ?", [rowid & ~MAX_PAGE]
        ).fetchone()
    data, body = row
    page = rowid & MAX_PAGE or None
    document = json.loads(data)
    if page is not None:
        # A full-text page: show its record's own document.
        main = connection.execute(
            "SELECT data FROM docs WHERE rowid = ?", [rowid & ~MAX_PAGE]
        ).fetchone()
        if main:
            document = json.loads(main[0])
    words = _highlight_words(request)
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
        cut = shown[:width]
        return cut + ("…" if len(shown) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(shown), start + width)
    piece = mark(shown[start:end], words)
    return ("…" if start else "") + piece + ("…" if end < len(shown) else "")
