"""Operator payment pages under ``/moderasi/`` (Indonesian paths): bank transfers to confirm,
order search, refunds.

Thin: forms parse, ``payments.services`` (and ``orders.services`` for delivery) decide, check
their rule again and write the audit entries. Each view's outermost decorator is
``rule_required`` with the page's rule (``can_confirm_bank_transfer``, ``can_refund``,
``is_operator``), so anyone else gets 403 (anonymous visitors the login page) whatever the method.
Pages work without JavaScript; every change is a POST followed by a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.core import permissions
from marketplace.orders import documents
from marketplace.orders import selectors as order_selectors
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.states import PAID_STATUSES
from sellers.dashboard.orders import event_label

from . import selectors, services
from .forms import OrderSearchForm, RefundForm, RefundMode, RejectTransferForm
from .models import BankTransferProof, Payment, PaymentStatus

PAGE_SIZE = 20

transfers_required = permissions.rule_required(permissions.can_confirm_bank_transfer)
operator_required = permissions.rule_required(permissions.is_operator)
refund_required = permissions.rule_required(permissions.can_refund)


# --- Bank transfers ------------------------------------------------------------------------------


@transfers_required
def transfers(request: HttpRequest) -> HttpResponse:
    """Transfers waiting for an operator: receipts to check first, then the nearest deadline."""
    page = Paginator(selectors.transfers_awaiting_confirmation(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "payments/transfers.html", {"page": page, "now": timezone.now()})


def _transfer(pk: int) -> Payment:
    try:
        return selectors.bank_transfer(pk)
    except Payment.DoesNotExist as exc:
        raise Http404 from exc


def _transfer_page(
    request: HttpRequest, payment: Payment, reject_form: RejectTransferForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "payments/transfer.html",
        {
            "payment": payment,
            "proofs": list(payment.proofs.all()),
            "orders": list(payment.orders.all()),
            "reject_form": reject_form,
            "is_pending": payment.status == PaymentStatus.PENDING,
        },
        status=status,
    )


@transfers_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_page(request, _transfer(pk), RejectTransferForm())


@transfers_required
@require_POST
def transfer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The money is on the statement: the payment succeeds and its orders become paid."""
    payment = get_object_or_404(Payment, pk=pk)
    try:
        services.confirm_bank_transfer(payment, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("operator_payments:transfer", pk)
    messages.success(
        request,
        _("Transfer of %(amount)s confirmed; its orders are paid.")
        % {"amount": payment.transfer_amount or payment.amount},
    )
    return redirect("operator_payments:transfers")


@transfers_required
@require_POST
def transfer_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt does not match: the buyer reads why and may upload another in time."""
    payment = get_object_or_404(Payment, pk=pk)
    form = RejectTransferForm(request.POST)
    if form.is_valid():
        try:
            services.reject_bank_transfer(
                payment, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The receipt was rejected; the buyer is told why."))
            return redirect("operator_payments:transfers")
    return _transfer_page(request, _transfer(pk), form, status=400)


@transfers_required
def proof_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A buyer's receipt, served to operators only (never from a public media address)."""
    proof = get_object_or_404(BankTransferProof, pk=pk)
    try:
        handle = proof.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    extension = proof.file.name.rsplit(".", 1)[-1]
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        handle,
        content_type=proof.content_type,
        as_attachment=False,
        filename=f"proof-{proof.payment_id}-{proof.pk}.{extension}",
    )
    return response


# --- Orders --------------------------------------------------------------------------------------


@operator_required
def orders(request: HttpRequest) -> HttpResponse:
    """Find an order by number (or e-mail, tracking number); an exact number opens it."""
    form = OrderSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        exact = Order.objects.filter(number__iexact=query).values_list("number", flat=True).first()
        if exact:
            return redirect("operator_payments:order", exact)
    qs = order_selectors.orders_for_operator({"search": query})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/orders.html",
        {"form": form, "page": page, "query": query, "extra_query": f"q={query}" if query else ""},
    )


def _order(number: str) -> Order:
    return get_object_or_404(
        Order.objects.select_related("shop", "buyer", "payment").prefetch_related("lines"),
        number=number,
    )


def _order_page(
    request: HttpRequest, order: Order, refund_form: RefundForm, status: int = 200
) -> HttpResponse:
    lines = documents.slip_lines(order)
    context: dict[str, Any] = {
        "order": order,
        "recipient": documents.recipient_name(order),
        "ship_to": documents.ship_to_lines(order),
        "lines": list(order.lines.all()),
        "weight_grams": documents.parcel_weight(order, lines),
        "history": [(e, event_label(e.kind)) for e in order_selectors.order_history(order)],
        "refunds": order.refunds.order_by("created_at", "pk"),
        "refund_form": refund_form,
        "can_refund": order.status in PAID_STATUSES
        and order.payment is not None
        and order.refunded < order.total,
        "can_deliver": order.status == OrderStatus.SHIPPED,
    }
    return render(request, "payments/order.html", context, status=status)


@operator_required
def order(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(number)
    return _order_page(request, order, RefundForm(order=order))


@refund_required
@require_POST
def order_refund(request: HttpRequest, number: str) -> HttpResponse:
    """Refund everything left, an amount, or units per line, always with a reason."""
    order = _order(number)
    form = RefundForm(request.POST, order=order)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == RefundMode.LINES:
                services.refund_order_lines(
                    order, data["quantities"], actor=request.user, reason=data["reason"]
                )
            else:
                amount = order.total - order.refunded
                if data["mode"] == RefundMode.AMOUNT:
                    amount = data["money"]
                services.refund(order, amount, actor=request.user, reason=data["reason"])
        except ValidationError as exc:
            order.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Refund for order %(number)s recorded.") % {"number": order.number}
            )
            return redirect("operator_payments:order", order.number)
    return _order_page(request, order, form, status=400)


@operator_required
@require_POST
def order_deliver(request: HttpRequest, number: str) -> HttpResponse:
    """Delivered, when the courier's tracking says so and the seller has not marked it."""
    order = _order(number)
    try:
        order_services.mark_delivered(order, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Order %(number)s is marked as delivered.") % {"number": number}
        )
    return redirect("operator_payments:order", order.number)
