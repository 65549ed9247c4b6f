"""Writes of production plots, and the due-diligence pack built from them.

Each write checks ``can_manage_shop`` on the plot's shop, validates (``validation.validate_plot``
plus the plain fields) and refuses with a ``ValidationError`` keyed by field before writing
anything, writes in one transaction, records an audit entry on behalf of the shop and emits
``plot.changed`` (plot_id, shop_id, product_ids) after commit; readiness recomputes the linked
listings on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit.services import record
from marketplace.catalog.models import Product
from marketplace.core import events, permissions
from marketplace.regions.models import Region, RegionLevel
from sellers.models import Shop

from . import rules
from .models import ProductionPlot, ProductPlot
from .pack import due_diligence_pack, due_diligence_pack_for_order
from .validation import load_geometry, parse_area, round_geometry, validate_plot

__all__ = [
    "PlotInput",
    "create_plot",
    "delete_plot",
    "due_diligence_pack",
    "due_diligence_pack_for_order",
    "import_geojson",
    "link_plot",
    "set_plot_products",
    "unlink_plot",
    "update_plot",
]

#: Largest GeoJSON file a seller may upload (a few hundred plots fit in far less).
IMPORT_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class PlotInput:
    name: str
    area_ha: Decimal | str | int | float | None
    #: GeoJSON text as typed or uploaded (its decimals are checked), or a parsed geometry.
    geometry: str | dict[str, Any]
    farmer_name: str = ""
    village: Region | None = None
    harvest_start: date | None = None
    harvest_end: date | None = None


def clean_plot(data: PlotInput) -> dict[str, Any]:
    """Validate a plot's fields into model values; every problem at once, keyed by field."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    name = (data.name or "").strip()
    if not name:
        add("name", _("Give the plot a name (for example the farmer's field name)."), "required")
    elif len(name) > 120:
        add("name", _("A name has at most 120 characters."), "max_length")
    farmer = (data.farmer_name or "").strip()
    if len(farmer) > 120:
        add("farmer_name", _("A name has at most 120 characters."), "max_length")
    if data.village is not None and data.village.level != RegionLevel.VILLAGE:
        add("village", _("Choose a village."), "invalid")
    if data.harvest_start and data.harvest_end and data.harvest_end < data.harvest_start:
        add("harvest_end", _("The harvest cannot end before it starts."), "invalid")
    for problem in validate_plot(data.area_ha, data.geometry):
        add(problem.field, problem.message, problem.code)
    area = parse_area(data.area_ha)
    if area is not None and "area_ha" not in errors and area >= Decimal(10_000):
        add("area_ha", _("The area is too large for one plot."), "max_value")
    if errors:
        raise ValidationError(errors)
    geometry = load_geometry(data.geometry)
    assert geometry is not None and area is not None  # validate_plot found no problem
    return {
        "name": name,
        "farmer_name": farmer,
        "village": data.village,
        "area_ha": area.quantize(Decimal("0.0001")),
        "geometry": round_geometry(geometry, rules.current().coordinate_decimals),
        "harvest_start": data.harvest_start,
        "harvest_end": data.harvest_end,
    }


def _product_ids(plot: ProductionPlot) -> list[int]:
    return sorted(plot.links.values_list("product_id", flat=True))


def _changed(actor: Any, action: str, plot: ProductionPlot, **data: Any) -> None:
    record(actor, action, plot, on_behalf_of=plot.shop, data=data or None)
    events.emit(
        "plot.changed", plot_id=plot.pk, shop_id=plot.shop_id, product_ids=_product_ids(plot)
    )


def _alive(plot: ProductionPlot) -> None:
    if plot.deleted_at is not None:
        raise ValidationError(_("This plot was removed."), code="deleted")


@transaction.atomic
def create_plot(actor: Any, shop: Shop, data: PlotInput) -> ProductionPlot:
    permissions.require(permissions.can_manage_shop, actor, shop)
    plot = ProductionPlot.objects.create(shop=shop, **clean_plot(data))
    _changed(actor, "plot.created", plot)
    return plot


@transaction.atomic
def update_plot(actor: Any, plot: ProductionPlot, data: PlotInput) -> ProductionPlot:
    permissions.require(permissions.can_manage_shop, actor, plot.shop)
    _alive(plot)
    for name, value in clean_plot(data).items():
        setattr(plot, name, value)
    plot.save()
    _changed(actor, "plot.changed", plot)
    return plot


@transaction.atomic
def link_plot(actor: Any, plot: ProductionPlot, product: Product) -> ProductPlot:
    """Say that ``product`` is grown on ``plot``; both must belong to the same shop."""
    permissions.require(permissions.can_manage_shop, actor, plot.shop)
    _alive(plot)
    if product.shop_id != plot.shop_id:
        raise ValidationError(
            {"product": ValidationError(_("Choose one of your own listings."), code="invalid")}
        )
    link, created = ProductPlot.objects.get_or_create(plot=plot, product=product)
    if created:
        _changed(actor, "plot.linked", plot, product_id=product.pk)
    return link


