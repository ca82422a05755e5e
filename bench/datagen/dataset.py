"""Generating a dataset directory, and finding it again.

    <out>/<label>-seed<seed>/
        manifest.json   what was generated: repositories and their files,
                        counts, sample records for the page benchmark
        truth.json      expected hits of the query set (truth.py)
        990101/ …       one import bundle per repository (writers.py)

The manifest is written last: a directory without one is an interrupted
generation and is made again.
"""

import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, scale_label
from .truth import Truth
from .writers import CsvWriter, EadWriter, TextWriter

# Bump when the generator's output changes, so that stale datasets are made again.
GENERATOR_VERSION = 1


@dataclass
class Dataset:
    root: Path
    manifest: dict

    @property
    def truth_path(self) -> Path:
        return self.root / "truth.json"

    def repositories(self):
        return self.manifest["repositories"]

    def csv_files(self):
        """(repository code, path) of each repository's CSV catalogue."""
        return [(r["code"], self.root / r["csv"]) for r in self.repositories()]

    def ead_files(self):
        """(repository code, path) of every EAD finding aid, fonds by fonds."""
        return [
            (r["code"], self.root / path)
            for r in self.repositories()
            for path in r["ead"]
        ]

    @property
    def rows(self) -> int:
        return self.manifest["counts"]["rows"]


def directory_for(out: Path, scale: int, seed: int, wide: int | None = None) -> Path:
    name = f"{scale_label(scale)}-seed{seed}"
    if wide is not None:
        name += f"-wide{wide}"
    return Path(out) / name


def load(root: Path) -> Dataset | None:
    manifest = Path(root) / "manifest.json"
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    if data.get("generator_version") != GENERATOR_VERSION:
        return None
    return Dataset(Path(root), data)


def ensure(out: Path, scale: int, seed: int, wide=None, log=print) -> Dataset:
    """The dataset, generated unless an identical one is already there."""
    root = directory_for(out, scale, seed, wide)
    found = load(root)
    if found is not None:
        return found
    return generate(root, scale, seed, wide, log=log)


def generate(root: Path, scale: int, seed: int, wide=None, log=print) -> Dataset:
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    catalogue = Catalogue(scale, seed, wide)
    truth = Truth(catalogue)
    levels, statuses = Counter(), Counter()
    counts = Counter()
    samples = {}
    repositories = []
    texts_total = Counter()
    for code, name, name_en, rows in catalogue.repositories():
        directory = root / code
        directory.mkdir()
        table = CsvWriter(directory / "catalogue.csv")
        ead = EadWriter(directory, code)
        texts = TextWriter(directory)
        fonds_code = ""
        fonds_number = 0
        try:
            for event, node in catalogue.events(code):
                if event == "end":
                    ead.end(node)
                    continue
                if node.level == "fonds":
                    fonds_code = node.code
                    fonds_number += 1
                table.start(node, fonds_code)
                ead.start(node, fonds_code)
                texts.start(node, fonds_code)
                truth.add(node, fonds_code)
                levels[node.level] += 1
                statuses[node.status] += 1
                counts["stored"] += node.stored
                counts["public"] += node.public
                counts["not_yet_open"] += node.stored and not node.public
                if node.stored:
                    counts["stored_pages"] += len(node.pages)
                key = f"{code}/{node.code}"
                if node.public and code == "990101":
                    if node.level == "fonds" and "fonds" not in samples:
                        samples["fonds"] = key
                    elif (
                        node.level == "item"
                        and node.pages
                        and fonds_number >= 2
                        and "item" not in samples
                    ):
                        samples["item"] = key
        finally:
            table.close()
            ead.close()
        texts_total.update(
            files=texts.files, pages=texts.pages, characters=texts.characters
        )
        repositories.append(
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "rows": rows,
                "csv": f"{code}/catalogue.csv",
                "ead": [str(p.relative_to(root)) for p in ead.paths],
            }
        )
    samples["wide"] = f"990101/{catalogue.wide_code}"
    samples.setdefault("item", samples["wide"])
    truth_document = truth.document()
    (root / "truth.json").write_text(
        json.dumps(truth_document, ensure_ascii=False), encoding="utf-8"
    )
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "scale": scale,
        "label": scale_label(scale),
        "seed": seed,
        "wide": {
            "repository": "990101",
            "code": catalogue.wide_code,
            "children": catalogue.wide,
        },
        "repositories": repositories,
        "counts": {
            "rows": sum(levels.values()),
            "levels": dict(levels),
            "access": dict(statuses),
            "stored": counts["stored"],
            "public": counts["public"],
            "not_yet_open": counts["not_yet_open"],
            "with_text": texts_total["files"],
            "pages": texts_total["pages"],
            "stored_pages": counts["stored_pages"],
            "text_characters": texts_total["characters"],
        },
        "samples": samples,
        "bytes": _sizes(root),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (root / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    log(
        f"generated {manifest['counts']['rows']:,} rows in {manifest['seconds']} s "
        f"into {root}"
    )
    return Dataset(root, manifest)


def _sizes(root):
    sizes = Counter()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".csv":
            sizes["csv"] += path.stat().st_size
        elif path.suffix == ".xml":
            sizes["ead"] += path.stat().st_size
        elif path.suffix == ".txt":
            sizes["ocr"] += path.stat().st_size
        else:
            sizes["other"] += path.stat().st_size
    return dict(sizes)
