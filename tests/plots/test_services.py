"""Writing plots: validation per field, links, soft delete kept five years, events, import."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import ProductVariant
from marketplace.plots import selectors, services
from marketplace.plots.models import ProductionPlot, ProductPlot, RetentionError
from sellers.models import Shop

from .conftest import KEMIREN, area_of, point, square

LAT, LON = KEMIREN
pytestmark = pytest.mark.django_db


def test_create_stores_the_plot_rounded_to_six_decimals(seller: User, shop: Shop) -> None:
    plot = services.create_plot(
        seller,
        shop,
        services.PlotInput(
            name="Kebun Pak Slamet",
            farmer_name="Slamet",
            area_ha="1,25",
            geometry='{"type": "Point", "coordinates": [114.33607149, -8.21835412]}',
        ),
    )
    plot.refresh_from_db()
    assert plot.geometry == {"type": "Point", "coordinates": [114.336071, -8.218354]}
    assert str(plot.area_ha) == "1.2500"
    entry = AuditEntry.objects.get(action="plot.created")
    assert entry.actor_id == seller.pk and entry.on_behalf_of == shop


def test_invalid_input_is_refused_per_field_and_writes_nothing(seller: User, shop: Shop) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_plot(
            seller,
            shop,
            services.PlotInput(name=" ", area_ha="6", geometry=point(LAT, LON)),
        )
    errors = exc.value.error_dict
    assert set(errors) == {"name", "geometry"}
    assert errors["geometry"][0].code == "geometry.point_over_4ha"
    assert not ProductionPlot.objects.exists()


def test_harvest_cannot_end_before_it_starts(seller: User, shop: Shop) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_plot(
            seller,
            shop,
            services.PlotInput(
                name="Kebun",
                area_ha="1",
                geometry=point(LAT, LON),
                harvest_start=today,
                harvest_end=today - timedelta(days=1),
            ),
        )
    assert set(exc.value.error_dict) == {"harvest_end"}


def test_update_validates_and_changes(
    seller: User, plot_factory: Callable[..., ProductionPlot]
) -> None:
    plot = plot_factory()
    large = square(LAT, LON, 0.0022)
    services.update_plot(
        seller, plot, services.PlotInput(name="Kebun besar", area_ha=area_of(large), geometry=large)
    )
    plot.refresh_from_db()
    assert plot.name == "Kebun besar" and plot.geometry["type"] == "Polygon"
    with pytest.raises(ValidationError):
        services.update_plot(
            seller, plot, services.PlotInput(name="Kebun", area_ha="9", geometry=point(LAT, LON))
        )
    plot.refresh_from_db()
    assert plot.geometry["type"] == "Polygon"


def test_another_shop_cannot_touch_a_plot(
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    plot = plot_factory()
    other = user_factory(email="other@example.id", phone="+6281299999999")
    shop_factory(owner=other)
    with pytest.raises(PermissionDenied):
        services.update_plot(
            other, plot, services.PlotInput(name="Mine", area_ha="1", geometry=point(LAT, LON))
        )
    with pytest.raises(PermissionDenied):
        services.delete_plot(other, plot)
    with pytest.raises(PermissionDenied):
        services.create_plot(
            other, plot.shop, services.PlotInput(name="X", area_ha="1", geometry=point(LAT, LON))
        )
    plot.refresh_from_db()
    assert plot.deleted_at is None and plot.name != "Mine"


def test_a_consented_facilitator_manages_plots(
    user_factory: Callable[..., User],
    hall: Any,
    consent: Any,
    shop: Shop,
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    agus = user_factory(email="agus@example.id", phone="+6281200000009")
    hall.facilitators.add(agus)
    with pytest.raises(PermissionDenied):
        plot_factory(actor=agus)
    consent(shop, agus)
    plot = plot_factory(actor=agus)
    entry = AuditEntry.objects.get(action="plot.created")
    assert entry.actor_id == agus.pk and plot.shop == shop


def test_links_stay_within_the_shop(
    seller: User,
    shop_factory: Callable[..., Shop],
    variant_factory: Callable[..., ProductVariant],
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    plot = plot_factory()
    own = variant_factory().product
    foreign = variant_factory(for_shop=shop_factory()).product
    services.link_plot(seller, plot, own)
    services.link_plot(seller, plot, own)  # twice is once
    with pytest.raises(ValidationError) as exc:
        services.link_plot(seller, plot, foreign)
    assert set(exc.value.error_dict) == {"product"}
    assert [p.pk for p in selectors.plots_for_product(own)] == [plot.pk]
    assert selectors.plots_for_product(foreign) == []
    services.unlink_plot(seller, plot, own)
    assert selectors.plots_for_product(own) == []


def test_soft_delete_hides_the_plot_and_keeps_it_five_years(
    seller: User,
    shop: Shop,
    variant_factory: Callable[..., ProductVariant],
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    plot = plot_factory()
    product = variant_factory().product
    services.link_plot(seller, plot, product)
    services.delete_plot(seller, plot)
    assert selectors.plots_for_product(product) == []
    assert list(selectors.plots_of_shop(shop)) == []
    assert ProductionPlot.objects.filter(pk=plot.pk).exists()

    with pytest.raises(RetentionError):
        plot.delete()
    with pytest.raises(RetentionError):
        ProductionPlot.objects.filter(pk=plot.pk).delete()
    almost = timezone.now() - timedelta(days=5 * 365)
    ProductionPlot.objects.filter(pk=plot.pk).update(deleted_at=almost)
    plot.refresh_from_db()
    with pytest.raises(RetentionError):
        plot.delete()

    never_removed = plot_factory()
    with pytest.raises(RetentionError):
        never_removed.delete()

    ProductionPlot.objects.filter(pk=plot.pk).update(
        deleted_at=timezone.now() - timedelta(days=5 * 366)
    )
    plot.refresh_from_db()
    plot.delete()
    assert not ProductionPlot.objects.filter(pk=plot.pk).exists()
    assert not ProductPlot.objects.filter(plot_id=plot.pk).exists()


def test_a_removed_plot_cannot_be_edited_or_linked(
    seller: User,
    variant_factory: Callable[..., ProductVariant],
    plot_factory: Callable[..., ProductionPlot],
) -> None:
    plot = plot_factory()
    services.delete_plot(seller, plot)
    with pytest.raises(ValidationError):
        services.link_plot(seller, plot, variant_factory().product)


def test_every_change_emits_plot_changed(
    seller: User,
    shop: Shop,
    variant_factory: Callable[..., ProductVariant],
    plot_factory: Callable[..., ProductionPlot],
    plot_events: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = variant_factory().product
    with django_capture_on_commit_callbacks(execute=True):
        plot = plot_factory()
        services.update_plot(
            seller, plot, services.PlotInput(name="Baru", area_ha="2", geometry=point(LAT, LON))
        )
        services.link_plot(seller, plot, product)
        services.unlink_plot(seller, plot, product)
        services.link_plot(seller, plot, product)
        services.delete_plot(seller, plot)
    base = {"plot_id": plot.pk, "shop_id": shop.pk}
    assert plot_events == [
        {**base, "product_ids": []},
        {**base, "product_ids": []},
        {**base, "product_ids": [product.pk]},
        {**base, "product_ids": [product.pk]},
        {**base, "product_ids": [product.pk]},
        {**base, "product_ids": [product.pk]},
    ]


def test_a_refused_change_emits_nothing(
    seller: User,
    shop: Shop,
    plot_events: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.create_plot(
            seller, shop, services.PlotInput(name="X", area_ha="6", geometry=point(LAT, LON))
        )
    assert plot_events == []


# --- GeoJSON import ------------------------------------------------------------------------------


def _feature(name: str, area: str, geometry: str, farmer: str = "") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "area_ha": area, "farmer": farmer},
        "geometry": json.loads(geometry),
    }


def _file(features: list[dict[str, Any]]) -> io.BytesIO:
    # Written by hand so the coordinates keep the decimals as a mapping app writes them.
    body = json.dumps({"type": "FeatureCollection", "features": features})
    return io.BytesIO(body.encode())


def test_import_creates_every_feature(seller: User, shop: Shop) -> None:
    large = square(LAT, LON, 0.0022, places=7)
    created = services.import_geojson(
        seller,
        shop,
        _file(
            [
                _feature("Kebun A", "1.2", point(LAT, LON, places=7), farmer="Bu Sri"),
                _feature("Kebun B", str(area_of(large)), large),
            ]
        ),
    )
    assert [(p.name, p.farmer_name) for p in created] == [("Kebun A", "Bu Sri"), ("Kebun B", "")]
    assert ProductionPlot.objects.filter(shop=shop).count() == 2


def test_import_reads_harvest_dates(seller: User, shop: Shop) -> None:
    feature = _feature("Kebun A", "1.2", point(LAT, LON, places=7))
    feature["properties"].update(harvest_start="2026-05-01", harvest_end="2026-08-31")
    (plot,) = services.import_geojson(seller, shop, _file([feature]))
    assert (str(plot.harvest_start), str(plot.harvest_end)) == ("2026-05-01", "2026-08-31")
    feature["properties"]["harvest_end"] = "akhir Agustus"
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.import_geojson(seller, shop, _file([feature]))
    assert exc.value.message_dict["file"] == [
        "Feature 1: harvest_end is not a date (write it as 2026-05-31)."
    ]


def test_import_is_all_or_nothing_with_numbered_errors(seller: User, shop: Shop) -> None:
    features = [
        _feature("Kebun A", "1.2", point(LAT, LON, places=7)),
        _feature("Kebun B", "6", point(LAT, LON, places=7)),
        _feature("", "1", point(-23.698042, 133.880747)),
    ]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.import_geojson(seller, shop, _file(features))
    messages = exc.value.message_dict["file"]
    assert any(m.startswith("Feature 2:") for m in messages)
    assert sum(m.startswith("Feature 3:") for m in messages) == 2  # name and outside Indonesia
    assert not any(m.startswith("Feature 1:") for m in messages)
    assert not ProductionPlot.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b'{"type": "FeatureCollection", "features": []}', b"[1, 2]"],
)
def test_import_refuses_what_is_not_geojson(seller: User, shop: Shop, content: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        services.import_geojson(seller, shop, io.BytesIO(content))
    assert "file" in exc.value.message_dict
    assert not ProductionPlot.objects.exists()
