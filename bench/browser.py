"""Browser benchmark: from a keystroke to the updated results on the search page.

Step "browser" of bench/run.py. The portal runs under gunicorn on the site
database (bench/pages.py's `serve`: DEBUG off, whitenoise, `--workers` sync
workers) with the local engine's index of that database, built by this step
when the run has none. Debian's Chromium, headless, driven by Playwright, opens
/zh-hans/search/ afresh for every query and types it one character at a time,
as a person would: Latin letters, digits, dashes and quotation marks as key
presses, Chinese characters as text inserted one at a time (what an input
method hands the page, without one).

What is timed, in the page: from the keystroke's `input` event to the first
animation frame after search.js has put the answer for the text typed so far
on the page. search.js waits 150 ms after a keystroke before it asks
/api/search, then swaps the results and filters in, sets the count in the
role=status line, takes `aria-busy` off the layout and writes the search into
the address; the benchmark watches `aria-busy` and takes the answer as the one
for the keystroke when the address holds exactly the text typed. So the figure
is what the visitor waits: the pause, the request, the server, the rendering.
The server's part is the API request's time from sending to the first byte of
the answer (Resource Timing), shown beside it.

The next character is typed only once the results are there (plus
`--browser-pause`): every keystroke gets its own answer. A typist faster than
the answers sees fewer of them, as search.js cancels the request before.

Queries, from the generator's query set (bench/datagen/truth.py), typed as the
search benchmark asks them (bench/search_queries.py): two- and four-character
Chinese words, a quoted phrase, English words, a 档号 prefix in the 档号 field.
One query typed first, not timed, warms the server. `--browser-rounds` rounds.
"""

import json
import math
import re
import time
from dataclasses import dataclass

from bench.core import BenchError, Row, log, options, step
from bench.search_queries import CLASSES, typed

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SEARCH_PAGE = "/zh-hans/search/"
VIEWPORT = {"width": 1280, "height": 800}
# (kind, q) of the truth file, in the order they are typed.
QUERIES = [
    ("zh2", "档案"),
    ("zh2", "码头"),
    ("zh4", "基本建设"),
    ("zh4", "城市规划"),
    ("phrase", "码头扩建工程"),
    ("en", "school"),
    ("en", "bureau"),
    ("refcode", "J0002-001"),
]
WARM_UP = ("zh2", "教育")
FIELDS = {"q": "#search-q", "ref": "#search-ref"}
# Keystrokes in a row left unanswered before the step gives up.
GIVE_UP = 3
INDEXES = ("catalogue", "site")  # search.schema.INDEXES, without Django here

# Installed in the page once it has loaded: notes each keystroke's `input`
# event and, when search.js has answered it, the time to the next frame.
PROBE = """
(api) => {
  if (window.benchKeystrokes) { return; }
  const form = document.querySelector("[data-search-form]");
  const layout = document.getElementById("search-results").parentNode;
  const status = document.getElementById("search-status");
  const problems = document.querySelector("[data-search-problems]");
  const answered = [];
  const waiting = [];
  let pending = null;
  performance.setResourceTimingBufferSize(10000);

  window.addEventListener("input", (event) => {
    if (event.target.form === form) {
      pending = { name: event.target.name, value: event.target.value,
                  start: event.timeStamp };
    }
  }, true);

  // search.js writes the search into the address after each answer.
  function showing(name, value) {
    return (new URLSearchParams(location.search).get(name) || "") === value;
  }

  new MutationObserver(() => {
    if (!pending || layout.hasAttribute("aria-busy")) { return; }
    if (!showing(pending.name, pending.value)) { return; }
    const keystroke = pending;
    pending = null;
    const rendered = performance.now();
    requestAnimationFrame(() => {
      const shown = performance.now();
      const request = performance.getEntriesByType("resource")
        .filter((entry) => entry.name.indexOf(api) >= 0).pop();
      answered.push({
        name: keystroke.name,
        value: keystroke.value,
        ms: shown - keystroke.start,
        dom_ms: rendered - keystroke.start,
        server_ms: request ? request.responseStart - request.requestStart : null,
        status: status.textContent.trim(),
        problem: !problems.hidden,
      });
      waiting.splice(0).forEach((check) => check());
    });
  }).observe(layout, { attributes: true, attributeFilter: ["aria-busy"] });

  window.benchKeystrokes = {
    // The figures of the keystroke that made `value`, once it is answered.
    answer(name, value, timeout) {
      return new Promise((resolve) => {
        const find = () => answered.find(
          (entry) => entry.name === name && entry.value === value);
        const timer = setTimeout(() => resolve(null), timeout);
        const check = () => {
          const found = find();
          if (found) { clearTimeout(timer); resolve(found); }
          else { waiting.push(check); }
        };
        check();
      });
    },
  };
}
"""