@transaction.atomic
def unlink_plot(actor: Any, plot: ProductionPlot, product: Product) -> None:
    permissions.require(permissions.can_manage_shop, actor, plot.shop)
    product_ids = _product_ids(plot)
    deleted, _counts = ProductPlot.objects.filter(plot=plot, product=product).delete()
    if deleted:
        record(
            actor, "plot.unlinked", plot, on_behalf_of=plot.shop, data={"product_id": product.pk}
        )
        # The unlinked listing is named too: it is the one whose readiness changes.
        events.emit("plot.changed", plot_id=plot.pk, shop_id=plot.shop_id, product_ids=product_ids)


@transaction.atomic
def set_plot_products(actor: Any, plot: ProductionPlot, products: list[Product]) -> None:
    """Make ``products`` exactly the listings grown on ``plot`` (the dashboard's checkboxes)."""
    permissions.require(permissions.can_manage_shop, actor, plot.shop)
    wanted = {p.pk: p for p in products}
    current = set(_product_ids(plot))
    for product in Product.objects.filter(pk__in=current - set(wanted)):
        unlink_plot(actor, plot, product)
    for pk in sorted(set(wanted) - current):
        link_plot(actor, plot, wanted[pk])


@transaction.atomic
def delete_plot(actor: Any, plot: ProductionPlot) -> ProductionPlot:
    """Remove a plot from the seller's lists; the record stays for the retention period."""
    permissions.require(permissions.can_manage_shop, actor, plot.shop)
    if plot.deleted_at is None:
        plot.deleted_at = timezone.now()
        plot.save(update_fields=["deleted_at", "updated_at"])
        _changed(actor, "plot.deleted", plot)
    return plot


# --- GeoJSON import ------------------------------------------------------------------------------


def _features(data: Any) -> list[Any]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        return features if isinstance(features, list) else []
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    if isinstance(data, list):
        return data
    return []


def import_geojson(actor: Any, shop: Shop, file: IO[bytes] | IO[str]) -> list[ProductionPlot]:
    """Create one plot per feature of a GeoJSON file (a FeatureCollection, a Feature, or a list
    of Features), each with properties ``name``, ``area_ha`` and optionally ``farmer``,
    ``harvest_start`` and ``harvest_end`` (ISO dates).

    All or nothing: every feature is checked first and the errors name their feature ("Feature 3:
    …"); only a file without errors is written, in one transaction.
    """
    permissions.require(permissions.can_manage_shop, actor, shop)
    raw = file.read(IMPORT_MAX_BYTES + 1)
    if len(raw) > IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": ValidationError(_("The file is larger than 2 MB."), code="too_large")}
        )
    text = raw.decode("utf-8-sig", errors="replace") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError):
        data = None
    features = _features(data)
    if not features:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is not GeoJSON with at least one feature."), code="invalid"
                )
            }
        )
    inputs: list[PlotInput] = []
    messages: list[ValidationError] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            feature = {}
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        geometry = feature.get("geometry")
        data_in = PlotInput(
            name=str(props.get("name") or ""),
            area_ha=props.get("area_ha"),
            # Re-written with the Decimals as read, so the written decimals are still checked.
            geometry=_geometry_text(geometry),
            farmer_name=str(props.get("farmer") or ""),
        )
        problems: list[str] = []
        for key in ("harvest_start", "harvest_end"):
            try:
                setattr(data_in, key, _date(props.get(key)))
            except ValueError:
                problems.append(
                    _("%(field)s is not a date (write it as 2026-05-31).") % {"field": key}
                )
        try:
            clean_plot(data_in)
        except ValidationError as exc:
            problems.extend(m for errors in exc.message_dict.values() for m in errors)
        for message in problems:
            messages.append(
                ValidationError(
                    _("Feature %(number)d: %(message)s") % {"number": number, "message": message},
                    code="invalid",
                )
            )
        inputs.append(data_in)
    if messages:
        raise ValidationError({"file": messages})
    with transaction.atomic():
        return [create_plot(actor, shop, data_in) for data_in in inputs]


def _date(value: Any) -> date | None:
    """An ISO date from a feature's properties; empty is none, anything else raises."""
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value))


def _geometry_text(geometry: Any) -> str:
    if not isinstance(geometry, dict):
        return ""
    try:
        return _decimal_json(geometry)
    except RecursionError:
        return ""


def _decimal_json(value: Any) -> str:
    """JSON text with Decimals written as numbers exactly as they were read."""
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))}: {_decimal_json(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_decimal_json(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value)
