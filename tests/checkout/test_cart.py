"""The cart: what may be added, quantities capped at the stock, visitors' carts merged at login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.checkout import services
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.checkout.totals import summarise
from sellers.models import Shop, ShopStatus

pytestmark = pytest.mark.django_db


def quantities(checkout: Checkout) -> dict[int, int]:
    return dict(
        CheckoutLine.objects.filter(checkout=checkout).values_list("variant_id", "quantity")
    )


def visitor_request(session: SessionStore | None = None, user: Any = None) -> Any:
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="id")
    request.session = session or SessionStore()
    request.user = user or AnonymousUser()
    return request


def test_adding_twice_adds_the_quantities(cart: Checkout, shop: Shop, sell: Any) -> None:
    variant = sell(shop, stock=10)
    services.add_line(cart, variant, 2)
    change = services.add_line(cart, variant, 3)
    assert change.message == ""
    assert quantities(cart) == {variant.pk: 5}


def test_quantity_is_capped_at_the_stock_and_the_buyer_is_told(
    cart: Checkout, shop: Shop, sell: Any
) -> None:
    variant = sell(shop, stock=4, title="Kopi Lanang")
    with translation.override("en"):
        change = services.add_line(cart, variant, 6)
    assert quantities(cart) == {variant.pk: 4}
    assert change.message == "Only 4 of Kopi Lanang left: your cart now holds 4."
    change = services.set_line_quantity(cart, variant, 9)
    assert change.line is not None and change.line.quantity == 4


def test_sold_out_variants_are_refused(cart: Checkout, shop: Shop, sell: Any) -> None:
    variant = sell(shop, stock=0, title="Kopi Lanang")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.add_line(cart, variant, 1)
    assert exc.value.messages == ["Kopi Lanang is sold out."]
    assert quantities(cart) == {}


def test_listings_buyers_cannot_see_are_refused(
    cart: Checkout, shop: Shop, sell: Any, seller: User
) -> None:
    archived = sell(shop)
    catalog.archive_product(seller, archived.product)
    with pytest.raises(ValidationError, match="no longer for sale"):
        services.add_line(cart, archived, 1)

    other_shop_variant = sell(shop)
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.SUSPENDED)
    with pytest.raises(ValidationError, match="no longer for sale"):
        services.add_line(cart, other_shop_variant, 1)
    assert quantities(cart) == {}


def test_variants_not_sold_to_the_destination_are_refused(
    buyer: User, shop: Shop, sell: Any
) -> None:
    cart = Checkout.objects.create(user=buyer, country="DE")
    domestic_only = sell(shop, title="Tape Singkong")
    exported = sell(shop, eur="12.50")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.add_line(cart, domestic_only, 1)
    assert exc.value.messages == ["Tape Singkong is not sold to Germany."]
    services.add_line(cart, exported, 1)
    assert quantities(cart) == {exported.pk: 1}


def test_bad_quantities_are_refused_with_a_message(cart: Checkout, shop: Shop, sell: Any) -> None:
    variant = sell(shop)
    for bad in (0, -1, 1000):
        with pytest.raises(ValidationError) as exc:
            services.add_line(cart, variant, bad)
        assert "quantity" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.set_line_quantity(cart, variant, -2)
    assert quantities(cart) == {}


def test_setting_zero_or_removing_empties_the_line(cart: Checkout, shop: Shop, sell: Any) -> None:
    first, second = sell(shop), sell(shop)
    services.add_line(cart, first, 1)
    services.add_line(cart, second, 1)
    services.set_line_quantity(cart, first, 0)
    services.remove_line(cart, second)
    assert quantities(cart) == {}


def test_a_placed_checkout_cannot_change(cart: Checkout, shop: Shop, sell: Any) -> None:
    variant = sell(shop)
    Checkout.objects.filter(pk=cart.pk).update(completed_at="2026-01-01T00:00:00Z")
    with pytest.raises(ValidationError, match="already been placed"):
        services.add_line(cart, variant, 1)


def test_a_visitors_cart_lives_in_the_session() -> None:
    request = visitor_request()
    first = services.get_or_create_checkout(request)
    again = services.get_or_create_checkout(visitor_request(request.session))
    assert first.pk == again.pk and first.user is None
    assert services.get_or_create_checkout(visitor_request()).pk != first.pk


def test_a_signed_in_buyer_has_one_open_cart(buyer: User) -> None:
    first = services.get_or_create_checkout(visitor_request(user=buyer))
    assert services.get_or_create_checkout(visitor_request(user=buyer)).pk == first.pk
    assert first.user == buyer


def test_the_visitors_cart_merges_into_the_users_at_login(
    buyer: User, shop: Shop, sell: Any
) -> None:
    coffee, sugar, batik = sell(shop, stock=10), sell(shop, stock=5), sell(shop, stock=3)
    own = Checkout.objects.create(user=buyer, country="ID")
    services.add_line(own, coffee, 8)
    services.add_line(own, batik, 1)

    request = visitor_request()
    visitor_cart = services.get_or_create_checkout(request)
    services.add_line(visitor_cart, coffee, 4)
    services.add_line(visitor_cart, sugar, 2)

    request.user = buyer
    login(request, buyer, backend="django.contrib.auth.backends.ModelBackend")

    assert quantities(own) == {coffee.pk: 10, sugar.pk: 2, batik.pk: 1}  # 8 + 4 capped at 10
    assert not Checkout.objects.filter(pk=visitor_cart.pk).exists()
    assert services.get_or_create_checkout(request).pk == own.pk


def test_without_a_cart_of_their_own_the_user_takes_the_visitors(
    buyer: User, shop: Shop, sell: Any
) -> None:
    variant = sell(shop)
    request = visitor_request()
    visitor_cart = services.get_or_create_checkout(request)
    services.add_line(visitor_cart, variant, 2)
    request.user = buyer
    login(request, buyer, backend="django.contrib.auth.backends.ModelBackend")
    visitor_cart.refresh_from_db()
    assert visitor_cart.user == buyer
    assert quantities(visitor_cart) == {variant.pk: 2}


def test_changing_the_destination_reports_lines_not_sold_there(
    cart: Checkout, shop: Shop, sell: Any
) -> None:
    domestic_only = sell(shop, title="Tape Singkong")
    exported = sell(shop, eur="12.50")
    services.add_line(cart, domestic_only, 1)
    services.add_line(cart, exported, 1)
    with translation.override("en"):
        messages = services.set_country(cart, "NL")
    assert messages == ["Tape Singkong is not sold to Netherlands."]
    cart.refresh_from_db()
    summary = summarise(cart)
    assert summary.currency == "EUR"
    assert [p.code for p in summary.problems if p.variant_id] == ["not_sold_there"]
    with pytest.raises(ValidationError):
        services.set_country(cart, "US")


def test_delivery_must_be_an_offered_option(
    cart: Checkout, shop: Shop, sell: Any, jakarta: Any
) -> None:
    services.add_line(cart, sell(shop), 1)
    with pytest.raises(ValidationError) as exc:
        services.set_delivery(cart, shop, "tk-reg")
    assert "shipping_address" in exc.value.message_dict
    services.set_address(cart, jakarta)
    with pytest.raises(ValidationError) as exc:
        services.set_delivery(cart, shop, "no-such-service")
    assert "option_code" in exc.value.message_dict
    delivery = services.set_delivery(cart, shop, "tk-reg")
    assert delivery.option_code == "tk-reg"


def test_someone_elses_address_is_refused(
    cart: Checkout, user_factory: Callable[..., User], jakarta: Any
) -> None:
    stranger = user_factory(phone="+6281234500099")
    other_cart = Checkout.objects.create(user=stranger, country="ID")
    with pytest.raises(ValidationError):
        services.set_address(other_cart, jakarta)


def test_contact_details_are_validated(cart: Checkout) -> None:
    with pytest.raises(ValidationError) as exc:
        services.set_contact(cart, email="not-an-address", phone="12")
    assert set(exc.value.message_dict) == {"email", "phone"}
    services.set_contact(cart, email="Rina@Example.com", phone="0812 3456 7890")
    cart.refresh_from_db()
    assert (cart.email, cart.phone) == ("rina@example.com", "+6281234567890")
