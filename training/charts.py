"""Geometry of the programme page's small SVG charts; the SVG itself is written in templates.

Computed on the server, so the page needs no JavaScript and each chart stays a few hundred bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320
BAR_GAP = 2


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


def columns(labels: Sequence[str], values: Sequence[float], *, height: int = 120) -> list[Bar]:
    """Vertical bars sharing one scale (the monthly chart)."""
    top = max(values, default=0) or 1
    step = WIDTH / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = round(height * value / top, 1)
        bars.append(
            Bar(label, value, round(i * step + BAR_GAP / 2, 1), height - h, step - BAR_GAP, h)
        )
    return bars


def rows(labels: Sequence[str], values: Sequence[float], *, row_height: int = 16) -> list[Bar]:
    """Horizontal bars (the district comparison), labels written beside them in the template."""
    top = max(values, default=0) or 1
    room = WIDTH - 150  # label column on the left, room for the value on the right
    return [
        Bar(label, value, 120, i * row_height, round(room * value / top, 1), row_height - BAR_GAP)
        for i, (label, value) in enumerate(zip(labels, values, strict=True))
    ]
