"""Orders as the checkout leaves them, built directly, and the people around a shop."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import Category
from marketplace.ledger.models import CommissionRate, LedgerSettings
from marketplace.orders.models import Order, OrderLine, OrderStatus
from sellers.models import Shop, ShopBankAccount


@dataclass(frozen=True)
class Line:
    category: Category
    quantity: int
    unit_net: str
    unit_price: str | None = None  # gross; defaults to the net (domestic prices are final)


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    kopi = Category.objects.create(slug="kopi-l", name="Kopi")
    return {
        "kopi": kopi,
        "kopi_bubuk": Category.objects.create(slug="kopi-bubuk-l", name="Kopi bubuk", parent=kopi),
        "batik": Category.objects.create(slug="batik-l", name="Batik"),
    }


@pytest.fixture
def rates(categories: dict[str, Category]) -> None:
    """5% by default, 8% for coffee (and so for ground coffee, its subcategory)."""
    CommissionRate.objects.all().delete()
    start = datetime.date(2026, 1, 1)
    CommissionRate.objects.create(category=None, rate=Decimal("5"), valid_from=start)
    CommissionRate.objects.create(category=categories["kopi"], rate=Decimal("8"), valid_from=start)


@pytest.fixture
def ledger_settings(db: None) -> LedgerSettings:
    settings = LedgerSettings.load()
    settings.hold_days = 7
    settings.minimum_payout_idr = Money(50_000, "IDR")
    settings.minimum_payout_eur = Money(10, "EUR")
    settings.save()
    return settings


OrderFactory = Callable[..., Order]


@pytest.fixture
def order_factory(rates: None) -> OrderFactory:
    """A paid order of ``shop`` with ``lines``; totals as the checkout computes them."""

    def make(
        shop: Shop,
        lines: list[Line],
        *,
        currency: str = "IDR",
        shipping: str = "0",
        vat: str = "0",
        duty: str = "0",
        status: str = OrderStatus.PAID,
        delivered_days_ago: int | None = None,
        **kw: Any,
    ) -> Order:
        def money(value: str | Decimal) -> Money:
            return Money(Decimal(value), currency)

        subtotal = sum(
            (Decimal(line.unit_price or line.unit_net) * line.quantity for line in lines),
            Decimal(0),
        )
        now = timezone.now()
        kw.setdefault("paid_at", now)
        delivered_at = (
            now - datetime.timedelta(days=delivered_days_ago)
            if delivered_days_ago is not None
            else None
        )
        order = Order.objects.create(
            shop=shop,
            status=OrderStatus.DELIVERED if delivered_at else status,
            market="EU" if currency == "EUR" else "ID",
            country="DE" if currency == "EUR" else "ID",
            currency=currency,
            subtotal=money(subtotal),
            shipping=money(shipping),
            vat=money(vat),
            duty=money(duty),
            total=money(subtotal + Decimal(shipping) + Decimal(duty)),
            tax_regime="ioss" if currency == "EUR" else "domestic",
            delivered_at=delivered_at,
            **kw,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product_title=f"{line.category.name} {n}",
                quantity=line.quantity,
                unit_price=money(line.unit_price or line.unit_net),
                unit_net=money(line.unit_net),
                category_id=line.category.pk,
            )
            for n, line in enumerate(lines)
        )
        return order

    return make


@pytest.fixture
def signed_in(db: None) -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client()
        client.cookies["pasar_language"] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def owner(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Bu Siti", phone="+6281234500001")


@pytest.fixture
def operator(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Rina", email="rina@pasar.example", is_staff=True)


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], owner: User) -> Shop:
    shop = shop_factory(owner=owner, name="Kopi Osing Bu Siti", slug="kopi-osing-bu-siti")
    ShopBankAccount.objects.create(
        shop=shop, bank_code="002", account_number="012301000123563", holder_name="SITI AMINAH"
    )
    return shop
