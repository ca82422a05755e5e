"""Page scans of the demo records, drawn so that they look like scans.

A sheet of paper toned by age, with grain, foxing and uneven light, laid a
little askew on the scanner; red-ruled letter paper (八行笺, 稿纸) for some
documents; the text written right to left in columns before 1949 and across
afterwards, in a kai face and printed parts in a song face
(portal/demo/fonts.py), typed for the customs house's English despatches; and a red seal over the signature. The OCR text of
each page is exactly what is written on it: paginate() decides both.
"""

import io
import math
import textwrap
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageChops, ImageDraw

from . import fonts

PAGE = (1000, 1400)
BED = (1040, 1450)  # the scanner's lid shows around the sheet
INK = (28, 24, 22)
TYPE_INK = (30, 32, 52)
PRINT_INK = (20, 20, 20)
RED = (186, 40, 36)
RULE_RED = (200, 86, 70)
LID = (214, 214, 210)
SHADOW = (170, 170, 166)
# Lines set flush to the foot of the column or the end of the line: the
# signature and the date of a document are its last two.
FLUSH_LAST = 2
NO_LINE_START = "，。、；：！？）」』"


@dataclass(frozen=True)
class Style:
    """How a record's pages are laid out and what is on the paper."""

    layout: str  # "vertical", "across", "typed" or "form"
    paper: str = ""  # "bahang" (八行笺), "grid" (稿纸), "lines" or ""
    letterhead: str = ""  # printed in red at the head of the sheet
    seal: str = ""  # "square", "round" or "stamp"
    seal_text: str = ""
    age: float = 0.5  # 0 new … 1 yellowed and foxed

    @property
    def line_length(self):
        return {
            ("vertical", "bahang"): 18,
            ("vertical", ""): 25,
            ("across", "grid"): 20,
            ("across", "lines"): 22,
            ("across", ""): 22,
            ("typed", ""): 60,
            ("form", ""): 24,
        }[(self.layout, self.paper)]

    @property
    def lines_per_page(self):
        return {
            ("vertical", "bahang"): 8,
            ("vertical", ""): 12,
            ("across", "grid"): 15,
            ("across", "lines"): 16,
            ("across", ""): 17,
            ("typed", ""): 30,
            ("form", ""): 14,
        }[(self.layout, self.paper)]


def seal_text(creator):
    """What an office's seal reads: its name, less 市, and 印 (or 关防)."""
    name = creator.replace("人民政府", "人民政府").replace("市", "")
    if name.endswith("海关"):
        return name[:-2] + "关监督关防"
    return name if len(name) >= 6 else name + "印"


def style_for(rng, *, language, date, kind, creator, form=False):
    """The look of a record's pages, from its language, era and kind."""
    age = max(0.0, min(1.0, (2000 - date.year) / 100))
    if form:
        return Style("form", seal="stamp", seal_text="滨江关验讫", age=age)
    if language == "eng":
        return Style("typed", seal="stamp", seal_text="BINJIANG", age=age)
    seal = rng.choice(["square", "square", ""]) if kind != "账册" else ""
    if date.year < 1950:
        paper = "bahang" if kind == "函" or rng.random() < 0.25 else ""
        return Style(
            "vertical", paper=paper, seal=seal, seal_text=seal_text(creator), age=age
        )
    paper = rng.choice(["grid", "lines", "lines", ""])
    letterhead = creator if paper == "lines" else ""
    return Style(
        "across",
        paper=paper,
        letterhead=letterhead,
        seal="round" if seal else "",
        seal_text=creator,
        age=age,
    )


# Pages -------------------------------------------------------------------------


def _wrap(paragraph, style):
    if style.layout == "typed":
        return textwrap.wrap(paragraph, style.line_length) or [""]
    step = style.line_length
    pieces = [paragraph[i : i + step] for i in range(0, len(paragraph), step)]
    # No line begins with a stop or a comma: it stays at the end of the line
    # before, past the ruled space, as a clerk writes it.
    for number in range(1, len(pieces)):
        while pieces[number] and pieces[number][0] in NO_LINE_START:
            pieces[number - 1] += pieces[number][0]
            pieces[number] = pieces[number][1:]
    return [piece for piece in pieces if piece] or [""]


