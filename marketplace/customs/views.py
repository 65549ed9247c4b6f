"""Customs pages: a seller downloads an EU order's CN23 and invoice; operators download the IOSS
report and take listings off the EU market (Safety Gate).

Thin: ``documents``/``reports``/``services`` decide. Seller views are guarded like every dashboard
page by ``can_manage_shop`` on the shop in the URL, and another shop's order number is a 404;
operator views by ``can_view_tax_reports`` / ``can_moderate``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from marketplace.accounts.forms import add_service_errors
from marketplace.catalog.models import Product
from marketplace.core import permissions
from marketplace.orders.models import Order
from sellers.dashboard.views import _shop, manage_shop

from . import documents, reports, selectors, services
from .forms import EuBlockForm, ReportMonthForm
from .models import EuMarketBlock

tax_reports_required = permissions.rule_required(permissions.can_view_tax_reports)
moderate_required = permissions.rule_required(permissions.can_moderate)


def _eu_order(request: HttpRequest, shop_slug: str, number: str) -> Order:
    shop = _shop(request, shop_slug)
    order: Order = get_object_or_404(
        Order.objects.select_related("shop__village__parent").prefetch_related(
            "lines__variant__product"
        ),
        shop=shop,
        number=number,
    )
    if not order.is_eu:
        raise Http404
    return order


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@manage_shop
def cn23(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    order = _eu_order(request, shop_slug, number)
    return _pdf_response(documents.cn23_pdf(order), f"cn23-{order.number}.pdf")


@manage_shop
def invoice(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    order = _eu_order(request, shop_slug, number)
    return _pdf_response(documents.invoice_pdf(order), f"invoice-{order.number}.pdf")


@tax_reports_required
def ioss_report(request: HttpRequest) -> HttpResponse:
    """Pick a month; a valid one downloads the CSV (GET, so the link can be bookmarked)."""
    if "month" in request.GET:
        form = ReportMonthForm(request.GET)
        if form.is_valid():
            year, month = form.year_month()
            response = HttpResponse(
                reports.ioss_report(year, month), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="ioss-{year:04d}-{month:02d}.csv"'
            )
            return response
    else:
        form = ReportMonthForm(initial={"month": ReportMonthForm.last_month()})
    return render(request, "customs/ioss.html", {"form": form}, status=400 if form.errors else 200)


@moderate_required
def safety_gate(request: HttpRequest) -> HttpResponse:
    """Remove a listing from the EU market with a reason; the recent removals below."""
    form = EuBlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        product = Product.objects.filter(pk=form.cleaned_data["product"]).first()
        if product is None:
            form.add_error("product", _("No listing has this number."))
        else:
            try:
                services.block_for_eu(
                    product, reason=form.cleaned_data["reason"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The listing was removed from the EU market."))
                return redirect("customs:safety_gate")
    return render(
        request,
        "customs/safety_gate.html",
        {"form": form, "blocks": selectors.recent_blocks()},
        status=400 if form.errors else 200,
    )


@moderate_required
def safety_gate_lift(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("customs:safety_gate")
    block = get_object_or_404(EuMarketBlock, pk=pk)
    services.lift_eu_block(block, actor=request.user)
    messages.success(request, _("The listing may be offered to the EU again."))
    return redirect("customs:safety_gate")
