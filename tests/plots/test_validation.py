"""The geometry rules of the EUDR, one row per case, with the exact codes readiness reuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.plots.validation import (
    geodesic_area_ha,
    lines_geojson,
    load_geometry,
    point_geojson,
    validate_plot,
)

from .conftest import KEMIREN, area_of, point, square

LAT, LON = KEMIREN
#: About 1.1 ha and about 6 ha squares in Kemiren.
SMALL = square(LAT, LON, 0.00095)
LARGE = square(LAT, LON, 0.0022)
BOW_TIE = (
    '{"type": "Polygon", "coordinates": [[[114.336071, -8.218354], [114.338271, -8.216154], '
    "[114.338271, -8.218354], [114.336071, -8.216154], [114.336071, -8.218354]]]}"
)
UNCLOSED = (
    '{"type": "Polygon", "coordinates": [[[114.336071, -8.218354], [114.338271, -8.218354], '
    "[114.338271, -8.216154], [114.336071, -8.216154]]]}"
)


def codes(area: object, geometry: object, **kw: object) -> list[str]:
    return [p.code for p in validate_plot(area, geometry, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("area", "geometry", "expected"),
    [
        pytest.param("1.5", point(LAT, LON), [], id="point under 4 ha"),
        pytest.param("6", point(LAT, LON), ["geometry.point_over_4ha"], id="point for 6 ha"),
        pytest.param(
            "4", point(LAT, LON), ["geometry.point_over_4ha"], id="point for exactly 4 ha"
        ),
        pytest.param(str(area_of(LARGE)), LARGE, [], id="valid 6 ha polygon"),
        pytest.param(str(area_of(SMALL)), SMALL, [], id="polygon for a small plot"),
        pytest.param("6", BOW_TIE, ["geometry.self_intersecting"], id="bow-tie"),
        pytest.param(
            "1", point(-23.698042, 133.880747), ["geometry.outside_indonesia"], id="Australia"
        ),
        pytest.param("1", point(3.595196, 98.672223), [], id="Medan, north of the equator"),
        pytest.param(
            str(area_of(LARGE) * 2), LARGE, ["area.mismatch"], id="declared twice the measured"
        ),
        pytest.param(
            str((area_of(LARGE) * Decimal("1.08")).quantize(Decimal("0.0001"))),
            LARGE,
            [],
            id="8 % apart",
        ),
        pytest.param("1", point(LAT, LON, places=4), ["geometry.precision"], id="4 decimals"),
        pytest.param(
            "1",
            '{"type": "Point", "coordinates": [114.300000, -8.200000]}',
            [],
            id="trailing zeros as written count",
        ),
        pytest.param("6", UNCLOSED, ["geometry.polygon_not_closed"], id="unclosed ring"),
        pytest.param(
            "1",
            '{"type": "Point", "coordinates": [-8.218354, 114.336071]}',
            ["geometry.not_wgs84"],
            id="lat and lon swapped",
        ),
        pytest.param("1", "not json", ["geometry.invalid_json"], id="not json"),
        pytest.param(
            "1",
            '{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}',
            ["geometry.invalid_json"],
            id="a line is not a plot",
        ),
        pytest.param("0", point(LAT, LON), ["area.invalid"], id="zero area"),
        pytest.param("satu", point(LAT, LON), ["area.invalid"], id="area not a number"),
    ],
)
def test_validation_table(area: str, geometry: str, expected: list[str]) -> None:
    assert codes(area, geometry) == expected


def test_problems_are_reported_together_and_block() -> None:
    problems = validate_plot("6", point(-23.698042, 133.880747, places=4))
    assert [p.code for p in problems] == [
        "geometry.precision",
        "geometry.outside_indonesia",
        "geometry.point_over_4ha",
    ]
    assert all(p.blocking and p.message for p in problems)


def test_the_message_names_the_threshold_in_the_active_language() -> None:
    from django.utils import translation

    with translation.override("en"):
        (problem,) = validate_plot("6", point(LAT, LON))
    assert "4 ha" in problem.message


def test_a_parsed_geometry_is_not_judged_on_lost_decimals() -> None:
    """``-8.200000`` parsed becomes ``-8.2``: a stored plot is not flagged for it."""
    stored = {"type": "Point", "coordinates": [114.3, -8.2]}
    assert codes("1", stored) == []
    assert codes("1", stored, check_precision=True) == ["geometry.precision"]


def test_geodesic_area_of_a_known_square() -> None:
    # 0.0022° in Kemiren: ~243 m north-south by ~242 m east-west ≈ 5.9 ha.
    geometry = load_geometry(LARGE)
    assert geometry is not None
    assert 5.7 < float(geodesic_area_ha(geometry)) < 6.1


def test_what_sellers_type_becomes_geojson() -> None:
    assert codes("1", point_geojson("-8,218354", "114,336071")) == []
    text = "-8.218354, 114.336071\n-8.218354, 114.338271\n\n-8.216154, 114.338271\n-8.216154, 114.336071\n"
    polygon = lines_geojson(text)
    assert codes(str(area_of(polygon)), polygon) == []
    assert lines_geojson("-8.2, 114.3\nhello") == ""
