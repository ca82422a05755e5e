"""Choose the files of LXGW WenKai that the demo's page scans need.

A maintenance step, not part of the demo: run it again when the phrase banks
gain characters. It reads the npm package `lxgw-wenkai-webfont` (unpacked by
`npm pack lxgw-wenkai-webfont && tar xzf lxgw-wenkai-webfont-*.tgz`), whose
regular weight is split into subset files by unicode-range, and copies into
portal/demo/fonts/ the subsets that hold a character of the demo's sources,
with the index that portal/demo/fonts.py reads and the font's licence. The
files are copied as they are: no font tool is needed.

    python -m portal.demo.vendor_font path/to/package
"""

import json
import re
import shutil
import sys
from pathlib import Path

from portal.demo.fonts import FONTS, INDEX

DEMO = Path(__file__).parent
# What writes the scans' text: the phrase banks and the modules that fill them.
SOURCES = ("data/*.toml", "writing.py", "catalogue.py", "scans.py")
# The exhibitions' catalogue (a PDF) and posters print their titles too.
SOURCES += ("exhibitions.py", "media.py")
FACE = re.compile(
    r"src:\s*url\('\./files/(?P<file>[^']+)'\)[^}]*?unicode-range:\s*(?P<ranges>[^;}]+)",
    re.S,
)


def demo_characters():
    """Every character the page scans can contain: those of their sources."""
    text = "".join(
        path.read_text(encoding="utf-8")
        for pattern in SOURCES
        for path in DEMO.glob(pattern)
    )
    return {char for char in text if char.isprintable() and not char.isspace()}


def subsets(css):
    """file -> [(start, end)] of each @font-face of the stylesheet."""
    faces = {}
    for match in FACE.finditer(css):
        ranges = []
        for part in match["ranges"].split(","):
            span = part.strip().removeprefix("U+").removeprefix("u+")
            start, _, end = span.partition("-")
            ranges.append((int(start, 16), int(end or start, 16)))
        faces[match["file"]] = ranges
    return faces


def main(package):
    package = Path(package)
    faces = subsets((package / "lxgwwenkai-regular.css").read_text())
    wanted = {ord(char) for char in demo_characters()}
    chosen, missing = {}, set(wanted)
    for name, ranges in faces.items():
        held = {point for point in wanted if any(s <= point <= e for s, e in ranges)}
        if held:
            chosen[name] = ranges
            missing -= held
    FONTS.mkdir(exist_ok=True)
    for old in FONTS.glob("*.woff2"):
        old.unlink()
    for name in chosen:
        shutil.copyfile(package / "files" / name, FONTS / name)
    shutil.copyfile(package / "OFL.txt", FONTS / "OFL.txt")
    INDEX.write_text(json.dumps(chosen, sort_keys=True, separators=(",", ":")))
    size = sum((FONTS / name).stat().st_size for name in chosen)
    print(f"{len(chosen)} files, {size / 1024:.0f} KB")
    if missing:
        print("not in the font:", "".join(sorted(map(chr, missing))))


if __name__ == "__main__":
    main(sys.argv[1])
