"""The seller's orders: what to pack, the order with its address, packing, shipping, cancelling.

Thin views, like the rest of the dashboard: forms only tidy input, ``marketplace.orders.services``
decides (who may act, which status may follow which, that a tracking number is there) and writes,
with ``request.user`` as the actor, so a facilitator's click is audited on behalf of the shop.
Every view is guarded by ``can_manage_shop`` on the shop in the URL (a facilitator without
consent gets 403), and an order is looked up *within* that shop, so another shop's order is a 404
whatever its number. Pages work without JavaScript on a phone: every action is a plain form, every
change a POST followed by a redirect.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.orders import documents
from marketplace.orders import selectors as order_selectors
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus
from sellers.models import Shop

from .views import _shop, manage_shop

PAGE_SIZE = 20

#: The list's tabs: "" is what still needs the seller (paid or being packed).
STATUS_TABS: tuple[tuple[str, Any], ...] = (
    ("", gettext_lazy("To pack")),
    (OrderStatus.PAID, gettext_lazy("Paid")),
    (OrderStatus.PROCESSING, gettext_lazy("Being packed")),
    (OrderStatus.SHIPPED, gettext_lazy("Shipped")),
    ("semua", gettext_lazy("All")),
)

# Couriers' numbers are letters and digits (JNE "CGK1234567890", Pos "EE123456789ID"), sometimes
# with dashes; 6 to 40 of them once spaces are removed. Anything else is a typo or a phone number.
_TRACKING = re.compile(r"^[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]$")


class ShipForm(forms.Form):
    courier = forms.CharField(label=gettext_lazy("Courier"), max_length=40)
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number (resi)"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        help_text=gettext_lazy("As printed on the courier's receipt, for example EE123456789ID."),
    )

    def clean_courier(self) -> str:
        return str(self.cleaned_data["courier"]).strip()

    def clean_tracking_number(self) -> str:
        value = re.sub(r"\s+", "", str(self.cleaned_data["tracking_number"])).upper()
        if not _TRACKING.match(value):
            raise ValidationError(
                _(
                    "A tracking number is 6 to 40 letters and digits (dashes allowed), "
                    "for example EE123456789ID."
                ),
                code="invalid",
            )
        return value


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you cancelling? The buyer reads this."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    out_of_stock = forms.BooleanField(
        label=gettext_lazy("The goods are gone (do not put them back in stock)"), required=False
    )

    def clean_reason(self) -> str:
        value = str(self.cleaned_data["reason"]).strip()
        if not value:
            raise ValidationError(_("Tell the buyer why the order is cancelled."), "required")
        return value


def _order(shop: Shop, number: str) -> Order:
    """An order of this shop only: another shop's number is a 404, never a 403 that confirms it."""
    return get_object_or_404(
        Order.objects.select_related("shop__village", "buyer", "payment").prefetch_related("lines"),
        shop=shop,
        number=number,
    )


def _to_detail(shop: Shop, order: Order) -> HttpResponse:
    return redirect("dashboard:order", shop.slug, order.number)


def _render(
    request: HttpRequest, template: str, shop: Shop, *, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request, f"sellers/dashboard/orders/{template}", {"shop": shop, **context}, status=status
    )


@manage_shop
def order_list(request: HttpRequest, shop_slug: str) -> HttpResponse:
    """By default what is left to pack (paid or being packed), newest first; tabs for the rest."""
    shop = _shop(request, shop_slug)
    status = request.GET.get("status", "")
    tabs = [value for value, _label in STATUS_TABS]
    if status not in tabs:
        status = ""
    qs = order_selectors.orders_for_shop(shop)
    if status == "":
        qs = qs.filter(status__in=order_selectors.TO_FULFIL)
    elif status != "semua":
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "list.html",
        shop,
        page=page,
        current=status,
        tabs=STATUS_TABS,
        extra_query=f"status={status}" if status else "",
        # The default tab counts exactly the nav badge's rows: the badge reuses the count.
        to_fulfil_count=page.paginator.count if status == "" else None,
    )


