"""Catalog rules: listings, variants, stock movements, publishing and moderation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from djmoney.money import Money

from marketplace.audit.models import AuditEntry
from marketplace.catalog import selectors, services
from marketplace.catalog.models import (
    Category,
    ProductStatus,
    ProductVariant,
    ProhibitedTerm,
    StockMovement,
    StockReason,
)
from marketplace.core import events
from tests.readiness.helpers import make_export_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(user_factory: Callable[..., Any]) -> Any:
    return user_factory(phone="+6281234500010")


@pytest.fixture
def shop(shop_factory: Callable[..., Any], owner: Any) -> Any:
    return shop_factory(owner=owner)


def test_a_listing_needs_an_indonesian_title(owner: Any, shop: Any, kopi: Category) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_product(
            owner, shop, services.ProductInput(category=kopi, title={"en": "Coffee"})
        )
    assert exc.value.error_dict["title_id"][0].code == "required"


def test_description_html_is_sanitised(owner: Any, shop: Any, kopi: Category) -> None:
    product = services.create_product(
        owner,
        shop,
        services.ProductInput(
            category=kopi,
            title={"id": "Kopi"},
            description={"id": '<p onclick="steal()">Enak<script>alert(1)</script></p>'},
        ),
    )
    assert product.description_ind == "<p>Enak</p>"


def test_translations_fall_back_to_indonesian(owner: Any, shop: Any, kopi: Category) -> None:
    product = services.create_product(
        owner,
        shop,
        services.ProductInput(category=kopi, title={"id": "Kopi Osing", "de": "Osing-Kaffee"}),
    )
    product.refresh_from_db()
    with translation.override("de"):
        assert product.title == "Osing-Kaffee"
    with translation.override("fr"):
        assert product.title == "Kopi Osing"


def test_prices_are_money_and_bad_prices_are_refused(owner: Any, shop: Any, listing: Any) -> None:
    product = listing(owner, shop)
    variant = product.variants.get()
    assert variant.price == Money(85_000, "IDR")
    for bad, code in [("abc", "invalid"), (0, "min_value"), ("1000.5", "invalid")]:
        with pytest.raises(ValidationError) as exc:
            services.save_variant(owner, product, services.VariantInput(sku="X-1", price_idr=bad))
        assert exc.value.error_dict["price_idr"][0].code == code
    assert product.variants.count() == 1


def test_a_sku_is_unique_within_the_shop(owner: Any, shop: Any, listing: Any) -> None:
    first = listing(owner, shop)
    second = listing(owner, shop)
    sku = first.variants.get().sku
    with pytest.raises(ValidationError) as exc:
        services.save_variant(owner, second, services.VariantInput(sku=sku.lower(), price_idr=1000))
    assert exc.value.error_dict["sku"][0].code == "sku_taken"


def test_every_stock_change_is_a_movement_that_adds_up(owner: Any, shop: Any, listing: Any) -> None:
    variant = listing(owner, shop, stock=0).variants.get()
    services.adjust_stock(owner, variant, 10, note="panen baru")
    services.adjust_stock(owner, variant, -3, reason=StockReason.SALE)
    services.set_stock(owner, variant, 5, note="hitung ulang")
    variant.refresh_from_db()
    movements = list(StockMovement.objects.filter(variant=variant).order_by("pk"))
    assert [(m.delta, m.quantity_after, m.reason) for m in movements] == [
        (10, 10, "manual"),
        (-3, 7, "sale"),
        (-2, 5, "manual"),
    ]
    assert variant.stock_quantity == sum(m.delta for m in movements) == 5


def test_stock_never_goes_below_zero(owner: Any, shop: Any, listing: Any) -> None:
    variant = listing(owner, shop, stock=2).variants.get()
    with pytest.raises(ValidationError) as exc:
        services.adjust_stock(owner, variant, -3)
    assert exc.value.error_dict["delta"][0].code == "insufficient_stock"
    variant.refresh_from_db()
    assert variant.stock_quantity == 2


def test_stock_out_and_publish_events_fire_after_commit(
    owner: Any, shop: Any, listing: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def on(name: str) -> Callable[..., None]:
        def handler(**payload: Any) -> None:
            seen.append((name, payload))

        return handler

    handlers = {name: on(name) for name in ("product.published", "product.stock_out")}
    for name, handler in handlers.items():
        events.subscribe(name)(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            product = listing(owner, shop, stock=1, publish=True)
            services.adjust_stock(owner, product.variants.get(), -1, reason=StockReason.SALE)
    finally:
        for name, handler in handlers.items():
            events._handlers[name].remove(handler)
    assert [name for name, _ in seen] == ["product.published", "product.stock_out"]


def test_publishing_needs_a_variant_and_refuses_prohibited_goods(
    owner: Any, shop: Any, kopi: Category
) -> None:
    product = services.create_product(
        owner, shop, services.ProductInput(category=kopi, title={"id": "Kopi luwak liar"})
    )
    with pytest.raises(ValidationError) as exc:
        services.publish_product(owner, product)
    assert exc.value.code == "no_variant"
    services.save_variant(owner, product, services.VariantInput(sku="L-1", price_idr=300_000))
    ProhibitedTerm.objects.create(term="luwak liar", reason="wild civets are protected")
    with pytest.raises(ValidationError) as exc:
        services.publish_product(owner, product)
    assert exc.value.code == "prohibited"
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT


def test_a_removed_listing_vanishes_and_tells_the_seller_why(
    owner: Any, shop: Any, listing: Any, user_factory: Any
) -> None:
    operator = user_factory(phone="+6281234500099", is_staff=True)
    product = listing(owner, shop, publish=True)
    assert product in selectors.visible_products()
    assert product in selectors.moderation_queue()
    services.remove_product(operator, product, "Foto bukan milik penjual")
    assert product not in selectors.visible_products()
    with pytest.raises(ValidationError) as exc:
        services.publish_product(owner, product)
    assert "Foto bukan milik penjual" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.remove_product(owner, product, "bukan operator")


def test_a_facilitator_acting_for_a_shop_is_audited_on_its_behalf(
    owner: Any, shop: Any, listing: Any, user_factory: Any, hall: Any, consent: Any
) -> None:
    facilitator = user_factory(phone="+6281234500020")
    hall.facilitators.add(facilitator)
    consent(shop, facilitator)
    product = listing(facilitator, shop)
    entry = AuditEntry.objects.filter(action="product.created").get()
    assert (entry.actor, entry.on_behalf_of, entry.object) == (facilitator, shop, product)


def test_nobody_else_can_touch_a_shops_listings(
    owner: Any, shop: Any, listing: Any, user_factory: Any, hall: Any
) -> None:
    product = listing(owner, shop)
    variant = product.variants.get()
    other_seller = user_factory(phone="+6281234500030")
    facilitator_without_consent = user_factory(phone="+6281234500031")
    hall.facilitators.add(facilitator_without_consent)
    for intruder in (other_seller, facilitator_without_consent):
        for attempt in (
            lambda u: services.publish_product(u, product),
            lambda u: services.adjust_stock(u, variant, 100),
            lambda u: services.save_variant(
                u, product, services.VariantInput(sku="Z", price_idr=1)
            ),
            lambda u: services.archive_product(u, product),
        ):
            with pytest.raises(PermissionDenied):
                attempt(intruder)
    assert ProductVariant.objects.get().stock_quantity == 5
    assert product.variants.count() == 1


def test_dashboard_selector_flags_low_stock(owner: Any, shop: Any, listing: Any) -> None:
    low = listing(owner, shop, stock=1)
    plenty = listing(owner, shop, stock=50)
    rows = {p.pk: p.has_low_stock for p in selectors.shop_products(shop)}
    assert rows == {low.pk: True, plenty.pk: False}
    assert [p.pk for p in selectors.shop_products(shop, low_stock=True)] == [low.pk]


def test_only_a_removed_listing_can_be_restored(
    owner: Any, shop: Any, listing: Any, user_factory: Any
) -> None:
    operator = user_factory(phone="+6281234500099", is_staff=True)
    product = listing(owner, shop, publish=True)
    with pytest.raises(ValidationError) as exc:
        services.restore_product(operator, product)
    assert exc.value.code == "not_removed"
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    services.remove_product(operator, product, "Salah kategori")
    services.restore_product(operator, product)
    product.refresh_from_db()
    assert (product.status, product.moderation_reason) == (ProductStatus.DRAFT, "")


def test_the_eu_market_shows_only_listings_offered_with_a_euro_price(
    owner: Any, shop: Any, kopi: Category
) -> None:
    def listed(sku: str, eur: str | None, offered: bool) -> Any:
        product = services.create_product(
            owner,
            shop,
            services.ProductInput(category=kopi, title={"id": f"Kopi {sku}"}, ships_to_eu=offered),
        )
        services.save_variant(
            owner, product, services.VariantInput(sku=sku, price_idr=50_000, export_price_eur=eur)
        )
        make_export_ready(product)
        return services.publish_product(owner, product)

    both = listed("A", "8.50", True)
    no_euro = listed("B", None, True)
    not_offered = listed("C", "8.50", False)
    assert set(selectors.products_for_market("ID")) == {both, no_euro, not_offered}
    assert set(selectors.products_for_market("EU")) == {both}
