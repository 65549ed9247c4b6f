"""Orders placed the way checkout places them, for the orders and payments tests.

``place_order`` locks the variants, takes the stock with ``F()`` and a ``sale`` movement, creates
one ``Payment`` and one ``Order`` per shop with snapshot lines, as ``checkout.complete_checkout``
does; integration tests will use the real checkout once it exists. Imported by
``tests/orders/conftest.py`` and by the payments tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import (
    Category,
    Product,
    ProductStatus,
    ProductVariant,
    StockMovement,
    StockReason,
)
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderLine
from marketplace.payments import services as payment_services
from marketplace.payments.models import Payment
from sellers.models import Shop


@pytest.fixture
def seller(user_factory: Callable[..., User]) -> User:
    return user_factory(email="seller@example.id", phone="+6281200000001")


@pytest.fixture
def buyer(user_factory: Callable[..., User]) -> User:
    return user_factory(email="buyer@example.id", phone="+6281200000002", preferred_language="en")


@pytest.fixture
def operator(user_factory: Callable[..., User]) -> User:
    return user_factory(email="ops@example.id", phone="+6281200000003", is_staff=True)


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], seller: User) -> Shop:
    return shop_factory(owner=seller)


@pytest.fixture
def variant_factory(shop: Shop) -> Callable[..., ProductVariant]:
    counter = iter(range(1, 100_000))

    def make(
        *,
        stock: int = 10,
        idr: int = 50_000,
        eur: str = "10.00",
        category: str = "kopi",
        perishable: bool = False,
        for_shop: Shop | None = None,
    ) -> ProductVariant:
        n = next(counter)
        # get_or_create: transactional tests flush the categories the migrations seed.
        cat, _ = Category.objects.get_or_create(slug=category, defaults={"name": category})
        if perishable and not cat.is_perishable:
            cat = Category.objects.create(
                slug=f"segar-{n}", name="Sayur segar", is_food=True, is_perishable=True
            )
        product = Product.objects.create(
            shop=for_shop or shop,
            category=cat,
            title=f"Kopi Osing {n}",
            status=ProductStatus.PUBLISHED,
            ships_to_eu=True,
        )
        return ProductVariant.objects.create(
            product=product,
            sku=f"KO-{n}",
            name="250 g",
            price=Money(idr, "IDR"),
            export_price=Money(Decimal(eur), "EUR"),
            stock_quantity=stock,
            weight_grams=250,
        )

    return make


def _place(
    lines: list[tuple[ProductVariant, int]],
    *,
    buyer: User | None,
    market: str = "ID",
    method: str = "demo",
    email: str = "",
    language: str = "id",
    shipping: Decimal = Decimal("0"),
) -> Payment:
    currency = "EUR" if market == "EU" else "IDR"
    with transaction.atomic():
        wanted: dict[int, int] = {}
        for variant, qty in lines:
            wanted[variant.pk] = wanted.get(variant.pk, 0) + qty
        locked = {
            v.pk: v
            for v in ProductVariant.objects.select_for_update()
            .filter(pk__in=wanted)
            .select_related("product__category", "product__shop")
            .order_by("pk")
        }
        by_shop: dict[int, list[tuple[ProductVariant, int]]] = {}
        for pk, qty in wanted.items():
            variant = locked[pk]
            assert variant.stock_quantity >= qty, "sold out"
            ProductVariant.objects.filter(pk=pk).update(stock_quantity=F("stock_quantity") - qty)
            StockMovement.objects.create(
                variant=variant,
                delta=-qty,
                quantity_after=variant.stock_quantity - qty,
                reason=StockReason.SALE,
            )
            by_shop.setdefault(variant.product.shop_id, []).append((variant, qty))

        def price(v: ProductVariant) -> Money:
            return Money(v.export_price.amount, "EUR") if market == "EU" else v.price  # type: ignore[union-attr]

        grand = Money(0, currency)
        for shop_lines in by_shop.values():
            grand += sum((price(v) * q for v, q in shop_lines), Money(0, currency))
            grand += Money(shipping, currency)
        payment = payment_services.create_payment(
            method=method,
            amount=grand,
            idempotency_key=uuid.uuid4().hex,
            buyer=buyer,
            email=email or (buyer.email if buyer else "") or "",
        )
        for shop_id, shop_lines in by_shop.items():
            subtotal = sum((price(v) * q for v, q in shop_lines), Money(0, currency))
            order = Order.objects.create(
                shop_id=shop_id,
                buyer=buyer,
                email=email or (buyer.email if buyer else "") or "",
                language=language,
                payment=payment,
                market=market,
                country="DE" if market == "EU" else "ID",
                currency=currency,
                subtotal=subtotal,
                shipping=Money(shipping, currency),
                vat=Money(0, currency),
                duty=Money(0, currency),
                total=subtotal + Money(shipping, currency),
                expires_at=payment.expires_at,
            )
            for v, q in shop_lines:
                OrderLine.objects.create(
                    order=order,
                    variant=v,
                    product_title=v.product.title,
                    variant_name=v.name,
                    sku=v.sku,
                    quantity=q,
                    unit_price=price(v),
                    unit_net=price(v),
                    tax_class=v.product.category.tax_class,
                    weight_grams=v.weight_grams or 0,
                    category_id=v.product.category_id,
                    is_perishable=v.product.category.is_perishable,
                )
            order_services.order_placed(order, actor=buyer)
    return payment


@pytest.fixture
def place_order(buyer: User) -> Callable[..., Payment]:
    """``place_order([(variant, qty), ...], market="EU", method="bank_transfer")`` -> Payment."""

    def place(lines: list[tuple[ProductVariant, int]], **kw: Any) -> Payment:
        kw.setdefault("buyer", buyer)
        return _place(lines, **kw)

    return place


def deliver(order: Order, actor: User, *, days_ago: int = 0) -> Order:
    """Pay-shipped-delivered an order that is paid, optionally backdating the delivery."""
    order_services.ship(
        order, courier="Pos Indonesia", tracking_number="EE123456789ID", actor=actor
    )
    order_services.mark_delivered(order, actor=actor)
    if days_ago:
        shift = timedelta(days=days_ago)
        Order.objects.filter(pk=order.pk).update(
            delivered_at=F("delivered_at") - shift,
            withdrawable_until=F("withdrawable_until") - shift,
        )
        order.refresh_from_db()
    return order
