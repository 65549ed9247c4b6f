"""Fixtures for payments: Stripe faked at its HTTP boundary (see ``stripe_fake.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from marketplace.payments import services
from marketplace.payments.gateways import stripe as stripe_gateway
from marketplace.payments.models import Payment
from tests.orders.factories import (  # noqa: F401  (fixtures)
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

from .stripe_fake import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET, StripeFake


@pytest.fixture
def stripe_fake(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[StripeFake]:
    """A local Stripe API; the official client is pointed at it, webhooks signed for it."""
    fake = StripeFake().start()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.PAYMENT_GATEWAY = "stripe"
    # No retries with back-off against a server that is deliberately down.
    monkeypatch.setattr(stripe_gateway, "MAX_NETWORK_RETRIES", 0)
    yield fake
    fake.stop()


@pytest.fixture
def stripe_payment(
    stripe_fake: StripeFake, shop_factory: Callable[..., Any], request: pytest.FixtureRequest
) -> Callable[..., Payment]:
    """A started card payment (its PaymentIntent exists at the fake): one order per total.

    ``stripe_payment("12.34", "28.00")`` is an EU buyer's checkout of one item from each of two
    shops (EUR); ``currency="IDR"`` makes it an Indonesian one. Orders are placed the way checkout
    places them (stock taken, snapshot lines; ``tests/orders/factories.py``).
    """

    place: Callable[..., Payment] = request.getfixturevalue("place_order")
    new_variant: Callable[..., Any] = request.getfixturevalue("variant_factory")

    def make(*totals: str, currency: str = "EUR") -> Payment:
        lines = []
        for n, total in enumerate(totals or ("40.00",)):
            price = {"eur": total} if currency == "EUR" else {"idr": int(Decimal(total))}
            other_shop = None if n == 0 else shop_factory()
            lines.append((new_variant(stock=5, for_shop=other_shop, **price), 1))
        payment = place(lines, market="EU" if currency == "EUR" else "ID", method="stripe")
        services.start_payment(payment)
        payment.refresh_from_db()
        return payment

    return make
