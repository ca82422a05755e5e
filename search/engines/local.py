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
    entry INTEGER NOT NULL,
    page INTEGER,
    data TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS docs_entry ON docs (entry);
CREATE TABLE IF NOT EXISTS entries (
    entry INTEGER PRIMARY KEY,
    rowid_main INTEGER,
    locale TEXT NOT NULL DEFAULT '',
    date_sort INTEGER,
    year_start INTEGER,
    year_end INTEGER,
    reference_code TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS entries_reference ON entries (reference_code);
CREATE INDEX IF NOT EXISTS entries_path ON entries (path);
CREATE INDEX IF NOT EXISTS entries_date ON entries (date_sort);
CREATE TABLE IF NOT EXISTS facets (
    entry INTEGER NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (entry, name, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_value ON facets (name, value, entry);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, reference, creators, terms, description, text,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
"""
FTS_COLUMNS = ("title", "reference", "creators", "terms", "description", "text")
# BM25 weights, in FTS_COLUMNS order: a word in the title counts most.
WEIGHTS = (10.0, 8.0, 5.0, 4.0, 2.0, 1.0)
# Site pages (exhibitions, collections) are few and curated: they rank a
# little above a record with the same score.
SITE_BOOST = 1.5
SEGMENT = 10
SNIPPET_CHARS = 80
TITLE_MAX = 500


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
                try:
                    with connection:
                        _write(connection, index, batch)
                except sqlite3.Error as error:
                    raise EngineError(str(error)) from error
            count += len(batch)
        return count

    def delete_documents(self, index: str, ids: Iterable[str]) -> None:
        ids = list(ids)
        for connection in self._write_targets(index):
            with connection:
                for batch in _batches(ids, 500):
                    _delete_ids(connection, batch)

    def delete_records(self, record_ids: Iterable[int]) -> None:
        record_ids = [int(i) for i in record_ids]
        for connection in self._write_targets(schema.CATALOGUE):
            with connection:
                for batch in _batches(record_ids, 500):
                    _delete_entries(connection, batch)

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
            yield _Writer(connection, index)
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
            raise EngineUnavailable(f"the {index} index has not been built")
        try:
            return _Query(self._connection(file), index, request, terms).run()
        except sqlite3.OperationalError as error:
            if "fts5" in str(error) or "syntax" in str(error):
                # A query FTS5 cannot parse finds nothing; it is not an outage.
                return _Part(index=index, total=0, rows=[], facets={})
            raise EngineUnavailable(str(error)) from error


class _Writer(IndexWriter):
    def __init__(self, connection, index):
        self.connection = connection
        self.index = index

    def add_documents(self, documents):
        for batch in _batches(documents, 2000):
            with self.connection:
                _write(self.connection, self.index, batch)


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


def _joined(value):
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value or "")


def _write(connection, index, documents):
    ids = [str(document["id"]) for document in documents]
    _delete_ids(connection, ids)
    for document in documents:
        entry = _entry_of(index, document)
        page = document.get("page")
        body = document.get("text") or document.get("text_en") or ""
        if not body:
            body = document.get("description") or document.get("description_en") or ""
        stored = {
            k: v for k, v in document.items() if k not in schema.DISPLAYED_WITHOUT
        }
        cursor = connection.execute(
            "INSERT INTO docs (id, entry, page, data, body) VALUES (?, ?, ?, ?, ?)",
            (str(document["id"]), entry, page, json.dumps(stored), body),
        )
        rowid = cursor.lastrowid
        title = " ".join(
            filter(None, [document.get("title"), document.get("title_en")])
        )
        is_main = page is None
        connection.execute(
            "INSERT INTO fts (rowid, title, reference, creators, terms, description,"
            " text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rowid,
                text.index_text(title) if is_main else "",
                text.index_text(document.get("reference_code", "")) if is_main else "",
                text.index_text(_joined(document.get("creators"))) if is_main else "",
                text.index_text(_joined(document.get("terms"))) if is_main else "",
                text.index_text(
                    " ".join(
                        filter(
                            None,
                            [
                                document.get("description"),
                                document.get("description_en"),
                            ],
                        )
                    )
                )
                if is_main
                else "",
                text.index_text(
                    " ".join(
                        filter(None, [document.get("text"), document.get("text_en")])
                    )
                ),
            ),
        )
        if not is_main:
            continue
        ancestors = document.get("ancestors") or []
        path = "".join(f"{int(a):0{SEGMENT}d}" for a in ancestors)
        connection.execute(
            "INSERT OR REPLACE INTO entries (entry, rowid_main, locale, date_sort,"
            " year_start, year_end, reference_code, path)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry,
                rowid,
                document.get("locale", ""),
                document.get("date_sort"),
                document.get("year_start"),
                document.get("year_end"),
                document.get("reference_code", ""),
                path,
            ),
        )
        connection.execute("DELETE FROM facets WHERE entry = ?", (entry,))
        rows = []
        for name, field in schema.FACET_FIELDS.items():
            value = document.get(field)
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item is not None and item != "":
                    rows.append((entry, name, str(item)))
        connection.executemany(
            "INSERT OR IGNORE INTO facets (entry, name, value) VALUES (?, ?, ?)", rows
        )


def _delete_ids(connection, ids):
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    rows = connection.execute(
        f"SELECT rowid, entry, page FROM docs WHERE id IN ({marks})",
        ids,
    ).fetchall()
    _delete_rows(connection, rows)


def _delete_entries(connection, entries):
    marks = ",".join("?" * len(entries))
    rows = connection.execute(
        f"SELECT rowid, entry, page FROM docs WHERE entry IN ({marks})",
        entries,
    ).fetchall()
    _delete_rows(connection, rows)


def _delete_rows(connection, rows):
    if not rows:
        return
    rowids = [(row[0],) for row in rows]
    connection.executemany("DELETE FROM fts WHERE rowid = ?", rowids)
    connection.executemany("DELETE FROM docs WHERE rowid = ?", rowids)
    mains = [(row[1],) for row in rows if row[2] is None]
    connection.executemany("DELETE FROM entries WHERE entry = ?", mains)
    connection.executemany("DELETE FROM facets WHERE entry = ?", mains)


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
        self.rows = rows
        self.facets = facets
        self.connection = connection


class _Query:
    def __init__(self, connection, index, request, terms):
        self.connection = connection
        self.index = index
        self.request = request
        self.terms = terms

    def run(self) -> _Part:
        request = self.request
        where, params = self._filters()
        if where is None:
            return _Part(self.index, 0, [], {})
        match = _match_expression(self.terms)
        has_query = any(self.terms.values())
        if has_query and not match:
            return _Part(self.index, 0, [], {})
        connection = self.connection
        connection.execute("DROP TABLE IF EXISTS temp.hits")
        if match:
            weights = ", ".join(str(w) for w in WEIGHTS)
            connection.execute(
                "CREATE TEMP TABLE hits AS"
                " WITH m AS MATERIALIZED"
                f" (SELECT rowid, bm25(fts, {weights}) AS score FROM fts"
                " WHERE fts MATCH ?)"
                " SELECT d.entry AS entry, min(m.score) AS score, m.rowid AS best"
                " FROM m JOIN docs d ON d.rowid = m.rowid GROUP BY d.entry",
                [match],
            )
            source = "temp.hits h JOIN entries e ON e.entry = h.entry"
            columns = "h.entry, h.score, h.best, e.date_sort"
        else:
            source = "entries e"
            columns = "e.entry, 0, e.rowid_main, e.date_sort"
        condition = " AND ".join(where) or "1"
        connection.execute("DROP TABLE IF EXISTS temp.found")
        connection.execute(
            f"CREATE TEMP TABLE found AS SELECT {_aliased(columns)}"
            f" FROM {source} WHERE {condition}",
            params,
        )
        total = connection.execute("SELECT count(*) FROM temp.found").fetchone()[0]
        rows = []
        limit = (request.page) * request.per_page if request.per_page else 0
        if limit:
            order = {
                schema.SORT_DATE_ASC: "date_sort IS NULL, date_sort ASC, score",
                schema.SORT_DATE_DESC: "date_sort IS NULL, date_sort DESC, score",
            }.get(request.sort, "score, date_sort")
            if request.sort == schema.SORT_RELEVANCE and not match:
                order = "entry"
            rows = connection.execute(
                f"SELECT entry, score, best FROM temp.found ORDER BY {order} LIMIT ?",
                [limit],
            ).fetchall()
        facets = self._facets() if request.facets else {}
        return _Part(self.index, total, rows, facets, connection)

    def _filters(self):
        request = self.request
        where, params = [], []
        for name, values in request.filters.items():
            if not values:
                continue
            if name not in schema.FACET_FIELDS:
                continue
            marks = ",".join("?" * len(values))
            where.append(
                "e.entry IN (SELECT entry FROM facets WHERE name = ?"
                f" AND value IN ({marks}))"
            )
            params += [name, *values]
        if self.index == schema.SITE:
            where.append("e.locale = ?")
            params.append(request.language)
            return where, params
        if request.year_from is not None:
            where.append("e.year_end >= ?")
            params.append(request.year_from)
        if request.year_to is not None:
            where.append("e.year_start <= ?")
            params.append(request.year_to)
        if request.reference:
            code = text.clean(request.reference).strip().upper()
            where.append(
                "(e.reference_code = ? OR (e.reference_code > ? AND"
                " e.reference_code < ?))"
            )
            params += [code, code + "-", code + "."]
        if request.within is not None:
            row = self.connection.execute(
                "SELECT path FROM entries WHERE entry = ?", [request.within]
            ).fetchone()
            if row is None:
                return None, None
            prefix = row[0] + f"{int(request.within):0{SEGMENT}d}"
            high = f"{int(prefix) + 1:0{len(prefix)}d}"
            where.append("(e.entry = ? OR (e.path >= ? AND e.path < ?))")
            params += [request.within, prefix, high]
        return where, params

    def _facets(self):
        names = [n for n in self.request.facets if n in schema.FACET_FIELDS]
        if not names:
            return {}
        marks = ",".join("?" * len(names))
        rows = self.connection.execute(
            "SELECT f.name, f.value, count(*) FROM temp.found x"
            " JOIN facets f ON f.entry = x.entry"
            f" WHERE f.name IN ({marks}) GROUP BY f.name, f.value",
            names,
        ).fetchall()
        counted: dict[str, dict[str, int]] = defaultdict(dict)
        for name, value, count in rows:
            counted[name][value] = count
        return counted


def _aliased(columns):
    names = ("entry", "score", "best", "date_sort")
    return ", ".join(
        f"{column} AS {name}"
        for column, name in zip(columns.split(", "), names, strict=True)
    )


def _sorted_counts(values):
    return sorted(values.items(), key=lambda item: (-item[1], item[0]))


def _merge(parts, request):
    if not request.per_page:
        return []
    scored = []
    for part in parts:
        boost = SITE_BOOST if part.index == schema.SITE else 1.0
        for entry, score, best in part.rows:
            scored.append((part, entry, (score or 0.0) * boost, best))
    if request.sort == schema.SORT_RELEVANCE:
        scored.sort(key=lambda item: item[2])
    start = (request.page - 1) * request.per_page
    chosen = scored[start : start + request.per_page]
    return [_hit(part, best, score, request) for part, _entry, score, best in chosen]


def _hit(part, rowid, score, request):
    connection = part.connection
    data, body, page = connection.execute(
        "SELECT data, body, page FROM docs WHERE rowid = ?", [rowid]
    ).fetchone()
    document = json.loads(data)
    if page is not None:
        # A full-text page: show its record's own document.
        main = connection.execute(
            "SELECT d.data FROM entries e JOIN docs d ON d.rowid = e.rowid_main"
            " WHERE e.entry = ?",
            [document["record_id"]],
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
