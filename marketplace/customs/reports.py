"""The monthly IOSS VAT report: what the marketplace declares per member state.

Under IOSS the marketplace charged the EU buyer's VAT (and from July 2026 the flat duty) at
checkout and declares it monthly per member state of consumption. The figures come from the
orders' snapshot lines (the rate and the net of each line as sold), and each member state's total
is cross-checked against the ledger's ``vat`` and ``duty`` accounts, where the same money was
posted when the order was paid: a ``ledger_vat`` that differs from ``vat`` means a posting is
missing or wrong, and the operator sees it before filing.

Rows (CSV, one header):

- ``sale``: per country and VAT rate, orders paid in the month with tax regime ``ioss``: number of
  orders with goods at that rate, the taxable amount (Σ unit net x quantity) and the VAT
  (Σ (unit gross - unit net) x quantity, the VAT the displayed prices contain).
- ``shipping``: the VAT on delivery (the order's VAT minus its goods' VAT), taxable = shipping
  without that VAT.
- ``duty``: the flat duty charged.
- ``refund``: refunds recorded in the month (whenever the order was paid), as negative VAT and duty,
  from the ledger's reversal entries.
- ``total``: per country, the month's net figures and the ledger's for comparison.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from marketplace.ledger.models import Account, EntryKind, LedgerEntry
from marketplace.orders.models import Order

IOSS = "ioss"
CURRENCY = "EUR"
HEADER = [
    "country",
    "kind",
    "vat_rate",
    "sales",
    "taxable_amount",
    "vat",
    "duty",
    "currency",
    "ledger_vat",
    "ledger_duty",
]
ZERO = Decimal("0.00")


@dataclass
class _Bucket:
    orders: set[int] = field(default_factory=set)
    taxable: Decimal = ZERO
    vat: Decimal = ZERO
    duty: Decimal = ZERO


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in the marketplace's time zone (Asia/Jakarta), as aware datetimes [start, end)."""
    tz = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def ioss_report(year: int, month: int) -> str:
    """The CSV text of the month's IOSS declaration, per member state (see the module docstring)."""
    start, end = month_bounds(year, month)
    paid_in_month = Order.objects.filter(
        tax_regime=IOSS, paid_at__gte=start, paid_at__lt=end, currency=CURRENCY
    )
    orders = list(paid_in_month.prefetch_related("lines"))
    sales: dict[tuple[str, Decimal], _Bucket] = defaultdict(_Bucket)
    shipping: dict[str, _Bucket] = defaultdict(_Bucket)
    duty: dict[str, _Bucket] = defaultdict(_Bucket)
    for order in orders:
        goods_vat = ZERO
        for line in order.lines.all():
            rate = line.vat_rate if line.vat_rate is not None else ZERO
            bucket = sales[(order.country, rate)]
            bucket.orders.add(order.pk)
            bucket.taxable += line.unit_net.amount * line.quantity
            line_vat = (line.unit_price.amount - line.unit_net.amount) * line.quantity
            bucket.vat += line_vat
            goods_vat += line_vat
        ship_vat = order.vat.amount - goods_vat
        if ship_vat:
            bucket = shipping[order.country]
            bucket.orders.add(order.pk)
            bucket.vat += ship_vat
            bucket.taxable += order.shipping.amount - ship_vat
        if order.duty.amount:
            duty[order.country].orders.add(order.pk)
            duty[order.country].duty += order.duty.amount

    refunds: dict[str, _Bucket] = defaultdict(_Bucket)
    refund_rows = (
        LedgerEntry.objects.filter(
            account__in=[Account.VAT, Account.DUTY],
            kind=EntryKind.REFUND,
            created_at__gte=start,
            created_at__lt=end,
            order__tax_regime=IOSS,
        )
        .values("order__country", "account", "order_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in refund_rows:
        bucket = refunds[row["order__country"]]
        bucket.orders.add(row["order_id"])
        if row["account"] == Account.VAT:
            bucket.vat += row["total"]
        else:
            bucket.duty += row["total"]

    ledger: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    posted = (
        LedgerEntry.objects.filter(
            account__in=[Account.VAT, Account.DUTY],
            kind__in=[EntryKind.VAT, EntryKind.DUTY],
            order__in=paid_in_month.values("pk"),
        )
        .values("order__country", "account")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in posted:
        ledger[(row["order__country"], row["account"])] += row["total"]
    for country, bucket in refunds.items():
        ledger[(country, Account.VAT)] += bucket.vat
        ledger[(country, Account.DUTY)] += bucket.duty

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    countries = sorted({c for c, _ in sales} | set(shipping) | set(duty) | set(refunds))
    for country in countries:
        total = _Bucket()
        for (c, rate), bucket in sorted(sales.items()):
            if c != country:
                continue
            writer.writerow(
                [
                    country,
                    "sale",
                    str(rate),
                    len(bucket.orders),
                    _money(bucket.taxable),
                    _money(bucket.vat),
                    _money(ZERO),
                    CURRENCY,
                    "",
                    "",
                ]
            )
            total.orders |= bucket.orders
            total.taxable += bucket.taxable
            total.vat += bucket.vat
        for kind, source in (("shipping", shipping), ("duty", duty), ("refund", refunds)):
            if country not in source:
                continue
            bucket = source[country]
            writer.writerow(
                [
                    country,
                    kind,
                    "",
                    len(bucket.orders),
                    _money(bucket.taxable),
                    _money(bucket.vat),
                    _money(bucket.duty),
                    CURRENCY,
                    "",
                    "",
                ]
            )
            if kind != "refund":
                total.orders |= bucket.orders
            total.taxable += bucket.taxable
            total.vat += bucket.vat
            total.duty += bucket.duty
        writer.writerow(
            [
                country,
                "total",
                "",
                len(total.orders),
                _money(total.taxable),
                _money(total.vat),
                _money(total.duty),
                CURRENCY,
                _money(ledger[(country, Account.VAT)]),
                _money(ledger[(country, Account.DUTY)]),
            ]
        )
    return out.getvalue()
