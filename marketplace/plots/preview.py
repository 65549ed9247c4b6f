"""A small SVG picture of a plot's outline, drawn on the server (no map, no JavaScript).

The outline is projected with an equirectangular projection scaled by the cosine of the plot's
latitude (near-true shape at plot scale) and fitted into a square with a margin; north is up.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SIZE = 120
MARGIN = 8


def svg(geometry: dict[str, Any] | None, size: int = SIZE, label: str = "") -> SafeString:
    if not geometry or geometry.get("type") not in ("Point", "Polygon"):
        return mark_safe("")
    if geometry["type"] == "Point":
        half = size / 2
        return format_html(
            '<svg class="plot-preview" viewBox="0 0 {0} {0}" width="{0}" height="{0}" '
            'role="img" aria-label="{1}"><rect width="{0}" height="{0}" fill="#f3f1e8"/>'
            '<circle cx="{2}" cy="{2}" r="6" fill="#2f6b2f"/></svg>',
            size,
            label,
            half,
        )
    ring = [(float(p[0]), float(p[1])) for p in geometry["coordinates"][0]]
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    xs = [lon * math.cos(lat0) for lon, _lat in ring]
    ys = [-lat for _lon, lat in ring]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    scale = (size - 2 * MARGIN) / span
    x_off = MARGIN + ((size - 2 * MARGIN) - (max(xs) - min(xs)) * scale) / 2
    y_off = MARGIN + ((size - 2 * MARGIN) - (max(ys) - min(ys)) * scale) / 2
    points = " ".join(
        f"{x_off + (x - min(xs)) * scale:.1f},{y_off + (y - min(ys)) * scale:.1f}"
        for x, y in zip(xs, ys, strict=True)
    )
    return format_html(
        '<svg class="plot-preview" viewBox="0 0 {0} {0}" width="{0}" height="{0}" role="img" '
        'aria-label="{1}"><rect width="{0}" height="{0}" fill="#f3f1e8"/>'
        '<polygon points="{2}" fill="#9bc59b" stroke="#2f6b2f" stroke-width="2"/></svg>',
        size,
        label,
        points,
    )
