"""The seller's order pages: who sees what, packing, shipping with tracking, delivery, cancelling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.models import PaymentStatus
from sellers.models import Shop

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def url(name: str, order: Order, **extra: Any) -> str:
    return reverse(f"dashboard:{name}", args=[order.shop.slug, order.number, *extra.values()])


def listed(browser: Any, query: str = "") -> str:
    """The order list's rows only (flash messages also name orders)."""
    shop_slug = Order.objects.order_by("pk").first().shop.slug  # type: ignore[union-attr]
    html = browser.get(reverse("dashboard:orders", args=[shop_slug]) + query).content.decode()
    return html.split('id="orders"', 1)[1] if 'id="orders"' in html else ""


def test_the_list_shows_orders_to_pack_and_the_nav_counts_them(
    seller: User, shop: Shop, paid_order: Callable[..., Order]
) -> None:
    first, second = paid_order(), paid_order()
    browser = signed_in(seller)
    page = browser.get(reverse("dashboard:orders", args=[shop.slug])).content.decode()
    assert first.number in page and second.number in page
    assert '<span class="badge" title="Orders to pack">2</span>' in page

    browser.post(url("order_process", first))
    first.refresh_from_db()
    assert first.status == OrderStatus.PROCESSING
    browser.post(url("order_ship", second), {"courier": "JNE", "tracking_number": "CGK1234567"})
    shipped = listed(browser, "?status=shipped")
    assert second.number in shipped and first.number not in shipped
    to_pack = listed(browser)
    assert first.number in to_pack and second.number not in to_pack
    assert first.number in listed(browser, "?status=processing")
    assert second.number not in listed(browser, "?status=paid")
    page = browser.get(reverse("dashboard:orders", args=[shop.slug])).content.decode()
    assert '<span class="badge" title="Orders to pack">1</span>' in page


def test_the_detail_shows_address_lines_weight_courier_and_payment(
    seller: User, paid_order: Callable[..., Order]
) -> None:
    order = paid_order()
    page = signed_in(seller).get(url("order", order)).content.decode()
    assert "Budi Santoso" in page
    assert "Jl. Kawi No. 7, RT/RW 003/005" in page
    assert "Kauman, Klojen" in page and "65119" in page
    for line in order.lines.all():
        assert line.sku in page
    assert "750 g" in page  # 250 g + 2 x 250 g
    assert "JNE · REG" in page
    assert "demo payment (no money moves): succeeded" in page


def test_another_shops_order_is_not_found_and_a_stranger_is_refused(
    seller: User,
    paid_order: Callable[..., Order],
    shop_factory: Callable[..., Shop],
    user_factory: Callable[..., User],
) -> None:
    order = paid_order()
    other_owner = user_factory(email="other@example.id", phone="+6281299990000")
    other_shop = shop_factory(owner=other_owner)
    browser = signed_in(other_owner)
    # Their own shop's URL with our order number: 404, and nothing changes.
    for name in ("order", "packing_slip", "order_cancel"):
        address = reverse(f"dashboard:{name}", args=[other_shop.slug, order.number])
        assert browser.get(address).status_code == 404
    response = browser.post(
        reverse("dashboard:order_ship", args=[other_shop.slug, order.number]),
        {"courier": "JNE", "tracking_number": "CGK1234567"},
    )
    assert response.status_code == 404
    # Our shop's URL: 403.
    assert browser.get(url("order", order)).status_code == 403
    assert browser.post(url("order_process", order)).status_code == 403
    assert browser.get(reverse("dashboard:orders", args=[order.shop.slug])).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_facilitator_with_consent_ships_and_without_cannot(
    facilitator: User,
    shop: Shop,
    paid_order: Callable[..., Order],
    consent: Callable[[Shop, User], Any],
) -> None:
    order = paid_order()
    browser = signed_in(facilitator)
    data = {"courier": "JNE", "tracking_number": "CGK1234567"}
    assert browser.post(url("order_ship", order), data).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    consent(shop, facilitator)
    response = browser.post(url("order_ship", order), data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "CGK1234567")
    entry = AuditEntry.objects.get(action="order.shipped")
    assert (entry.actor_id, entry.on_behalf_of_id) == (facilitator.pk, str(shop.pk))


@pytest.mark.parametrize(
    ("tracking", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("+62 812 3456 7890", "A tracking number is 6 to 40 letters and digits"),
        ("AB12", "A tracking number is 6 to 40 letters and digits"),
        ("resi?!", "A tracking number is 6 to 40 letters and digits"),
    ],
)
def test_mark_shipped_requires_a_sensible_tracking_number(
    seller: User, paid_order: Callable[..., Order], tracking: str, message: str
) -> None:
    order = paid_order()
    response = signed_in(seller).post(
        url("order_ship", order), {"courier": "JNE", "tracking_number": tracking}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.PAID, "")


def test_tracking_numbers_are_tidied_and_delivery_follows(
    seller: User, paid_order: Callable[..., Order]
) -> None:
    order = paid_order()
    browser = signed_in(seller)
    browser.post(
        url("order_ship", order), {"courier": "J&T", "tracking_number": " jp 1234 5678 90 "}
    )
    order.refresh_from_db()
    assert (order.courier, order.tracking_number) == ("J&T", "JP1234567890")
    # Shipping twice is refused with a message, not a 500.
    again = browser.post(url("order_ship", order), {"courier": "JNE", "tracking_number": "X123456"})
    assert again.status_code == 400
    assert "cannot become" in again.content.decode()
    browser.post(url("order_deliver", order))
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.delivered_at is not None


def test_cancel_a_paid_order_needs_a_reason_and_refunds_the_buyer(
    seller: User, paid_order: Callable[..., Order]
) -> None:
    order = paid_order()
    variant = order.lines.first().variant  # type: ignore[union-attr]
    assert variant is not None
    stock_before = variant.stock_quantity
    browser = signed_in(seller)
    refused = browser.post(url("order_cancel", order), {"reason": "  "})
    assert refused.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    browser.post(url("order_cancel", order), {"reason": "Kopi habis, maaf."})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.refunded == order.total
    assert order.payment is not None
    order.payment.refresh_from_db()
    assert order.payment.status == PaymentStatus.REFUNDED
    variant.refresh_from_db()
    assert variant.stock_quantity == stock_before + 1  # the units are back on the shelf
    assert AuditEntry.objects.filter(action="order.cancelled", object_id=str(order.pk)).exists()


def test_anonymous_visitors_go_to_the_login_page(
    client: Any, paid_order: Callable[..., Order]
) -> None:
    order = paid_order()
    response = client.get(url("order", order))
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_cancelling_because_the_goods_are_gone_keeps_them_off_the_shelf(
    seller: User, paid_order: Callable[..., Order]
) -> None:
    order = paid_order(lines=1)
    variant = order.lines.get().variant
    assert variant is not None
    stock_before = variant.stock_quantity
    response = signed_in(seller).post(
        url("order_cancel", order), {"reason": "Panen gagal.", "out_of_stock": "on"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.refunded) == (OrderStatus.CANCELLED, order.total)
    variant.refresh_from_db()
    assert variant.stock_quantity == stock_before
    # A cancelled order cannot be cancelled again: a message, not a 500.
    again = signed_in(seller).post(url("order_cancel", order), {"reason": "Lagi"})
    assert again.status_code == 400
    assert "can no longer be cancelled" in again.content.decode()
