"""Run the benchmarks at one scale and print a table of figures.

    .venv/bin/python bench/run.py --scale 100k [--only import,pages] [--skip pages]

Generates the dataset if needed (bench/datagen, kept under var/bench/data/),
then runs each step in turn and prints one table per step, Markdown, ready for
docs/PERFORMANCE.md; the figures also go to var/bench/results/ as JSON.

Steps are registered by the modules in bench.core.STEP_MODULES (--list shows
them). Each prints figures, never passes or fails on a time; a step that
cannot run (no wrk, no search page yet) says so in its table.
"""

import argparse
import json
import sys
import time
import traceback
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    # Run as a script, bench/ comes first and bench/search.py would shadow
    # the portal's own `search` package.
    sys.path.insert(0, str(ROOT))

from bench import core  # noqa: E402
from bench.datagen.catalogue import parse_scale, scale_label  # noqa: E402

VAR = ROOT / "var" / "bench"


def load_steps():
    for name in core.STEP_MODULES:
        try:
            import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                core.log(f"warning: {name} cannot be imported: {error}")
        except Exception as error:  # noqa: BLE001 — one broken step must not stop the rest
            core.log(f"warning: {name} cannot be imported: {error!r}")


def parser():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", default="10k", help="1k, 10k, 100k, 1m or a number")
    parser.add_argument("--seed", type=int, default=1956)
    parser.add_argument(
        "--wide", type=int, default=None, help="children of the widest file"
    )
    parser.add_argument("--only", default="", help="steps to run, comma-separated")
    parser.add_argument("--skip", default="", help="steps to leave out")
    parser.add_argument("--list", action="store_true", help="list the steps")
    parser.add_argument("--data", type=Path, default=VAR / "data")
    parser.add_argument(
        "--work", type=Path, default=None, help="default: var/bench/runs/<scale>"
    )
    parser.add_argument("--json", type=Path, default=None, help="write figures here")
    for add in core.OPTIONS:
        add(parser)
    return parser


def choose(options):
    wanted = [s for s in options.only.split(",") if s]
    skipped = {s for s in options.skip.split(",") if s}
    unknown = [s for s in [*wanted, *skipped] if s not in core.STEPS]
    if unknown:
        raise SystemExit(
            f"unknown step(s): {', '.join(unknown)}; "
            f"the steps are {', '.join(core.STEPS)}"
        )
    steps = sorted(core.STEPS.values(), key=lambda s: (s.order, s.name))
    return [
        s for s in steps if (not wanted or s.name in wanted) and s.name not in skipped
    ]


def main(argv=None):
    load_steps()
    options = parser().parse_args(argv)
    if options.list:
        for found in sorted(core.STEPS.values(), key=lambda s: s.order):
            print(f"{found.name:<10} {found.about}")
        return None
    scale = parse_scale(options.scale)
    label = scale_label(scale)
    name = f"{label}-seed{options.seed}"
    if options.wide is not None:
        name += f"-wide{options.wide}"
    context = core.Context(
        scale=scale,
        seed=options.seed,
        wide=options.wide,
        data=options.data,
        work=options.work or VAR / "runs" / name,
        options=options,
    )
    steps = choose(options)
    machine = core.machine()
    started = time.perf_counter()
    dataset = context.dataset()
    counts = dataset.manifest["counts"]
    print(
        f"## Scale {label}: {counts['rows']:,} rows, {counts['stored']:,} stored, "
        f"{counts['public']:,} public; {counts['with_text']:,} items with "
        f"{counts['pages']:,} OCR pages; widest file "
        f"{dataset.manifest['wide']['children']:,} children (seed {options.seed})\n"
    )
    print(
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}; "
        f"Python {machine['python']}, SQLite {machine['sqlite']}; "
        f"load average at start {machine['load']}; {machine['when']}\n"
    )
    results = {}
    failed = []
    for chosen in steps:
        core.log(f"— {chosen.name} —")
        step_started = time.perf_counter()
        try:
            rows = chosen.function(context) or []
        except core.BenchError as error:
            rows = [core.Row("(not measured)", note=str(error).splitlines()[0])]
            core.log(str(error))
            failed.append(chosen.name)
        except Exception:  # noqa: BLE001 — report it and go on with the next step
            traceback.print_exc()
            rows = [core.Row("(failed)", note="see the traceback above")]
            failed.append(chosen.name)
        context.results[chosen.name] = rows
        seconds = time.perf_counter() - step_started
        print(f"### {chosen.name} ({seconds:,.0f} s)\n")
        print(core.table(rows) if rows else "(no figures)")
        print(flush=True)
        results[chosen.name] = [
            {"what": r.what, "figures": r.figures, "note": r.note} for r in rows
        ]
    document = {
        "scale": scale,
        "seed": options.seed,
        "dataset": dataset.manifest,
        "machine": machine,
        "seconds": round(time.perf_counter() - started, 1),
        "steps": results,
        "failed": failed,
    }
    target = options.json or (
        VAR / "results" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    core.log(f"figures written to {target}")
    return document


if __name__ == "__main__":
    document = main()
    sys.exit(1 if document and document["failed"] else 0)
