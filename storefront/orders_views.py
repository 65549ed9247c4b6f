"""The buyer's order pages: ``/pesanan/`` (my orders) and ``/pesanan/<number>/`` with its status
timeline, tracking, cancellation while unpaid and the EU's 14-day withdrawal.

Who may see or do what is decided by the rules in ``marketplace.core.permissions``
(``can_view_order``, ``can_cancel_order``, ``can_withdraw_order``); whether an order can still be
cancelled or withdrawn from is the orders service's check, whose message the buyer reads. A guest
(no account) reaches an order through a signed link (``order_url``): the signature proves the link
came from us, so it shows the order but changes nothing, because the services act only for a
signed-in buyer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marketplace.core import permissions
from marketplace.core.permissions import rule_required
from marketplace.orders import services
from marketplace.orders.links import KEY_PARAM, OrderLinkHolder, holds_order_link, order_url
from marketplace.orders.models import Order, OrderEvent, OrderStatus
from marketplace.orders.selectors import order_history, orders_for_buyer

ORDERS_PER_PAGE = 20
#: The couriers' public tracking pages (the number is appended where the page accepts it).
TRACKING_PAGES = {
    "jne": "https://www.jne.co.id/tracking-package?awb={number}",
    "j&t": "https://jet.co.id/track?awb={number}",
    "jnt": "https://jet.co.id/track?awb={number}",
    "sicepat": "https://www.sicepat.com/checkAwb?awb={number}",
    "pos": "https://www.posindonesia.co.id/id/tracking?barcode={number}",
}
#: Statuses from which the EU buyer may still withdraw (the service checks the 14 days).
WITHDRAWABLE = frozenset(
    {OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.PARTIALLY_REFUNDED}
)


_EVENT_LABELS: dict[str, Any] = {
    "placed": gettext_lazy("Order placed"),
    "refund": gettext_lazy("Refund"),
    "withdrawal": gettext_lazy("Withdrawal from the contract"),
}


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    label: str
    note: str


def timeline(events: list[OrderEvent]) -> list[TimelineEntry]:
    """The status history as the buyer reads it: the status entered, or the kind of note."""
    entries = []
    for event in events:
        if event.kind in OrderStatus.values:
            label = str(OrderStatus(event.kind).label)
        else:
            label = str(_EVENT_LABELS.get(event.kind, event.kind))
        entries.append(TimelineEntry(when=event.created_at, label=label, note=event.note))
    return entries


def tracking_url(order: Order) -> str:
    """The courier's tracking page for the order, or "" when we know none."""
    if not order.tracking_number:
        return ""
    courier = order.courier.lower()
    for name, pattern in TRACKING_PAGES.items():
        if courier.startswith(name):
            return pattern.format(number=quote(order.tracking_number))
    return ""


def _order(number: str) -> Order:
    return get_object_or_404(Order.objects.select_related("shop", "payment"), number=number)


@rule_required(permissions.is_authenticated)
@require_http_methods(["GET", "HEAD"])
def order_list(request: HttpRequest) -> HttpResponse:
    """A signed-in buyer's orders, newest first (a fixed number of queries per page)."""
    page = Paginator(orders_for_buyer(request.user), ORDERS_PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request, "storefront/orders/list.html", {"page": page, "orders": page.object_list}
    )


def _guest_may_view(request: HttpRequest, order: Order) -> bool:
    return holds_order_link(order, request.GET.get(KEY_PARAM, ""))


def _actor(request: HttpRequest, order: Order) -> Any:
    """Who acts on the order: the signed-in user, else the holder of a guest order's signed
    link (the rules treat them as that order's buyer), else ``None`` (must sign in)."""
    if request.user.is_authenticated:
        return request.user
    if _guest_may_view(request, order):
        return OrderLinkHolder(order.number)
    return None


def _link_query(order: Order) -> str:
    """``?kunci=…`` for a guest's order (so the next page still opens), else ""."""
    url = order_url(order)
    return url[len(url.split("?")[0]) :]


def _order_for(
    request: HttpRequest, number: str, rule: Any
) -> tuple[Order, Any] | HttpResponse:
    """The order and its actor when ``rule`` allows; else the sign-in page or a refusal."""
    order = _order(number)
    actor = _actor(request, order)
    if actor is None:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_order(actor, order):
        raise Http404
    if not rule(actor, order):
        raise PermissionDenied(rule.__name__)
    return order, actor


