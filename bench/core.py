"""What every benchmark step shares: the registry, the run's context, the table.

A step is a function registered under a name; it receives the `Context` of the
run and returns `Row`s, each a line of the printed table:

    from bench.core import Row, step

    @step("search", order=30, about="search latency and recall")
    def search_latency(context):
        context.setup_django(context.site_database())
        ...
        return [Row("zh2, page 1", {"p50 ms": 3.1, "p95 ms": 9.8})]

bench/run.py imports the modules listed in `STEP_MODULES`, which register
their steps as they are imported, and runs the chosen ones in `order`. A step
may add its own command-line options with `@options` (see bench/pages.py).

The context hands out, built once and kept between runs when nothing changed:

- `dataset()`: the generated data (bench/datagen), made if missing;
- `fresh_database(name)`: a migrated, empty SQLite database of its own;
- `site_database()`: the whole generated catalogue imported from CSV into the
  demo site (`setup_demo`), for steps that read or serve it; the import step
  leaves its database for this, so a full run imports only once more;
- `environment(database)`: the environment variables a subprocess (manage.py,
  gunicorn, an import worker) needs to run the portal on that database, with
  every file it writes under the run's work directory;
- `setup_django(database)`: Django in this process, on that database.
"""

import hashlib
import json
import os
import platform
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Steps live in these modules; a module that is not there (yet) is skipped.
STEP_MODULES = [
    "bench.importing",
    "bench.ead",
    "bench.index",
    "bench.search",
    "bench.pages",
    "bench.exhibitions",
    "bench.oai",
    "bench.browser",
    "bench.lighthouse",
]


@dataclass
class Row:
    """One line of a step's table: what was measured, and its figures by
    column name (numbers are formatted by the table, text is shown as is)."""

    what: str
    figures: dict = field(default_factory=dict)
    note: str = ""


@dataclass
class Step:
    name: str
    function: Callable
    order: int
    about: str
    needs_server: bool  # serves pages (gunicorn, a load generator): not in tests


STEPS: dict[str, Step] = {}
OPTIONS: list[Callable] = []


def step(name, *, order=50, about="", needs_server=False):
    """Register a benchmark step: a function (context) -> list[Row]."""

    def register(function):
        STEPS[name] = Step(name, function, order, about, needs_server)
        return function

    return register


