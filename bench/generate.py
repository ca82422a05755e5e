"""Generate a benchmark catalogue: import files (CSV and EAD), OCR text, truth.

    .venv/bin/python bench/generate.py --scale 100k [--seed 1956] [--out var/bench/data]

Seeded and reproducible: the same scale and seed write the same files, byte
for byte. An existing, complete dataset is kept (--force makes it again).
bench/run.py calls the same code, so running it is seldom needed by hand.

The shape of the data is described in bench/datagen/catalogue.py, the files in
bench/datagen/writers.py, and the truth file of expected search hits in
bench/datagen/truth.py.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.datagen import dataset  # noqa: E402
from bench.datagen.catalogue import parse_scale  # noqa: E402

DEFAULT_OUT = ROOT / "var" / "bench" / "data"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="10k", help="1k, 10k, 100k, 1m or a number")
    parser.add_argument("--seed", type=int, default=1956)
    parser.add_argument(
        "--wide",
        type=int,
        default=None,
        help="children of the widest file (default: a tenth of the scale, "
        "at most 100,000)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="generate again")
    options = parser.parse_args(argv)
    scale = parse_scale(options.scale)
    root = dataset.directory_for(options.out, scale, options.seed, options.wide)
    if options.force and root.exists():
        shutil.rmtree(root)
    found = dataset.ensure(options.out, scale, options.seed, options.wide)
    print(json.dumps(found.manifest["counts"], indent=2))
    print(f"dataset: {found.root}")


if __name__ == "__main__":
    main()
