"""Reads of production plots. Soft-deleted plots are left out everywhere except where a past
shipment needs them (``plots_for_order``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from marketplace.catalog.models import Product
from sellers.models import Shop

from .models import ProductionPlot, ProductPlot
from .validation import PlotProblem, validate_plot


def plots_of_shop(shop: Shop) -> QuerySet[ProductionPlot]:
    """A shop's plots with their village and linked listings loaded (the dashboard list)."""
    return (
        ProductionPlot.objects.alive()
        .filter(shop=shop)
        .select_related("village")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=ProductPlot.objects.select_related("product").order_by("product__pk"),
            )
        )
    )


def plots_for_product(product: Product) -> list[ProductionPlot]:
    """The plots a listing is grown on (not removed), village loaded."""
    return list(
        ProductionPlot.objects.alive()
        .filter(links__product=product)
        .select_related("shop", "village__parent")
        .order_by("name", "pk")
    )


def plots_for_products(product_ids: Iterable[int], *, at: object = None) -> list[ProductionPlot]:
    """Plots linked to any of ``product_ids``, each once, with ``linked_ids`` (its listings among
    them). With ``at`` (a datetime), plots removed after that moment count too: a shipment's pack
    shows the plots that stood when it was ordered."""
    ids = list(product_ids)
    qs = ProductionPlot.objects.filter(links__product_id__in=ids)
    if at is None:
        qs = qs.filter(deleted_at__isnull=True)
    else:
        qs = qs.filter(Q(deleted_at__isnull=True) | Q(deleted_at__gt=at))
    plots = list(qs.select_related("shop", "village__parent").distinct().order_by("name", "pk"))
    links: dict[int, list[int]] = {}
    for plot_id, product_id in ProductPlot.objects.filter(
        plot__in=plots, product_id__in=ids
    ).values_list("plot_id", "product_id"):
        links.setdefault(plot_id, []).append(product_id)
    for plot in plots:
        plot.linked_ids = sorted(links.get(plot.pk, []))  # type: ignore[attr-defined]
    return plots


def plot_problems(plot: ProductionPlot) -> list[PlotProblem]:
    """A stored plot re-checked (its decimals were checked and rounded when it was saved)."""
    return validate_plot(plot.area_ha, plot.geometry, check_precision=False)
