"""The faces the demo's page scans are written in.

Handwriting is a kai (楷) face and print (letterheads, forms, stamps) a song or
ming (宋/明) face. Debian's own faces are used when they are installed
(fonts-arphic-ukai, fonts-arphic-uming, fonts-noto-cjk): `fc-list | grep -iE
"kai|ming|song"` shows them. Without them, both are written in LXGW WenKai, a
kai face under the SIL Open Font License (portal/demo/fonts/OFL.txt, kept
beside the files as the licence asks): its web font comes split into files by
character, and portal/demo/fonts/ keeps the files that hold the characters the
demo writes (portal/demo/vendor_font.py chose them), so the demo draws real
characters on any machine, never boxes. English pages are typed in a
monospaced face. The fonts are read only while the demo is built.
"""

import json
from bisect import bisect_right
from functools import cache
from pathlib import Path

from PIL import ImageFont

FONTS = Path(__file__).parent / "fonts"
INDEX = FONTS / "lxgw-wenkai.json"
# Debian's faces, (path, face index in the collection): the simplified-Chinese
# face first.
INSTALLED_KAI = [
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # AR PL UKai CN
]
INSTALLED_SONG = [
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),  # SC
]
TYPEWRITER = [
    ("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0),
]


def _installed(candidates):
    return next((found for found in candidates if Path(found[0]).exists()), None)


@cache
def _ranges():
    """(starts, ends, files) of the vendored kai face's code point ranges."""
    if not INDEX.exists():
        return [], [], []
    spans = sorted(
        (start, end, name)
        for name, ranges in json.loads(INDEX.read_text()).items()
        for start, end in ranges
        if (FONTS / name).exists()
    )
    return (
        [s for s, _e, _n in spans],
        [e for _s, e, _n in spans],
        [n for _s, _e, n in spans],
    )


@cache
def _font(path, size, index=0):
    return ImageFont.truetype(str(path), size, index=index)


def kai_file(char):
    """The vendored file of the kai face that holds `char`, or None."""
    starts, ends, names = _ranges()
    position = bisect_right(starts, ord(char)) - 1
    if position >= 0 and ord(char) <= ends[position]:
        return FONTS / names[position]
    return None


def _vendored(char, size):
    path = kai_file(char)
    return _font(path, size) if path is not None else None


def kai(char, size):
    """A font that writes `char` by hand: Debian's kai, else the vendored one."""
    installed = _installed(INSTALLED_KAI)
    if installed:
        return _font(installed[0], size, installed[1])
    return _vendored(char, size) or typewriter(size)


def song(char, size):
    """A font that prints `char`: Debian's song or ming face, else kai."""
    installed = _installed(INSTALLED_SONG)
    if installed:
        return _font(installed[0], size, installed[1])
    return kai(char, size)


def typewriter(size):
    installed = _installed(TYPEWRITER)
    if installed:
        return _font(installed[0], size, installed[1])
    return ImageFont.load_default(size)


def installed():
    """The installed faces the scans use (kai, song, typewriter), None if not."""
    return tuple(
        _installed(candidates)
        for candidates in (INSTALLED_KAI, INSTALLED_SONG, TYPEWRITER)
    )


def has_kai():
    """Whether Chinese can be written as characters (not as empty boxes)."""
    return bool(_installed(INSTALLED_KAI)) or bool(_ranges()[0])


def write(draw, xy, text, size, *, fill=255, centre=False, face=song):
    """Words in one line, a character at a time (the vendored face is split
    into files by character); `xy` is the left, or the centre, of the line's
    middle. Returns where the words end."""
    faces = [face(char, size) for char in text]
    widths = [font.getlength(char) for font, char in zip(faces, text, strict=True)]
    x, y = xy
    if centre:
        x -= sum(widths) / 2
    for char, font, width in zip(text, faces, widths, strict=True):
        draw.text((x, y), char, fill=fill, font=font, anchor="lm")
        x += width
    return x
