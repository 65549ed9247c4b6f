"""Operator moderation pages. Thin: forms collect, services decide (``sellers.services`` for
shops, ``catalog.services`` for listings, ``catalog.moderation`` for the prohibited-goods list).

``rule_required(can_moderate)`` is the outermost decorator everywhere, so anyone else gets 403 on
every URL here, whatever the method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.catalog import moderation as catalog_moderation
from marketplace.catalog import services as catalog_services
from marketplace.catalog.models import Product, ProductStatus, ProhibitedTerm
from marketplace.catalog.selectors import moderation_queue
from marketplace.core import permissions
from marketplace.core.permissions import rule_required
from sellers import selectors, services
from sellers.forms import ProhibitedTermForm, RemoveProductForm, ShopDecisionForm
from sellers.models import ShopStatus

PAGE_SIZE = 20

moderator_required = rule_required(permissions.can_moderate)


@moderator_required
def index(request: HttpRequest) -> HttpResponse:
    counts = selectors.shop_status_counts()
    return render(
        request,
        "sellers/moderation/index.html",
        {
            "submitted": counts[ShopStatus.SUBMITTED],
            "listings": moderation_queue().count(),
            "terms": selectors.prohibited_terms().count(),
        },
    )


@moderator_required
def shop_queue(request: HttpRequest) -> HttpResponse:
    """Submitted shops, oldest first; the other statuses are one tab away."""
    status = request.GET.get("status") or ShopStatus.SUBMITTED
    if status not in ShopStatus.values:
        status = ShopStatus.SUBMITTED
    page = Paginator(selectors.shops_for_moderation(status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sellers/moderation/shops.html",
        {
            "page": page,
            "status": status,
            "statuses": ShopStatus.choices,
            "counts": selectors.shop_status_counts(),
        },
    )


@moderator_required
def shop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything an operator checks before deciding, and the decision with its reason."""
    shop = get_object_or_404(selectors.shops(), pk=pk)
    form = ShopDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            services.decide_shop(request.user, shop, decision, form.cleaned_data["reason"])
        except ValidationError as exc:
            shop.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(shop)s is now %(status)s.")
                % {"shop": shop.name, "status": shop.get_status_display()},
            )
            return redirect("sellers:moderation:shops")
    return render(
        request,
        "sellers/moderation/shop_detail.html",
        {
            "shop": shop,
            "form": form,
            "decisions": services.allowed_decisions(shop),
            "members": list(selectors.members(shop)),
            "account": selectors.bank_account_for(request.user, shop),
            "missing": selectors.missing_for_submission(shop),
        },
    )


@moderator_required
def product_queue(request: HttpRequest) -> HttpResponse:
    """Post-moderation: listings published or changed since an operator last looked."""
    page = Paginator(moderation_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sellers/moderation/products.html",
        {"page": page, "remove_form": RemoveProductForm()},
    )


@moderator_required
def removed_products(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.removed_products(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sellers/moderation/removed_products.html", {"page": page})


@moderator_required
@require_POST
def product_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    catalog_services.mark_reviewed(request.user, product)
    messages.success(request, _("“%(title)s” stays published.") % {"title": product.title})
    return redirect("sellers:moderation:products")


@moderator_required
def product_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a listing down at once, with the reason the seller will read."""
    product: Product = get_object_or_404(Product.objects.select_related("shop", "category"), pk=pk)
    form = RemoveProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.remove_product(request.user, product, form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” was removed.") % {"title": product.title})
            return redirect("sellers:moderation:products")
    return render(
        request, "sellers/moderation/product_remove.html", {"product": product, "form": form}
    )


@moderator_required
@require_POST
def product_restore(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    if product.status != ProductStatus.REMOVED:
        messages.error(request, _("This listing was not removed."))
    else:
        catalog_services.restore_product(request.user, product)
        messages.success(
            request,
            _("“%(title)s” is back as a draft; the seller can publish it again.")
            % {"title": product.title},
        )
    return redirect("sellers:moderation:removed_products")


@moderator_required
def prohibited_terms(request: HttpRequest) -> HttpResponse:
    """The words listings may not contain; publishing a listing that names one is refused."""
    form = ProhibitedTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = catalog_moderation.add_prohibited_term(
                request.user, form.cleaned_data["term"], form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(term)s” was added.") % {"term": term.term})
            return redirect("sellers:moderation:terms")
    return render(
        request,
        "sellers/moderation/terms.html",
        {"form": form, "terms": list(selectors.prohibited_terms())},
    )


@moderator_required
@require_POST
def prohibited_term_delete(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(ProhibitedTerm, pk=pk)
    catalog_moderation.delete_prohibited_term(request.user, term)
    messages.success(request, _("“%(term)s” was taken off the list.") % {"term": term.term})
    return redirect("sellers:moderation:terms")