def worker_figures(context, database, command, what):
    """Run a benchmark worker process on `database` and return the figures it
    prints as JSON on its last line; a failed worker is a BenchError."""
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=context.environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BenchError(f"the {what} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def options(function):
    """Register a function (argparse parser) that adds a step's options."""
    OPTIONS.append(function)
    return function


def log(message):
    print(message, file=sys.stderr, flush=True)


class BenchError(Exception):
    """A step cannot go on; the message says why."""


# The run's context -------------------------------------------------------------


@dataclass
class Context:
    scale: int
    seed: int
    wide: int | None
    data: Path  # where datasets are generated
    work: Path  # this scale's databases, media, search index, logs
    options: object
    results: dict = field(default_factory=dict)  # step name -> rows, for later steps
    _dataset: object = None
    _django: Path | None = None
    _secret: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    # Data ---------------------------------------------------------------------

    def dataset(self):
        if self._dataset is None:
            from bench.datagen import dataset

            self._dataset = dataset.ensure(
                self.data, self.scale, self.seed, self.wide, log=log
            )
        return self._dataset

    # Databases ----------------------------------------------------------------

    def environment(self, database: Path, **extra) -> dict:
        """Environment for a portal process on `database` (SQLite)."""
        self.work.mkdir(parents=True, exist_ok=True)
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": f"sqlite:///{Path(database).resolve()}",
            "DEBUG": "false",  # DEBUG keeps every query in memory
            "HTTPS": "false",
            "SECRET_KEY": self._secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(self.work / "media"),
            "STATIC_ROOT": str(self.work / "static"),
            "CATALOGUE_FILES_ROOT": str(self.work / "catalogue-files"),
            "IMPORTS_ROOT": str(self.work / "imports"),
            "SEARCH_LOCAL_PATH": str(self.work / "search"),
            # Index updates that imports and page changes queue are recorded,
            # not run: an import is measured alone, the index build by its
            # own step, as with a background worker in production.
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "DEMO_PASSWORD": self._secret[:16],
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        environment.pop("MEILISEARCH_URL", None)
        environment.update(extra)
        return environment

    def manage(self, database, *arguments, capture=True):
        """Run manage.py on `database`; its output, or BenchError."""
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=self.environment(database),
            capture_output=capture,
            text=True,
            check=False,
        )
        if result.returncode:
            raise BenchError(
                f"manage.py {' '.join(arguments)} failed:\n"
                f"{(result.stderr or '')[-3000:]}"
            )
        return result.stdout

    def template_database(self) -> Path:
        """A migrated, empty database, made once per set of migrations."""
        templates = self.data.parent / "templates"
        templates.mkdir(parents=True, exist_ok=True)
        path = templates / f"migrated-{_migrations_fingerprint()}.sqlite3"
        if not path.exists():
            log("migrating an empty database …")
            # Two runs at once each migrate their own copy; the last one in wins.
            scratch = path.with_suffix(f".{os.getpid()}.partial")
            _remove_database(scratch)
            self.manage(scratch, "migrate", "--noinput", "-v0", "--skip-checks")
            _checkpoint(scratch)
            scratch.rename(path)
        return path

    def fresh_database(self, name) -> Path:
        path = self.work / f"{name}.sqlite3"
        _remove_database(path)
        self.work.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.template_database(), path)
        return path

    def dataset_key(self):
        """What the imported catalogue depends on: the data and the schema."""
        manifest = self.dataset().manifest
        return "-".join(
            [
                manifest["label"],
                f"seed{manifest['seed']}",
                f"wide{manifest['wide']['children']}",
                f"v{manifest['generator_version']}",
                _migrations_fingerprint(),
            ]
        )

    def offer_catalogue_database(self, path: Path):
        """A database holding the imported catalogue, that site_database()
        may take over rather than import again."""
        _checkpoint(path)
        self.work.joinpath("catalogue.json").write_text(
            json.dumps({"database": str(path), "key": self.dataset_key()})
        )

    def site_database(self) -> Path:
        """The catalogue imported from CSV, in the demo site."""
        path = self.work / "site.sqlite3"
        marker = self.work / "site.json"
        key = self.dataset_key()
        if (
            path.exists()
            and marker.exists()
            and json.loads(marker.read_text()).get("key") == key
        ):
            return path
        _remove_database(path)
        self.work.mkdir(parents=True, exist_ok=True)
        offered = self.work / "catalogue.json"
        source = None
        if offered.exists():
            found = json.loads(offered.read_text())
            if found.get("key") == key and Path(found["database"]).exists():
                source = Path(found["database"])
        if source is not None:
            for suffix in ("", "-wal", "-shm"):
                extra = Path(str(source) + suffix)
                if extra.exists():
                    extra.rename(str(path) + suffix)
            offered.unlink()
        else:
            log("importing the catalogue for the site database …")
            shutil.copyfile(self.template_database(), path)
            from bench.importing import run_worker

            run_worker(self, path, "csv", again=False, read_first=False)
        log("adding the demo site (setup_demo) …")
        self.manage(path, "setup_demo")
        _checkpoint(path)
        marker.write_text(json.dumps({"key": key}))
        return path

    def setup_django(self, database: Path):
        """Django in this process, on `database`; once per process."""
        if self._django is not None:
            if Path(database) != self._django:
                raise BenchError("Django is already set up on another database")
            return
        os.environ.update(self.environment(database))
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        self._django = Path(database)


def _remove_database(path: Path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _checkpoint(path: Path):
    """Fold the write-ahead log into the database file, so it can be copied."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _migrations_fingerprint():
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# The machine and the table ----------------------------------------------------


def machine():
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.0f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }


def format_value(value):
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def table(rows: list[Row]) -> str:
    """A Markdown table of rows, columns in the order the figures first appear."""
    columns = []
    for row in rows:
        for name in row.figures:
            if name not in columns:
                columns.append(name)
    has_notes = any(row.note for row in rows)
    header = ["", *columns] + (["note"] if has_notes else [])
    lines = [header]
    for row in rows:
        cells = [row.what] + [format_value(row.figures.get(c)) for c in columns]
        if has_notes:
            cells.append(row.note)
        lines.append(cells)
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]

    def render(cells):
        padded = [
            cell + " " * (width - _width(cell))
            for cell, width in zip(cells, widths, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    out = [render(lines[0])]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out += [render(line) for line in lines[1:]]
    return "\n".join(out)


def _width(text):
    # Chinese characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)
