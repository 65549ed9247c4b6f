"""Writes to the ledger: sales and refunds as they happen, payouts as operators send them.

**The split of a paid order** (every amount in the order's currency, rounded half-up to whole
rupiah or to the cent; ``rate`` is the ``CommissionRate`` of the line's category on the day the
order was placed):

    commission = sum over lines round_half_up(unit_net x quantity x rate / 100)
                 (commission is charged on the goods without VAT; never on shipping, VAT or duty)

    account      kind          amount
    shop         sale          + (total - vat - duty)   the goods and the shipping, without taxes:
                                                        the shop pays the courier
    shop         commission    - commission
    commission   commission    + commission
    vat          vat           + vat                    the IOSS VAT the marketplace owes (EU)
    duty         duty          + duty                   the customs duty it owes (EU)

So the shop is credited goods + shipping - commission, and the entries of one order sum to
exactly ``order.total``: the buyer's money is accounted for to the rupiah and the cent. Zero
amounts (VAT and duty of a domestic order) are not posted.

**A refund** of ``R`` reverses each share in proportion. With ``R_cum`` all refunds of the order
so far including this one, each marketplace account is brought to
``round_half_up(share x R_cum / total)`` reversed (this refund posts the difference), and the shop
bears the rest of ``R``:

    shop         refund               - (R - vat_back - duty_back)
    shop         commission_reversal  + commission_back
    commission   commission_reversal  - commission_back
    vat          refund               - vat_back
    duty         refund               - duty_back

The entries of one refund sum to exactly ``-R``, and after a full refund every account of the
order is back at zero (rounding never leaves a rupiah behind).

Posting is idempotent: an order's sale is posted once (``LedgerEntry``'s unique key is (order,
account, kind, reference) and the order row is locked while posting), a refund once per refund
reference. Events are delivered on commit and may repeat; repeating changes nothing.

**The bank-transfer code**: a bank transfer asks for the payment's amount plus a unique code of
1 to 999 rupiah (``Payment.transfer_amount``), so it identifies itself on the statement. Those
rupiah are the marketplace's: when the transfer is confirmed (the payment's orders paid), one
entry ``unique_code``/``bank_transfer_code`` + code is posted, once per payment (reference
``payment:<pk>``), on the payment's first order. It is on top of the orders' totals (the orders'
own entries still sum to their totals) and a refund of an order does not return it.

**Payouts**: ``build_payout_batch`` debits each paid shop at once (kind ``payout``), so the same
money cannot be put in two batches; ``mark_payout_failed`` returns it (kind ``payout_reversal``).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from marketplace.audit.services import record
from marketplace.catalog.models import Category
from marketplace.core import events, permissions
from marketplace.markets.pricing import round_money
from marketplace.orders.models import Order, OrderStatus
from sellers.models import Shop, ShopStatus

from . import selectors
from .models import (
    Account,
    CommissionRate,
    EntryKind,
    LedgerEntry,
    LedgerSettings,
    Payout,
    PayoutBatch,
    PayoutStatus,
)

logger = logging.getLogger(__name__)

HUNDRED = Decimal(100)
#: The marketplace's account for the bank-transfer codes' rupiah, and the kind of its entries.
UNIQUE_CODE_ACCOUNT = Account.UNIQUE_CODE
BANK_TRANSFER_CODE = EntryKind.BANK_TRANSFER_CODE


class LedgerPostingError(ValueError):
    """An event the ledger cannot post as it stands (wrong currency, refund above the total)."""


# --- Commission -----------------------------------------------------------------------------


def commission_rates(on: Any) -> dict[int | None, Decimal]:
    """Rates in force on ``on`` by category id (``None``: the default), in one query."""
    rates: dict[int | None, Decimal] = {}
    for category_id, rate in (
        CommissionRate.objects.filter(valid_from__lte=on)
        .order_by("valid_from", "pk")
        .values_list("category_id", "rate")
    ):
        rates[category_id] = rate  # later rows overwrite earlier ones
    return rates


def rate_for_category(
    category_id: int | None, rates: dict[int | None, Decimal], parents: dict[int, int | None]
) -> Decimal:
    """The category's own rate, else its nearest ancestor's, else the default (else 0)."""
    seen: set[int] = set()
    current = category_id
    while current is not None and current not in seen:
        if current in rates:
            return rates[current]
        seen.add(current)
        current = parents.get(current)
    return rates.get(None, Decimal(0))


def order_commission(order: Order) -> Money:
    """The commission of ``order``: per line, on the goods without VAT, rounded half-up."""
    currency = order.currency
    lines = list(order.lines.all())
    if not lines:
        return Money(0, currency)
    rates = commission_rates(timezone.localdate(order.placed_at))
    parents: dict[int, int | None] = dict(Category.objects.values_list("pk", "parent_id"))
    total = Decimal(0)
    for line in lines:
        rate = rate_for_category(line.category_id, rates, parents)
        base = line.unit_net.amount * line.quantity
        total += round_money(base * rate / HUNDRED, currency).amount
    return Money(total, currency)


# --- Sales and refunds ----------------------------------------------------------------------


def _entry(order: Order, account: str, kind: str, amount: Money, memo: str, **kw: Any) -> Any:
    return LedgerEntry(
        account=account,
        shop=order.shop if account == Account.SHOP else None,
        order=order,
        kind=kind,
        amount=amount,  # type: ignore[misc]
        memo=memo[:255],
        **kw,
    )


def _check_currency(order: Order) -> None:
    for name in ("subtotal", "shipping", "vat", "duty", "total"):
        if str(getattr(order, name).currency) != order.currency:
            raise LedgerPostingError(f"Order {order.number}: {name} is not in {order.currency}")


def _post_sale(order: Order) -> list[LedgerEntry]:
    if LedgerEntry.objects.filter(order=order, kind=EntryKind.SALE).exists():
        return []
    _check_currency(order)
    commission = order_commission(order)
    to_shop = order.total - order.vat - order.duty
    entries = [_entry(order, Account.SHOP, EntryKind.SALE, to_shop, order.number)]
    if commission.amount:
        entries += [
            _entry(order, Account.SHOP, EntryKind.COMMISSION, -commission, order.number),
            _entry(order, Account.COMMISSION, EntryKind.COMMISSION, commission, order.number),
        ]
    if order.vat.amount:
        entries.append(_entry(order, Account.VAT, EntryKind.VAT, order.vat, order.number))
    if order.duty.amount:
        entries.append(_entry(order, Account.DUTY, EntryKind.DUTY, order.duty, order.number))
    return LedgerEntry.objects.bulk_create(entries)


@transaction.atomic
def post_sale(order_id: int) -> list[LedgerEntry]:
    """Post a paid order's split (see the module docstring); nothing when already posted."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("shop", "payment")
        .get(pk=order_id)
    )
    if order.status in (OrderStatus.UNPAID,) and order.paid_at is None:
        logger.warning("Order %s is not paid; nothing posted", order.number)
        return []
    return _post_sale(order) + _post_unique_code(order)


