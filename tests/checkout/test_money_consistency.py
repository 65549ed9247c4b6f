"""One rule for EU money: the order costs what the cart showed, and its VAT is the VAT inside.

The buyer is charged the displayed unit gross price x quantity (+ shipping with its VAT + duty),
so the VAT on the order is what those prices contain: ``(unit gross - unit net) x quantity`` per
line. Computed instead as the rate on ``unit net x quantity`` it can be a cent off (net €9.50 x 2
in Germany: €3.61, but 2 x €11.31 contains €3.62).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.addresses.models import Address
from marketplace.catalog.models import ProductVariant
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import complete_checkout
from marketplace.checkout.totals import summarise
from marketplace.markets.markets import market_for_country
from marketplace.markets.pricing import price_for
from marketplace.orders.models import Order
from marketplace.taxes.customs import TaxableLine, parcel_taxes
from sellers.models import Shop

from .conftest import EU_OPTION

pytestmark = pytest.mark.django_db

EUR = "EUR"

#: (country, [(export price net, category, quantity)]): odd cents, several quantities, each rate.
CASES = [
    ("DE", [("9.50", "batik-tekstil", 2)]),  # the cent the old rule lost: 19 % on 2 x €9.50
    ("DE", [("3.33", "kopi", 3), ("12.99", "kopi", 5)]),
    ("NL", [("4.45", "kopi", 3), ("7.19", "batik-tekstil", 7)]),
    ("FR", [("7.77", "kopi", 4), ("2.35", "batik-tekstil", 3), ("0.99", "kopi", 11)]),
]


def _place(
    buyer: User, shop: Shop, sell: Any, address: Address, lines: list[tuple[str, str, int]]
) -> tuple[Order, list[tuple[ProductVariant, int]], Money]:
    cart = Checkout.objects.create(user=buyer, country=address.country.code)
    services.set_address(cart, address)
    bought = []
    for net, category, quantity in lines:
        variant = sell(shop, eur=net, category=category, stock=50, weight=100)
        services.add_line(cart, variant, quantity)
        bought.append((variant, quantity))
    services.set_delivery(cart, shop, EU_OPTION)
    (parcel,) = summarise(cart).parcels
    assert parcel.shipping_option is not None
    shipping_net = parcel.shipping_option.price
    payment = complete_checkout(
        cart, method="demo", idempotency_key=f"money-{cart.pk}", user=buyer, accept_terms=True
    )
    return Order.objects.get(payment=payment), bought, shipping_net


@pytest.mark.parametrize(("country", "lines"), CASES)
def test_order_total_is_the_cart_prices_and_its_vat_is_the_vat_inside(
    buyer: User,
    shop: Shop,
    sell: Any,
    eu_address: Callable[[str], Address],
    country: str,
    lines: list[tuple[str, str, int]],
) -> None:
    order, bought, shipping_net = _place(buyer, shop, sell, eu_address(country), lines)
    assert order.tax_regime == "ioss"
    market = market_for_country(country)

    # What the cart page shows: price_for's gross per unit, times the quantity.
    shown = [price_for(variant, market) for variant, _quantity in bought]
    assert all(price is not None for price in shown)
    goods = sum((p.gross * q for p, (_v, q) in zip(shown, bought, strict=True) if p), Money(0, EUR))
    contained = sum(
        ((p.gross - p.net) * q for p, (_v, q) in zip(shown, bought, strict=True) if p),
        Money(0, EUR),
    )
    shipping_vat = order.shipping - shipping_net

    # The order's parts add up, to the cent, to what was shown and what was charged.
    assert order.subtotal == goods
    assert order.total == order.subtotal + order.shipping + order.duty
    assert order.total == goods + shipping_net + shipping_vat + order.duty
    assert order.payment is not None and order.payment.amount == order.total
    # The VAT declared is the VAT the charged prices contain: goods lines and delivery.
    assert order.vat == contained + shipping_vat
    assert Decimal(0) < shipping_vat.amount < shipping_net.amount * Decimal("0.22")
    # The snapshot lines tell the same story.
    order_lines = list(order.lines.order_by("pk"))
    assert sum((line.unit_price * line.quantity for line in order_lines), Money(0, EUR)) == goods
    assert (
        sum(((line.unit_price - line.unit_net) * line.quantity for line in order_lines),
            Money(0, EUR))
        == contained
    )  # fmt: skip


def test_the_cited_german_case_charges_and_declares_three_sixty_two(
    buyer: User, shop: Shop, sell: Any, eu_address: Callable[[str], Address]
) -> None:
    order, _bought, shipping_net = _place(
        buyer, shop, sell, eu_address("DE"), [("9.50", "batik-tekstil", 2)]
    )
    assert order.subtotal == Money("22.62", EUR)  # 2 x €11.31 shown
    # €3.62 in the goods (not 19 % of €19.00 = €3.61) + 19 % of the €10 delivery.
    assert shipping_net == Money("10.00", EUR)
    assert order.vat == Money("3.62", EUR) + Money("1.90", EUR)
    assert order.total == Money("22.62", EUR) + Money("11.90", EUR) + order.duty


def test_parcel_taxes_takes_the_vat_from_the_charged_gross_when_given() -> None:
    net, gross = Money("19.00", EUR), Money("22.62", EUR)  # 2 x €9.50 net, 2 x €11.31 gross
    with_gross = parcel_taxes(
        "DE", [TaxableLine("standard", "520852", net, gross=gross)], Money(0, EUR)
    )
    net_only = parcel_taxes("DE", [TaxableLine("standard", "520852", net)], Money(0, EUR))
    assert with_gross.vat == Money("3.62", EUR)
    assert with_gross.vat_lines[0].base == net
    assert with_gross.intrinsic_value == net  # the regime is still decided by the net value
    # Without the gross (callers that know only the net) the rate applies to the net line.
    assert net_only.vat == Money("3.61", EUR)
