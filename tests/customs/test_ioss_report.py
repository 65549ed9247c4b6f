"""The monthly IOSS report: figures per member state equal sums computed here by hand."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from marketplace.customs.reports import ioss_report
from marketplace.ledger import services as ledger
from marketplace.orders.models import Order

from .conftest import make_ioss, set_lines

pytestmark = pytest.mark.django_db

D = Decimal


def rows(csv_text: str) -> dict[tuple[str, str, str], dict[str, str]]:
    reader = csv.DictReader(io.StringIO(csv_text))
    return {(r["country"], r["kind"], r["vat_rate"]): r for r in reader}


@pytest.fixture
def month_orders(
    variant_factory: Callable[..., Any],
    eu_orders: Callable[..., list[Order]],
    commission: None,
) -> dict[str, Order]:
    now = timezone.localtime()
    last_month = now.replace(day=1) - timedelta(days=1)

    def order(lines: list[dict[str, Any]], **kw: Any) -> Order:
        variants = [(variant_factory(), spec.pop("quantity")) for spec in lines]
        (placed,) = eu_orders(variants)
        set_lines(
            placed, [{**spec, "quantity": q} for spec, (_v, q) in zip(lines, variants, strict=True)]
        )
        return make_ioss(placed, **kw)

    a = order(
        [
            {"quantity": 2, "vat_rate": D("7"), "unit_net": "10.00", "unit_price": "10.70"},
            {"quantity": 1, "vat_rate": D("19"), "unit_net": "20.00", "unit_price": "23.80"},
        ],
        shipping="11.90",  # 10.00 + 19 % VAT
        vat="7.10",  # 1.40 + 3.80 + 1.90
        duty="3.00",
    )
    b = order(
        [{"quantity": 1, "vat_rate": D("7"), "unit_net": "10.00", "unit_price": "10.70"}],
        vat="0.70",
    )
    c = order(
        [{"quantity": 4, "vat_rate": D("5.5"), "unit_net": "10.00", "unit_price": "10.55"}],
        country="FR",
        vat="2.20",
    )
    earlier = order(
        [{"quantity": 1, "vat_rate": D("7"), "unit_net": "50.00", "unit_price": "53.50"}],
        vat="3.50",
        paid_at=last_month,
    )
    not_ioss = order(
        [{"quantity": 1, "vat_rate": D("19"), "unit_net": "200.00", "unit_price": "200.00"}],
        regime="import",
    )
    for o in (a, b, c, earlier, not_ioss):
        ledger.post_sale(o.pk)
    ledger.post_refund(a.pk, str(a.total.amount), "EUR", "re_full_a")
    return {"a": a, "b": b, "c": c, "earlier": earlier, "not_ioss": not_ioss}


def test_figures_per_member_state_and_rate(month_orders: dict[str, Order]) -> None:
    today = timezone.localdate()
    report = rows(ioss_report(today.year, today.month))

    # Goods: taxable = net x quantity, VAT = (gross - net) x quantity, summed per rate.
    de7 = report[("DE", "sale", "7.00")]
    assert (de7["sales"], de7["taxable_amount"], de7["vat"]) == (
        "2",
        str(D("10.00") * 2 + D("10.00")),
        str((D("10.70") - D("10.00")) * 2 + (D("10.70") - D("10.00"))),
    )
    de19 = report[("DE", "sale", "19.00")]
    assert (de19["sales"], de19["taxable_amount"], de19["vat"]) == ("1", "20.00", "3.80")
    shipping = report[("DE", "shipping", "")]
    assert (shipping["taxable_amount"], shipping["vat"]) == ("10.00", "1.90")
    assert report[("DE", "duty", "")]["duty"] == "3.00"
    refund = report[("DE", "refund", "")]
    assert (refund["vat"], refund["duty"]) == ("-7.10", "-3.00")

    total = report[("DE", "total", "")]
    expected_vat = D("1.40") + D("0.70") + D("3.80") + D("1.90") - D("7.10")
    assert total["sales"] == "2"
    assert total["vat"] == str(expected_vat) == total["ledger_vat"]
    assert total["duty"] == "0.00" == total["ledger_duty"]

    fr = report[("FR", "sale", "5.50")]
    assert (fr["sales"], fr["taxable_amount"], fr["vat"]) == ("1", "40.00", "2.20")
    assert report[("FR", "total", "")]["ledger_vat"] == "2.20"
    # The month before and the non-IOSS sale are not in this month's return.
    assert "50.00" not in ioss_report(today.year, today.month)
    assert "200.00" not in ioss_report(today.year, today.month)


def test_last_month_has_only_its_own_sale(month_orders: dict[str, Order]) -> None:
    paid = timezone.localtime(month_orders["earlier"].paid_at)
    report = rows(ioss_report(paid.year, paid.month))
    assert set(report) == {("DE", "sale", "7.00"), ("DE", "total", "")}
    assert report[("DE", "total", "")]["vat"] == "3.50" == report[("DE", "total", "")]["ledger_vat"]
