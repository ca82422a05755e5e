"""Pictures, a recording, a film and a catalogue drawn here for the demo exhibitions.

The demo ships no media files and downloads nothing: Pillow paints the scenes,
the standard library writes the sound, and a few lines of EBML wrap frames
that Pillow encodes as VP8 (inside WebP) into a WebM film every browser plays.
Seeded, so every run draws the same pictures.
"""

import io
import math
import random
import struct
import wave

from PIL import Image, ImageDraw

from . import fonts


def _sky(draw, width, height, top, bottom, horizon):
    for y in range(horizon):
        t = y / max(1, horizon)
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line((0, y, width, y), fill=colour)


def _scene(seed, size, sky, horizon_at, ground=None):
    """A seeded canvas with its sky (top and bottom colours) down to the horizon,
    `horizon_at` of the way down, and flat ground of one colour below it.
    Returns (rng, image, draw, horizon)."""
    rng = random.Random(seed)  # noqa: S311 - drawing, not secrets
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * horizon_at)
    _sky(draw, width, height, *sky, horizon)
    if ground is not None:
        draw.rectangle((0, horizon, width, height), fill=ground)
    return rng, image, draw, horizon


def harbour(seed=1, size=(1600, 900)):
    """A river mouth at dusk: cranes, a steamer, the customs house's clock tower."""
    width, height = size
    rng, image, draw, horizon = _scene(
        seed, size, ((44, 62, 96), (233, 176, 120)), 0.62
    )
    for y in range(horizon, height):
        t = (y - horizon) / (height - horizon)
        draw.line((0, y, width, y), fill=(int(60 - 30 * t), int(84 - 30 * t), 110))
    # Quay and warehouses
    draw.rectangle((0, horizon - 40, width, horizon + 10), fill=(38, 34, 36))
    x = 0
    while x < width * 0.45:
        w = rng.randint(90, 160)
        h = rng.randint(60, 140)
        draw.rectangle((x, horizon - 40 - h, x + w, horizon - 40), fill=(52, 44, 46))
        x += w + rng.randint(4, 20)
    # Clock tower
    tx = int(width * 0.22)
    draw.rectangle((tx, horizon - 330, tx + 70, horizon - 40), fill=(60, 50, 50))
    draw.polygon(
        [(tx - 10, horizon - 330), (tx + 35, horizon - 400), (tx + 80, horizon - 330)],
        fill=(60, 50, 50),
    )
    draw.ellipse((tx + 15, horizon - 300, tx + 55, horizon - 260), fill=(240, 220, 170))
    # Cranes
    for cx in (int(width * 0.55), int(width * 0.68), int(width * 0.8)):
        draw.line((cx, horizon - 40, cx, horizon - 260), fill=(25, 25, 30), width=12)
        draw.line(
            (cx - 40, horizon - 250, cx + 180, horizon - 300),
            fill=(25, 25, 30),
            width=8,
        )
        draw.line(
            (cx + 150, horizon - 294, cx + 150, horizon - 150),
            fill=(25, 25, 30),
            width=2,
        )
    # Steamer
    sx = int(width * 0.6)
    sy = horizon + 70
    draw.polygon(
        [(sx, sy), (sx + 420, sy), (sx + 380, sy + 60), (sx + 30, sy + 60)],
        fill=(30, 28, 32),
    )
    draw.rectangle((sx + 120, sy - 50, sx + 300, sy), fill=(210, 205, 195))
    draw.rectangle((sx + 190, sy - 130, sx + 225, sy - 50), fill=(150, 40, 30))
    # Reflections
    for _ in range(60):
        y = rng.randint(horizon + 10, height)
        x = rng.randint(0, width)
        draw.line((x, y, x + rng.randint(20, 90), y), fill=(230, 170, 110), width=2)
    return image