@manage_shop
def order_detail(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    order = _order(shop, number)
    return _render(
        request,
        "detail.html",
        shop,
        **_detail_context(order),
        ship_form=ShipForm(initial={"courier": order.courier}),
    )


def _detail_context(order: Order) -> dict[str, Any]:
    lines = documents.slip_lines(order)
    return {
        "order": order,
        "recipient": documents.recipient_name(order),
        "ship_to": documents.ship_to_lines(order),
        "lines": list(order.lines.all()),
        "weight_grams": documents.parcel_weight(order, lines),
        "history": [
            (event, event_label(event.kind)) for event in order_selectors.order_history(order)
        ],
        "can_pack": order.status == OrderStatus.PAID,
        "can_ship": order.status in {OrderStatus.PAID, OrderStatus.PROCESSING},
        "can_deliver": order.status == OrderStatus.SHIPPED,
        "can_cancel": order.status in {OrderStatus.PAID, OrderStatus.PROCESSING},
    }


_EVENT_LABELS: dict[str, Any] = {
    "placed": gettext_lazy("ordered"),
    "refund": gettext_lazy("refund"),
    "withdrawal": gettext_lazy("withdrawal from the contract"),
}


def event_label(kind: str) -> str:
    """What a history line says: the status entered, or the kind of note."""
    if kind in OrderStatus.values:
        return str(OrderStatus(kind).label)
    return str(_EVENT_LABELS.get(kind, kind))


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@manage_shop
@require_POST
def order_process(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    """Start packing: the buyer sees that someone is on it."""
    shop = _shop(request, shop_slug)
    order = _order(shop, number)
    try:
        order_services.start_processing(order, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Order %(number)s is being packed.") % {"number": number})
    return _to_detail(shop, order)


@manage_shop
def order_ship(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    """Mark shipped: the courier and its tracking number, which the buyer follows."""
    shop = _shop(request, shop_slug)
    order = _order(shop, number)
    form = ShipForm(request.POST or None, initial={"courier": order.courier})
    if request.method == "POST" and form.is_valid():
        try:
            order_services.ship(
                order,
                courier=form.cleaned_data["courier"],
                tracking_number=form.cleaned_data["tracking_number"],
                actor=request.user,
            )
        except ValidationError as exc:
            order.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Order %(number)s is marked as shipped.") % {"number": number}
            )
            return _to_detail(shop, order)
    return _render(
        request,
        "detail.html",
        shop,
        **_detail_context(order),
        ship_form=form,
        status=400 if form.is_bound else 200,
    )


@manage_shop
@require_POST
def order_deliver(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    """Delivered, when the courier's tracking says so (for an EU order the 14 days start)."""
    shop = _shop(request, shop_slug)
    order = _order(shop, number)
    try:
        order_services.mark_delivered(order, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Order %(number)s is marked as delivered.") % {"number": number}
        )
    return _to_detail(shop, order)


@manage_shop
def order_cancel(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    """Cancel a paid order with a reason; the buyer's money goes back through payments."""
    shop = _shop(request, shop_slug)
    order = _order(shop, number)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order_services.cancel(
                order,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                restock=not form.cleaned_data["out_of_stock"],
            )
        except ValidationError as exc:
            order.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Order %(number)s is cancelled; the buyer is refunded.") % {"number": number},
            )
            return _to_detail(shop, order)
    return _render(
        request,
        "cancel.html",
        shop,
        order=order,
        form=form,
        can_cancel=order.status in {OrderStatus.PAID, OrderStatus.PROCESSING},
        status=400 if form.is_bound else 200,
    )


@manage_shop
def packing_slip(request: HttpRequest, shop_slug: str, number: str) -> HttpResponse:
    """The packing slip as a PDF to print or show at the courier's counter."""
    shop = _shop(request, shop_slug)
    order = _order(shop, number)
    response = HttpResponse(documents.packing_slip_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{order.number}.pdf"'
    return response
