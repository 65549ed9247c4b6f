"""Product photos drawn on the spot with Pillow: nothing is downloaded for the demo."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

#: Background and accent colours per category (earthy, like the goods).
PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "kopi": ((92, 58, 38), (196, 148, 96)),
    "kakao-cokelat": ((70, 40, 30), (150, 90, 60)),
    "rempah": ((150, 80, 40), (220, 170, 90)),
    "makanan-olahan": ((170, 60, 40), (240, 200, 120)),
    "batik-tekstil": ((40, 60, 110), (200, 150, 80)),
    "kerajinan-bambu": ((150, 130, 70), (230, 210, 150)),
    "kerajinan-kayu": ((110, 70, 40), (190, 140, 90)),
    "lainnya": ((90, 90, 90), (200, 200, 200)),
}


def draw_product(category: str, label: str, seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG of ``size``: a textured background, shapes for the goods, and a label."""
    rng = random.Random(seed)  # noqa: S311 - shapes, not secrets
    base, accent = PALETTES.get(category, PALETTES["lainnya"])
    width, height = size
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 4):  # a soft vertical gradient
        shade = int(30 * y / height)
        draw.rectangle([0, y, width, y + 4], fill=tuple(max(0, c - shade) for c in base))
    for _ in range(60):  # beans, seeds, weave or grain: ellipses in the accent colour
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(18, 60), rng.randrange(12, 40)
        tint = tuple(min(255, max(0, c + rng.randrange(-30, 30))) for c in accent)
        draw.ellipse([x, y, x + w, y + h], fill=tint, outline=base)
    draw.rectangle([0, height - 90, width, height], fill=(250, 246, 238))
    font = ImageFont.load_default(size=32)
    draw.text((24, height - 70), label[:34], fill=(40, 36, 30), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