def mill(seed=2, size=(1600, 900)):
    """Sawtooth roofs and a chimney: the textile mill on the river's west bank."""
    width, height = size
    rng, image, draw, horizon = _scene(
        seed, size, ((150, 170, 185), (228, 222, 205)), 0.7, ground=(95, 88, 80)
    )
    tooth = 120
    for x in range(0, width, tooth):
        draw.polygon(
            [
                (x, horizon - 120),
                (x + tooth, horizon - 200),
                (x + tooth, horizon - 120),
            ],
            fill=(120, 60, 50),
        )
        draw.rectangle(
            (x + tooth - 12, horizon - 200, x + tooth, horizon - 120),
            fill=(200, 210, 215),
        )
    draw.rectangle((0, horizon - 120, width, horizon), fill=(140, 70, 58))
    for x in range(40, width, 80):
        draw.rectangle((x, horizon - 95, x + 40, horizon - 35), fill=(215, 200, 160))
    cx = int(width * 0.78)
    draw.polygon(
        [
            (cx, horizon - 120),
            (cx + 20, horizon - 520),
            (cx + 60, horizon - 520),
            (cx + 80, horizon - 120),
        ],
        fill=(110, 55, 45),
    )
    for i in range(8):
        r = 30 + i * 14
        draw.ellipse(
            (
                cx + 40 - r + i * 30,
                horizon - 560 - i * 40 - r,
                cx + 40 + r + i * 30,
                horizon - 560 - i * 40 + r,
            ),
            fill=(200 + rng.randint(0, 20),) * 3,
        )
    return image


def looms(seed=3, size=(1200, 1200)):
    """Rows of looms under skylights, as in the mill's 1950s photographs."""
    rng = random.Random(seed)  # noqa: S311
    width, height = size
    image = Image.new("RGB", size, (70, 66, 60))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 150):
        draw.polygon([(x, 0), (x + 150, 0), (x + 150, 120)], fill=(225, 225, 210))
    for row in range(5):
        y = 260 + row * 170
        scale = 1 + row * 0.15
        for col in range(6):
            x = 40 + col * 200 + rng.randint(-10, 10)
            w, h = int(140 * scale), int(90 * scale)
            draw.rectangle((x, y, x + w, y + h), fill=(40, 38, 36))
            draw.rectangle((x + 10, y + 10, x + w - 10, y + 30), fill=(235, 232, 220))
            for thread in range(x + 12, x + w - 12, 6):
                draw.line((thread, y + 30, thread, y + h - 10), fill=(200, 190, 170))
    return image


def wharf(seed=4, size=(1200, 1200)):
    """Porters, sacks and a gangway on the old wharf."""
    width, height = size
    rng, image, draw, _quay = _scene(
        seed, size, ((180, 190, 200), (220, 215, 200)), 0.45, ground=(120, 110, 95)
    )
    for _ in range(40):
        x = rng.randint(0, width - 120)
        y = rng.randint(int(height * 0.55), height - 80)
        draw.rounded_rectangle(
            (x, y, x + 110, y + 70),
            radius=18,
            fill=(200, 185, 150),
            outline=(90, 80, 60),
            width=3,
        )
    for i in range(7):
        x = 100 + i * 150
        y = int(height * 0.5)
        draw.ellipse((x, y - 140, x + 40, y - 100), fill=(50, 40, 35))
        draw.rectangle((x + 5, y - 100, x + 35, y), fill=(70, 70, 90))
        draw.line((x + 10, y, x, y + 60), fill=(50, 40, 35), width=8)
        draw.line((x + 30, y, x + 40, y + 60), fill=(50, 40, 35), width=8)
    return image


def customs_house(seed=11, size=(1600, 900)):
    """The customs house seen from the bund: a colonnade under its clock tower."""
    width, height = size
    rng, image, draw, ground = _scene(
        seed, size, ((150, 178, 204), (226, 222, 206)), 0.82, ground=(96, 92, 86)
    )
    left, right, top = int(width * 0.18), int(width * 0.82), int(height * 0.38)
    stone = (196, 184, 160)
    draw.rectangle((left, top, right, ground), fill=stone)
    draw.rectangle((left - 20, top - 24, right + 20, top), fill=(170, 158, 136))
    # The tower, its clock and its roof.
    middle = width // 2
    draw.rectangle((middle - 70, top - 300, middle + 70, top), fill=stone)
    draw.ellipse((middle - 48, top - 250, middle + 48, top - 154), fill=(240, 236, 222))
    draw.ellipse(
        (middle - 48, top - 250, middle + 48, top - 154), outline=(60, 52, 44), width=5
    )
    draw.line((middle, top - 202, middle, top - 236), fill=(40, 34, 30), width=5)
    draw.line((middle, top - 202, middle + 26, top - 196), fill=(40, 34, 30), width=5)
    draw.polygon(
        [(middle - 84, top - 300), (middle + 84, top - 300), (middle, top - 380)],
        fill=(92, 74, 64),
    )
    # The colonnade, and windows lit or dark behind it.
    columns = rng.randint(9, 12)
    step = (right - left) / columns
    for n in range(columns):
        x = int(left + step * (n + 0.5))
        shade = rng.choice([(70, 64, 58), (92, 84, 70), (210, 176, 110)])
        draw.rectangle((x - 22, top + 60, x + 22, top + 160), fill=shade)
        draw.rectangle((x - 22, top + 220, x + 22, ground - 40), fill=(70, 64, 58))
        draw.rectangle((x + 28, top + 20, x + 40, ground), fill=(226, 216, 192))
    draw.rectangle((middle - 50, ground - 150, middle + 50, ground), fill=(54, 44, 40))
    return image