def _post_unique_code(order: Order) -> list[LedgerEntry]:
    """The code's rupiah of the order's confirmed bank transfer, once per payment (see above)."""
    from marketplace.payments.models import PaymentMethod

    payment = order.payment
    if (
        payment is None
        or payment.method != PaymentMethod.BANK_TRANSFER
        or not payment.unique_code
        or payment.succeeded_at is None  # the transfer has not arrived
    ):
        return []
    # Locked: orders of one payment posted at once must not both post the code.
    first = (
        Order.objects.select_for_update()
        .select_related("shop")
        .filter(payment=payment)
        .order_by("pk")
        .first()
    )
    assert first is not None
    reference = f"payment:{payment.pk}"
    posted = LedgerEntry.objects.filter(
        account=UNIQUE_CODE_ACCOUNT, kind=BANK_TRANSFER_CODE, reference=reference
    )
    if posted.exists():
        return []
    code = Money(payment.unique_code, payment.amount.currency)
    return [
        LedgerEntry.objects.create(
            account=UNIQUE_CODE_ACCOUNT,
            order=first,
            kind=BANK_TRANSFER_CODE,
            amount=code,  # type: ignore[misc]
            reference=reference,
            memo=_("Bank transfer code of payment %(payment)s (order %(order)s)")
            % {"payment": payment.pk, "order": first.number},
        )
    ]


