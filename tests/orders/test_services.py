"""The order life-cycle: fulfilment, cancellation with stock back exactly once, expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from marketplace.catalog.models import StockMovement, StockReason
from marketplace.core.events import subscribe
from marketplace.orders import services
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.tasks import expire_unpaid_orders
from marketplace.payments import services as payment_services
from marketplace.payments.models import PaymentStatus

pytestmark = pytest.mark.django_db

received: list[tuple[str, dict[str, Any]]] = []


def _collector(name: str) -> Callable[..., None]:
    def handler(**payload: Any) -> None:
        received.append((name, payload))

    handler.__qualname__ = f"collect_{name}"
    return handler


for _name in ("order.placed", "order.paid", "order.shipped", "order.cancelled", "order.delivered"):
    subscribe(_name)(_collector(_name))


@pytest.fixture(autouse=True)
def _clear_events() -> None:
    received.clear()


def names() -> list[str]:
    return [name for name, _ in received]


def stock_of(variant: Any) -> int:
    variant.refresh_from_db()
    return int(variant.stock_quantity)


def test_placing_takes_the_stock_and_announces_the_order(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    variant = variant_factory(stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        payment = place_order([(variant, 2)], method="bank_transfer")
    order = payment.orders.get()
    assert stock_of(variant) == 3
    assert order.status == OrderStatus.UNPAID
    assert order.number.startswith("PK-")
    assert ("order.placed", {
        "order_id": order.pk, "shop_id": order.shop_id, "buyer_id": order.buyer_id, "market": "ID"
    }) in received  # fmt: skip


def test_buyer_cancels_unpaid_order_and_stock_comes_back_once(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    buyer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    variant = variant_factory(stock=5)
    payment = place_order([(variant, 2)], method="bank_transfer")
    order = payment.orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_unpaid(order, actor=buyer)
    assert stock_of(variant) == 5
    with pytest.raises(services.IllegalTransition):
        services.cancel_unpaid(order, actor=buyer)
    # The expiry task and a failed payment find nothing more to release.
    payment_services.payment_failed(payment, "card declined")
    expire_unpaid_orders.delay()
    assert stock_of(variant) == 5
    returns = StockMovement.objects.filter(variant=variant, reason=StockReason.RETURN)
    assert [m.delta for m in returns] == [2]
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    assert payment.status == PaymentStatus.CANCELLED
    assert names().count("order.cancelled") == 1


def test_a_paid_order_cannot_be_cancelled_by_the_buyer(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], buyer: Any
) -> None:
    payment = place_order([(variant_factory(), 1)])
    payment_services.payment_succeeded(payment, reference="demo")
    order = payment.orders.get()
    with pytest.raises(PermissionDenied):
        services.cancel(order, actor=buyer, reason="changed my mind")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_someone_elses_order_cannot_be_cancelled(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    user_factory: Callable[..., Any],
) -> None:
    order = place_order([(variant_factory(), 1)], method="bank_transfer").orders.get()
    stranger = user_factory(email="x@example.id", phone="+6281299999999")
    with pytest.raises(PermissionDenied):
        services.cancel_unpaid(order, actor=stranger)


def test_seller_cancels_paid_order_with_a_reason_refunds_and_restocks(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], seller: Any
) -> None:
    variant = variant_factory(stock=4, idr=30_000)
    payment = place_order([(variant, 2)])
    payment_services.payment_succeeded(payment, reference="demo")
    order = payment.orders.get()
    with pytest.raises(ValidationError) as exc:
        services.cancel(order, actor=seller, reason=" ")
    assert "reason" in exc.value.message_dict
    services.cancel(order, actor=seller, reason="Kopi habis dipanen")
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.refunded == order.total
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.amount_refunded == payment.amount
    assert stock_of(variant) == 4


def test_seller_cancel_without_restock_keeps_stock(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], seller: Any
) -> None:
    variant = variant_factory(stock=4)
    payment = place_order([(variant, 2)])
    payment_services.payment_succeeded(payment, reference="demo")
    services.cancel(payment.orders.get(), actor=seller, reason="Rusak", restock=False)
    assert stock_of(variant) == 2


def test_fulfilment_ship_needs_tracking_and_sets_timestamps(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    seller: Any,
    buyer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    payment = place_order([(variant_factory(), 1)])
    payment_services.payment_succeeded(payment, reference="demo")
    order = payment.orders.get()
    with pytest.raises(PermissionDenied):
        services.ship(order, courier="JNE", tracking_number="X1", actor=buyer)
    with pytest.raises(ValidationError) as exc:
        services.ship(order, courier="JNE", tracking_number="  ", actor=seller)
    assert "tracking_number" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.start_processing(order, actor=seller)
        services.ship(order, courier="JNE", tracking_number="JNE0001", actor=seller)
        services.mark_delivered(order, actor=seller)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.tracking_number == "JNE0001" and order.shipped_at and order.delivered_at
    # A domestic order has no withdrawal period.
    assert order.withdrawable_until is None
    assert names()[-2:] == ["order.shipped", "order.delivered"]
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == ["placed", "paid", "processing", "shipped", "delivered"]


def test_expiry_cancels_unpaid_orders_past_deadline_only(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any]
) -> None:
    late_variant, fresh_variant, paid_variant = (variant_factory(stock=3) for _ in range(3))
    late = place_order([(late_variant, 1)], method="bank_transfer")
    fresh = place_order([(fresh_variant, 1)], method="bank_transfer")
    paid = place_order([(paid_variant, 1)], method="bank_transfer")
    payment_services.payment_succeeded(paid, reference="x")
    past = timezone.now() - timedelta(minutes=1)
    for payment in (late, paid):
        payment.orders.update(expires_at=past)
        type(payment).objects.filter(pk=payment.pk).update(expires_at=past)

    assert expire_unpaid_orders.delay().get() == 1
    assert expire_unpaid_orders.delay().get() == 0  # nothing twice

    late.refresh_from_db()
    assert late.status == PaymentStatus.CANCELLED
    assert late.orders.get().status == OrderStatus.CANCELLED
    assert stock_of(late_variant) == 3
    assert fresh.orders.get().status == OrderStatus.UNPAID
    assert stock_of(fresh_variant) == 2
    assert paid.orders.get().status == OrderStatus.PAID
    assert stock_of(paid_variant) == 2


def test_expiry_is_in_the_beat_schedule(settings: Any) -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "marketplace.orders.tasks.expire_unpaid_orders" in tasks


def test_order_numbers_are_unique(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any]
) -> None:
    variants = [variant_factory() for _ in range(5)]
    numbers = {place_order([(v, 1)]).orders.get().number for v in variants}
    assert len(numbers) == 5
    assert Order.objects.count() == 5


def test_delivered_orders_complete_after_the_withdrawal_period(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], seller: Any
) -> None:
    from marketplace.orders.tasks import complete_delivered_orders

    from .factories import deliver

    old, recent = (place_order([(variant_factory(), 1)]) for _ in range(2))
    for payment in (old, recent):
        payment_services.payment_succeeded(payment, reference=f"r{payment.pk}")
    deliver(old.orders.get(), seller, days_ago=15)
    deliver(recent.orders.get(), seller, days_ago=3)
    assert complete_delivered_orders.delay().get() == 1
    assert old.orders.get().status == OrderStatus.COMPLETED
    assert recent.orders.get().status == OrderStatus.DELIVERED
