"""Page benchmark: the public pages under gunicorn, driven by wrk.

Step "pages" of bench/run.py. The portal runs as in production (DEBUG off,
gunicorn, whitenoise, `--workers` sync workers, 2 by default: one per core) on
the site database, the generated catalogue imported from CSV into the demo
site. Every page is measured twice (`--cache both`, the default): uncached,
with the page cache switched off (PAGE_CACHE=false), so every request renders
the page again; and cached, with the page cache on and warmed by the warm-up
requests, so what is measured is a hit. The "cache" column says which; a page
the cache does not keep (the search page) is rendered in both runs. The
catalogue's own memo of its front page counts is part of the portal, not of
the page cache, and stays on in both runs.

For each page, wrk (Debian's package, installed by this step when missing)
keeps `--concurrency` connections busy for `--duration` seconds after a warm-up
request per worker; the table gives requests per second and the latency
percentiles, p95 first. wrk runs on the same two cores as the portal, so the
figures are for the whole machine serving and asking at once.

Pages: the home page, an exhibition (when the demo has one), the catalogue's
front page, a fonds, the widest file (first page of its children, and page
1,000, deep in them), an item with OCR text, and the search page
(/zh-hans/search/?q=档案) once it exists; a page that does not answer 200 is
reported, not measured.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from bench.core import PYTHON, ROOT, BenchError, Row, log, options, step

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
SEARCH_PATH = "/zh-hans/search/?q=" + quote("档案")


@options
def add_options(parser):
    group = parser.add_argument_group("pages")
    group.add_argument(
        "--duration", type=float, default=10, help="seconds of load per page"
    )
    group.add_argument(
        "--concurrency", type=int, default=2, help="connections wrk keeps open"
    )
    group.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    group.add_argument(
        "--cache",
        choices=("both", "off", "on"),
        default="both",
        help="measure with the page cache off, on (warm), or both",
    )


@step(
    "pages",
    order=40,
    about="pages under gunicorn and wrk: requests/s, p50/p95/p99",
    needs_server=True,
)
def pages_step(context):
    wrk = ensure_wrk()
    database = context.site_database()
    pages = page_paths(context, database)
    log("collecting static files …")
    context.manage(database, "collectstatic", "--noinput", "-v0")
    options = context.options
    modes = {"off": ("uncached", "false"), "on": ("cached (warm)", "true")}
    chosen = ["off", "on"] if options.cache == "both" else [options.cache]
    rows = []
    for mode in chosen:
        label, switch = modes[mode]
        with serve(context, database, options.workers, PAGE_CACHE=switch) as base:
            for what, path in pages:
                rows.append(measure(wrk, base, what, path, label, options))
    return rows


def measure(wrk, base, what, path, label, options):
    if path is None:
        return Row(what, {"cache": label}, note="not in this portal yet")
    status, cache_header = warm_up(base + path, options.workers)
    if status != 200:
        return Row(what, {"cache": label}, note=f"{path} answers {status}")
    figures = load(wrk, base + path, options.duration, options.concurrency)
    note = path
    if label.startswith("cached") and cache_header != "hit":
        note += "; not kept by the page cache"
    if figures["errors"] or figures["non2xx"]:
        note += f"; {figures['errors']} errors, {figures['non2xx']} not 2xx"
    return Row(
        what,
        {
            "cache": label,
            "requests/s": figures["requests"] / (figures["duration_us"] / 1e6),
            "p50 ms": figures["p50"] / 1000,
            "p95 ms": figures["p95"] / 1000,
            "p99 ms": figures["p99"] / 1000,
            "requests": figures["requests"],
        },
        note=note,
    )


def ensure_wrk():
    """wrk's path, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BenchError("wrk is not installed: apt-get install wrk")
    log("installing wrk (apt-get install wrk) …")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "install", "-y", "-qq", "wrk"],
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "wrk"],
    ):
        subprocess.run(command, env=environment, capture_output=True, check=False)
        if shutil.which("wrk"):
            return shutil.which("wrk")
    raise BenchError("could not install wrk with apt-get")


def page_paths(context, database):
    """(what, path) of each page to measure; path None when there is none."""
    context.setup_django(database)
    from django.utils import translation
    from wagtail.models import Locale, Page

    from catalogue.models import Record
    from catalogue.pages import CatalogueIndexPage

    dataset = context.dataset()
    samples = dataset.manifest["samples"]
    zh = Locale.objects.get(language_code="zh-hans")
    with translation.override("zh-hans"):
        catalogue = CatalogueIndexPage.objects.live().filter(locale=zh).first()
        if catalogue is None:
            raise BenchError("the site has no catalogue page")
        base = catalogue.get_url()

        def record_path(sample, suffix=""):
            repository, code = sample.split("/", 1)
            record = Record.objects.get(
                repository__code=repository, reference_code=code
            )
            return base + quote(catalogue.record_path(record)) + suffix

        exhibition = (
            Page.objects.live()
            .filter(
                locale=zh,
                content_type__app_label="exhibitions",
                content_type__model="exhibitionpage",
            )
            .first()
        )
        wide = dataset.manifest["wide"]["children"]
        deep = min(1000, max(1, wide // 50))
        return [
            ("home", "/zh-hans/"),
            ("exhibition", exhibition.url if exhibition else None),
            ("catalogue front page", base),
            ("fonds", record_path(samples["fonds"])),
            (f"widest file, {wide:,} children, page 1", record_path(samples["wide"])),
            (
                f"widest file, page {deep:,}",
                record_path(samples["wide"], f"?page={deep}"),
            ),
            ("item with OCR text", record_path(samples["item"])),
            ("search 档案", SEARCH_PATH),
        ]


@contextmanager
def serve(context, database, workers, **environment):
    """gunicorn serving the portal on a free local port; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = context.work / "gunicorn.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=context.environment(database, **environment),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while fetch(base + "/healthz")[0] is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"gunicorn did not start; see {log_path}")
                time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def fetch(url):
    """The status of a GET and its X-Page-Cache header; None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            response.read()
            return response.status, response.headers.get("X-Page-Cache")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, None


def warm_up(url, workers):
    """Ask each worker a few times (filling its cache); the last status and header."""
    status, cache_header = None, None
    for _attempt in range(workers * 3):
        status, cache_header = fetch(url)
        if status != 200:
            break
    return status, cache_header


def load(wrk, url, duration, concurrency):
    result = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{concurrency}",
            f"-d{duration:g}s",
            "--timeout",
            "30s",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode or not lines:
        raise BenchError(f"wrk failed on {url}: {result.stderr or result.stdout}")
    return json.loads(lines[-1])
