"""Checks of a plot's geometry against what the EU Information System accepts (EUDR).

``validate_plot(area_ha, geometry)`` returns every problem at once (a seller fixes them all in
one go), each with a stable code the readiness check reuses and a translated message:

- ``geometry.invalid_json``: not GeoJSON, or not a ``Point``/``Polygon``;
- ``geometry.not_wgs84``: a longitude outside ±180 or latitude outside ±90 (often swapped);
- ``geometry.precision``: a coordinate written with fewer than 6 decimal places. Decision: we
  *require* the decimals as written (a GPS reading has them; "-8.2" is a village, not a plot) and
  round to exactly 6 on save. Written decimals can only be seen in text (JSON parsing turns
  ``-8.200000`` into ``-8.2``), so precision is checked when the geometry is given as text; a
  parsed ``dict`` (a stored plot, already checked and rounded) is checked only when asked with
  ``check_precision=True``;
- ``geometry.outside_indonesia``: outside Indonesia's bounding box (see ``INDONESIA_BBOX``);
- ``geometry.polygon_not_closed``: a ring whose last position is not its first;
- ``geometry.self_intersecting``: shapely finds the polygon invalid (a bow-tie, a spike);
- ``geometry.point_over_4ha``: a single point for a plot of 4 ha or more (a polygon is needed);
- ``area.invalid``: the declared area is not a number above zero;
- ``area.mismatch``: the polygon's geodesic area (pyproj, WGS84 ellipsoid) differs from the
  declared area by more than 10 %.

Thresholds come from ``rules`` (settings with their sources).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.geometry import Polygon, shape
from shapely.validation import explain_validity

from . import rules

#: Indonesia as a bounding box (west, south, east, north), from Sabang/Weh (95°E) to the Papua
#: border (141.1°E), Rote/Ndana (11.1°S) to Weh (6.1°N). Deliberately coarse: it also holds
#: parts of Malaysia, Timor-Leste and Papua New Guinea, but it catches swapped coordinates, a
#: missing minus sign and plots on another continent, which are the mistakes sellers make.
INDONESIA_BBOX = (95.0, -11.1, 141.1, 6.1)

_GEOD = Geod(ellps="WGS84")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class PlotProblem:
    code: str
    message: str
    blocking: bool = True

    @property
    def field(self) -> str:
        """The input field the problem is about (``area_ha`` or ``geometry``)."""
        return "area_ha" if self.code.startswith("area.") else "geometry"


def parse_area(value: Any) -> Decimal | None:
    """The declared area as a Decimal (a decimal comma accepted), or ``None`` if unreadable."""
    if value is None or value == "":
        return None
    try:
        area = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return area if area.is_finite() else None


def load_geometry(geometry: str | bytes | dict[str, Any]) -> dict[str, Any] | None:
    """A GeoJSON geometry from text or a dict; a ``Feature`` gives its geometry. Numbers in text
    are kept as Decimals so their written decimal places can be checked."""
    if isinstance(geometry, (str, bytes)):
        try:
            data = json.loads(geometry, parse_float=Decimal)
        except (ValueError, RecursionError):
            return None
    else:
        data = geometry
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Point", "Polygon"):
        return None
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _positions(geometry: dict[str, Any]) -> list[list[Any]] | None:
    """Every position of a Point or Polygon, or ``None`` when the shape is malformed."""
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Point":
        rings = [[coordinates]]
    else:
        if not isinstance(coordinates, list) or not coordinates:
            return None
        rings = coordinates
    positions: list[list[Any]] = []
    for ring in rings:
        if not isinstance(ring, list) or not ring:
            return None
        for position in ring:
            if (
                not isinstance(position, list)
                or len(position) not in (2, 3)
                or not all(_is_number(v) for v in position)
            ):
                return None
            positions.append(position)
    return positions


def decimal_places(value: Any) -> int:
    """Decimal places as written (a Decimal from text) or in a float's shortest spelling."""
    exponent = Decimal(str(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_geometry(geometry: dict[str, Any], places: int) -> dict[str, Any]:
    """The geometry with each coordinate a float rounded to ``places`` (what we store)."""

    def fix(position: list[Any]) -> list[float]:
        return [round(float(v), places) for v in position[:2]]

    if geometry["type"] == "Point":
        return {"type": "Point", "coordinates": fix(geometry["coordinates"])}
    return {
        "type": "Polygon",
        "coordinates": [[fix(p) for p in ring] for ring in geometry["coordinates"]],
    }


def geodesic_area_ha(geometry: dict[str, Any]) -> Decimal:
    """A polygon's area on the WGS84 ellipsoid in hectares (holes subtracted)."""
    polygon = shape(_floats(geometry))
    area_m2, _perimeter = _GEOD.geometry_area_perimeter(polygon)
    return (Decimal(str(abs(area_m2))) / Decimal(10_000)).quantize(Decimal("0.0001"))


def _floats(geometry: dict[str, Any]) -> dict[str, Any]:
    return round_geometry(geometry, 12)


def validate_plot(
    area_ha: Any,
    geometry: str | bytes | dict[str, Any],
    *,
    check_precision: bool | None = None,
) -> list[PlotProblem]:
    """Every problem of a plot's declared area and geometry; an empty list means acceptable."""
    rule = rules.current()
    problems: list[PlotProblem] = []
    area = parse_area(area_ha)
    if area is None or area <= 0:
        problems.append(
            PlotProblem("area.invalid", _("Enter the plot's area in hectares, above zero."))
        )
        area = None
    data = load_geometry(geometry)
    positions = _positions(data) if data is not None else None
    if data is None or positions is None:
        problems.append(
            PlotProblem(
                "geometry.invalid_json",
                _("The location is not a GeoJSON point or polygon we can read."),
            )
        )
        return problems
    if any(not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in positions):
        problems.append(
            PlotProblem(
                "geometry.not_wgs84",
                _(
                    "A coordinate is out of range: longitude goes from -180 to 180 and latitude "
                    "from -90 to 90 (WGS84). Check that longitude comes first in GeoJSON."
                ),
            )
        )
        return problems
    if check_precision is None:
        check_precision = isinstance(geometry, (str, bytes))
    if check_precision and any(
        decimal_places(v) < rule.coordinate_decimals for p in positions for v in p[:2]
    ):
        problems.append(
            PlotProblem(
                "geometry.precision",
                _("Write every coordinate with at least %(places)d decimal places.")
                % {"places": rule.coordinate_decimals},
            )
        )
    west, south, east, north = INDONESIA_BBOX
    if any(not (west <= p[0] <= east and south <= p[1] <= north) for p in positions):
        problems.append(
            PlotProblem(
                "geometry.outside_indonesia",
                _("The plot is not in Indonesia. Check the coordinates (and the minus sign)."),
            )
        )
    if data["type"] == "Point":
        if area is not None and area >= rule.point_max_area_ha:
            problems.append(
                PlotProblem(
                    "geometry.point_over_4ha",
                    _(
                        "A plot of %(limit)s ha or more needs its boundary (a polygon), not a "
                        "single point."
                    )
                    % {"limit": _number(rule.point_max_area_ha)},
                )
            )
        return problems
    rings = data["coordinates"]
    if any(len(ring) < 4 or ring[0][:2] != ring[-1][:2] for ring in rings):
        problems.append(
            PlotProblem(
                "geometry.polygon_not_closed",
                _(
                    "The boundary is not closed: it needs at least three corners and must end at "
                    "the point where it starts."
                ),
            )
        )
        return problems
    polygon = shape(_floats(data))
    if not isinstance(polygon, Polygon) or not polygon.is_valid:
        reason = explain_validity(polygon) if isinstance(polygon, Polygon) else ""
        problems.append(
            PlotProblem(
                "geometry.self_intersecting",
                _("The boundary crosses itself (%(reason)s). Put the corners in walking order.")
                % {"reason": reason},
            )
        )
        return problems
    if area is not None:
        measured = geodesic_area_ha(data)
        tolerance = rule.area_tolerance_percent / 100
        if abs(measured - area) > area * tolerance:
            problems.append(
                PlotProblem(
                    "area.mismatch",
                    _(
                        "The boundary measures %(measured)s ha but the declared area is "
                        "%(declared)s ha (more than %(tolerance)s%% apart)."
                    )
                    % {
                        "measured": _number(measured),
                        "declared": _number(area),
                        "tolerance": _number(rule.area_tolerance_percent),
                    },
                )
            )
    return problems


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


# --- What sellers type --------------------------------------------------------------------------


def point_geojson(latitude: str, longitude: str) -> str:
    """A Point as GeoJSON text from "lat" and "lon" fields, keeping the decimals as typed (a
    decimal comma accepted). Unreadable numbers give text ``validate_plot`` reports."""
    lat, lon = (v.strip().replace(",", ".") for v in (latitude, longitude))
    if not (_NUMBER.match(lat) and _NUMBER.match(lon)):
        return ""
    return f'{{"type": "Point", "coordinates": [{lon}, {lat}]}}'


def lines_geojson(text: str) -> str:
    """A Polygon as GeoJSON text from "lat, lon" lines (one corner per line, in walking order).

    People read coordinates latitude first, as phones show them; GeoJSON wants longitude first,
    so the pair is turned round here. The ring is closed for them when the last line is not the
    first (only pasted GeoJSON is held to "closed" as written). Blank lines are skipped; an
    unreadable line gives text that ``validate_plot`` reports.
    """
    corners: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"[;,\s]+", line) if p.strip()]
        if len(parts) != 2 or not all(_NUMBER.match(p) for p in parts):
            return ""
        corners.append(f"[{parts[1]}, {parts[0]}]")
    if corners and corners[0] != corners[-1]:
        corners.append(corners[0])
    return '{"type": "Polygon", "coordinates": [[' + ", ".join(corners) + "]]}"


def geometry_from_text(text: str) -> str:
    """Pasted text as GeoJSON: JSON as it is, otherwise "lat, lon" lines."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return stripped
    return lines_geojson(stripped)
