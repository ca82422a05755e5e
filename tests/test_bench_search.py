"""The search benchmark's code path, at a few hundred rows, so it never rots.

No time is asserted (figures come from running bench/search.py): this checks
that the benchmark still imports the generated catalogue, indexes it in both
engines, asks every class of query and compares the hits with the truth file.
"""

import pytest
from django.db import connection

from bench import search as benchmark
from bench import search_queries
from bench.datagen import dataset as datasets

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_both_engines_on_every_query_class(
    search_engine, tmp_path
):
    if connection.vendor != "sqlite":
        # Wagtail's PostgreSQL backend indexes through a relation the
        # benchmark's proxy model does not have; the benchmark runs on SQLite.
        pytest.skip("the search benchmark compares engines on SQLite")
    # One run for every check: it imports and indexes a catalogue twice.
    dataset = datasets.ensure(tmp_path / "data", 300, 1956, log=lambda message: None)
    imported = benchmark.import_dataset(dataset)
    truth = benchmark.load_truth(dataset.truth_path)
    # Page 1 only keeps the run short; the command asks page 50 too.
    queries = [query for query in search_queries.mix(truth) if query.page == 1]
    report = benchmark.measure(
        search_engine,
        truth,
        "300",
        benchmark.Settings(repeat=1),
        queries=queries,
        log=lambda message: None,
    )
    report.imported = imported
    text = benchmark.render(report)

    # A latency row and a recall row per class of the truth file, both engines.
    kinds = {entry["kind"] for entry in truth["queries"]}
    assert set(report.local) == kinds | {"all"}
    assert set(report.wagtail) == kinds | {"all"}
    for kind in kinds:
        name = search_queries.CLASSES[kind]
        rows = [line for line in text.splitlines() if line.startswith(f"| {name} ")]
        assert len(rows) == 2, name
    assert "| local engine (FTS5), rebuild " in text
    assert "| Wagtail database search " in text
    assert "target < 30 ms at 100k" in text
    assert report.unknown_hits == 0
    assert report.builds[0].records >= report.imported.public

    # The local engine finds every record that holds a Chinese word or name.
    substring = [
        (item, found)
        for item, found, _wagtail in report.per_query
        if item.query.kind in ("zh2", "zh4", "rare")
    ]
    assert sum(len(item.expected) for item, _found in substring) > 100
    for item, found in substring:
        assert item.expected <= found, item.query.label

    # Wagtail's does not find 档案 inside 档案馆 (nor any other Chinese word).
    (item, local, wagtail), *_others = [
        row for row in report.per_query if row[0].query.label == "档案"
    ]
    assert item.expected <= local
    assert len(item.expected & wagtail) < len(item.expected) / 2


def test_a_percentile_reached_by_a_stopped_run_is_shown_as_a_lower_bound():
    quick, stopped = 0.005, benchmark.Censored(10.0)
    latency = benchmark.Latency.of([quick] * 18 + [stopped] * 2)

    assert latency.show("p50") == "5.0"
    assert latency.show("p95") == "≥ 10,000"
    assert latency.stopped == 2