@require_http_methods(["GET", "HEAD"])
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The order: lines, money, address, timeline, tracking and what the buyer can still do.

    Someone else's order answers 404 (not 403), so order numbers cannot be probed.
    """
    order = _order(number)
    user = _actor(request, order)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_order(user, order):
        raise Http404
    guest = isinstance(user, OrderLinkHolder)
    now = timezone.now()
    can_cancel = order.status == OrderStatus.UNPAID and permissions.can_cancel_order(user, order)
    can_withdraw = (
        order.is_eu
        and order.status in WITHDRAWABLE
        and order.withdrawable_until is not None
        and now <= order.withdrawable_until
        and permissions.can_withdraw_order(user, order)
        and any(not line.is_perishable for line in order.lines.all())
    )
    return render(
        request,
        "storefront/orders/detail.html",
        {
            "order": order,
            "lines": list(order.lines.order_by("pk")),
            "timeline": timeline(list(order_history(order))),
            "withdrawals": list(order.withdrawals.order_by("created_at")),
            "tracking_url": tracking_url(order),
            "can_cancel": can_cancel,
            "can_withdraw": can_withdraw,
            "guest": guest,
            "order_link": order_url(order),
            "link_query": _link_query(order),
            "payment_token": _payment_token(order),
        },
    )


def _payment_token(order: Order) -> str:
    """The payment page of an unpaid order (to see the instructions again)."""
    if order.status != OrderStatus.UNPAID or order.payment_id is None:
        return ""
    from marketplace.checkout.models import Checkout

    token = (
        Checkout.objects.filter(payment_id=order.payment_id).values_list("token", flat=True).first()
    )
    return str(token) if token else ""


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_http_methods(["GET", "HEAD", "POST"])
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    """Cancel an unpaid order: a confirmation page, then the POST. The stock goes back and the
    other unpaid orders of the same payment are cancelled with it (one payment, paid whole)."""
    found = _order_for(request, number, permissions.can_view_order)
    if isinstance(found, HttpResponse):
        return found
    order, actor = found
    if request.method == "POST":
        try:
            services.cancel_unpaid(order, actor=actor)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("Order %(number)s is cancelled.") % {"number": number})
        return redirect(order_url(order))
    if order.status != OrderStatus.UNPAID:
        messages.error(request, _("Only an order that is not paid yet can be cancelled this way."))
        return redirect(order_url(order))
    siblings = []
    if order.payment_id is not None:
        siblings = list(
            Order.objects.filter(payment_id=order.payment_id, status=OrderStatus.UNPAID)
            .exclude(pk=order.pk)
            .select_related("shop")
            .order_by("pk")
        )
    return render(
        request,
        "storefront/orders/cancel.html",
        {"order": order, "siblings": siblings, "order_link": order_url(order)},
    )


def _withdraw_context(order: Order) -> dict[str, Any]:
    lines = list(order.lines.order_by("pk"))
    return {
        "order": order,
        "returnable": [line for line in lines if not line.is_perishable],
        "excluded": [line for line in lines if line.is_perishable],
        "order_link": order_url(order),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def order_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """ "Withdraw from contract here": a confirmation step listing what goes back (perishable
    food excluded), then the POST; the service e-mails the acknowledgement."""
    found = _order_for(request, number, permissions.can_withdraw_order)
    if isinstance(found, HttpResponse):
        return found
    order, actor = found
    if request.method == "POST":
        try:
            services.withdraw(order, actor=actor, reason=request.POST.get("reason", "")[:500])
        except ValidationError as exc:
            _refuse(request, exc)
            return redirect(order_url(order))
        done = reverse("storefront:order_withdrawn", kwargs={"number": number})
        return redirect(done + _link_query(order))
    return render(request, "storefront/orders/withdraw.html", _withdraw_context(order))


@require_http_methods(["GET", "HEAD"])
def order_withdrawn(request: HttpRequest, number: str) -> HttpResponse:
    """What happens next after a withdrawal: send the goods back, the refund follows."""
    found = _order_for(request, number, permissions.can_view_order)
    if isinstance(found, HttpResponse):
        return found
    order = found[0]
    withdrawal = order.withdrawals.order_by("-created_at").first()
    if withdrawal is None:
        return redirect(order_url(order))
    return render(
        request,
        "storefront/orders/withdrawn.html",
        {
            "order": order,
            "withdrawal": withdrawal,
            "shop": order.shop,
            "order_link": order_url(order),
        },
    )
