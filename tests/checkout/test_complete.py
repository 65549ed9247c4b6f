"""Placing the order: one order per shop under one payment, stock taken, idempotent, never oversold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.addresses.models import Address
from marketplace.catalog.models import ProductVariant, StockMovement, StockReason
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import OutOfStock, complete_checkout
from marketplace.core import events
from marketplace.orders.models import Order, OrderLine
from marketplace.payments.models import Payment
from sellers.models import Shop

from .conftest import DOMESTIC_OPTION, EU_OPTION

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed_events() -> Any:
    seen: list[dict[str, Any]] = []

    def handler(**payload: Any) -> None:
        seen.append(payload)

    events.subscribe("order.placed")(handler)
    yield seen
    events._handlers["order.placed"].remove(handler)


def ready_cart(
    cart: Checkout, address: Address, parcels: list[tuple[Shop, list[tuple[ProductVariant, int]]]]
) -> Checkout:
    services.set_address(cart, address)
    for shop, lines in parcels:
        for variant, quantity in lines:
            services.add_line(cart, variant, quantity)
        services.set_delivery(
            cart, shop, DOMESTIC_OPTION if address.country.code == "ID" else EU_OPTION
        )
    return cart


def test_one_order_per_shop_under_one_payment(
    cart: Checkout,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    seller: User,
    sell: Any,
    jakarta: Address,
    buyer: User,
    placed_events: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    second = shop_factory(seller, name="Batik Temenggungan")
    coffee = sell(shop, price=85_000, stock=10)
    batik = sell(second, price=250_000, stock=1, category="batik-tekstil", hs_code="520852")
    ready_cart(cart, jakarta, [(shop, [(coffee, 2)]), (second, [(batik, 1)])])

    with django_capture_on_commit_callbacks(execute=True):
        payment = complete_checkout(
            cart, method="demo", idempotency_key="press-1", user=buyer, accept_terms=False
        )

    assert payment.amount == Money(170_000 + 20_000 + 250_000 + 20_000, "IDR")
    orders = list(Order.objects.filter(payment=payment).order_by("shop_id"))
    assert [o.shop for o in orders] == [shop, second]
    assert [o.total for o in orders] == [Money(190_000, "IDR"), Money(270_000, "IDR")]
    assert all(o.buyer == buyer and o.status == "unpaid" and o.market == "ID" for o in orders)
    assert orders[0].shipping_address["province_code"] == "31"
    assert orders[0].shipping_code == DOMESTIC_OPTION and orders[0].weight_grams == 600
    line = OrderLine.objects.get(order=orders[1])
    assert (line.product_title, line.quantity, line.unit_price) == (
        batik.product.title,
        1,
        Money(250_000, "IDR"),
    )
    assert (line.hs_code, line.tax_class, line.vat_rate) == ("520852", "standard", None)

    coffee.refresh_from_db()
    batik.refresh_from_db()
    assert (coffee.stock_quantity, batik.stock_quantity) == (8, 0)
    sale = StockMovement.objects.get(variant=batik, reason=StockReason.SALE)
    assert (sale.delta, sale.quantity_after) == (-1, 0)
    cart.refresh_from_db()
    assert cart.completed_at is not None and cart.payment == payment
    assert sorted(e["order_id"] for e in placed_events) == [o.pk for o in orders]
    assert placed_events[0]["market"] == "ID"


def test_eu_order_keeps_the_vat_snapshot_and_needs_the_terms_accepted(
    buyer: User, shop: Shop, sell: Any, eu_address: Callable[[str], Address]
) -> None:
    address = eu_address("DE")
    cart = Checkout.objects.create(user=buyer, country="DE")
    coffee = sell(shop, eur="20.00", stock=5)
    ready_cart(cart, address, [(shop, [(coffee, 2)])])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        complete_checkout(cart, method="demo", idempotency_key="k", user=buyer, accept_terms=False)
    assert "accept_terms" in exc.value.message_dict
    assert not Payment.objects.exists()

    payment = complete_checkout(
        cart, method="demo", idempotency_key="k", user=buyer, accept_terms=True
    )
    order = Order.objects.get(payment=payment)
    assert (order.market, order.country, order.currency, order.tax_regime) == (
        "EU",
        "DE",
        "EUR",
        "ioss",
    )
    assert (order.vat, order.duty, order.total) == (
        Money("3.50", "EUR"),
        Money("3.00", "EUR"),
        Money("56.50", "EUR"),
    )
    line = order.lines.get()
    assert (line.unit_price, line.unit_net, line.vat_rate) == (
        Money("21.40", "EUR"),
        Money("20.00", "EUR"),
        7,
    )
    assert payment.amount == Money("56.50", "EUR")


def test_same_key_twice_makes_one_set_of_orders(
    cart: Checkout, shop: Shop, sell: Any, jakarta: Address, buyer: User
) -> None:
    variant = sell(shop, stock=10)
    ready_cart(cart, jakarta, [(shop, [(variant, 3)])])
    first = complete_checkout(
        cart, method="demo", idempotency_key="double-click", user=buyer, accept_terms=False
    )
    again = complete_checkout(
        cart, method="demo", idempotency_key="double-click", user=buyer, accept_terms=False
    )
    assert again.pk == first.pk
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    variant.refresh_from_db()
    assert variant.stock_quantity == 7


def test_out_of_stock_names_the_product_and_writes_nothing(
    cart: Checkout, shop: Shop, sell: Any, jakarta: Address, buyer: User, seller: User
) -> None:
    from marketplace.catalog import services as catalog

    plenty = sell(shop, stock=10)
    scarce = sell(shop, stock=3, title="Kopi Lanang")
    ready_cart(cart, jakarta, [(shop, [(plenty, 1), (scarce, 3)])])
    catalog.adjust_stock(seller, scarce, -2)  # another buyer was quicker
    with translation.override("en"), pytest.raises(OutOfStock) as exc:
        complete_checkout(cart, method="demo", idempotency_key="k", user=buyer, accept_terms=False)
    assert exc.value.messages == ["Only 1 of Kopi Lanang left; lower the quantity."]
    assert not Order.objects.exists() and not Payment.objects.exists()
    plenty.refresh_from_db()
    assert plenty.stock_quantity == 10
    cart.refresh_from_db()
    assert cart.completed_at is None


def test_other_problems_refuse_the_order(
    cart: Checkout, shop: Shop, sell: Any, jakarta: Address, buyer: User
) -> None:
    services.set_address(cart, jakarta)
    services.add_line(cart, sell(shop), 1)  # no delivery chosen
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        complete_checkout(cart, method="demo", idempotency_key="k", user=buyer, accept_terms=False)
    assert exc.value.messages == ["Choose a delivery for the parcel from Kopi Kemiren."]
    assert not isinstance(exc.value, OutOfStock)
    assert not Order.objects.exists() and not Payment.objects.exists()


def test_someone_elses_cart_cannot_be_placed(
    cart: Checkout, user_factory: Callable[..., User]
) -> None:
    stranger = user_factory(phone="+6281234500077")
    with pytest.raises(PermissionDenied):
        complete_checkout(
            cart, method="demo", idempotency_key="k", user=stranger, accept_terms=False
        )


def test_a_bad_payment_method_writes_nothing(
    cart: Checkout, shop: Shop, sell: Any, jakarta: Address, buyer: User
) -> None:
    variant = sell(shop, stock=4)
    ready_cart(cart, jakarta, [(shop, [(variant, 1)])])
    with pytest.raises(ValidationError) as exc:
        complete_checkout(cart, method="cash", idempotency_key="k", user=buyer, accept_terms=False)
    assert "method" in exc.value.message_dict
    variant.refresh_from_db()
    assert variant.stock_quantity == 4 and not Order.objects.exists()


def test_a_placed_cart_gives_way_to_a_new_one(
    cart: Checkout, shop: Shop, sell: Any, jakarta: Address, buyer: User
) -> None:
    from django.test import RequestFactory

    variant = sell(shop)
    ready_cart(cart, jakarta, [(shop, [(variant, 1)])])
    complete_checkout(cart, method="demo", idempotency_key="k", user=buyer, accept_terms=False)
    request = RequestFactory().get("/")
    request.user = buyer
    fresh = services.get_or_create_checkout(request)
    assert fresh.pk != cart.pk and not fresh.lines.exists()


def test_a_guest_orders_with_an_email_address(shop: Shop, sell: Any, jakarta: Address) -> None:
    from django.contrib.auth.models import AnonymousUser

    guest_cart = Checkout.objects.create(country="ID")
    jakarta.user = None
    jakarta.save(update_fields=["user"])
    variant = sell(shop, stock=2)
    ready_cart(guest_cart, jakarta, [(shop, [(variant, 1)])])
    with pytest.raises(ValidationError, match="e-mail"):
        complete_checkout(
            guest_cart, method="demo", idempotency_key="g", user=AnonymousUser(), accept_terms=False
        )
    services.set_contact(guest_cart, email="tamu@example.com")
    payment = complete_checkout(
        guest_cart, method="demo", idempotency_key="g", user=AnonymousUser(), accept_terms=False
    )
    order = Order.objects.get(payment=payment)
    assert (order.buyer, order.email, payment.email) == (
        None,
        "tamu@example.com",
        "tamu@example.com",
    )
    assert order.phone == "+6281234500003"
