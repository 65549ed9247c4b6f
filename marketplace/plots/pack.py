"""The EUDR due-diligence pack: the plots behind a listing (or a shipment) as the GeoJSON the EU
Information System takes, and a PDF summary the seller keeps or hands to the operator who files
the due-diligence statement.

Feature properties follow the Information System's GeoJSON description: ``ProducerName`` (the
supplying farmer, else the shop), ``ProducerCountry`` ("ID"), ``ProductionPlace`` (plot, village,
district), ``Area`` (hectares); we add the HS code, the harvest period and our plot reference so
the statement can be filled in from the pack alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.catalog.models import Product

from . import rules
from .models import ProductionPlot
from .selectors import plots_for_product, plots_for_products

if TYPE_CHECKING:
    from marketplace.orders.models import Order

PRODUCER_COUNTRY = "ID"


@dataclass(frozen=True)
class PackLine:
    """What was (or is) sold from the plots: a listing, or an order line."""

    title: str
    hs_code: str
    quantity: int | None = None


def production_place(plot: ProductionPlot) -> str:
    parts = [plot.name]
    if plot.village is not None:
        parts.append(plot.village.display_name)
        if plot.village.parent is not None:
            parts.append(plot.village.parent.display_name)
    return ", ".join(parts)


def feature(plot: ProductionPlot, hs_codes: list[str], descriptions: list[str]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": plot.geometry,
        "properties": {
            "ProducerName": plot.farmer_name or plot.shop.name,
            "ProducerCountry": PRODUCER_COUNTRY,
            "ProductionPlace": production_place(plot),
            "Area": float(plot.area_ha),
            "HSCode": ", ".join(sorted(set(filter(None, hs_codes)))),
            "ProductDescription": "; ".join(descriptions),
            "HarvestStart": plot.harvest_start.isoformat() if plot.harvest_start else None,
            "HarvestEnd": plot.harvest_end.isoformat() if plot.harvest_end else None,
            "PlotReference": f"PK-PLOT-{plot.pk}",
        },
    }


def product_pack_parts(product: Product) -> tuple[dict[str, Any], dict[str, Any]]:
    """A listing's GeoJSON and the PDF's context (the PDF is rendered only when asked for)."""
    plots = plots_for_product(product)
    line = PackLine(product.title, product.customs_code)
    collection = {
        "type": "FeatureCollection",
        "features": [feature(plot, [line.hs_code], [line.title]) for plot in plots],
    }
    return collection, {"shop": product.shop, "product": product, "lines": [line], "plots": plots}


def order_pack_parts(order: Order) -> tuple[dict[str, Any], dict[str, Any]]:
    """A shipment's GeoJSON and the PDF's context: the plots of its lines' listings as they
    stood when it was ordered (a plot removed since still counts: the goods came from it)."""
    by_product: dict[int, list[PackLine]] = {}
    pack_lines = []
    for line in order.lines.select_related("variant").order_by("pk"):
        pack_line = PackLine(line.product_title, line.hs_code, line.quantity)
        pack_lines.append(pack_line)
        if line.variant is not None:
            by_product.setdefault(line.variant.product_id, []).append(pack_line)
    plots = plots_for_products(by_product, at=order.placed_at)
    features = []
    for plot in plots:
        supplied = [pl for pid in plot.linked_ids for pl in by_product[pid]]  # type: ignore[attr-defined]
        features.append(
            feature(plot, [pl.hs_code for pl in supplied], [pl.title for pl in supplied])
        )
    collection = {"type": "FeatureCollection", "features": features}
    return collection, {"shop": order.shop, "order": order, "lines": pack_lines, "plots": plots}


def render_pdf(context: dict[str, Any]) -> bytes:
    """The pack's PDF summary, in the active language (the seller's)."""
    from weasyprint import HTML

    html = render_to_string(
        "plots/due_diligence.html",
        {**context, "cutoff": rules.current().deforestation_cutoff, "printed_at": timezone.now()},
    )
    return bytes(HTML(string=html).write_pdf())


def due_diligence_pack(product: Product) -> tuple[dict[str, Any], bytes]:
    """The pack for one listing: its current plots (removed ones left out)."""
    collection, context = product_pack_parts(product)
    return collection, render_pdf(context)


def due_diligence_pack_for_order(order: Order) -> tuple[dict[str, Any], bytes]:
    """The pack for one shipment (see ``order_pack_parts``)."""
    collection, context = order_pack_parts(order)
    return collection, render_pdf(context)
