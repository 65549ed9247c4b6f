"""The seller's EUDR production plots ("Kebun"): list, add and edit, import a GeoJSON file, link
plots to listings, and download the due-diligence pack of a listing or a shipment.

Thin like the rest of the dashboard: the forms only gather text, ``marketplace.plots.services``
validates and writes with ``request.user`` as the actor. A plot is entered the way a seller has
it: a point from a phone's map (latitude, longitude), corners walked with a phone ("lat, lon" per
line) or GeoJSON from a mapping app (pasted or uploaded). The outline is previewed as a small SVG
drawn on the server, so the page needs no JavaScript and no map tiles over a village connection.
Every view is guarded by ``can_manage_shop`` on the shop in the URL; another shop's plot,
listing or order is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.catalog.models import Product
from marketplace.plots import pack, preview, selectors
from marketplace.plots import services as plot_services
from marketplace.plots.models import ProductionPlot
from marketplace.plots.validation import geometry_from_text, point_geojson
from marketplace.regions.models import Region, RegionLevel
from sellers.models import Shop

from .forms import show_service_errors
from .orders import _order
from .views import _posted, _shop, manage_shop

POINT, POLYGON = "point", "polygon"
PACK_FORMATS = ("geojson", "pdf")


class PlotForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Plot name"), max_length=120)
    farmer_name = forms.CharField(
        label=gettext_lazy("Farmer (if not you)"), max_length=120, required=False
    )
    village = forms.ModelChoiceField(
        label=gettext_lazy("Village"), queryset=Region.objects.none(), required=False
    )
    area_ha = forms.CharField(
        label=gettext_lazy("Area (hectares)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Location as"),
        choices=[
            (POINT, gettext_lazy("One point (plots under 4 ha)")),
            (POLYGON, gettext_lazy("Boundary (polygon)")),
        ],
        widget=forms.RadioSelect,
        initial=POINT,
    )
    latitude = forms.CharField(
        label=gettext_lazy("Latitude"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example -8.218354 (south of the equator is negative)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        label=gettext_lazy("Longitude"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example 114.336071."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    polygon = forms.CharField(
        label=gettext_lazy("Boundary"),
        required=False,
        max_length=200_000,
        help_text=gettext_lazy(
            'One corner per line as "latitude, longitude", in walking order; or paste GeoJSON.'
        ),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    harvest_start = forms.DateField(
        label=gettext_lazy("Harvest from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    harvest_end = forms.DateField(
        label=gettext_lazy("Harvest until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        villages = Region.objects.filter(level=RegionLevel.VILLAGE)
        if shop.village is not None and shop.village.parent_id is not None:
            # The shop's district first: farmers sell to a shop nearby.
            villages = villages.filter(parent_id=shop.village.parent_id)
        self.fields["village"].queryset = villages.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == POINT and not point_geojson(
            data.get("latitude", ""), data.get("longitude", "")
        ):
            self.add_error(
                "latitude",
                _("Enter the latitude and longitude as numbers, for example -8.218354."),
            )
        if data.get("kind") == POLYGON and not data.get("polygon", "").strip():
            self.add_error("polygon", _("Enter the corners of the boundary."))
        return data

    def geometry_text(self) -> str:
        data = self.cleaned_data
        if data["kind"] == POINT:
            return point_geojson(data["latitude"], data["longitude"])
        return geometry_from_text(data["polygon"])

    def to_input(self) -> plot_services.PlotInput:
        data = self.cleaned_data
        return plot_services.PlotInput(
            name=data["name"],
            farmer_name=data["farmer_name"],
            village=data["village"],
            area_ha=data["area_ha"],
            geometry=self.geometry_text(),
            harvest_start=data["harvest_start"],
            harvest_end=data["harvest_end"],
        )

    def geometry_field(self) -> str:
        return "latitude" if self.cleaned_data.get("kind") == POINT else "polygon"


def initial_for(plot: ProductionPlot) -> dict[str, Any]:
    """The form's values for a stored plot (coordinates back as people read them: lat first)."""
    initial: dict[str, Any] = {
        "name": plot.name,
        "farmer_name": plot.farmer_name,
        "village": plot.village_id,
        "area_ha": f"{plot.area_ha.normalize():f}",
        "harvest_start": plot.harvest_start,
        "harvest_end": plot.harvest_end,
    }
    coordinates = plot.geometry.get("coordinates")
    if plot.is_point:
        initial.update(
            kind=POINT, longitude=f"{coordinates[0]:.6f}", latitude=f"{coordinates[1]:.6f}"
        )
    else:
        lines = [f"{lat:.6f}, {lon:.6f}" for lon, lat in coordinates[0]]
        initial.update(kind=POLYGON, polygon="\n".join(lines))
    return initial


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        help_text=gettext_lazy(
            "Each feature needs the properties name and area_ha (hectares); farmer is optional."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )


class LinksForm(forms.Form):
    products: forms.ModelMultipleChoiceField[Product] = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Listings grown on this plot"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(shop=shop).order_by(  # type: ignore[attr-defined]
            "title", "pk"
        )