@dataclass(frozen=True)
class Typing:
    kind: str
    q: str  # as the truth file gives it
    field: str  # the form field it goes in: "q" or "ref"
    text: str  # what is typed, character by character

    @property
    def label(self):
        return self.text if self.field == "q" else f"档号 {self.text}"


@dataclass
class Keystroke:
    kind: str
    label: str
    typed: str  # the text after this keystroke
    ms: float | None  # None: no answer within the timeout
    server_ms: float | None = None
    status: str = ""
    problem: bool = False


@options
def add_options(parser):
    group = parser.add_argument_group("browser")
    group.add_argument(
        "--browser-rounds", type=int, default=3, help="times each query is typed"
    )
    group.add_argument(
        "--browser-pause",
        type=float,
        default=0.1,
        help="seconds between an answer and the next keystroke",
    )
    group.add_argument(
        "--browser-timeout",
        type=float,
        default=30,
        help="seconds to wait for a keystroke's results",
    )


@step(
    "browser",
    order=45,
    about="search page in Chromium: keystroke to updated results, p50/p95/max",
    needs_server=True,
)
def browser_step(context):
    from bench.pages import serve

    typings = queries(context)
    database = context.site_database()
    ensure_index(context, database)
    log("collecting static files …")
    context.manage(database, "collectstatic", "--noinput", "-v0")
    options = context.options
    workers = getattr(options, "workers", 2)
    with serve(context, database, workers) as base:
        keystrokes = type_queries(
            base,
            typings,
            rounds=options.browser_rounds,
            pause=options.browser_pause,
            timeout=options.browser_timeout,
        )
    return rows(keystrokes, typings, options.browser_rounds)


def queries(context):
    """The queries to type, each checked against the generator's truth file."""
    truth = json.loads(context.dataset().truth_path.read_text(encoding="utf-8"))
    known = {(entry["kind"], entry["q"]) for entry in truth["queries"]}
    missing = [q for kind, q in QUERIES if (kind, q) not in known]
    if missing:
        raise BenchError(f"not in the generator's query set: {', '.join(missing)}")
    return [typing(kind, q) for kind, q in QUERIES]


def typing(kind, q):
    text, reference = typed(kind, q)
    return Typing(kind, q, "ref" if reference else "q", reference or text)


def ensure_index(context, database):
    """The local engine's index of the site database, built when missing."""
    marker = context.work / "browser-index.json"
    site_marker = context.work / "site.json"
    wanted = {
        "key": context.dataset_key(),
        # site_database() writes it when it makes the database again.
        "site": site_marker.stat().st_mtime_ns if site_marker.exists() else None,
    }
    built_now = "index" in context.results and not any(
        row.what.startswith("(") for row in context.results["index"]
    )
    pointers = [context.work / "search" / f"{name}.current" for name in INDEXES]
    current = (
        marker.exists()
        and json.loads(marker.read_text()) == wanted
        and all(pointer.exists() for pointer in pointers)
    )
    if not (built_now or current):
        log("building the search index of the site database …")
        context.manage(database, "search_index", "rebuild")
    marker.write_text(json.dumps(wanted))


