"""Fixtures for the seller's order pages: paid orders placed the way checkout places them."""

# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.orders.models import Order
from marketplace.payments import services as payment_services
from marketplace.payments.models import Payment
from marketplace.regions.models import VillageHall
from tests.orders.factories import (  # noqa: F401  (fixtures)
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

ADDRESS = {
    "country": "ID",
    "full_name": "Budi Santoso",
    "phone": "+6281311112222",
    "street": "Jl. Kawi No. 7",
    "line2": "",
    "rt_rw": "003/005",
    "village_code": "",
    "village": "Kauman",
    "district": "Klojen",
    "regency": "Kota Malang",
    "province_code": "35",
    "province": "Jawa Timur",
    "city": "",
    "region": "",
    "postal_code": "65119",
}

EU_ADDRESS = {
    "country": "NL",
    "full_name": "Anna de Vries",
    "phone": "+31612345678",
    "street": "Prinsengracht",
    "line2": "263",
    "postal_code": "1016 GV",
    "city": "Amsterdam",
    "region": "",
}


def signed_in(user: User) -> Client:
    """A client signed in as ``user``, reading the pages in English (translations come later)."""
    client = Client()
    client.force_login(user)
    client.cookies["pasar_language"] = "en"
    return client


@pytest.fixture
def paid_order(
    place_order: Callable[..., Payment], variant_factory: Callable[..., Any]
) -> Callable[..., Order]:
    """``paid_order(market="ID", lines=2)``: an order of ``shop``, paid, with an address."""

    def make(*, market: str = "ID", lines: int = 2, **kw: Any) -> Order:
        variants = [(variant_factory(stock=20, **kw), n + 1) for n in range(lines)]
        payment = place_order(variants, market=market)
        order = payment.orders.get()
        address = EU_ADDRESS if market == "EU" else ADDRESS
        Order.objects.filter(pk=order.pk).update(
            shipping_address=address,
            courier="Pos Indonesia" if market == "EU" else "JNE",
            service="EMS" if market == "EU" else "REG",
        )
        order.lines.update(hs_code="090121")
        payment_services.payment_succeeded(payment, reference="demo-1", amount=None)
        order.refresh_from_db()
        return order

    return make


@pytest.fixture
def facilitator(user_factory: Callable[..., User], hall: VillageHall) -> User:
    user = user_factory(email="agus@example.id", phone="+6281200000009", full_name="Mas Agus")
    hall.facilitators.add(user)
    return user
