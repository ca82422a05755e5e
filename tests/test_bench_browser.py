"""The browser benchmark's smoke run, so that it never rots: bench/run.py's
"browser" step at 1,000 generated rows, one round. Chromium types each query
of the step's set into the search page; the table's shape and its counts are
checked (a row per kind of query, one keystroke per character typed, every
keystroke answered), never a time."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import browser
from bench.core import ROOT
from bench.search_queries import CLASSES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    if not Path(browser.CHROMIUM).exists():
        pytest.fail(
            f"{browser.CHROMIUM} is missing: apt-get install chromium "
            "fonts-wqy-microhei, or run `make test`.",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("bench-browser")
    # A process of its own: Playwright's synchronous API refuses to start
    # inside the event loop the browser tests' own Playwright keeps running.
    finished = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--scale",
            "1k",
            "--only",
            "browser",
            "--browser-rounds",
            "1",
            "--browser-pause",
            "0",
            "--browser-timeout",
            "10",
            "--data",
            str(root / "data"),
            "--work",
            str(root / "work"),
            "--json",
            str(root / "figures.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    document = json.loads((root / "figures.json").read_text())
    printed = finished
    return document, printed.stdout


def test_every_character_typed_is_a_keystroke_answered_on_the_page(smoke_run):
    document, _printed = smoke_run
    assert document["failed"] == []
    typings = [browser.typing(kind, q) for kind, q in browser.QUERIES]
    kinds = list(dict.fromkeys(t.kind for t in typings))
    rows = {row["what"]: row for row in document["steps"]["browser"]}
    assert list(rows) == [CLASSES[kind] for kind in kinds] + ["all keystrokes"]

    for kind in kinds:
        mine = [t for t in typings if t.kind == kind]
        figures = rows[CLASSES[kind]]["figures"]
        assert figures["queries"] == len(mine)
        assert figures["keystrokes"] == sum(len(t.text) for t in mine)
        assert figures["no answer"] == 0
        assert figures["p50 ms"] <= figures["p95 ms"] <= figures["max ms"]
        assert figures["server p50 ms"] is not None
        # The count the page showed once the whole query was typed.
        for typing in mine:
            assert f"{typing.label} → " in rows[CLASSES[kind]]["note"]
        assert "→ ?" not in rows[CLASSES[kind]]["note"]

    overall = rows["all keystrokes"]["figures"]
    assert overall["queries"] == len(typings)
    assert overall["keystrokes"] == sum(len(t.text) for t in typings)
    assert overall["no answer"] == 0
    assert "answered with a problem" not in rows["all keystrokes"]["note"]


def test_the_figures_print_as_one_table(smoke_run):
    _document, printed = smoke_run
    lines = [line for line in printed.splitlines() if line.startswith("|")]
    header, rule, *body = lines
    for column in ("keystrokes", "p50 ms", "p95 ms", "max ms", "server p95 ms"):
        assert column in header
    assert set(rule) <= {"|", "-"}
    assert len(body) == len({kind for kind, _q in browser.QUERIES}) + 1
    assert all(line.count("|") == header.count("|") for line in body)


def test_a_percentile_is_a_value_that_was_measured():
    assert browser.percentile([], 0.95) is None
    assert browser.percentile([30.0, 10.0, 20.0], 0.5) == 20.0
    assert browser.percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
    assert browser.shown_count("共 1,234 条结果") == 1234
    assert browser.shown_count("No results") is None