def shopfronts(seed=12, size=(1600, 900)):
    """Shops of the old commercial street, with their hanging signboards."""
    width, height = size
    rng, image, draw, street = _scene(
        seed, size, ((200, 206, 210), (236, 228, 210)), 0.78, ground=(120, 112, 104)
    )
    x = 0
    while x < width:
        w = rng.randint(170, 260)
        h = rng.randint(360, 520)
        wall = rng.choice([(156, 120, 96), (120, 110, 104), (178, 160, 130)])
        draw.rectangle((x, street - h, x + w, street), fill=wall)
        draw.polygon(
            [
                (x - 10, street - h),
                (x + w + 10, street - h),
                (x + w // 2, street - h - 60),
            ],
            fill=(70, 60, 58),
        )
        # The shop's open front, and a signboard hung beside it.
        draw.rectangle((x + 20, street - 200, x + w - 20, street), fill=(60, 46, 38))
        draw.rectangle(
            (x + 30, street - 190, x + w - 30, street - 60), fill=(222, 184, 110)
        )
        sign = rng.choice([(150, 36, 30), (32, 40, 70), (40, 70, 50)])
        draw.rectangle((x + 16, street - h + 40, x + 56, street - 230), fill=sign)
        for y in range(street - h + 60, street - 250, 44):
            draw.rectangle((x + 28, y, x + 44, y + 24), fill=(232, 200, 120))
        x += w + rng.randint(0, 12)
    return image


def estate(seed=13, size=(1600, 900)):
    """A workers' housing estate: rows of four-storey blocks, washing on poles."""
    width, height = size
    rng, image, draw, ground = _scene(
        seed, size, ((132, 170, 206), (220, 226, 226)), 0.8, ground=(110, 118, 96)
    )
    for row, (depth, scale) in enumerate(((0.55, 0.7), (0.8, 1.0))):
        base = int(height * depth)
        x = -40 * row
        while x < width:
            w, h = int(300 * scale), int(260 * scale)
            brick = (168 - 30 * row, 96 - 10 * row, 78 - 6 * row)
            draw.rectangle((x, base - h, x + w, base), fill=brick)
            for floor in range(4):
                y = base - h + 20 + floor * int(h / 4.2)
                for n in range(5):
                    wx = x + 18 + n * int(w / 5.4)
                    lit = rng.random() < 0.25
                    draw.rectangle(
                        (wx, y, wx + int(28 * scale), y + int(32 * scale)),
                        fill=(236, 212, 140) if lit else (70, 80, 92),
                    )
            x += w + int(60 * scale)
    # Washing hung on a line between two poles.
    draw.line((120, ground - 10, 120, ground - 140), fill=(60, 50, 40), width=6)
    draw.line((620, ground - 10, 620, ground - 140), fill=(60, 50, 40), width=6)
    draw.line((120, ground - 130, 620, ground - 120), fill=(60, 50, 40), width=2)
    for x in range(150, 600, 56):
        colour = rng.choice([(230, 230, 224), (180, 60, 50), (70, 110, 170)])
        draw.rectangle((x, ground - 126, x + 36, ground - 80), fill=colour)
    return image


def poster(title, subtitle, size=(1600, 900), background=(122, 31, 26)):
    """A title card: the film's poster and the exhibition catalogue's cover."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        (30, 30, size[0] - 31, size[1] - 31), outline=(255, 255, 255), width=6
    )
    middle = size[0] // 2
    fonts.write(
        draw,
        (middle, size[1] // 2 - 40),
        title,
        size[1] // 9,
        fill="white",
        centre=True,
    )
    fonts.write(
        draw,
        (middle, size[1] // 2 + 80),
        subtitle,
        size[1] // 20,
        fill="white",
        centre=True,
    )
    return image


def jpeg(image, quality=82):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def catalogue_pdf(title, lines):
    """A two-page exhibition catalogue as a PDF (Pillow writes PDF pages)."""
    pages = [poster(title, "滨江市档案馆 编", size=(1240, 1754))]
    text_page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(text_page)
    y = 160
    for line in lines:
        fonts.write(draw, (140, y), line, 40, fill="black")
        y += 80
    pages.append(text_page)
    buffer = io.BytesIO()
    pages[0].save(
        buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=150
    )
    return buffer.getvalue()


def tone_wav(seconds=4, rate=8000):
    """A few seconds of a ship's horn and harbour bells, as 8 kHz mono WAV."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for n in range(int(seconds * rate)):
            t = n / rate
            horn = 0.5 * math.sin(2 * math.pi * 110 * t) if t < 1.5 else 0.0
            bell = 0.3 * math.sin(2 * math.pi * 880 * t) * math.exp(-3 * ((t - 2) % 1))
            sample = max(-1.0, min(1.0, horn + (bell if t >= 2 else 0.0)))
            frames += struct.pack("<h", int(sample * 20000))
        out.writeframes(bytes(frames))
    return buffer.getvalue()


# A minimal WebM writer ---------------------------------------------------------


def _ebml_size(length):
    # Eight-byte sizes throughout: longer files, one simple rule.
    return bytes([0x01]) + length.to_bytes(7, "big")


def _element(element_id, payload):
    return element_id + _ebml_size(len(payload)) + payload


def _uint(element_id, value):
    return _element(
        element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    )


def _vp8_frame(image):
    """A VP8 key frame: Pillow's lossy WebP is a RIFF file around one."""
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=60, method=4)
    data = buffer.getvalue()
    position = 12
    while position < len(data):
        chunk, size = (
            data[position : position + 4],
            struct.unpack("<I", data[position + 4 : position + 8])[0],
        )
        if chunk == b"VP8 ":
            return data[position + 8 : position + 8 + size]
        position += 8 + size + (size & 1)
    raise ValueError("Pillow wrote no VP8 chunk")


