"""The seller dashboard for listings: "My products", the listing steps, variants, stock, photos.

Thin views: forms collect, ``marketplace.catalog.services`` (and ``marketplace.photos.services``)
decide and write, with ``request.user`` as the actor, so the audit log says "facilitator X for
shop Y" when the village hall helps. Every view is guarded by ``can_manage_shop`` on the shop named
in the URL; a listing or variant of another shop is a 404. Pages work without JavaScript: every
action is a plain form, every change a POST followed by a redirect.

Creating a listing is four small steps, each saved before the next, so a slow link that drops
loses at most one step: (1) photo, (2) name and category, (3) first variant with price and stock,
(4) review and publish. The step number travels in the query string (``?langkah=N``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product, ProductStatus, ProductVariant
from marketplace.core import permissions
from marketplace.photos import services as photo_services
from marketplace.photos.models import ProductPhoto
from marketplace.photos.selectors import cover_photos, photos_of
from sellers.models import Shop

from . import selectors
from .forms import (
    AddPhotoForm,
    FirstPhotoForm,
    ProductFilterForm,
    ProductForm,
    StockForm,
    VariantForm,
    show_service_errors,
)

PAGE_SIZE = 20
#: Where a listing begun with a photo sits until the seller picks its category in step 2.
FALLBACK_CATEGORY = "lainnya"
STEP = "langkah"


@dataclass
class VariantRow:
    """A variant with its prices written the way the seller reads them."""

    variant: ProductVariant
    price: str
    export_price: str


def _shop(request: HttpRequest, shop_slug: str, **_kwargs: Any) -> Shop:
    """The shop named in the URL, loaded once per request (the guard and the view share it)."""
    shop: Shop | None = getattr(request, "_dashboard_shop", None)
    if shop is None or shop.slug != shop_slug:
        shop = get_object_or_404(Shop, slug=shop_slug)
        request._dashboard_shop = shop  # type: ignore[attr-defined]
    return shop


manage_shop = permissions.rule_required(permissions.can_manage_shop, get_object=_shop)


def _posted(request: HttpRequest, files: bool = False) -> tuple[Any, ...]:
    """A form's data: bound on POST even when the POST is empty (so "required" is reported)."""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


def _step(request: HttpRequest) -> int | None:
    value = request.GET.get(STEP, "")
    return int(value) if value in {"1", "2", "3", "4"} else None


def _url(name: str, *args: Any, step: int | None = None) -> str:
    url = reverse(f"dashboard:{name}", args=args)
    return f"{url}?{STEP}={step}" if step else url


def _render(request: HttpRequest, template: str, shop: Shop, **context: Any) -> HttpResponse:
    return render(request, f"sellers/dashboard/{template}", {"shop": shop, **context})


# --- My products ---------------------------------------------------------------------------


