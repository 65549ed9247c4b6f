"""Operator payout pages: who can be paid, build a batch, download its file, mark payouts.

Thin: forms parse, ``ledger.services`` decides and writes, ``ledger.selectors`` reads.
``rule_required(can_manage_payouts)`` is the outermost decorator of every view, so anyone but an
operator gets 403 (anonymous visitors the login page) whatever the method. Pages work without
JavaScript; every change is a POST followed by a redirect (the file download excepted).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.core import permissions
from marketplace.markets.formatting import format_money

from . import selectors, services
from .forms import BuildBatchForm, ExportForm, FailPayoutForm
from .models import LedgerSettings, Payout, PayoutBatch

PAGE_SIZE = 20

payouts_required = permissions.rule_required(permissions.can_manage_payouts)


def _currency(request: HttpRequest) -> str:
    form = BuildBatchForm(request.GET)
    return form.cleaned_data["currency"] if form.is_valid() else "IDR"


@payouts_required
def payouts(request: HttpRequest) -> HttpResponse:
    """Shops with money in the chosen currency (what a batch would pay) and past batches."""
    currency = _currency(request)
    ledger_settings = LedgerSettings.load()
    minimum = ledger_settings.minimum_payout(currency)
    rows = selectors.shop_balances(currency, ledger_settings=ledger_settings)
    page = Paginator(selectors.payout_batches(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/payouts.html",
        {
            "currency": currency,
            "currencies": BuildBatchForm.base_fields["currency"].choices,  # type: ignore[attr-defined]
            "rows": rows,
            "payable": [r for r in rows if r.available >= minimum],
            "minimum": minimum,
            "hold_days": ledger_settings.hold_days,
            "page": page,
            "form": BuildBatchForm(initial={"currency": currency}),
        },
    )


@payouts_required
@require_POST
def build_batch(request: HttpRequest) -> HttpResponse:
    form = BuildBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a currency."))
        return redirect("ledger:payouts")
    currency = form.cleaned_data["currency"]
    result = services.build_payout_batch(currency, actor=request.user)
    for skipped in result.skipped:
        messages.warning(
            request,
            _("%(shop)s was not paid %(amount)s: %(reason)s")
            % {
                "shop": skipped.shop.name,
                "amount": format_money(skipped.available),
                "reason": skipped.reason,
            },
        )
    if result.batch is None:
        messages.info(
            request, _("No shop can be paid in %(currency)s now.") % {"currency": currency}
        )
        return redirect(f"{reverse('ledger:payouts')}?currency={currency}")
    messages.success(
        request,
        _("Batch %(batch)s: %(count)s payouts. Download the transfer file for the bank.")
        % {"batch": result.batch.reference, "count": len(result.payouts)},
    )
    return redirect("ledger:batch", pk=result.batch.pk)


@payouts_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    the_batch = get_object_or_404(PayoutBatch.objects.select_related("created_by"), pk=pk)
    return render(
        request,
        "ledger/batch.html",
        {
            "batch": the_batch,
            "payouts": selectors.batch_payouts(the_batch),
            "export_form": ExportForm(),
        },
    )


@payouts_required
@require_POST
def export_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfer file, as an attachment; the payouts in it are marked as sent to the bank."""
    the_batch = get_object_or_404(PayoutBatch, pk=pk)
    form = ExportForm(request.POST)
    fmt = form.cleaned_data["format"] if form.is_valid() else "csv"
    file = services.export_transfer_file(the_batch, fmt, actor=request.user)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@payouts_required
@require_POST
def payout_paid(request: HttpRequest, pk: int) -> HttpResponse:
    payout: Payout = get_object_or_404(Payout.objects.select_related("shop"), pk=pk)
    try:
        services.mark_payout_paid(payout, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(shop)s: %(amount)s marked as paid.")
            % {"shop": payout.shop.name, "amount": format_money(payout.amount)},
        )
    return redirect("ledger:batch", pk=payout.batch_id)


@payouts_required
def payout_failed(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the bank returned a transfer: the amount goes back to the shop's balance."""
    payout: Payout = get_object_or_404(Payout.objects.select_related("shop", "batch"), pk=pk)
    form = FailPayoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_payout_failed(payout, form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(shop)s: %(amount)s is back in the shop's balance.")
                % {"shop": payout.shop.name, "amount": format_money(payout.amount)},
            )
            return redirect("ledger:batch", pk=payout.batch_id)
    return render(request, "ledger/payout_failed.html", {"payout": payout, "form": form})
