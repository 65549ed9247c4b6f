"""Reads of the ledger: balances, recent entries, payout batches.

A balance is always a sum of entries, computed in the database in one statement. Money from an
order is *pending* until the order was delivered (or completed) and ``LedgerSettings.hold_days``
have passed; then it is *available*. Refunds of an order follow the order (pending while it is);
payouts and their reversals belong to no order and move the available balance at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from djmoney.money import Money

from sellers.models import Shop, ShopBankAccount

from .models import (
    Account,
    EntryKind,
    LedgerEntry,
    LedgerSettings,
    Payout,
    PayoutBatch,
    PayoutStatus,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
OPEN_PAYOUT = (PayoutStatus.PENDING, PayoutStatus.EXPORTED)


@dataclass(frozen=True)
class Balance:
    """A shop's money in one currency."""

    currency: str
    #: Everything the shop is owed now: sales - commission - refunds - payouts sent or on the way.
    total: Money
    #: Part of ``total`` from orders not yet delivered plus the hold period.
    pending: Money
    #: ``total - pending``: what the next payout batch would send.
    available: Money
    #: Built into a batch, not yet confirmed paid by the bank.
    in_transfer: Money
    #: Confirmed paid out, all time.
    paid: Money


@dataclass(frozen=True)
class ShopBalance:
    shop: Shop
    #: Where a payout would go; ``None`` when the owner has not given one yet.
    bank_account: ShopBankAccount | None
    total: Money
    pending: Money
    available: Money


def hold_cutoff(ledger_settings: LedgerSettings | None = None) -> datetime.datetime:
    """Orders delivered before this moment have cleared the hold."""
    ledger_settings = ledger_settings or LedgerSettings.load()
    return timezone.now() - datetime.timedelta(days=ledger_settings.hold_days)


def _pending_filter(cutoff: datetime.datetime) -> Q:
    # An order clears at delivery (or completion, if delivery was never recorded) + the hold.
    # Written without negation: NOT over a NULL column would count undelivered orders as cleared.
    return Q(order__isnull=False) & (
        Q(order__delivered_at__gt=cutoff)
        | Q(order__delivered_at__isnull=True, order__completed_at__isnull=True)
        | Q(order__delivered_at__isnull=True, order__completed_at__gt=cutoff)
    )


def _shop_entries() -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(account=Account.SHOP)


def shop_balance(shop: Shop, *, ledger_settings: LedgerSettings | None = None) -> list[Balance]:
    """The shop's balance per currency (IDR first), in one query (plus the settings row)."""
    cutoff = hold_cutoff(ledger_settings)
    rows = (
        _shop_entries()
        .filter(shop=shop)
        .values("amount_currency")
        .annotate(
            total=Coalesce(Sum("amount"), ZERO),
            pending=Coalesce(Sum("amount", filter=_pending_filter(cutoff)), ZERO),
            in_transfer=Coalesce(
                Sum(
                    "amount",
                    filter=Q(kind=EntryKind.PAYOUT, payout__status__in=OPEN_PAYOUT),
                ),
                ZERO,
            ),
            paid=Coalesce(
                Sum("amount", filter=Q(kind=EntryKind.PAYOUT, payout__status=PayoutStatus.PAID)),
                ZERO,
            ),
        )
        .order_by("-amount_currency")  # IDR before EUR
    )
    balances = []
    for row in rows:
        currency = row["amount_currency"]
        balances.append(
            Balance(
                currency=currency,
                total=Money(row["total"], currency),
                pending=Money(row["pending"], currency),
                available=Money(row["total"] - row["pending"], currency),
                in_transfer=Money(-row["in_transfer"], currency),
                paid=Money(-row["paid"], currency),
            )
        )
    return balances


def shop_balances(
    currency: str, *, ledger_settings: LedgerSettings | None = None
) -> list[ShopBalance]:
    """Every shop with money in ``currency``, richest available first, in two queries.

    The shops come with their bank account (``select_related``): the payout page and the batch
    builder read both without a query per shop.
    """
    cutoff = hold_cutoff(ledger_settings)
    rows = list(
        _shop_entries()
        .filter(amount_currency=currency)
        .values("shop_id")
        .annotate(
            total=Coalesce(Sum("amount"), ZERO),
            pending=Coalesce(Sum("amount", filter=_pending_filter(cutoff)), ZERO),
        )
        .order_by()
    )
    shops = Shop.objects.select_related("bank_account").in_bulk([row["shop_id"] for row in rows])
    balances = [
        ShopBalance(
            shop=shops[row["shop_id"]],
            bank_account=getattr(shops[row["shop_id"]], "bank_account", None),
            total=Money(row["total"], currency),
            pending=Money(row["pending"], currency),
            available=Money(row["total"] - row["pending"], currency),
        )
        for row in rows
        if row["total"] or row["pending"]
    ]
    balances.sort(key=lambda b: (-b.available.amount, b.shop.name, b.shop.pk))
    return balances


def recent_entries(shop: Shop, limit: int = 20) -> list[LedgerEntry]:
    """The shop's latest entries with their order and payout, in one query."""
    return list(
        _shop_entries()
        .filter(shop=shop)
        .select_related("order", "payout")
        .order_by("-created_at", "-pk")[:limit]
    )


def payout_batches() -> QuerySet[PayoutBatch]:
    """Batches, newest first, with their counts and totals per status annotated."""
    from django.db.models import Count

    return (
        PayoutBatch.objects.select_related("created_by")
        .annotate(
            payout_count=Count("payouts"),
            total=Coalesce(Sum("payouts__amount"), ZERO),
            open_count=Count("payouts", filter=Q(payouts__status__in=OPEN_PAYOUT)),
        )
        .order_by("-created_at", "-pk")
    )


def batch_payouts(batch: PayoutBatch) -> list[Payout]:
    return list(batch.payouts.select_related("shop").order_by("pk"))