def paginate(text, style):
    """The text of each page: whole paragraphs, none split unless it must be."""
    pages, page, used = [], [], 0
    capacity = style.lines_per_page
    for paragraph in text.split("\n"):
        lines = len(_wrap(paragraph, style))
        if page and used + lines > capacity:
            pages.append(page)
            page, used = [], 0
        while lines > capacity:  # longer than a page: split it
            wrapped = _wrap(paragraph, style)
            head = wrapped[:capacity]
            joiner = " " if style.layout == "typed" else ""
            pages.append([joiner.join(head)])
            paragraph = joiner.join(wrapped[capacity:])
            lines = len(_wrap(paragraph, style))
        page.append(paragraph)
        used += lines
    if page:
        pages.append(page)
    return ["\n".join(page) for page in pages]


# Paper -------------------------------------------------------------------------


def _smooth_noise(rng, size, cells, low, high):
    """Large soft blotches: a few random values blown up to the page."""
    small = Image.new("L", cells)
    small.putdata([rng.randint(low, high) for _ in range(cells[0] * cells[1])])
    return small.resize(size, Image.Resampling.BICUBIC)


@cache
def _grain(number):
    """Paper grain: made once per run (noise is slow to make), shifted per page."""
    return Image.effect_noise(PAGE, 22).point(lambda v: 205 + v // 5)


def _paper(rng, style):
    age = style.age
    tone = (
        238 - 22 * age + rng.randint(-4, 4),
        232 - 34 * age + rng.randint(-4, 4),
        216 - 52 * age + rng.randint(-4, 4),
    )
    # Uneven light and the paper's own unevenness, then grain, as brightness.
    light = _smooth_noise(rng, PAGE, (5, 7), 200, 255)
    grain = ImageChops.offset(
        _grain(rng.randrange(3)), rng.randrange(PAGE[0]), rng.randrange(PAGE[1])
    )
    brightness = ImageChops.multiply(light, grain)
    paper = Image.merge(
        "RGB",
        [brightness.point([int(v * c / 255) for v in range(256)]) for c in tone],
    )
    if age > 0.5:
        # Foxing: a few brown spots on old paper, drawn small and blown up soft.
        small = (PAGE[0] // 8, PAGE[1] // 8)
        spots = Image.new("L", small, 0)
        draw = ImageDraw.Draw(spots)
        for _ in range(rng.randint(3, 12)):
            x, y = rng.randint(0, small[0]), rng.randint(0, small[1])
            r = rng.uniform(0.6, 3.5)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(40, 110))
        spots = spots.resize(PAGE, Image.Resampling.BICUBIC)
        paper.paste((150, 110, 70), None, spots)
    return paper


def _lay(ink_mask, paper, colour, unevenness):
    """Ink through a mask, a little uneven as ink is (in place)."""
    paper.paste(colour, None, ImageChops.multiply(ink_mask, unevenness))


# Writing -------------------------------------------------------------------------


def _cells(style):
    """Where each line starts and how far apart its characters are."""
    width, height = PAGE
    if style.layout == "vertical":
        margin = 110 if style.paper == "bahang" else 90
        pitch = (width - 2 * margin) / style.lines_per_page
        top, bottom = 150, 130
        step = (height - top - bottom) / style.line_length
        return {"margin": margin, "pitch": pitch, "top": top, "step": step}
    top = 230 if style.letterhead else 150
    if style.paper == "grid":
        step = 40
        margin = (width - step * style.line_length) / 2
        return {"margin": margin, "pitch": 60, "top": top + 20, "step": step}
    margin = 110
    step = (width - 2 * margin) / style.line_length
    return {"margin": margin, "pitch": 64, "top": top, "step": step}


def _rules(draw, style, geometry):
    width, height = PAGE
    if style.paper == "bahang":
        m, pitch, top = geometry["margin"], geometry["pitch"], geometry["top"] - 40
        bottom = height - geometry["top"] + 60
        draw.rectangle((m - 8, top, width - m + 8, bottom), outline=255, width=5)
        for i in range(1, style.lines_per_page):
            x = int(m + i * pitch)
            draw.line((x, top, x, bottom), fill=190, width=2)
    elif style.paper == "grid":
        m, step, pitch, top = (
            geometry["margin"],
            geometry["step"],
            geometry["pitch"],
            geometry["top"],
        )
        right = m + step * style.line_length
        for row in range(style.lines_per_page):
            y = top + row * pitch
            draw.rectangle((m, y, right, y + step), outline=200, width=2)
            for col in range(1, style.line_length):
                x = m + col * step
                draw.line((x, y, x, y + step), fill=160, width=1)
    elif style.paper == "lines":
        for row in range(style.lines_per_page + 1):
            y = int(geometry["top"] + row * geometry["pitch"] + 24)
            draw.line((90, y, width - 90, y), fill=170, width=2)


def _letterhead(draw, style):
    if not style.letterhead:
        return
    size = 58
    text = style.letterhead
    width = PAGE[0]
    advance = size * 1.15
    x = (width - advance * len(text)) / 2
    for char in text:
        draw.text(
            (x + advance / 2, 110),
            char,
            fill=255,
            font=fonts.song(char, size),
            anchor="mm",
        )
        x += advance
    draw.line((70, 170, width - 70, 170), fill=255, width=6)
    draw.line((70, 180, width - 70, 180), fill=255, width=2)


@cache
def _glyph(char, size):
    """A character's mask, drawn once and pressed wherever it is written."""
    font = fonts.kai(char, size)
    left, top, right, bottom = font.getbbox(char, anchor="mm")
    glyph = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(glyph).text((-left, -top), char, fill=255, font=font, anchor="mm")
    return glyph, left, top


def _stamp_glyph(draw, char, size, x, y):
    glyph, left, top = _glyph(char, size)
    draw.bitmap((int(x + left), int(y + top)), glyph, fill=255)


def _place_characters(draw, lines, style, geometry, size, rng, last_page):
    """Write the page; return where its last line ends (the seal goes there)."""
    width = PAGE[0]
    wrapped = []
    for number, paragraph in enumerate(lines):
        flush = last_page and number >= len(lines) - FLUSH_LAST
        wrapped += [(piece, flush) for piece in _wrap(paragraph, style)]
    last = (width / 2, PAGE[1] / 2)
    for line_number, (piece, flush) in enumerate(wrapped):
        offset = style.line_length - len(piece) - 1 if flush else 0
        for position, char in enumerate(piece, start=max(0, offset)):
            jitter = rng.uniform(-1.5, 1.5)
            if style.layout == "vertical":
                x = width - geometry["margin"] - (line_number + 0.5) * geometry["pitch"]
                y = geometry["top"] + (position + 0.5) * geometry["step"]
            else:
                x = geometry["margin"] + (position + 0.5) * geometry["step"]
                y = geometry["top"] + line_number * geometry["pitch"] + 20
            if char.strip():
                _stamp_glyph(draw, char, size, x + jitter, y + jitter)
            last = (x, y)
    return last


def _typed(draw, lines, rng, last_page):
    font = fonts.typewriter(22)
    y = 150
    last = (700, 1200)
    for number, paragraph in enumerate(lines):
        flush = last_page and number >= len(lines) - 3 and len(paragraph) < 40
        for piece in textwrap.wrap(paragraph, 60) or [""]:
            x = 560 if flush else 110
            # A typewriter strikes each letter a little unevenly.
            for char in piece:
                if char != " ":
                    draw.text(
                        (x, y + rng.choice((0, 0, 0, 1))),
                        char,
                        fill=rng.randint(200, 255),
                        font=font,
                    )
                x += 13.2
            last = (x, y)
            y += 36
        y += 6
    return last


def _form(draw, lines, rng):
    """A printed form (labels, rules) filled in by hand."""
    top = 170
    title, *rows = lines
    fonts.write(draw, (PAGE[0] / 2, 120), title, 48, centre=True)
    draw.rectangle((80, top, PAGE[0] - 80, top + 84 * len(rows) + 20), outline=255)
    y = top + 50
    last = (700, y)
    for row in rows:
        label, _, value = row.partition("：")
        if not value:
            label, value = "", row
        x = 110
        if label:
            x = fonts.write(draw, (x, y), label + "：", 30) + 6
        # Written into the space the form leaves, closer together if need be.
        advance = min(36, (PAGE[0] - 110 - x) / max(1, len(value)))
        for char in value:
            if char.strip():
                _stamp_glyph(draw, char, 34, x + advance / 2, y + rng.uniform(-2, 2))
            x += advance
        draw.line((110, y + 34, PAGE[0] - 110, y + 34), fill=150, width=1)
        last = (x - 120, y)
        y += 84
    return last


# Seals ---------------------------------------------------------------------------


@cache
def _seal(kind, text):
    """A seal's mask, drawn once for each office."""
    if kind == "square":
        return _square_seal(text)
    if kind == "round":
        return _round_seal(text)
    return _stamp(text)


def _square_seal(text):
    size = 200
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((6, 6, size - 7, size - 7), outline=255, width=12)
    rows = 2 if len(text) <= 4 else 3
    columns = math.ceil(len(text) / rows)
    cell_w, cell_h = (size - 36) / columns, (size - 36) / rows
    font_size = int(min(cell_w, cell_h) * 0.92)
    # Seals read in columns from the right.
    for index, char in enumerate(text):
        column, row = divmod(index, rows)
        x = size - 18 - (column + 0.5) * cell_w
        y = 18 + (row + 0.5) * cell_h
        draw.text((x, y), char, fill=255, font=fonts.kai(char, font_size), anchor="mm")
    return mask


def _round_seal(text):
    size = 220
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse((6, 6, size - 7, size - 7), outline=255, width=9)
    centre = size / 2
    # A five-pointed star in the middle.
    points = []
    for i in range(10):
        radius = 34 if i % 2 == 0 else 14
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(
            (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
        )
    draw.polygon(points, fill=255)
    # The name along the upper arc, each character turned to face outwards.
    span = min(math.radians(250), math.radians(30) * len(text))
    font_size = 30
    for index, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (index + 0.5) / len(text)
        glyph = Image.new("L", (font_size + 8, font_size + 8), 0)
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2),
            char,
            fill=255,
            font=fonts.kai(char, font_size),
            anchor="mm",
        )
        glyph = glyph.rotate(-math.degrees(angle) - 90, expand=True)
        x = centre + 78 * math.cos(angle) - glyph.width / 2
        y = centre + 78 * math.sin(angle) - glyph.height / 2
        mask.paste(255, (int(x), int(y)), glyph)
    return mask


