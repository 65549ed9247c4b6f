from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from djmoney.money import Money

from marketplace.customs.models import CustomsSettings
from marketplace.ledger.models import CommissionRate
from marketplace.orders.models import Order, OrderLine, OrderStatus
from tests.orders.factories import (  # noqa: F401
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

IOSS_NUMBER = "IM3600012345"
DE_ADDRESS = {
    "country": "DE",
    "full_name": "Anna Schmidt",
    "street": "Bergmannstr. 12",
    "postal_code": "10961",
    "city": "Berlin",
    "phone": "+4930123456",
}


@pytest.fixture
def customs_settings(db: None) -> CustomsSettings:
    row, _ = CustomsSettings.objects.update_or_create(
        valid_from=datetime.date(2026, 1, 1),
        defaults={"ioss_number": IOSS_NUMBER, "rex_number": "", "source": "test"},
    )
    return row


def eur(value: str | Decimal) -> Money:
    return Money(Decimal(value), "EUR")


def set_lines(order: Order, specs: list[dict[str, Any]]) -> None:
    """Overwrite the order's snapshot lines in order: hs_code, rate, net, gross, quantity, grams."""
    for line, spec in zip(order.lines.order_by("pk"), specs, strict=True):
        for key, value in spec.items():
            if key in ("unit_net", "unit_price"):
                value = eur(value)
            setattr(line, key, value)
        line.save()


def make_ioss(
    order: Order,
    *,
    country: str = "DE",
    shipping: str = "0",
    vat: str = "0",
    duty: str = "0",
    paid_at: datetime.datetime | None = None,
    regime: str = "ioss",
) -> Order:
    """Give an order the taxes checkout would have computed, and mark it paid."""
    lines = list(OrderLine.objects.filter(order=order))
    subtotal = sum((line.unit_price * line.quantity for line in lines), eur("0"))
    order.country = country
    order.tax_regime = regime
    order.shipping_address = {**DE_ADDRESS, "country": country}
    order.subtotal = subtotal
    order.shipping, order.vat, order.duty = eur(shipping), eur(vat), eur(duty)
    order.total = subtotal + eur(shipping) + eur(duty)
    order.status = OrderStatus.PAID
    order.paid_at = paid_at or timezone.now()
    order.save()
    return order


@pytest.fixture
def commission(db: None) -> None:
    CommissionRate.objects.all().delete()
    CommissionRate.objects.create(
        category=None, rate=Decimal("5"), valid_from=datetime.date(2020, 1, 1)
    )


@pytest.fixture
def eu_orders(place_order: Callable[..., Any]) -> Callable[..., list[Order]]:  # noqa: F811
    def make(lines: list[Any]) -> list[Order]:
        payment = place_order(lines, market="EU")
        return list(payment.orders.order_by("pk"))

    return make
