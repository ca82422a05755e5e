"""The benchmark's smoke run, so that it never rots: 1,000 generated rows
through bench/run.py's import step, as `bench/run.py --scale 1k --only import`
runs it. Counts and the table's shape are checked, never a time."""

import contextlib
import datetime
import io
import json
import sqlite3

import pytest

from bench import run
from bench.datagen import dataset
from bench.datagen.catalogue import Catalogue

IMPORT_ROWS = [
    "CSV, first import",
    "CSV, again (updates in place)",
    "CSV, reading only",
    "EAD, first import (6 files)",
    "EAD, reading only",
]


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    """bench/run.py --scale 1k --only import --verify, its figures and output."""
    root = tmp_path_factory.mktemp("bench")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        document = run.main(
            [
                "--scale",
                "1k",
                "--only",
                "import",
                "--verify",
                "--data",
                str(root / "data"),
                "--work",
                str(root / "work"),
                "--json",
                str(root / "figures.json"),
            ]
        )
    return document, printed.getvalue(), root


def test_a_thousand_rows_through_the_import_step(smoke_run):
    document, printed, root = smoke_run

    assert document["failed"] == []
    counts = document["dataset"]["counts"]
    assert counts["rows"] == 1000
    assert 0 < counts["public"] < counts["stored"] < counts["rows"]
    rows = {row["what"]: row for row in document["steps"]["import"]}
    assert list(rows) == IMPORT_ROWS
    for what in IMPORT_ROWS:
        figures = rows[what]["figures"]
        assert figures["rows"] == 1000
        assert figures["rows/s"] > 0
        if "reading" not in what:
            # What the generator says must be stored, and public, is.
            assert figures["stored"] == counts["stored"]
            assert figures["public"] == counts["public"]
            assert figures["page texts"] == counts["stored_pages"]
            assert figures["peak RSS MB"] > 0
        # A note would say what did not match, or that the gate was wrong.
        assert rows[what]["note"] == "", rows[what]["note"]

    lines = [line for line in printed.splitlines() if line.startswith("|")]
    header, rule, *body = lines
    assert "rows/s" in header and "peak RSS MB" in header
    assert set(rule) <= {"|", "-"}
    assert len(body) == len(IMPORT_ROWS)
    assert all(line.count("|") == header.count("|") for line in body)
    assert json.loads((root / "figures.json").read_text())["steps"]["import"]


def test_the_truth_file_lists_only_public_records_and_all_of_a_prefix(smoke_run):
    _document, _printed, root = smoke_run
    found = dataset.load(dataset.directory_for(root / "data", 1000, 1956))
    truth = json.loads(found.truth_path.read_text())
    today = datetime.date.today().isoformat()
    with sqlite3.connect(root / "work" / "import-csv.sqlite3") as database:
        public = {
            f"{repository}/{code}"
            for repository, code in database.execute(
                "SELECT r.code, c.reference_code FROM catalogue_record c "
                "JOIN catalogue_repository r ON r.id = c.repository_id "
                "WHERE c.gate_open AND (c.gate_opens_on IS NULL "
                "OR c.gate_opens_on <= ?)",
                [today],
            )
        }
    assert truth["public_records"] == len(public)
    queries = {query["id"]: query for query in truth["queries"]}
    for query in truth["queries"]:
        assert query["count"] == len(query["hits"])
        assert set(query["hits"]) <= public, query["id"]
    fonds = queries["refcode-j0001"]["hits"]
    assert sorted(fonds) == sorted(
        key for key in public if key.split("/")[1].split("-")[0] == "J0001"
    )
    assert queries["none-量子计算机"]["hits"] == []
    assert queries["zh2-档案"]["count"] > 0


def test_the_generator_is_reproducible(tmp_path):
    first = dataset.generate(tmp_path / "a", 500, 7, log=lambda _message: None)
    second = dataset.generate(tmp_path / "b", 500, 7, log=lambda _message: None)
    other = dataset.generate(tmp_path / "c", 500, 8, log=lambda _message: None)
    files = sorted(
        path.relative_to(first.root)
        for path in first.root.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    )
    assert files
    for name in files:
        assert (first.root / name).read_bytes() == (second.root / name).read_bytes()
    csv_name = "990101/catalogue.csv"
    assert (first.root / csv_name).read_bytes() != (other.root / csv_name).read_bytes()


def test_the_wide_file_is_a_tenth_of_the_scale_up_to_100000():
    assert Catalogue(1000, 1).wide == 100
    assert Catalogue(100_000, 1).wide == 10_000
    assert Catalogue(2_000_000, 1).wide == 100_000