def _plot(shop: Shop, plot_pk: int) -> ProductionPlot:
    return get_object_or_404(ProductionPlot.objects.alive(), shop=shop, pk=plot_pk)


def _render(request: HttpRequest, template: str, shop: Shop, **context: Any) -> HttpResponse:
    return render(request, f"sellers/dashboard/plots/{template}", {"shop": shop, **context})


@manage_shop
def plot_list(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    plots = list(selectors.plots_of_shop(shop))
    products: dict[int, Product] = {}
    for plot in plots:
        plot.preview = preview.svg(plot.geometry, label=plot.name)  # type: ignore[attr-defined]
        for link in plot.links.all():
            products.setdefault(link.product_id, link.product)
    return _render(
        request,
        "list.html",
        shop,
        plots=plots,
        products=sorted(products.values(), key=lambda p: (p.title, p.pk)),
        import_form=ImportForm(),
    )


@manage_shop
def plot_new(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    form = PlotForm(*_posted(request), shop=shop)
    if request.method == "POST" and form.is_valid():
        try:
            plot = plot_services.create_plot(request.user, shop, form.to_input())
        except ValidationError as exc:
            show_service_errors(form, exc, {"geometry": form.geometry_field()})
        else:
            messages.success(request, _("Plot saved. Now tick the listings grown on it."))
            return redirect("dashboard:plot_edit", shop.slug, plot.pk)
    return _render(request, "form.html", shop, form=form, plot=None)


@manage_shop
def plot_edit(request: HttpRequest, shop_slug: str, plot_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    plot = _plot(shop, plot_pk)
    form = PlotForm(*_posted(request), shop=shop, initial=initial_for(plot))
    if request.method == "POST" and form.is_valid():
        try:
            plot_services.update_plot(request.user, plot, form.to_input())
        except ValidationError as exc:
            show_service_errors(form, exc, {"geometry": form.geometry_field()})
        else:
            messages.success(request, _("Plot saved."))
            return redirect("dashboard:plot_edit", shop.slug, plot.pk)
    links_form = LinksForm(
        shop=shop, initial={"products": list(plot.links.values_list("product_id", flat=True))}
    )
    return _render(
        request,
        "form.html",
        shop,
        form=form,
        plot=plot,
        links_form=links_form,
        preview=preview.svg(plot.geometry, size=240, label=plot.name),
    )


@manage_shop
@require_POST
def plot_links(request: HttpRequest, shop_slug: str, plot_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    plot = _plot(shop, plot_pk)
    form = LinksForm(request.POST, shop=shop)
    if form.is_valid():
        plot_services.set_plot_products(request.user, plot, list(form.cleaned_data["products"]))
        messages.success(request, _("Listings updated."))
    else:
        messages.error(request, _("Choose among your own listings."))
    return redirect("dashboard:plot_edit", shop.slug, plot.pk)


@manage_shop
def plot_delete(request: HttpRequest, shop_slug: str, plot_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    plot = _plot(shop, plot_pk)
    if request.method == "POST":
        plot_services.delete_plot(request.user, plot)
        messages.success(request, _("Plot removed. Its record is kept for five years."))
        return redirect("dashboard:plots", shop.slug)
    return _render(request, "delete.html", shop, plot=plot)


@manage_shop
@require_POST
def plot_import(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            created = plot_services.import_geojson(request.user, shop, form.cleaned_data["file"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)d plots imported.") % {"count": len(created)})
            return redirect("dashboard:plots", shop.slug)
    plots = list(selectors.plots_of_shop(shop))
    for plot in plots:
        plot.preview = preview.svg(plot.geometry, label=plot.name)  # type: ignore[attr-defined]
    return _render(request, "list.html", shop, plots=plots, products=[], import_form=form)


# --- Due-diligence packs --------------------------------------------------------------------


def _geojson_response(collection: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(collection, ensure_ascii=False, indent=1), content_type="application/geo+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@manage_shop
def product_pack(request: HttpRequest, shop_slug: str, pk: int, fmt: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    if fmt not in PACK_FORMATS:
        raise Http404
    product: Product = get_object_or_404(
        Product.objects.select_related("category"), shop=shop, pk=pk
    )
    collection, context = pack.product_pack_parts(product)
    if fmt == "geojson":
        return _geojson_response(collection, f"eudr-listing-{product.pk}.geojson")
    return _pdf_response(pack.render_pdf(context), f"eudr-listing-{product.pk}.pdf")


@manage_shop
def order_pack(request: HttpRequest, shop_slug: str, number: str, fmt: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    if fmt not in PACK_FORMATS:
        raise Http404
    order = _order(shop, number)
    collection, context = pack.order_pack_parts(order)
    if fmt == "geojson":
        return _geojson_response(collection, f"eudr-{order.number}.geojson")
    return _pdf_response(pack.render_pdf(context), f"eudr-{order.number}.pdf")
