"""The due-diligence pack: GeoJSON with the EU information system's properties, and a PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import translation
from pypdf import PdfReader

from marketplace.accounts.models import User
from marketplace.catalog.models import Product, ProductVariant
from marketplace.payments.models import Payment
from marketplace.plots import services
from marketplace.plots.models import ProductionPlot
from marketplace.regions.models import Region

from .conftest import KEMIREN, area_of, square

LAT, LON = KEMIREN
pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The PDF's words, whitespace collapsed (a table cell may wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture
def coffee(variant_factory: Callable[..., ProductVariant]) -> ProductVariant:
    variant = variant_factory()
    Product.objects.filter(pk=variant.product_id).update(hs_code="090121", title="Kopi Osing")
    variant.product.refresh_from_db()
    return variant


def test_listing_pack_carries_the_plots_and_the_declaration(
    seller: User,
    coffee: ProductVariant,
    regions: dict[str, Region],
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    large = square(LAT, LON, 0.0022)
    garden = plot_factory(
        name="Kebun Lereng", area_ha=area_of(large), geometry=large, village=regions["kemiren"]
    )
    point = plot_factory(name="Kebun Pak Slamet", farmer_name="Slamet", area_ha="1.5")
    removed = plot_factory(name="Kebun Lama")
    for plot in (garden, point, removed):
        services.link_plot(seller, plot, coffee.product)
    services.delete_plot(seller, removed)

    with translation.override("en"):
        collection, pdf = services.due_diligence_pack(coffee.product)

    assert collection["type"] == "FeatureCollection"
    by_name = {f["properties"]["ProductionPlace"].split(",")[0]: f for f in collection["features"]}
    assert set(by_name) == {"Kebun Lereng", "Kebun Pak Slamet"}
    lereng = by_name["Kebun Lereng"]
    assert lereng["geometry"]["type"] == "Polygon"
    assert lereng["properties"] == {
        "ProducerName": coffee.product.shop.name,
        "ProducerCountry": "ID",
        "ProductionPlace": "Kebun Lereng, Kemiren, Glagah",
        "Area": float(garden.area_ha),
        "HSCode": "090121",
        "ProductDescription": "Kopi Osing",
        "HarvestStart": None,
        "HarvestEnd": None,
        "PlotReference": f"PK-PLOT-{garden.pk}",
    }
    slamet = by_name["Kebun Pak Slamet"]
    assert slamet["properties"]["ProducerName"] == "Slamet"
    assert slamet["geometry"] == point.geometry

    text = pdf_text(pdf)
    for expected in ("Kopi Osing", "090121", "Kebun Lereng", "Kebun Pak Slamet", "Slamet"):
        assert expected in text
    assert "Kebun Lama" not in text
    assert "31 December 2020" in text


def test_shipment_pack_lists_the_plots_that_stood_when_it_was_ordered(
    seller: User,
    coffee: ProductVariant,
    place_order: Callable[..., Payment],
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    kept = plot_factory(name="Kebun Tetap")
    removed_later = plot_factory(name="Kebun Dihapus Nanti")
    removed_before = plot_factory(name="Kebun Dihapus Dulu")
    for plot in (kept, removed_later, removed_before):
        services.link_plot(seller, plot, coffee.product)
    services.delete_plot(seller, removed_before)
    ProductionPlot.objects.filter(pk=removed_before.pk).update(
        deleted_at=removed_before.deleted_at - timedelta(days=1)  # type: ignore[operator]
    )
    order = place_order([(coffee, 2)], market="EU").orders.get()
    order.lines.update(hs_code="090121")
    services.delete_plot(seller, removed_later)

    with translation.override("en"):
        collection, pdf = services.due_diligence_pack_for_order(order)

    places = sorted(f["properties"]["ProductionPlace"] for f in collection["features"])
    assert places == ["Kebun Dihapus Nanti", "Kebun Tetap"]
    assert {f["properties"]["HSCode"] for f in collection["features"]} == {"090121"}
    text = pdf_text(pdf)
    assert order.number in text and "Kebun Tetap" in text
    assert "Kebun Dihapus Dulu" not in text


def test_a_listing_without_plots_says_so(coffee: ProductVariant) -> None:
    with translation.override("en"):
        collection, pdf = services.due_diligence_pack(coffee.product)
    assert collection == {"type": "FeatureCollection", "features": []}
    assert "No production plot is linked yet" in pdf_text(pdf)