def _stamp(text):
    """A received-stamp: a double ring with the office's name."""
    size = 180
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse((4, 4, size - 5, size - 5), outline=255, width=5)
    draw.ellipse((26, 26, size - 27, size - 27), outline=255, width=2)
    if text.isascii():
        font = fonts.typewriter(24)
        draw.text((size / 2, size / 2), text, fill=255, font=font, anchor="mm")
    else:
        fonts.write(draw, (size / 2, size / 2), text, 26, centre=True)
    return mask


def _press(paper, rng, style, where):
    """The seal in red ink, pressed unevenly, over where the page ends."""
    seal = _seal(style.seal, style.seal_text).rotate(rng.uniform(-12, 12), expand=True)
    pressure = _smooth_noise(rng, seal.size, (8, 8), 110, 255)
    seal = ImageChops.multiply(seal, pressure)
    x = int(min(max(where[0] - seal.width / 2 + rng.randint(-30, 30), 20), 780))
    y = int(min(max(where[1] - seal.height / 2 + rng.randint(-40, 10), 20), 1150))
    paper.paste(RED, (x, y), seal)


# The page ------------------------------------------------------------------------


def render(text, style, rng, *, last_page=True):
    """One page's scan as JPEG bytes; `text` is the page's text (paginate()).

    The last page carries the signature and date, set low, and the seal."""
    paper = _paper(rng, style)
    lines = text.split("\n")
    red = Image.new("L", PAGE, 0)
    red_draw = ImageDraw.Draw(red)
    geometry = _cells(style) if style.layout in ("vertical", "across") else {}
    if geometry:
        _rules(red_draw, style, geometry)
    _letterhead(red_draw, style)
    unevenness = _smooth_noise(rng, PAGE, (9, 12), 200, 255)
    _lay(red, paper, RULE_RED, unevenness)

    ink = Image.new("L", PAGE, 0)
    draw = ImageDraw.Draw(ink)
    if style.layout == "typed":
        where = _typed(draw, lines, rng, last_page)
        colour = TYPE_INK
    elif style.layout == "form":
        where = _form(draw, lines, rng)
        colour = INK
    else:
        size = 50 if style.paper == "bahang" else 36
        where = _place_characters(draw, lines, style, geometry, size, rng, last_page)
        colour = INK
    _lay(ink, paper, colour, unevenness)
    if last_page and style.seal:
        _press(paper, rng, style, where)

    # On the scanner: a little askew, on the lid's grey, with a hard shadow.
    bed = Image.new("RGB", BED, LID)
    left, top = (BED[0] - PAGE[0]) // 2, (BED[1] - PAGE[1]) // 2
    ImageDraw.Draw(bed).rectangle(
        (left + 4, top + 5, left + PAGE[0] + 4, top + PAGE[1] + 5), fill=SHADOW
    )
    bed.paste(paper, (left, top))
    bed = bed.rotate(
        rng.uniform(-1.2, 1.2), resample=Image.Resampling.BILINEAR, fillcolor=LID
    )
    buffer = io.BytesIO()
    bed.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()
