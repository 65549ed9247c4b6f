# ruff: noqa: F811  (the fixtures imported from tests.checkout are parameters here)
"""Only listings ready for the buyer's EU state can be bought there; they still sell at home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from marketplace.accounts.models import User
from marketplace.addresses.models import Address
from marketplace.catalog.selectors import products_for_market
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.totals import summarise
from marketplace.readiness import services as readiness
from marketplace.readiness.models import ReadinessResult
from sellers.models import Shop
from tests.checkout.conftest import (  # noqa: F401  (the checkout's small market)
    DOMESTIC_OPTION,
    EU_OPTION,
    buyer,
    eu_address,
    jakarta,
    rates,
    sell,
    seller,
    shop,
)

from .helpers import make_export_ready

pytestmark = pytest.mark.django_db


def cart_to(buyer: User, address: Address) -> Checkout:
    cart = Checkout.objects.create(user=buyer, country=address.country.code)
    services.set_address(cart, address)
    return cart


def test_a_listing_ready_only_for_the_netherlands_is_refused_for_germany(
    buyer: User,
    shop: Shop,
    sell: Any,
    eu_address: Callable[[str], Address],
) -> None:
    variant = sell(shop, eur="12.50")
    ReadinessResult.objects.filter(product=variant.product).delete()
    make_export_ready(variant.product, ["NL"])

    dutch = cart_to(buyer, eu_address("NL"))
    services.add_line(dutch, variant, 1)
    services.set_delivery(dutch, shop, EU_OPTION)
    assert summarise(dutch).problems == []
    dutch.delete()  # one open cart per buyer

    german = cart_to(buyer, eu_address("DE"))
    services.add_line(german, variant, 1)
    services.set_delivery(german, shop, EU_OPTION)
    (problem,) = summarise(german).problems
    assert problem.code == "not_export_ready"
    assert problem.variant_id == variant.pk
    assert "cannot be sent to Germany yet" in problem.message


def test_checkout_refuses_with_the_findings_message_and_sells_domestically(
    buyer: User,
    shop: Shop,
    sell: Any,
    eu_address: Callable[[str], Address],
    jakarta: Address,
) -> None:
    variant = sell(shop, eur="12.50")
    german = cart_to(buyer, eu_address("DE"))
    services.add_line(german, variant, 1)
    services.set_delivery(german, shop, EU_OPTION)
    # The real rules now: the listing has no German text, photos, HS code, plots...
    readiness.recompute([variant.product_id])
    problems = summarise(german).problems
    assert [p.code for p in problems] == ["not_export_ready"]
    assert "Write the product name in German." in problems[0].message
    assert "Add at least 3 photos (now 0)." in problems[0].message
    with pytest.raises(ValidationError) as refused:
        services.complete_checkout(
            german, method="demo", idempotency_key="k-1", user=buyer, accept_terms=True
        )
    assert "Write the product name in German." in " ".join(refused.value.messages)
    assert not products_for_market("EU").filter(pk=variant.product_id).exists()
    german.delete()  # one open cart per buyer

    home = Checkout.objects.create(user=buyer, country="ID")
    services.set_address(home, jakarta)
    services.add_line(home, variant, 1)
    services.set_delivery(home, shop, DOMESTIC_OPTION)
    assert summarise(home).problems == []
    payment = services.complete_checkout(
        home, method="demo", idempotency_key="k-2", user=buyer, accept_terms=False
    )
    assert payment.orders.count() == 1


def test_a_listing_never_checked_is_not_sold_to_the_eu(
    buyer: User,
    shop: Shop,
    sell: Any,
    eu_address: Callable[[str], Address],
) -> None:
    variant = sell(shop, eur="12.50")
    german = cart_to(buyer, eu_address("DE"))
    services.add_line(german, variant, 1)
    ReadinessResult.objects.all().delete()
    (problem, *_rest) = summarise(german).problems
    assert problem.code == "not_export_ready"
    assert "the seller has not completed the export details" in problem.message


def test_the_eu_market_lists_listings_ready_somewhere_in_the_eu(shop: Shop, sell: Any) -> None:
    variant = sell(shop, eur="12.50")
    ReadinessResult.objects.all().delete()
    make_export_ready(variant.product, ["ID"])  # ready at home only: not an EU listing
    assert not products_for_market("EU").filter(pk=variant.product_id).exists()
    make_export_ready(variant.product, ["FR"])
    assert products_for_market("EU").filter(pk=variant.product_id).exists()
    assert products_for_market("ID").filter(pk=variant.product_id).exists()
