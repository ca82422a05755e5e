"""How fast and how completely does public search answer, next to Wagtail's?

    .venv/bin/python bench/search.py --records 100k [--database-url URL] [--keep]

1. Takes the generated dataset of that scale (bench/datagen, made if missing
   under var/bench/data), migrates a fresh SQLite database and imports every
   repository's CSV through the real importer. Index updates go to
   django-tasks' dummy backend, so the import does not index and the build is
   measured alone.
2. Builds the local engine's catalogue index with `indexing.rebuild`:
   documents/s, records/s, wall time, peak RSS, size on disk.
3. Runs the generator's query set (bench/search_queries.py) through
   `search.service.run`, what the search page calls: every facet counted
   (disjunctive facets as extra requests), 20 per page, page 1 and page 50.
   A warm-up pass, then every query --repeat times; p50/p95/p99 per class.
4. Indexes the same public records with Wagtail's database search backend (a
   proxy model of Record defined here, for the benchmark only) and times the
   same queries with `backend.search()`: the page of hits, the count and the
   facets Wagtail can count. Its relevance ranking takes minutes a query at
   100k, so a run is stopped after --wagtail-budget seconds and counts as at
   least that long.
5. Recall: each engine's hits against the truth file's expected hits.

bench/run.py runs the same measurement as its "index" and "search" steps, on
the site database of its run. Figures, not pass/fail; --profile shows where
the local engine's time goes.
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    # Run as a script, bench/ comes first and this file would shadow the
    # portal's own `search` package.
    sys.path.insert(0, str(ROOT))

from bench import core, search_queries  # noqa: E402
from bench.core import Row, step  # noqa: E402

TARGET_P95_MS = 30
PER_PAGE = 20
DATA = ROOT / "var" / "bench" / "data"


# Importing (the standalone command; bench/run.py has its own import step) ----


@dataclass
class ImportFigures:
    rows: int
    stored: int
    public: int
    pages: int
    seconds: float


def import_dataset(dataset) -> ImportFigures:
    """Every repository's CSV, through the real importer."""
    from catalogue.importers.base import Bundle, import_records
    from catalogue.importers.csv import read_csv
    from catalogue.models import PageText, Record, Repository

    repositories = {}
    for described in dataset.repositories():
        repository, _created = Repository.objects.get_or_create(
            code=described["code"],
            defaults={"name": described["name"], "name_en": described["name_en"]},
        )
        Record.objects.filter(repository=repository).delete()
        repositories[described["code"]] = repository
    rows = 0
    started = time.perf_counter()
    for code, path in dataset.csv_files():
        report = import_records(
            read_csv(path, bundle=Bundle(path.parent)), repositories[code]
        )
        if not report.ok:
            raise core.BenchError(
                "the import had problems:\n" + "\n".join(report.lines()[:20])
            )
        rows += report.rows
    seconds = time.perf_counter() - started
    records = Record.objects.filter(repository__in=repositories.values())
    return ImportFigures(
        rows=rows,
        stored=records.count(),
        public=records.public().count(),
        pages=PageText.objects.filter(record__in=records).count(),
        seconds=seconds,
    )


# Memory ----------------------------------------------------------------------


