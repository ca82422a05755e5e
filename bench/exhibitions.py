"""Exhibition pages: the server time of each page's first view.

    .venv/bin/python bench/run.py --only exhibitions

Step "exhibitions" of bench/run.py. It needs no generated catalogue: a fresh
database gets the demo site (setup_demo: two exhibitions with their chapters,
three collections, the chronicle's events, in Chinese and English), published
with the task backend a worker gives, so each publication's renditions are
made then (exhibitions/receivers.py), outside any visitor's request.

The portal then runs under gunicorn (bench/pages.py's `serve`: DEBUG off, one
sync worker, the page cache off), warmed by the two home pages, and every live
exhibition, collection and chronicle page is asked once: its first view. What
is timed is the request, from sending to the last byte, on the same machine
(server time plus well under a millisecond of loopback); the rendition table
is counted before and after each view. Each page is then asked a second
time, which shows what of the first view was the process meeting a template
for the first time rather than the page itself.

The control does the same on a copy of that database with its renditions
deleted: what a first visitor waited when pictures were made on demand.
"""

import json
import shutil
import sqlite3
import statistics
import subprocess
import time
import urllib.error
import urllib.request

from bench.core import PYTHON, ROOT, BenchError, Row, log, step
from bench.pages import fetch, serve

RENDITIONS = "home_archiverendition"
WARM_UP = ("/zh-hans/", "/en/")
# Each live page of the exhibitions app, by kind, with its address.
LIST_PAGES = """
import json
from wagtail.models import Page
pages = Page.objects.live().filter(content_type__app_label="exhibitions")
print(json.dumps([
    [page.specific_class.__name__, page.locale.language_code, page.get_url()]
    for page in pages.select_related("content_type", "locale").order_by("path")
]))
"""


@step(
    "exhibitions",
    order=42,
    about="first view of every exhibition page after publishing: server ms",
    needs_server=True,
)
def exhibitions_step(context):
    database = context.work / "exhibitions.sqlite3"
    build(context, database)
    pages = list_pages(context, database)
    log(f"{len(pages)} live exhibition, collection and chronicle pages")
    control = context.work / "exhibitions-control.sqlite3"
    shutil.copyfile(database, control)
    with sqlite3.connect(control) as connection:
        connection.execute(f"DELETE FROM {RENDITIONS}")  # noqa: S608 (a constant)
    rows = []
    for label, path in (
        ("renditions made on publish", database),
        ("control: none made beforehand", control),
    ):
        log(f"first views, {label} …")
        rows += summarise(label, first_views(context, path, pages))
    return rows


def build(context, database):
    """A fresh database with the demo site, its renditions made on publish."""
    shutil.copyfile(context.template_database(), database)
    log("adding the demo site (setup_demo), renditions made as pages publish …")
    started = time.perf_counter()
    environment = context.environment(
        database, TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
    )
    for command in (["setup_demo"], ["collectstatic", "--noinput", "-v0"]):
        result = subprocess_run(command, environment)
        if result.returncode:
            raise BenchError(f"manage.py {command[0]} failed:\n{result.stderr[-3000:]}")
    log(f"  done in {time.perf_counter() - started:.0f} s")


def subprocess_run(arguments, environment):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def list_pages(context, database):
    output = context.manage(database, "shell", "-c", LIST_PAGES)
    pages = json.loads(output.strip().splitlines()[-1])
    if not pages:
        raise BenchError("the demo site has no exhibition pages")
    return pages


def count(database):
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {RENDITIONS}").fetchone()[0]  # noqa: S608


def first_views(context, database, pages):
    """(kind, language, path, ms, status, renditions made, ms of a second view)
    of each page's first view."""
    views = []
    with serve(context, database, 1, PAGE_CACHE="false") as base:
        for path in WARM_UP:
            fetch(base + path)
        for kind, language, path in pages:
            before = count(database)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            elapsed = 1000 * (time.perf_counter() - started)
            made = count(database) - before
            # Once more: what the page costs once the process knows it.
            started = time.perf_counter()
            fetch(base + path)
            again = 1000 * (time.perf_counter() - started)
            views.append((kind, language, path, elapsed, status, made, again))
    return views


def summarise(label, views):
    """One row per kind of page and language, then the whole set."""
    groups = {}
    for view in views:
        groups.setdefault((view[0], view[1]), []).append(view)
    groups[("All pages", "")] = views
    rows = []
    for (kind, language), group in groups.items():
        times = [view[3] for view in group]
        slowest = max(group, key=lambda view: view[3])
        failed = [view[2] for view in group if view[4] != 200]
        note = f"slowest {slowest[2]}"
        if failed:
            note += f"; not 200: {', '.join(failed)}"
        rows.append(
            Row(
                f"{kind} ({language})" if language else kind,
                {
                    "run": label,
                    "pages": len(group),
                    "median ms": statistics.median(times),
                    "slowest ms": max(times),
                    "second view median ms": statistics.median(
                        view[6] for view in group
                    ),
                    "renditions made on view": sum(view[5] for view in group),
                },
                note=note,
            )
        )
    return rows