def webm(frames, frame_ms=500):
    """A silent WebM film of the given PIL images, one key frame each."""
    width, height = frames[0].size
    header = _element(
        b"\x1a\x45\xdf\xa3",
        _uint(b"\x42\x86", 1)
        + _uint(b"\x42\xf7", 1)
        + _uint(b"\x42\xf2", 4)
        + _uint(b"\x42\xf3", 8)
        + _element(b"\x42\x82", b"webm")
        + _uint(b"\x42\x87", 2)
        + _uint(b"\x42\x85", 2),
    )
    info = _element(
        b"\x15\x49\xa9\x66",
        _uint(b"\x2a\xd7\xb1", 1_000_000)
        + _element(b"\x44\x89", struct.pack(">d", float(len(frames) * frame_ms)))
        + _element(b"\x4d\x80", b"portal demo")
        + _element(b"\x57\x41", b"portal demo"),
    )
    tracks = _element(
        b"\x16\x54\xae\x6b",
        _element(
            b"\xae",
            _uint(b"\xd7", 1)
            + _uint(b"\x73\xc5", 1)
            + _uint(b"\x83", 1)
            + _element(b"\x86", b"V_VP8")
            + _element(b"\xe0", _uint(b"\xb0", width) + _uint(b"\xba", height)),
        ),
    )
    blocks = b""
    for number, frame in enumerate(frames):
        timecode = number * frame_ms
        blocks += _element(
            b"\xa3", b"\x81" + struct.pack(">h", timecode) + b"\x80" + _vp8_frame(frame)
        )
    cluster = _element(b"\x1f\x43\xb6\x75", _uint(b"\xe7", 0) + blocks)
    return header + _element(b"\x18\x53\x80\x67", info + tracks + cluster)


def harbour_film():
    """Eight frames of the harbour as the light changes: a 4-second film."""
    frames = []
    for step in range(8):
        frame = harbour(seed=10 + step, size=(640, 360))
        overlay = Image.new("RGB", frame.size, (20, 20, 40))
        frames.append(Image.blend(frame, overlay, step / 14))
    return webm(frames)


def captions_vtt():
    return (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:02.000\n滨江港，黄昏。\n\n"
        "00:00:02.000 --> 00:00:04.000\n新码头的吊车停了下来。\n"
    ).encode()