def _status_mb(name):
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{name}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def reset_peak_rss():
    """Linux lets a process reset its own high-water mark (clear_refs 5), so
    a build's peak is its own, not the import's before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb():
    peak = _status_mb("VmHWM")
    if peak is None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak


# Index builds ----------------------------------------------------------------


@dataclass
class BuildFigures:
    engine: str
    documents: int
    records: int
    seconds: float
    peak_rss_mb: float | None
    rss_before_mb: float | None
    size_bytes: int

    @property
    def documents_per_second(self):
        return self.documents / self.seconds if self.seconds else 0

    @property
    def records_per_second(self):
        return self.records / self.seconds if self.seconds else 0

    @property
    def name(self):
        if self.engine == "local":
            return "local engine (FTS5), rebuild"
        return "Wagtail database search"


def _file_size(path: Path | None) -> int:
    if path is None:
        return 0
    return sum(
        Path(str(path) + suffix).stat().st_size
        for suffix in ("", "-wal")
        if Path(str(path) + suffix).exists()
    )


def build_local(engine) -> BuildFigures:
    from search import indexing, schema

    records = 0

    def progress(count):
        nonlocal records
        records += count

    before = _status_mb("VmRSS")
    reset_peak_rss()
    started = time.perf_counter()
    documents = indexing.rebuild(schema.CATALOGUE, engine, progress=progress)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    # The search page asks the site index (pages) too.
    indexing.rebuild(schema.SITE, engine)
    return BuildFigures(
        engine="local",
        documents=documents,
        records=records,
        seconds=seconds,
        peak_rss_mb=peak,
        rss_before_mb=before,
        size_bytes=_file_size(engine._live_file(schema.CATALOGUE)),
    )


# Wagtail's database search backend, on the same records -----------------------

# What Wagtail can count as facets: search facet -> the Record field it counts.
# Decade, medium, digital and collection have no Record field to count.
WAGTAIL_FACETS = {
    "type": "level",
    "repository": "repository_id",
    "fonds": "fonds_code",
    "language": "language",
}


@cache
def wagtail_model():
    """Record as a Wagtail-indexed proxy, for this benchmark only.

    Its app label is not an installed app, so migrations, system checks and
    Wagtail's own signal handlers never see it; its index entries carry
    Record's content type.
    """
    from wagtail.search import index

    from catalogue.models import Record

    class BenchRecord(index.Indexed, Record):
        search_fields = [
            index.SearchField("title"),
            index.SearchField("title_en"),
            index.SearchField("reference_code"),
            index.SearchField("creators"),
            index.SearchField("subjects"),
            index.SearchField("names"),
            index.SearchField("places"),
            index.SearchField("scope_and_content"),
            index.SearchField("notes"),
            index.RelatedFields("pages", [index.SearchField("text")]),
            # The public gate, and the filters and facets of the query set.
            index.FilterField("gate_open"),
            index.FilterField("gate_opens_on"),
            index.FilterField("level"),
            index.FilterField("repository"),
            index.FilterField("fonds_code"),
            index.FilterField("language"),
            index.FilterField("date_start"),
            index.FilterField("date_end"),
        ]

        class Meta:
            proxy = True
            app_label = "bench_search"

    return BenchRecord


def wagtail_backend():
    from wagtail.search.backends import get_search_backend

    return get_search_backend("default")


def _database_file():
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    return Path(name) if Path(name).exists() else None


def build_wagtail(batch=1000) -> BuildFigures:
    from django.db import transaction

    model = wagtail_model()
    backend = wagtail_backend()
    remove_wagtail_entries()
    database = _database_file()
    size_before = _file_size(database)
    ids = list(model.objects.public().order_by("pk").values_list("pk", flat=True))
    before = _status_mb("VmRSS")
    reset_peak_rss()
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            objects = model.objects.filter(pk__in=chunk).prefetch_related("pages")
            backend.add_bulk(model, list(objects))
    seconds = time.perf_counter() - started
    return BuildFigures(
        engine="wagtail",
        documents=len(ids),
        records=len(ids),
        seconds=seconds,
        peak_rss_mb=peak_rss_mb(),
        rss_before_mb=before,
        size_bytes=max(_file_size(database) - size_before, 0),
    )


def remove_wagtail_entries():
    """Leave the database as it was: Record is not Wagtail-indexed."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(wagtail_model())
    ).delete()


# The query set ---------------------------------------------------------------


@dataclass
class Prepared:
    """One query of the mix, as each engine is asked it, and its truth."""

    query: search_queries.Query
    request: object  # search.engines.base.SearchRequest
    wagtail_query: object  # a modelsearch query
    wagtail_filters: dict
    expected: set = field(default_factory=set)