def type_queries(base, typings, *, rounds, pause, timeout):
    from playwright.sync_api import sync_playwright

    keystrokes = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
            page.set_default_timeout(timeout * 1000)
            log("typing a query to warm up …")
            type_query(page, base, typing(*WARM_UP), pause, timeout)
            for round_ in range(1, rounds + 1):
                log(f"typing {len(typings)} queries, round {round_} of {rounds} …")
                for query in typings:
                    keystrokes += type_query(page, base, query, pause, timeout)
        finally:
            browser.close()
    return keystrokes


def type_query(page, base, query, pause, timeout):
    """Type `query` into a freshly opened search page; one Keystroke a key."""
    page.goto(base + SEARCH_PAGE, wait_until="load")
    # search.js marks the page when it has taken the form over.
    page.wait_for_selector("html.search-enhanced", state="attached")
    api = page.get_attribute("[data-search-form]", "data-api")
    page.evaluate(PROBE, api)
    if query.field != "q":
        page.click(".advanced__summary")  # the 档号 field is in "Advanced search"
    page.focus(FIELDS[query.field])
    done = []
    text = ""
    unanswered = 0
    for char in query.text:
        if char.isascii():
            page.keyboard.type(char)
        else:
            page.keyboard.insert_text(char)
        text += char
        answer = page.evaluate(
            "([name, value, timeout]) =>"
            " window.benchKeystrokes.answer(name, value, timeout)",
            [query.field, text, timeout * 1000],
        )
        if answer is None:
            log(f"no results for {text!r} within {timeout:g} s")
            done.append(Keystroke(query.kind, query.label, text, None))
            unanswered += 1
            if unanswered == GIVE_UP:
                raise BenchError(
                    f"the search page showed no results for {GIVE_UP} keystrokes"
                    f" in a row ({query.label!r})"
                )
            continue
        unanswered = 0
        done.append(
            Keystroke(
                query.kind,
                query.label,
                text,
                answer["ms"],
                answer["server_ms"],
                answer["status"],
                answer["problem"],
            )
        )
        time.sleep(pause)
    return done


# The table -----------------------------------------------------------------------


def percentile(values, share):
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def figures(keystrokes, queries_count):
    times = [k.ms for k in keystrokes if k.ms is not None]
    server = [k.server_ms for k in keystrokes if k.server_ms is not None]
    return {
        "queries": queries_count,
        "keystrokes": len(keystrokes),
        "p50 ms": percentile(times, 0.50),
        "p95 ms": percentile(times, 0.95),
        "max ms": max(times, default=None),
        "server p50 ms": percentile(server, 0.50),
        "server p95 ms": percentile(server, 0.95),
        "no answer": len(keystrokes) - len(times),
    }


def shown_count(status):
    """The number in the status line ("1,234 results", "共 1,234 条"), or None."""
    found = re.search(r"\d[\d,]*", status)
    return int(found.group().replace(",", "")) if found else None


def rows(keystrokes, typings, rounds):
    result = []
    for kind in dict.fromkeys(t.kind for t in typings):
        mine = [k for k in keystrokes if k.kind == kind]
        finals = []
        for query in (t for t in typings if t.kind == kind):
            last = [k for k in mine if k.label == query.label and k.typed == query.text]
            count = shown_count(last[-1].status) if last else None
            finals.append(f"{query.label} → {'?' if count is None else f'{count:,}'}")
        result.append(
            Row(
                CLASSES[kind],
                figures(mine, sum(t.kind == kind for t in typings)),
                note="results: " + "; ".join(finals),
            )
        )
    # A phrase begins with its quote: that first keystroke has no word yet and
    # is rightly answered with the page's message; any other problem is not.
    prefixes = sum(
        k.problem and not any(c.isalnum() for c in k.typed) for k in keystrokes
    )
    problems = sum(k.problem for k in keystrokes) - prefixes
    note = f"{rounds} round(s); includes search.js's 150 ms pause after a key"
    if problems:
        note += f"; {problems} answered with a problem shown"
    if prefixes:
        note += f"; {prefixes} symbols-only prefix(es) answered with their message"
    result.append(Row("all keystrokes", figures(keystrokes, len(typings)), note=note))
    return result