def _sums(order: Order) -> dict[tuple[str, str], Decimal]:
    return {
        (row["account"], row["kind"]): row["total"]
        for row in LedgerEntry.objects.filter(order=order)
        .values("account", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    }


@transaction.atomic
def post_refund(order_id: int, amount: str, currency: str, refund_id: str) -> list[LedgerEntry]:
    """Post the reversal of a refund of ``amount`` (see the module docstring); once per refund.

    A refund reported before the order's sale was posted (events out of order) posts the sale
    first: money was received if money is returned.
    """
    order = Order.objects.select_for_update().select_related("shop").get(pk=order_id)
    if not refund_id:
        raise LedgerPostingError(f"Order {order.number}: a refund without a reference")
    try:
        refund = Money(Decimal(str(amount)), currency)
    except (InvalidOperation, TypeError) as exc:
        raise LedgerPostingError(f"Order {order.number}: bad refund amount {amount!r}") from exc
    if currency != order.currency:
        raise LedgerPostingError(
            f"Order {order.number} is in {order.currency}, the refund in {currency}"
        )
    if LedgerEntry.objects.filter(order=order, kind=EntryKind.REFUND, reference=refund_id).exists():
        return []
    if refund.amount <= 0:
        raise LedgerPostingError(f"Order {order.number}: a refund must be positive")
    _post_sale(order)
    sums = _sums(order)
    total = order.total.amount
    refunded_before = -sum(
        (v for (_account, kind), v in sums.items() if kind == EntryKind.REFUND), Decimal(0)
    )
    refunded = refunded_before + refund.amount
    if refunded > total:
        raise LedgerPostingError(
            f"Order {order.number}: refunds of {refunded} exceed the total {total}"
        )

    def back(account: str, kind: str, reversal_kind: str) -> Decimal:
        share = sums.get((account, kind), Decimal(0))
        already = -sums.get((account, reversal_kind), Decimal(0))
        target = round_money(share * refunded / total, currency).amount if total else Decimal(0)
        return target - already

    vat_back = back(Account.VAT, EntryKind.VAT, EntryKind.REFUND)
    duty_back = back(Account.DUTY, EntryKind.DUTY, EntryKind.REFUND)
    commission_back = back(Account.COMMISSION, EntryKind.COMMISSION, EntryKind.COMMISSION_REVERSAL)
    memo = f"{order.number} {refund_id}"

    def money(value: Decimal) -> Money:
        return Money(value, currency)

    extra = {"reference": refund_id}
    entries = [
        _entry(
            order,
            Account.SHOP,
            EntryKind.REFUND,
            money(-(refund.amount - vat_back - duty_back)),
            memo,
            **extra,
        )
    ]
    if commission_back:
        entries += [
            _entry(
                order,
                Account.SHOP,
                EntryKind.COMMISSION_REVERSAL,
                money(commission_back),
                memo,
                **extra,
            ),
            _entry(
                order,
                Account.COMMISSION,
                EntryKind.COMMISSION_REVERSAL,
                money(-commission_back),
                memo,
                **extra,
            ),
        ]
    if vat_back:
        entries.append(
            _entry(order, Account.VAT, EntryKind.REFUND, money(-vat_back), memo, **extra)
        )
    if duty_back:
        entries.append(
            _entry(order, Account.DUTY, EntryKind.REFUND, money(-duty_back), memo, **extra)
        )
    return LedgerEntry.objects.bulk_create(entries)


# --- Payouts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkippedShop:
    shop: Shop
    available: Money
    reason: str


@dataclass
class BatchResult:
    batch: PayoutBatch | None
    payouts: list[Payout] = field(default_factory=list)
    skipped: list[SkippedShop] = field(default_factory=list)


def _clean_currency(currency: str) -> str:
    if currency not in settings.CURRENCIES:
        raise ValidationError(
            {"currency": ValidationError(_("Choose a currency."), code="invalid_choice")}
        )
    return currency


@transaction.atomic
def build_payout_batch(currency: str, *, actor: Any) -> BatchResult:
    """Pay every shop whose available balance reaches the minimum, in one batch.

    Shops without a bank account, or suspended, are listed in ``skipped`` with the reason and
    keep their balance. The settings row is locked first (``select_for_update``), so a second
    operator building at the same moment waits and then finds the balances already debited:
    two batches never pay the same money. Without any shop to pay, no batch is created.
    """
    permissions.require(permissions.can_manage_payouts, actor)
    _clean_currency(currency)
    LedgerSettings.load()
    ledger_settings = LedgerSettings.objects.select_for_update().get(pk=1)
    minimum = ledger_settings.minimum_payout(currency)
    rows = selectors.shop_balances(currency, ledger_settings=ledger_settings)
    result = BatchResult(batch=None)
    now = timezone.now()
    for row in rows:
        if row.available < minimum:
            continue
        shop = row.shop
        account = row.bank_account
        if shop.status == ShopStatus.SUSPENDED:
            result.skipped.append(SkippedShop(shop, row.available, _("The shop is suspended.")))
            continue
        if account is None:
            result.skipped.append(
                SkippedShop(shop, row.available, _("The shop has no bank account yet."))
            )
            continue
        if result.batch is None:
            result.batch = PayoutBatch.objects.create(
                currency=currency, created_by=actor, created_at=now
            )
        payout = Payout.objects.create(
            batch=result.batch,
            shop=shop,
            amount=row.available,  # type: ignore[misc]
            bank_code=account.bank_code,
            bank_label=account.bank_label,
            account_number=account.account_number,
            holder_name=account.holder_name,
            created_at=now,
        )
        LedgerEntry.objects.create(
            account=Account.SHOP,
            shop=shop,
            payout=payout,
            kind=EntryKind.PAYOUT,
            amount=-row.available,  # type: ignore[misc]
            memo=payout.reference,
            created_at=now,
        )
        result.payouts.append(payout)
    if result.batch is not None:
        record(
            actor,
            "payout.batch_built",
            result.batch,
            data={
                "currency": currency,
                "payouts": len(result.payouts),
                "total": str(sum(p.amount.amount for p in result.payouts)),
                "skipped": [s.shop.pk for s in result.skipped],
            },
        )
    return result


@dataclass(frozen=True)
class TransferFile:
    filename: str
    content_type: str
    content: bytes


TRANSFER_COLUMNS = (
    "bank",
    "bank_code",
    "account_number",
    "holder_name",
    "amount",
    "currency",
    "reference",
    "shop",
)


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _transfer_rows(payouts: Iterable[Payout]) -> list[list[str]]:
    return [
        [
            _cell(p.bank_label),
            p.bank_code,
            p.account_number,
            _cell(p.holder_name),
            str(round_money(p.amount.amount, p.currency).amount),
            p.currency,
            p.reference,
            _cell(p.shop.name),
        ]
        for p in payouts
    ]


@transaction.atomic
def export_transfer_file(batch: PayoutBatch, fmt: str = "csv", *, actor: Any) -> TransferFile:
    """The bank transfer file of ``batch``'s payouts still to send (CSV or XLSX).

    Exporting marks them "in the transfer file"; payouts already paid or failed are left out, so
    exporting again after marking some gives the bank only what is still open.
    """
    permissions.require(permissions.can_manage_payouts, actor)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(
            {"format": ValidationError(_("Choose CSV or XLSX."), code="invalid_choice")}
        )
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    open_statuses = (PayoutStatus.PENDING, PayoutStatus.EXPORTED)
    payouts = list(
        batch.payouts.filter(status__in=open_statuses).select_related("shop").order_by("pk")
    )
    now = timezone.now()
    batch.payouts.filter(status=PayoutStatus.PENDING).update(status=PayoutStatus.EXPORTED)
    if batch.exported_at is None:
        batch.exported_at = now
        batch.save(update_fields=["exported_at"])
    record(actor, "payout.batch_exported", batch, data={"format": fmt, "payouts": len(payouts)})
    rows = _transfer_rows(payouts)
    name = f"pasar-kampung-{batch.reference.lower()}-{batch.currency.lower()}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(TRANSFER_COLUMNS)
        writer.writerows(rows)
        return TransferFile(f"{name}.csv", "text/csv; charset=utf-8", out.getvalue().encode())
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = batch.reference
    sheet.append(list(TRANSFER_COLUMNS))
    for row in rows:
        # Numbers stay text: account numbers keep their leading zeros, amounts their decimals.
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return TransferFile(
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        buffer.getvalue(),
    )


def _lock_open_payout(payout: Payout) -> Payout:
    locked = Payout.objects.select_for_update().select_related("shop", "batch").get(pk=payout.pk)
    if locked.status not in (PayoutStatus.PENDING, PayoutStatus.EXPORTED):
        raise ValidationError(
            _("This payout is already %(status)s.") % {"status": locked.get_status_display()},
            code="closed",
        )
    return locked


@transaction.atomic
def mark_payout_paid(payout: Payout, *, actor: Any) -> Payout:
    """The bank confirmed the transfer: the payout is paid (final)."""
    permissions.require(permissions.can_manage_payouts, actor)
    locked = _lock_open_payout(payout)
    locked.status = PayoutStatus.PAID
    locked.paid_at = timezone.now()
    locked.save(update_fields=["status", "paid_at"])
    record(
        actor,
        "payout.paid",
        locked,
        on_behalf_of=locked.shop,
        data={"amount": str(locked.amount.amount), "currency": locked.currency},
    )
    events.emit("payout.paid", payout_id=locked.pk)
    return locked


@transaction.atomic
def mark_payout_failed(payout: Payout, reason: str, *, actor: Any) -> Payout:
    """The transfer failed (closed account, wrong name): the amount returns to the balance."""
    permissions.require(permissions.can_manage_payouts, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the payout failed."), code="required")}
        )
    locked = _lock_open_payout(payout)
    now = timezone.now()
    locked.status = PayoutStatus.FAILED
    locked.failed_at = now
    locked.failure_reason = reason
    locked.save(update_fields=["status", "failed_at", "failure_reason"])
    LedgerEntry.objects.create(
        account=Account.SHOP,
        shop=locked.shop,
        payout=locked,
        kind=EntryKind.PAYOUT_REVERSAL,
        amount=locked.amount,
        memo=locked.reference,
        created_at=now,
    )
    record(
        actor,
        "payout.failed",
        locked,
        on_behalf_of=locked.shop,
        data={
            "amount": str(locked.amount.amount),
            "currency": locked.currency,
            "reason": reason,
        },
    )
    events.emit("payout.failed", payout_id=locked.pk)
    return locked
