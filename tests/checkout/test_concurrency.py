"""100 buyers press "order" at the same moment for the last 10 units (PostgreSQL only).

Each buyer is a thread with its own database connection, released together by a barrier. Exactly
10 orders must exist afterwards, the stock must be 0 (never below), the sale movements must add up,
and every other buyer must have been told the item sold out.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from marketplace.accounts.models import User
from marketplace.addresses.services import AddressInput, create_address
from marketplace.catalog.models import Category, StockMovement, StockReason
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import OutOfStock, complete_checkout
from marketplace.orders.models import Order, OrderLine
from sellers.models import Shop

from .conftest import DOMESTIC_OPTION

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

BUYERS = 100
UNITS = 10


def free_connection_slots() -> int:
    """How many more connections the server accepts now (other test runs may share it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
        (free,) = cursor.fetchone()
    return int(free)


def test_hundred_buyers_for_the_last_ten_units(shop: Shop, sell: Any) -> None:
    # A transactional test starts from a flushed database: bring what the listing needs.
    Category.objects.get_or_create(
        slug="kopi", defaults={"name": "Kopi", "tax_class": "coffee", "default_hs_heading": "0901"}
    )
    variant = sell(shop, stock=UNITS, price=85_000)
    address = create_address(
        None,
        AddressInput(
            country="ID", full_name="Rina", phone="081234500003", street="Jl. Kemang Raya 5",
            postal_code="12730", village_name="Bangka", district="Mampang Prapatan",
            regency="Kota Jakarta Selatan", province_code="31",
        ),
    )  # fmt: skip
    buyers = [
        User.objects.create_user(email=f"buyer{n}@example.com", password="x", full_name=f"B{n}")
        for n in range(BUYERS)
    ]
    carts = []
    for buyer in buyers:
        cart = Checkout.objects.create(user=buyer, country="ID")
        services.set_address(cart, address)
        services.add_line(cart, variant, 1)
        services.set_delivery(cart, shop, DOMESTIC_OPTION)
        carts.append(cart)

    # All threads start together; connections are opened as the server has room (leaving a
    # margin for other users of the same server), so the test never fails for lack of them.
    slots = threading.BoundedSemaphore(max(2, min(BUYERS, free_connection_slots() - 5)))
    barrier = threading.Barrier(BUYERS)

    def buy(n: int) -> str:
        try:
            barrier.wait(timeout=60)
            with slots:
                try:
                    complete_checkout(
                        carts[n],
                        method="demo",
                        idempotency_key=f"buyer-{n}",
                        user=buyers[n],
                        accept_terms=False,
                    )
                    return "ordered"
                except OutOfStock:
                    return "sold out"
                except Exception as exc:
                    return repr(exc)
                finally:
                    connections.close_all()
        except threading.BrokenBarrierError:
            return "barrier"

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        results = list(pool.map(buy, range(BUYERS)))

    assert sorted(set(results)) == ["ordered", "sold out"], [r for r in results if "(" in r][:3]
    assert results.count("ordered") == UNITS
    assert results.count("sold out") == BUYERS - UNITS
    variant.refresh_from_db()
    assert variant.stock_quantity == 0
    assert Order.objects.count() == UNITS
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == UNITS
    sales = StockMovement.objects.filter(variant=variant, reason=StockReason.SALE)
    assert sales.count() == UNITS
    assert sorted(sales.values_list("quantity_after", flat=True)) == list(range(UNITS))
    assert Checkout.objects.filter(completed_at__isnull=False).count() == UNITS
