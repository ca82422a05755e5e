"""Lighthouse on the search page and the home page, mobile and desktop.

Step "lighthouse" of bench/run.py, and the runner the browser tests use
(tests/browser/test_lighthouse.py). Lighthouse is the npm package pinned by
package.json / package-lock.json and installed into node_modules/ by
`make install-test` (`npm ci`); it drives Debian's Chromium, headless. Nothing
is downloaded when it runs. (package.json's "overrides" pin two packages that
Lighthouse's trace engine asks for as "latest": `npm ci` compares "latest"
with the registry's newest version, not with the lock, and would refuse it.)

The step serves the site database under gunicorn as the pages step does
(bench/pages.py's `serve`: DEBUG off, whitenoise) with the local engine's index
of that database (bench/browser.py's `ensure_index`), and runs Lighthouse's
performance category once per page and form factor, each in a Lighthouse
process of its own. It prints the performance score, cumulative layout shift,
largest contentful paint and total blocking time. Lighthouse's figures for a
mobile page are simulated on a throttled phone (4× slower CPU, slow 4G), from
a trace taken on this machine: they vary with the machine's load, so the step
reports them and never passes or fails on them.
"""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from bench.core import ROOT, BenchError, Row, log, options, step

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
# Debian's Chromium with the browser step's flags, in its new headless mode.
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
FORM_FACTORS = ("mobile", "desktop")
# The pages the step measures: the home page, and the search page with a
# query whose results fill the page (码头, "wharf", one of the generator's
# queries, bench/datagen/truth.py).
PAGES = {
    "home": "/zh-hans/",
    "search": "/zh-hans/search/?q=码头",
}
TIMEOUT_SECONDS = 180
RETRY_HINT = "Please run Lighthouse again"


def run(url, *, categories, form_factor="mobile", report=None, error_page=False):
    """Lighthouse's JSON result (the LHR) for one page, from a process of its own.

    `report`, a path, also keeps the JSON there for people to read;
    `error_page` audits a page answered with an error status (the 404 page),
    which Lighthouse otherwise refuses to.
    """
    if form_factor not in FORM_FACTORS:
        raise ValueError(f"form_factor is one of {FORM_FACTORS}, not {form_factor!r}")
    if not LIGHTHOUSE.exists():
        raise BenchError(f"{LIGHTHOUSE} is missing: run `make install-test` (npm ci)")
    if not Path(CHROMIUM).exists():
        raise BenchError(f"{CHROMIUM} is missing: apt-get install chromium")
    command = [
        str(LIGHTHOUSE),
        quote(url, safe=":/?=&%"),
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        # "mobile" is Lighthouse's default (a Moto G Power's screen, its CPU
        # and a slow 4G network simulated); desktop is a preset of its own.
        *(["--preset=desktop"] if form_factor == "desktop" else []),
        *(["--ignore-status-code"] if error_page else []),
    ]
    finished = lighthouse(command, url)
    if finished.returncode and RETRY_HINT in finished.stderr:
        # Chromium's trace sometimes misses the navigation's start
        # (NO_NAVSTART) on a busy machine; Lighthouse asks to be run again.
        log(f"Lighthouse asks to be run again on {url}; running it again")
        finished = lighthouse(command, url)
    if finished.returncode or not finished.stdout.strip():
        raise BenchError(
            f"Lighthouse failed on {url} (exit {finished.returncode}):\n"
            f"{finished.stderr[-4000:]}"
        )
    result = json.loads(finished.stdout)
    if result.get("runtimeError"):
        raise BenchError(f"Lighthouse could not load {url}: {result['runtimeError']}")
    if report is not None:
        Path(report).parent.mkdir(parents=True, exist_ok=True)
        Path(report).write_text(finished.stdout, encoding="utf-8")
    return result


def lighthouse(command, url):
    try:
        return subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(
            f"Lighthouse took more than {TIMEOUT_SECONDS} s on {url}"
        ) from error


def score(result, category):
    """A category's score out of 100, or None when Lighthouse could not score it."""
    value = result["categories"][category]["score"]
    return None if value is None else round(value * 100)


def failing_audits(result, category):
    """The audits that cost `category` points, each with what Lighthouse found,
    as lines of text: what a failing test prints."""
    lines = []
    for reference in result["categories"][category]["auditRefs"]:
        audit = result["audits"][reference["id"]]
        if not reference["weight"] or audit["score"] is None or audit["score"] >= 1:
            continue
        shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        lines.append(
            f"- {audit['id']}: {audit['title']}{shown}, score {audit['score']}"
        )
        for item in (audit.get("details") or {}).get("items", [])[:10]:
            lines.append(f"    {describe(item)}")
    return lines


def describe(item):
    """One item of an audit's details table, short enough to read: the
    element (selector and markup), the resource (address and line) or the
    plain values Lighthouse gives."""
    parts = []
    for key, value in item.items():
        if isinstance(value, dict) and value.get("snippet"):
            parts.append(f"{value.get('selector', '')} {value['snippet']}".strip())
            if value.get("explanation"):
                parts.append(value["explanation"])
        elif isinstance(value, dict) and value.get("url"):
            line = value.get("line")
            parts.append(
                value["url"] + (f" line {line + 1}" if line is not None else "")
            )
        elif isinstance(value, str | int | float) and key != "type":
            parts.append(f"{key}: {value}")
    return " — ".join(parts)[:400]


# The benchmark step ---------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    page: str
    form_factor: str
    figures: dict


@options
def add_options(parser):
    group = parser.add_argument_group("lighthouse")
    group.add_argument(
        "--lighthouse-runs",
        type=int,
        default=1,
        help="Lighthouse runs per page and form factor (the median is shown)",
    )


@step(
    "lighthouse",
    order=47,
    about="Lighthouse on the home and search pages: performance, CLS, LCP, TBT",
    needs_server=True,
)
def lighthouse_step(context):
    from bench.browser import ensure_index
    from bench.pages import fetch, serve

    database = context.site_database()
    ensure_index(context, database)
    log("collecting static files …")
    context.manage(database, "collectstatic", "--noinput", "-v0")
    runs = max(1, context.options.lighthouse_runs)
    measured = []
    with serve(context, database, getattr(context.options, "workers", 2)) as base:
        # One request first, so that no figure includes a cold worker.
        for path in PAGES.values():
            fetch(base + quote(path, safe="/?=&"))
        for name, path in PAGES.items():
            for form_factor in FORM_FACTORS:
                log(f"Lighthouse: {name}, {form_factor} ({runs} run(s)) …")
                figures = [
                    performance_figures(
                        run(
                            base + path,
                            categories=["performance"],
                            form_factor=form_factor,
                        )
                    )
                    for _ in range(runs)
                ]
                measured.append(Measured(name, form_factor, median_run(figures)))
    return [
        Row(
            f"{m.page}, {m.form_factor}",
            m.figures,
            note=f"{PAGES[m.page]}; median of {runs} run(s)"
            if runs > 1
            else PAGES[m.page],
        )
        for m in measured
    ]


def performance_figures(result):
    audits = result["audits"]
    return {
        "performance": score(result, "performance"),
        "CLS": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "LCP ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "TBT ms": round(audits["total-blocking-time"]["numericValue"]),
        "FCP ms": round(audits["first-contentful-paint"]["numericValue"]),
    }


def median_run(figures):
    """The run with the median performance score: its figures belong together."""
    ordered = sorted(figures, key=lambda f: f["performance"] or 0)
    return ordered[len(ordered) // 2]
