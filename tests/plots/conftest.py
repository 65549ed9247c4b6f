"""Fixtures for production plots: a coffee shop in Kemiren and geometries around it."""

# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.core import events
from marketplace.plots import services
from marketplace.plots.models import ProductionPlot
from marketplace.plots.validation import geodesic_area_ha, load_geometry
from sellers.models import Shop
from tests.orders.factories import (  # noqa: F401  (fixtures)
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

#: A coffee garden in Kemiren (Banyuwangi), latitude and longitude.
KEMIREN = (-8.218354, 114.336071)


def square(lat: float, lon: float, side_deg: float, *, places: int = 6) -> str:
    """A square polygon as GeoJSON text, corners written with ``places`` decimals."""
    corners = [
        (lon, lat),
        (lon + side_deg, lat),
        (lon + side_deg, lat + side_deg),
        (lon, lat + side_deg),
        (lon, lat),
    ]
    ring = ", ".join(f"[{x:.{places}f}, {y:.{places}f}]" for x, y in corners)
    return f'{{"type": "Polygon", "coordinates": [[{ring}]]}}'


def point(lat: float, lon: float, *, places: int = 6) -> str:
    return f'{{"type": "Point", "coordinates": [{lon:.{places}f}, {lat:.{places}f}]}}'


def area_of(geometry: str) -> Decimal:
    parsed = load_geometry(geometry)
    assert parsed is not None
    return geodesic_area_ha(parsed)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["pasar_language"] = "en"
    return client


@pytest.fixture
def plot_factory(seller: User, shop: Shop) -> Callable[..., ProductionPlot]:
    counter = iter(range(1, 10_000))

    def make(
        *, for_shop: Shop | None = None, actor: User | None = None, **kw: Any
    ) -> ProductionPlot:
        n = next(counter)
        kw.setdefault("name", f"Kebun {n}")
        kw.setdefault("area_ha", "1.5")
        kw.setdefault("geometry", point(KEMIREN[0] + n / 1000, KEMIREN[1]))
        return services.create_plot(actor or seller, for_shop or shop, services.PlotInput(**kw))

    return make


@pytest.fixture
def plot_events() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def handler(**payload: Any) -> None:
        seen.append(payload)

    events.subscribe("plot.changed")(handler)
    yield seen
    events._handlers["plot.changed"].remove(handler)