@manage_shop
def products(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    form = ProductFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "search": form.cleaned_data["q"].strip(),
            "status": form.cleaned_data["status"],
            "low_stock": form.cleaned_data["low"],
        }
    page = Paginator(selectors.dashboard_products(shop, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    covers = cover_photos(rows)
    for row in rows:
        row.price_display = selectors.format_idr(row.lowest_price)
        row.cover = covers.get(row.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "products.html",
        shop,
        form=form,
        page=page,
        rows=rows,
        query=query.urlencode(),
        is_filtered=bool(filters and any(filters.values())),
    )


# --- Creating and editing a listing --------------------------------------------------------


def _unnamed_title() -> str:
    """The title a listing begun with a photo carries until step 2 names it (in Indonesian)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("New product (no name yet)")


def _is_unnamed(product: Product) -> bool:
    return bool(product.title_ind == _unnamed_title())  # type: ignore[attr-defined]


@manage_shop
def product_new(request: HttpRequest, shop_slug: str) -> HttpResponse:
    """Step 1: the photo, uploaded on its own so a dropped link later does not lose it.

    A photo belongs to a listing, so the upload creates a draft listing (its name comes in step 2,
    its category defaults to "other"). Skipping the photo goes straight to step 2.
    """
    shop = _shop(request, shop_slug)
    form = FirstPhotoForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        category = (
            Category.objects.filter(slug=FALLBACK_CATEGORY).first() or Category.objects.first()
        )
        try:
            with transaction.atomic():
                if category is None:
                    raise ValidationError(_("No categories exist yet; ask an operator."))
                draft = catalog.create_product(
                    request.user,
                    shop,
                    catalog.ProductInput(category=category, title={"id": _unnamed_title()}),
                )
                photo_services.add_photo(request.user, draft, form.cleaned_data["photo"])
        except ValidationError as exc:
            show_service_errors(form, exc, {"file": "photo"})
        else:
            return redirect(_url("product_details", shop.slug, draft.pk, step=2))
    return _render(request, "product_new.html", shop, form=form, step=1)


@manage_shop
def product_new_details(request: HttpRequest, shop_slug: str) -> HttpResponse:
    """Step 2 for a listing without a photo yet: name, category, description."""
    shop = _shop(request, shop_slug)
    form = ProductForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            product = catalog.create_product(request.user, shop, form.to_input())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect(_url("variant_new", shop.slug, product.pk, step=3))
    return _render(request, "product_form.html", shop, form=form, step=2, product=None)


@manage_shop
def product_details(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    """Edit name, category and description (also step 2 when the listing began with a photo)."""
    shop = _shop(request, shop_slug)
    product = selectors.product_for_dashboard(shop, pk)
    step = _step(request)
    form = ProductForm(*_posted(request), product=product)
    if _is_unnamed(product) and not form.is_bound:
        # Begun with a photo in step 1: the seller names it and picks the category now.
        form.initial.update(title_id="", category=None)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.update_product(request.user, product, form.to_input())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if step == 2 and not product.variants.all():
                return redirect(_url("variant_new", shop.slug, product.pk, step=3))
            messages.success(request, _("Saved."))
            return redirect(_url("product", shop.slug, product.pk))
    return _render(request, "product_form.html", shop, form=form, step=step, product=product)


@manage_shop
def product(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    """One listing: what a buyer will see, its variants and the buttons to publish or archive.

    It is also step 4 of a new listing (review and publish).
    """
    shop = _shop(request, shop_slug)
    item = selectors.product_for_dashboard(shop, pk)
    variants = [
        VariantRow(
            variant=variant,
            price=selectors.format_idr(variant.price.amount),
            export_price=selectors.format_eur(
                variant.export_price.amount if variant.export_price else None
            ),
        )
        for variant in item.variants.all()
    ]
    photos = list(item.photos.all())
    return _render(
        request,
        "product.html",
        shop,
        product=item,
        variants=variants,
        photos=photos,
        step=_step(request),
        unnamed=_is_unnamed(item),
        can_publish=item.status in (ProductStatus.DRAFT, ProductStatus.ARCHIVED),
        can_archive=item.status == ProductStatus.PUBLISHED,
    )


@manage_shop
@require_POST
def product_publish(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    item = get_object_or_404(Product, shop=shop, pk=pk)
    try:
        catalog.publish_product(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your listing is published. Buyers can find it now."))
    return redirect(_url("product", shop.slug, item.pk))


@manage_shop
@require_POST
def product_archive(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    item = get_object_or_404(Product, shop=shop, pk=pk)
    try:
        catalog.archive_product(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Archived: buyers no longer see this listing."))
    return redirect(_url("product", shop.slug, item.pk))


# --- Variants and stock --------------------------------------------------------------------


@manage_shop
def variant_new(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    """Add a variant (step 3 of a new listing); its first stock is a recorded movement."""
    shop = _shop(request, shop_slug)
    item = get_object_or_404(Product, shop=shop, pk=pk)
    step = _step(request)
    form = VariantForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: a refused first stock must not leave a variant behind.
            with transaction.atomic():
                variant = catalog.save_variant(request.user, item, form.to_input())
                if form.cleaned_data.get("initial_stock"):
                    catalog.adjust_stock(
                        request.user,
                        variant,
                        form.cleaned_data["initial_stock"],
                        note=_("Initial stock"),
                    )
        except ValidationError as exc:
            show_service_errors(form, exc, {"delta": "initial_stock", "quantity": "initial_stock"})
        else:
            if step != 3:
                messages.success(request, _("Variant added."))
            return redirect(_url("product", shop.slug, item.pk, step=4 if step == 3 else None))
    return _render(request, "variant_form.html", shop, form=form, product=item, step=step)


@manage_shop
def variant_edit(request: HttpRequest, shop_slug: str, pk: int, variant_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    item = get_object_or_404(Product, shop=shop, pk=pk)
    variant = selectors.variant_for_dashboard(item, variant_pk)
    form = VariantForm(*_posted(request), variant=variant)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.save_variant(request.user, item, form.to_input(), variant=variant)
        except ValidationError as exc:
            variant.refresh_from_db()
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_url("product", shop.slug, item.pk))
    return _render(
        request, "variant_form.html", shop, form=form, product=item, variant=variant, step=None
    )


@manage_shop
def variant_delete(request: HttpRequest, shop_slug: str, pk: int, variant_pk: int) -> HttpResponse:
    """GET asks "are you sure?" (no JavaScript confirm); POST deletes."""
    shop = _shop(request, shop_slug)
    item = get_object_or_404(Product, shop=shop, pk=pk)
    variant = selectors.variant_for_dashboard(item, variant_pk)
    if request.method == "POST":
        try:
            catalog.delete_variant(request.user, variant)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Variant deleted."))
        return redirect(_url("product", shop.slug, item.pk))
    return _render(request, "variant_delete.html", shop, product=item, variant=variant)


@manage_shop
def variant_stock(request: HttpRequest, shop_slug: str, pk: int, variant_pk: int) -> HttpResponse:
    """Adjust stock (add, remove, or set a counted number) and see its history."""
    shop = _shop(request, shop_slug)
    item = get_object_or_404(Product, shop=shop, pk=pk)
    variant = selectors.variant_for_dashboard(item, variant_pk)
    form = StockForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        quantity: int = form.cleaned_data["quantity"]
        note: str = form.cleaned_data["note"]
        try:
            if action == StockForm.SET:
                catalog.set_stock(request.user, variant, quantity, note=note)
            else:
                delta = quantity if action == StockForm.ADD else -quantity
                catalog.adjust_stock(request.user, variant, delta, note=note)
        except ValidationError as exc:
            show_service_errors(form, exc, {"delta": "quantity"})
        else:
            messages.success(request, _("Stock is now %(n)d.") % {"n": variant.stock_quantity})
            return redirect(_url("variant_stock", shop.slug, item.pk, variant.pk))
    return _render(
        request,
        "variant_stock.html",
        shop,
        form=form,
        product=item,
        variant=variant,
        movements=selectors.stock_history(variant),
    )


# --- Photos --------------------------------------------------------------------------------


@manage_shop
def photos(request: HttpRequest, shop_slug: str, pk: int) -> HttpResponse:
    """A listing's photos: add (camera or gallery), describe, move up or down, delete."""
    shop = _shop(request, shop_slug)
    item = selectors.product_for_dashboard(shop, pk)
    form = AddPhotoForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            photo_services.add_photo(
                request.user, item, form.cleaned_data["photo"], form.cleaned_data["alt_text"]
            )
        except ValidationError as exc:
            show_service_errors(form, exc, {"file": "photo"})
        else:
            messages.success(request, _("Photo added."))
            return redirect(_url("photos", shop.slug, item.pk))
    return _render(
        request,
        "photos.html",
        shop,
        product=item,
        photos=list(item.photos.all()),
        form=form,
    )


def _photo(shop: Shop, pk: int, photo_pk: int) -> tuple[Product, ProductPhoto]:
    item = get_object_or_404(Product, shop=shop, pk=pk)
    photo = get_object_or_404(ProductPhoto, product=item, pk=photo_pk)
    photo.product = item
    return item, photo


@manage_shop
@require_POST
def photo_delete(request: HttpRequest, shop_slug: str, pk: int, photo_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    item, photo = _photo(shop, pk, photo_pk)
    photo_services.delete_photo(request.user, photo)
    messages.success(request, _("Photo deleted."))
    return redirect(_url("photos", shop.slug, item.pk))


@manage_shop
@require_POST
def photo_move(request: HttpRequest, shop_slug: str, pk: int, photo_pk: int) -> HttpResponse:
    """Move a photo one place up or down (the first photo is the listing's cover)."""
    shop = _shop(request, shop_slug)
    item, photo = _photo(shop, pk, photo_pk)
    order = list(photos_of(item).values_list("pk", flat=True))
    index = order.index(photo.pk)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        try:
            photo_services.reorder_photos(request.user, item, order)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_url("photos", shop.slug, item.pk) + f"#photo-{photo.pk}")


@manage_shop
@require_POST
def photo_alt_text(request: HttpRequest, shop_slug: str, pk: int, photo_pk: int) -> HttpResponse:
    shop = _shop(request, shop_slug)
    item, photo = _photo(shop, pk, photo_pk)
    try:
        photo_services.set_alt_text(request.user, photo, request.POST.get("alt_text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(_url("photos", shop.slug, item.pk) + f"#photo-{photo.pk}")
