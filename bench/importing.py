"""Import benchmark: the generated catalogue through the real importer.

Step "import" of bench/run.py. For each format the import runs in a worker
process of its own (`python -m bench.importing …`), on a fresh migrated SQLite
database, so that its peak memory is its own and nothing is warm:

- CSV: every repository's catalogue.csv, read alone first (the parser's
  speed), then imported (`import_records(read_csv(…))`, one call per
  repository as `manage.py import_catalogue` makes it), then imported again,
  which updates every record in place;
- EAD: every fonds' finding aid, read alone, then imported one file at a
  time, as an archive would bring them.

Rows per second count every row of the files, stored or not (rows that are not
open are read, checked and counted too). Peak RSS is the worker's whole
process (`getrusage`), Django included; "over baseline" is what the import
added to the process as it was before reading. The figures of what was stored
are checked against what the generator says the import must store, and a
mismatch is reported in the table's note.

--profile writes a cProfile of the CSV import to the run's work directory;
py-spy gives a truer picture (docs/PERFORMANCE.md says how).
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.core import (  # noqa: E402
    PYTHON,
    BenchError,
    Row,
    log,
    options,
    step,
    worker_figures,
)


@options
def add_options(parser):
    group = parser.add_argument_group("import")
    group.add_argument(
        "--profile", action="store_true", help="cProfile the CSV import (import step)"
    )
    group.add_argument(
        "--verify",
        action="store_true",
        help="check the gate columns the import wrote against refresh_gate() "
        "(import step; costs memory at large scales)",
    )
    group.add_argument(
        "--import-formats",
        default="csv,ead",
        help="formats the import step measures (default: csv,ead)",
    )


@step("import", order=10, about="CSV and EAD import: rows/s, peak RSS")
def import_step(context):
    dataset = context.dataset()
    counts = dataset.manifest["counts"]
    formats = [f.strip() for f in context.options.import_formats.split(",")]
    rows = []
    if "csv" in formats:
        database = context.fresh_database("import-csv")
        profile = context.work / "profile-csv.txt" if context.options.profile else None
        figures = run_worker(
            context,
            database,
            "csv",
            again=True,
            profile=profile,
            verify=context.options.verify,
        )
        rows += [
            import_row("CSV, first import", figures["first"], counts),
            import_row("CSV, again (updates in place)", figures["again"], counts),
            reading_row("CSV, reading only", figures["read"]),
        ]
        context.offer_catalogue_database(database)
    if "ead" in formats:
        database = context.fresh_database("import-ead")
        figures = run_worker(context, database, "ead", verify=context.options.verify)
        files = len(dataset.ead_files())
        what = f"EAD, first import ({files:,} files)"
        rows += [
            import_row(what, figures["first"], counts),
            reading_row("EAD, reading only", figures["read"]),
        ]
        for suffix in ("", "-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
    return rows


def reading_row(what, figures):
    return Row(
        what,
        {
            "rows": figures["rows"],
            "seconds": figures["seconds"],
            "rows/s": figures["rows"] / figures["seconds"],
            "CPU s": figures["cpu_seconds"],
            "rows/CPU s": figures["rows"] / figures["cpu_seconds"],
        },
    )


def import_row(what, figures, expected):
    notes = []
    for name, key in (
        ("stored", "stored"),
        ("public", "public"),
        ("page texts", "stored_pages"),
    ):
        if figures[name] != expected[key]:
            notes.append(f"{name}: expected {expected[key]:,}")
    if figures.get("gate_mismatches"):
        notes.append(f"gate columns wrong on {figures['gate_mismatches']:,} records")
    return Row(
        what,
        {
            "rows": figures["rows"],
            "stored": figures["stored"],
            "public": figures["public"],
            "page texts": figures["page texts"],
            "seconds": figures["seconds"],
            "rows/s": figures["rows"] / figures["seconds"],
            "CPU s": figures["cpu_seconds"],
            "rows/CPU s": figures["rows"] / figures["cpu_seconds"],
            "peak RSS MB": figures["peak_rss_mb"],
            "over baseline MB": figures["peak_rss_mb"] - figures["baseline_rss_mb"],
        },
        note="; ".join(notes),
    )


def run_worker(
    context, database, fmt, *, again=False, read_first=True, profile=None, verify=False
):
    """Import the dataset into `database` in a worker process; its figures."""
    dataset = context.dataset()
    command = [
        PYTHON,
        "-m",
        "bench.importing",
        "--dataset",
        str(dataset.root),
        "--format",
        fmt,
    ]
    if again:
        command.append("--again")
    if read_first:
        command.append("--read-first")
    if profile:
        command += ["--profile", str(profile)]
    if verify:
        command.append("--verify")
    log(f"importing {dataset.rows:,} rows from {fmt.upper()} …")
    figures = worker_figures(context, database, command, f"{fmt} import worker")
    for phase in ("read", "first", "again"):
        if phase in figures:
            found = figures[phase]
            log(
                f"  {fmt} {phase}: {found['rows']:,} rows in {found['seconds']:.1f} s "
                f"({found['rows'] / found['seconds']:,.0f} rows/s, "
                f"CPU {found['cpu_seconds']:.1f} s)"
            )
    if figures.get("problems"):
        raise BenchError(
            f"the {fmt} import had problems:\n" + "\n".join(figures["problems"])
        )
    return figures


# The worker ---------------------------------------------------------------------


def peak_rss_mb():
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--format", choices=["csv", "ead"], required=True)
    parser.add_argument("--again", action="store_true")
    parser.add_argument("--read-first", action="store_true")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--verify", action="store_true")
    arguments = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import transaction

    from bench.datagen import dataset as datasets
    from catalogue.importers.base import Bundle, Problem, import_records
    from catalogue.importers.csv import read_csv
    from catalogue.importers.ead import read_ead
    from catalogue.importers.sources import read_rows
    from catalogue.models import PageText, Record, Repository

    dataset = datasets.load(arguments.dataset)
    if dataset is None:
        raise SystemExit(f"no dataset at {arguments.dataset}")
    read = read_csv if arguments.format == "csv" else read_ead
    files = dataset.csv_files() if arguments.format == "csv" else dataset.ead_files()
    repositories = {}
    for described in dataset.repositories():
        repositories[described["code"]], _created = Repository.objects.get_or_create(
            code=described["code"],
            defaults={"name": described["name"], "name_en": described["name_en"]},
        )
    out = {"baseline_rss_mb": peak_rss_mb()}

    if arguments.read_first:
        started = time.perf_counter()
        cpu = time.process_time()
        rows = problems = 0
        for _code, path in files:
            for row in read(path, bundle=Bundle(path.parent)):
                if isinstance(row, Problem):
                    problems += 1
                else:
                    rows += 1
        out["read"] = {
            "rows": rows,
            "problems": problems,
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu,
        }

    def import_all():
        started = time.perf_counter()
        cpu = time.process_time()
        totals = {"rows": 0, "created": 0, "updated": 0, "skipped": 0}
        for code, path in files:
            bundle = Bundle(path.parent)
            # As manage.py import_catalogue and the admin read a file.
            rows = read_rows(path, arguments.format, bundle)
            report = import_records(rows, repositories[code], bundle=bundle)
            if not report.committed:
                out["problems"] = [f"{path.name}:", *report.lines()[:30]]
                break
            totals["rows"] += report.rows
            totals["created"] += report.created
            totals["updated"] += report.updated
            totals["skipped"] += sum(report.skipped.values())
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        ours = Record.objects.filter(repository__in=repositories.values())
        return {
            **totals,
            "seconds": seconds,
            "cpu_seconds": cpu,
            "stored": ours.count(),
            "public": ours.public().count(),
            "page texts": PageText.objects.filter(
                record__repository__in=repositories.values()
            ).count(),
            "peak_rss_mb": peak_rss_mb(),
            "baseline_rss_mb": out["baseline_rss_mb"],
        }

    profiler = None
    if arguments.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    out["first"] = import_all()
    if profiler:
        profiler.disable()
        import io
        import pstats

        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)
        arguments.profile.write_text(stream.getvalue())
    if arguments.verify and "problems" not in out:
        # The import sets the gate columns as it writes; refresh_gate() is
        # the model's own definition of them. They must agree everywhere.
        ours = Record.objects.filter(repository__in=repositories.values())
        columns = ("id", "gate_open", "gate_opens_on")
        written = set(ours.values_list(*columns))
        with transaction.atomic():
            ours.refresh_gate()
            expected = set(ours.values_list(*columns))
            transaction.set_rollback(True)
        out["first"]["gate_mismatches"] = len(written - expected)
    if arguments.again and "problems" not in out:
        out["again"] = import_all()
    print(json.dumps(out))


if __name__ == "__main__":
    worker()