def load_truth(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def prepare(truth: dict, queries=None) -> tuple[list[Prepared], int]:
    """The mix as each engine takes it, with the expected hits as record ids.

    Also returns how many expected hits are not in the database at all (an
    import that lost records); they count as missed by both engines."""
    from modelsearch.query import MATCH_ALL
    from wagtail.search.utils import parse_query_string

    from catalogue.models import Record, Repository
    from search import schema
    from search.engines.base import SearchRequest

    queries = queries if queries is not None else search_queries.mix(truth)
    repositories = dict(Repository.objects.values_list("code", "pk"))
    fonds = {
        (code, reference): pk
        for code, reference, pk in Record.objects.filter(level="fonds").values_list(
            "repository__code", "reference_code", "pk"
        )
    }
    hits = {entry["id"]: entry["hits"] for entry in truth["queries"]}
    ids = _record_ids({key for query in queries for key in hits[query.truth_id]})
    unknown = {key for query in queries for key in hits[query.truth_id]} - set(ids)
    for number, key in enumerate(sorted(unknown), start=1):
        ids[key] = -number  # never found
    prepared = []
    for query in queries:
        filters, wagtail_filters = {}, {}
        given = query.filters
        if "level" in given:
            filters["type"] = (given["level"],)
            wagtail_filters["level"] = given["level"]
        if "repository" in given:
            filters["repository"] = (given["repository"],)
            wagtail_filters["repository_id"] = repositories.get(given["repository"])
        if "fonds" in given:
            pk = fonds.get((given.get("repository"), given["fonds"]), 0)
            filters["fonds"] = (str(pk),)
            wagtail_filters["fonds_code"] = given["fonds"]
        year_from = year_to = None
        if "years" in given:
            year_from, year_to = given["years"]
            wagtail_filters["date_start__lte"] = datetime.date(year_to, 12, 31)
            wagtail_filters["date_end__gte"] = datetime.date(year_from, 1, 1)
        request = SearchRequest(
            query=query.typed,
            reference=query.reference,
            filters=filters,
            year_from=year_from,
            year_to=year_to,
            page=query.page,
            per_page=PER_PAGE,
            language="en" if query.kind == "en" else "zh-hans",
            facets=schema.FACETS,
        )
        # Wagtail has no 档号 field: the code is searched as text, which its
        # tokenizer reads as the phrase of its parts. No words: every record.
        text = query.typed or query.reference
        wagtail_query = MATCH_ALL
        if text:
            _ignored, wagtail_query = parse_query_string(text, operator="and")
        prepared.append(
            Prepared(
                query,
                request,
                wagtail_query,
                wagtail_filters,
                expected={ids[key] for key in hits[query.truth_id]},
            )
        )
    return prepared, len(unknown)


def _record_ids(keys: set) -> dict:
    """Record ids of the keys asked, "<repository code>/<档号>"."""
    from catalogue.models import Record

    found = {}
    rows = Record.objects.values_list("repository__code", "reference_code", "pk")
    for code, reference, pk in rows.iterator(chunk_size=5000):
        key = f"{code}/{reference}"
        if key in keys:
            found[key] = pk
    return found


def wagtail_queryset(prepared: Prepared):
    return wagtail_model().objects.public().filter(**prepared.wagtail_filters)


def run_local(prepared: Prepared, engine):
    from search import service

    service.run(prepared.request, engine=engine)


class Censored(float):
    """Seconds of a run stopped at the time budget: a lower bound."""


class OverBudget(Exception):
    def __init__(self, total, part):
        super().__init__(f"stopped after {total:.1f} s")
        self.total, self.part = total, part


@contextmanager
def time_limit(seconds):
    """Interrupt the database's running query after `seconds` (SQLite)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    if not seconds or not hasattr(raw, "interrupt"):
        yield
        return
    timer = threading.Timer(seconds, raw.interrupt)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def run_wagtail(prepared: Prepared, backend, budget=None) -> float:
    """What a results page needs: one page of hits, the count, the facets.

    Returns the seconds spent before the facets (hits and count alone).
    Raises OverBudget when the budget ran out first."""
    from django.db import OperationalError

    started = time.perf_counter()
    without_facets = None
    try:
        with time_limit(budget):
            queryset = wagtail_queryset(prepared)
            results = backend.search(prepared.wagtail_query, queryset)
            start = (prepared.query.page - 1) * PER_PAGE
            list(results[start : start + PER_PAGE])
            results.count()
            without_facets = time.perf_counter() - started
            for facet_field in WAGTAIL_FACETS.values():
                results.facet(facet_field)
    except OperationalError as error:
        if "interrupt" not in str(error).lower():
            raise
        total = Censored(time.perf_counter() - started)
        raise OverBudget(total, without_facets or total) from error
    return without_facets


def local_found(prepared: Prepared, engine) -> set:
    """Every record the local engine finds for the query, through search()."""
    request = replace(
        prepared.request, page=1, per_page=0, facets=(), scope="catalogue"
    )
    total = engine.search(request).total
    if not total:
        return set()
    result = engine.search(replace(request, per_page=total))
    return {hit.document["record_id"] for hit in result.hits}


def wagtail_found(prepared: Prepared, backend) -> set:
    # The same matches, unranked: Wagtail's SQLite ranking costs minutes at
    # 100k and does not change which records match.
    results = backend.search(
        prepared.wagtail_query, wagtail_queryset(prepared), order_by_relevance=False
    )
    return {record.pk for record in results}


# Timing ----------------------------------------------------------------------


def time_queries(prepared, run, repeat, warm_up=None, profiler=None):
    """Seconds of every run of every query: a warm-up pass (over the first
    `warm_up` queries of each class, or all), then `repeat` rounds over the
    whole mix, so no query is hammered while it is hot.

    Returns (total seconds, the part `run` reports, or nothing) by query."""
    seen = defaultdict(int)
    for item in prepared:
        seen[item.query.kind] += 1
        if warm_up is None or seen[item.query.kind] <= warm_up:
            with suppress(OverBudget):
                run(item)
    times, parts = defaultdict(list), defaultdict(list)
    for _round in range(repeat):
        for item in prepared:
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            try:
                part = run(item)
                times[id(item)].append(time.perf_counter() - started)
            except OverBudget as stopped:
                times[id(item)].append(stopped.total)
                part = stopped.part
            if profiler:
                profiler.disable()
            if isinstance(part, float):
                parts[id(item)].append(part)
    return times, parts


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Latency:
    samples: int
    p50: float
    p95: float
    p99: float
    # Runs stopped at the time budget, and the shortest of them (ms): a
    # percentile at or above it is a lower bound.
    stopped: int = 0
    bound: float | None = None

    @classmethod
    def of(cls, seconds):
        ms = [s * 1000 for s in seconds]
        stopped = [s * 1000 for s in seconds if isinstance(s, Censored)]
        return cls(
            len(ms),
            percentile(ms, 0.5),
            percentile(ms, 0.95),
            percentile(ms, 0.99),
            stopped=len(stopped),
            bound=min(stopped) if stopped else None,
        )

    def at_least(self, value):
        return self.bound is not None and value >= self.bound * 0.999

    def show(self, name):
        """A percentile for the tables: "≥ …" when it is a lower bound."""
        value = getattr(self, name)
        return ("≥ " if self.at_least(value) else "") + _ms(value)


@dataclass
class Recall:
    queries: int
    expected: int
    local: int
    wagtail: int | None
    local_complete: int  # queries where every expected hit was found
    wagtail_complete: int | None
    local_extra: int  # hits the truth does not list
    wagtail_extra: int | None

    @staticmethod
    def percent(found, expected):
        return 100.0 * found / expected if expected else 100.0


@dataclass(frozen=True)
class Settings:
    repeat: int = 5  # timed runs of each query on the local engine
    wagtail: bool = True
    wagtail_repeat: int = 1
    # Seconds after which a Wagtail run is stopped (its time then counts as
    # a lower bound): its ranking costs minutes per query at 100k.
    wagtail_budget: float | None = 10
    profile: bool = False


@dataclass
class Report:
    scale: str
    machine: str = ""
    imported: ImportFigures | None = None
    builds: list = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    # class (or "all") -> Latency
    local: dict = field(default_factory=dict)
    wagtail: dict = field(default_factory=dict)
    # Wagtail's page of hits and count, before its facets.
    wagtail_without_facets: dict = field(default_factory=dict)
    by_variant: dict = field(default_factory=dict)  # variant -> (local, wagtail)
    recall: dict = field(default_factory=dict)  # class (or "all") -> Recall
    # (Prepared, local hits, Wagtail hits or None) of every page-1 query
    per_query: list = field(default_factory=list)
    unknown_hits: int = 0
    profile: str = ""

    @property
    def local_p95(self):
        return self.local["all"].p95

    def summary(self):
        line = (
            f"local p95 {self.local_p95:.1f} ms (target < {TARGET_P95_MS} ms at 100k)"
        )
        if "all" in self.wagtail:
            other = self.wagtail["all"]
            line += (
                f"; Wagtail database search p95 {other.show('p95')} ms,"
                f" {ratio(other, self.local['all'])} the local engine's"
            )
        recall = self.recall.get("all")
        if recall:
            line += f"; recall local {_pct(recall.local, recall.expected)}"
            if recall.wagtail is not None:
                line += f", Wagtail {_pct(recall.wagtail, recall.expected)}"
        return line


def ratio(wagtail: Latency, local: Latency) -> str:
    at_least = "≥ " if wagtail.at_least(wagtail.p95) else ""
    return f"{at_least}{wagtail.p95 / local.p95:,.0f}×"


def measure(engine, truth, scale, settings=Settings(), queries=None, log=core.log):
    """Steps 2–5, on a database that already holds the imported catalogue."""
    report = Report(scale=scale, machine=machine())
    report.builds.append(index_local(engine, log))
    backend = None
    if settings.wagtail:
        report.builds.append(index_wagtail(log))
        backend = wagtail_backend()
    try:
        search(report, engine, backend, truth, settings, queries, log)
    finally:
        if backend:
            remove_wagtail_entries()
    return report


def index_local(engine, log=core.log):
    log("building the local engine's index …")
    return build_local(engine)


def index_wagtail(log=core.log):
    log("building Wagtail's database search index …")
    return build_wagtail()


def search(report, engine, backend, truth, settings, queries=None, log=core.log):
    prepared, report.unknown_hits = prepare(truth, queries)
    log(f"timing {len(prepared)} queries × {settings.repeat} on the local engine …")
    profiler = cProfile.Profile() if settings.profile else None
    local_times, _parts = time_queries(
        prepared,
        lambda item: run_local(item, engine),
        settings.repeat,
        profiler=profiler,
    )
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
        report.profile = stream.getvalue()
    wagtail_times = wagtail_parts = {}
    if backend:
        log(
            f"timing {len(prepared)} queries × {settings.wagtail_repeat} on"
            f" Wagtail's backend (at most {settings.wagtail_budget} s each) …"
        )
        # The warm-up is a sample of each class: seconds per query at 100k.
        wagtail_times, wagtail_parts = time_queries(
            prepared,
            lambda item: run_wagtail(item, backend, settings.wagtail_budget),
            settings.wagtail_repeat,
            warm_up=2,
        )
    report.settings = settings
    _latencies(report, prepared, local_times, wagtail_times, wagtail_parts)
    log("comparing each engine's hits with the truth file …")
    _recall(report, prepared, engine, backend)
    report.machine = machine()


def _of(items, times):
    return Latency.of([t for item in items for t in times[id(item)]])


def _latencies(report, prepared, local_times, wagtail_times, wagtail_parts):
    groups = defaultdict(list)
    for item in prepared:
        groups[item.query.kind].append(item)
    groups["all"] = list(prepared)
    for label, items in groups.items():
        report.local[label] = _of(items, local_times)
        if wagtail_times:
            report.wagtail[label] = _of(items, wagtail_times)
            report.wagtail_without_facets[label] = _of(items, wagtail_parts)
    variants = defaultdict(list)
    for item in prepared:
        variants[item.query.variant].append(item)
    for label, items in variants.items():
        other = _of(items, wagtail_times) if wagtail_times else None
        report.by_variant[label] = (_of(items, local_times), other)


def _recall(report, prepared, engine, backend):
    classes = defaultdict(list)
    for item in prepared:
        # A deeper page asks for the same hits as page 1.
        if item.query.page != 1:
            continue
        local = local_found(item, engine)
        other = wagtail_found(item, backend) if backend else None
        classes[item.query.kind].append((item, local, other))
        report.per_query.append((item, local, other))
    for kind, rows in classes.items():
        report.recall[kind] = _recall_row(rows, backend is not None)
    everything = [row for rows in classes.values() for row in rows]
    report.recall["all"] = _recall_row(everything, backend is not None)


def _recall_row(rows, with_wagtail):
    def total(function):
        return sum(function(item, local, other) for item, local, other in rows)

    def wagtail(function):
        return total(function) if with_wagtail else None

    return Recall(
        queries=len(rows),
        expected=total(lambda item, _l, _w: len(item.expected)),
        local=total(lambda item, local, _w: len(item.expected & local)),
        wagtail=wagtail(lambda item, _l, other: len(item.expected & other)),
        local_complete=total(lambda item, local, _w: item.expected <= local),
        wagtail_complete=wagtail(lambda item, _l, other: item.expected <= other),
        local_extra=total(lambda item, local, _w: len(local - item.expected)),
        wagtail_extra=wagtail(lambda item, _l, other: len(other - item.expected)),
    )


# Output ----------------------------------------------------------------------


def machine():
    found = core.machine()
    return (
        f"{found['cores']} cores ({found['cpu']}), {found['memory']}, load average"
        f" {found['load']} (shared with other work); Python {found['python']},"
        f" SQLite {found['sqlite']}; {found['when']}"
    )


def _ms(value):
    if value is None or value != value:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _pct(found, expected):
    if found is None:
        return "—"
    return f"{Recall.percent(found, expected):.1f} %"


def _labels():
    return [*search_queries.CLASSES, "all"]


def _name(label):
    return search_queries.CLASSES.get(label, "all queries")


def build_rows(report: Report) -> list[Row]:
    return [
        Row(
            build.name,
            {
                "records": build.records,
                "documents": build.documents,
                "seconds": build.seconds,
                "records/s": build.records_per_second,
                "documents/s": build.documents_per_second,
                "peak RSS MB": build.peak_rss_mb,
                "RSS before MB": build.rss_before_mb,
                "size MB": build.size_bytes / 1024**2,
            },
        )
        for build in report.builds
    ]


def latency_rows(report: Report) -> list[Row]:
    """Latency and recall by query class, both engines side by side."""
    rows = []
    for label in _labels():
        if label not in report.local:
            continue
        local, recall = report.local[label], report.recall.get(label)
        figures = {
            "queries": recall.queries if recall else None,
            "runs": local.samples,
            "local p50 ms": local.p50,
            "local p95 ms": local.p95,
            "local p99 ms": local.p99,
        }
        if report.wagtail:
            other = report.wagtail[label]
            figures |= {
                "Wagtail p50 ms": other.show("p50"),
                "Wagtail p95 ms": other.show("p95"),
                "Wagtail p95 w/o facets": report.wagtail_without_facets[label].show(
                    "p95"
                ),
                "p95 ratio": ratio(other, local),
            }
        if recall:
            figures["local recall"] = _pct(recall.local, recall.expected)
            if recall.wagtail is not None:
                figures["Wagtail recall"] = _pct(recall.wagtail, recall.expected)
            figures["expected"] = recall.expected
        rows.append(Row(_name(label), figures))
    return rows


def variant_rows(report: Report) -> list[Row]:
    rows = []
    for label, (local, other) in report.by_variant.items():
        figures = {"local p50 ms": local.p50, "local p95 ms": local.p95}
        if other:
            figures |= {
                "Wagtail p50 ms": other.show("p50"),
                "Wagtail p95 ms": other.show("p95"),
            }
        rows.append(Row(search_queries.VARIANTS.get(label, label), figures))
    return rows


def recall_rows(report: Report) -> list[Row]:
    rows = []
    for label in _labels():
        recall = report.recall.get(label)
        if recall is None:
            continue
        figures = {
            "queries": recall.queries,
            "expected hits": recall.expected,
            "local found": _pct(recall.local, recall.expected),
            "local complete": f"{recall.local_complete}/{recall.queries}",
            "local extra": recall.local_extra,
        }
        if recall.wagtail is not None:
            figures |= {
                "Wagtail found": _pct(recall.wagtail, recall.expected),
                "Wagtail complete": f"{recall.wagtail_complete}/{recall.queries}",
                "Wagtail extra": recall.wagtail_extra,
            }
        rows.append(Row(_name(label), figures))
    return rows


def query_rows(report: Report) -> list[Row]:
    rows = []
    for item, local, other in report.per_query:
        figures = {
            "class": item.query.kind,
            "expected": len(item.expected),
            "local": len(item.expected & local),
        }
        if other is not None:
            figures["Wagtail"] = len(item.expected & other)
        rows.append(Row(item.query.label, figures))
    return rows


def render(report: Report) -> str:
    out = [f"# Search at {report.scale}", "", report.machine, ""]
    if report.imported:
        imported = report.imported
        out += [
            f"Imported {imported.rows:,} rows from CSV in {imported.seconds:.1f} s"
            f" ({imported.rows / imported.seconds:,.0f} rows/s):"
            f" {imported.stored:,} records stored, {imported.public:,} public,"
            f" {imported.pages:,} OCR pages.",
            "",
        ]
    out += ["## Index build", "", core.table(build_rows(report)), ""]
    settings = report.settings
    runs = f"local: {settings.repeat} timed runs per query after a warm-up"
    if report.wagtail:
        runs += f"; Wagtail: {settings.wagtail_repeat}"
        stopped = report.wagtail["all"].stopped
        if stopped:
            runs += (
                f", {stopped} of its runs stopped at {settings.wagtail_budget:g} s"
                " (“≥”: a lower bound)"
            )
    out += [
        "## Latency and recall by query class",
        "",
        f"{PER_PAGE} hits per page, every facet counted ({runs}).",
        "",
        core.table(latency_rows(report)),
        "",
        "## Latency by variant",
        "",
        core.table(variant_rows(report)),
        "",
        "## Recall",
        "",
        "Expected hits are the truth file's (bench/datagen/truth.py); *extra*"
        " are hits it does not list.",
        "",
        core.table(recall_rows(report)),
        "",
        "## Each query (page 1): expected hits, and how many each engine found",
        "",
        core.table(query_rows(report)),
        "",
    ]
    if report.unknown_hits:
        out += [
            f"{report.unknown_hits:,} expected hits are not in the database"
            " (counted as missed by both engines).",
            "",
        ]
    if report.wagtail:
        out += [
            "Wagtail's time is its page of hits, count() and facet() on "
            + ", ".join(f"{k} ({v})" for k, v in WAGTAIL_FACETS.items())
            + "; decade, medium, digital and collection have no field it can"
            " count. It has no 档号 field: codes are searched as text.",
            "",
        ]
    out.append(report.summary())
    if report.profile:
        out += ["", "## Profile of the local engine's timed runs", "", report.profile]
    return "\n".join(out)


# bench/run.py steps ----------------------------------------------------------


def add_search_options(parser, prefix=""):
    """The options of the search measurement; `prefix` keeps run.py's apart."""
    parser.add_argument(
        f"--{prefix}repeat",
        type=int,
        default=Settings.repeat,
        help="timed runs per query on the local engine",
    )
    parser.add_argument(
        "--wagtail-repeat",
        type=int,
        default=Settings.wagtail_repeat,
        help="timed runs per query on Wagtail's backend",
    )
    parser.add_argument(
        "--wagtail-budget",
        type=float,
        default=Settings.wagtail_budget,
        help="seconds after which a Wagtail query is stopped (0: never)",
    )
    parser.add_argument(
        "--no-wagtail", action="store_true", help="leave Wagtail's backend out"
    )
    parser.add_argument(
        f"--{prefix}existing-index",
        action="store_true",
        help="time the index already built for this run's database (no rebuild)",
    )
    parser.add_argument(
        f"--{prefix}profile",
        action="store_true",
        help="profile the local engine's queries (printed with the report)",
    )


def settings_from(options, prefix=""):
    prefix = prefix.replace("-", "_")
    return Settings(
        repeat=getattr(options, f"{prefix}repeat"),
        wagtail=not options.no_wagtail,
        wagtail_repeat=options.wagtail_repeat,
        wagtail_budget=options.wagtail_budget or None,
        profile=getattr(options, f"{prefix}profile"),
    )


@core.options
def add_options(parser):
    add_search_options(parser.add_argument_group("search"), prefix="search-")


def _context_engine(context):
    context.setup_django(context.site_database())
    from search.engines import get_engine

    return get_engine()


# The index step is this module's unless a bench/index.py registers its own.
if "index" not in core.STEPS:

    @step("index", order=20, about="local search index build: documents/s, size")
    def index_step(context):
        build = index_local(_context_engine(context))
        return build_rows(Report(scale="", builds=[build]))


@step(
    "search",
    order=30,
    about="search p50/p95/p99 and recall, local engine and Wagtail's backend",
)
def search_step(context):
    engine = _context_engine(context)
    from search import schema

    settings = settings_from(context.options, prefix="search-")
    report = Report(scale=f"{context.scale:,} rows", machine=machine())
    reuse = context.options.search_existing_index and engine.index_size(
        schema.CATALOGUE
    )
    if "index" not in context.results and not reuse:
        # Not built in this run: the figures need an index of this database.
        report.builds.append(index_local(engine))
    backend = None
    if settings.wagtail:
        report.builds.append(index_wagtail())
        backend = wagtail_backend()
    try:
        truth = load_truth(context.dataset().truth_path)
        search(report, engine, backend, truth, settings)
    finally:
        if backend:
            remove_wagtail_entries()
    written = context.work / "search-report.md"
    written.write_text(render(report) + "\n", encoding="utf-8")
    core.log(f"the whole search report (builds, recall of every query): {written}")
    core.log(report.summary())
    return latency_rows(report)


# Command line ----------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records", default="10k", help="scale: 10k, 100k, 1m or a number"
    )
    parser.add_argument("--seed", type=int, default=1956)
    add_search_options(parser)
    parser.add_argument(
        "--data", type=Path, default=DATA, help="where datasets are generated"
    )
    parser.add_argument(
        "--database-url",
        help="An existing, migrated database (default: a fresh temporary SQLite).",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary files")
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        run(options, scratch)
    finally:
        if options.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run(options, scratch):
    from bench.datagen import dataset as datasets
    from bench.datagen.catalogue import parse_scale, scale_label

    scale = parse_scale(options.records)
    dataset = datasets.ensure(options.data, scale, options.seed, log=core.log)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": options.database_url
            or f"sqlite:///{scratch / 'bench.sqlite3'}",
            "DEBUG": "false",  # DEBUG keeps every query in memory
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDIA_ROOT": str(scratch / "media"),
            "CATALOGUE_FILES_ROOT": str(scratch / "catalogue-files"),
            "IMPORTS_ROOT": str(scratch / "imports"),
            "STATIC_ROOT": str(scratch / "static"),
            "SEARCH_LOCAL_PATH": str(scratch / "search"),
            "LOG_LEVEL": "WARNING",
            # Import and index build are measured apart: the import's index
            # update is queued and never run.
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "MEILISEARCH_URL": "",
        }
    )
    if not options.database_url:
        core.log("migrating a fresh database …")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            check=True,
            cwd=ROOT,
        )
    import django

    django.setup()
    from search.engines import get_engine

    core.log(f"importing {dataset.rows:,} rows …")
    imported = import_dataset(dataset)
    report = measure(
        get_engine(),
        load_truth(dataset.truth_path),
        scale_label(scale),
        settings_from(options),
    )
    report.imported = imported
    print(render(report))


if __name__ == "__main__":
    main()
