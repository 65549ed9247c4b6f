"""Payment outcomes: idempotent success, failure, refunds (also out of order), demo gateway."""

# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from djmoney.money import Money

from marketplace.catalog.models import StockMovement, StockReason
from marketplace.core.events import subscribe
from marketplace.orders.models import OrderEvent, OrderStatus
from marketplace.payments import services
from marketplace.payments.gateways.base import get_gateway
from marketplace.payments.models import Payment, PaymentRefund, PaymentStatus
from tests.orders.factories import (  # noqa: F401  (fixtures)
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

pytestmark = pytest.mark.django_db

paid_events: list[dict[str, Any]] = []
refund_events: list[dict[str, Any]] = []


@subscribe("order.paid")
def _collect_paid(**payload: Any) -> None:
    paid_events.append(payload)


@subscribe("order.refunded")
def _collect_refunded(**payload: Any) -> None:
    refund_events.append(payload)


@pytest.fixture(autouse=True)
def _clear() -> None:
    paid_events.clear()
    refund_events.clear()


@pytest.fixture
def two_shop_payment(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    shop_factory: Callable[..., Any],
    user_factory: Callable[..., Any],
) -> Payment:
    other_shop = shop_factory(owner=user_factory(email="s2@example.id", phone="+6281255555555"))
    payment: Payment = place_order(
        [(variant_factory(idr=40_000), 1), (variant_factory(idr=60_000, for_shop=other_shop), 1)]
    )
    return payment


def test_create_payment_is_idempotent_by_key(buyer: Any) -> None:
    kw = {"method": "demo", "amount": Money(10_000, "IDR"), "buyer": buyer, "email": "b@x.id"}
    first = services.create_payment(idempotency_key="checkout-1", **kw)
    again = services.create_payment(idempotency_key="checkout-1", **kw)
    assert first.pk == again.pk
    assert Payment.objects.count() == 1
    assert first.expires_at is not None


def test_create_payment_refuses_what_is_not_available(buyer: Any, settings: Any) -> None:
    kw = {"amount": Money(10_000, "IDR"), "buyer": buyer, "email": ""}
    with pytest.raises(ValidationError) as exc:
        services.create_payment(method="cash", idempotency_key="a", **kw)
    assert "method" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_payment(method="stripe", idempotency_key="b", **kw)  # no Stripe key
    settings.PAYMENT_GATEWAY = "stripe"
    with pytest.raises(ValidationError):
        services.create_payment(method="demo", idempotency_key="c", **kw)
    with pytest.raises(ValidationError):
        services.create_payment(
            method="bank_transfer",
            idempotency_key="d",
            amount=Money(5, "EUR"),
            buyer=buyer,
            email="",
        )
    assert not Payment.objects.exists()


def test_success_twice_pays_once(
    two_shop_payment: Payment, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_succeeded(two_shop_payment, reference="pi_1", amount=Money(100_000, "IDR"))
        services.payment_succeeded(two_shop_payment, reference="pi_1", amount=Money(100_000, "IDR"))
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.SUCCEEDED
    assert two_shop_payment.gateway_reference == "pi_1"
    orders = list(two_shop_payment.orders.all())
    assert {o.status for o in orders} == {OrderStatus.PAID}
    assert all(o.paid_at for o in orders)
    assert OrderEvent.objects.filter(kind="paid").count() == 2  # one per order, not per call
    assert sorted(e["order_id"] for e in paid_events) == sorted(o.pk for o in orders)


def test_amount_mismatch_is_refused(two_shop_payment: Payment) -> None:
    with pytest.raises(services.AmountMismatch):
        services.payment_succeeded(two_shop_payment, reference="pi_1", amount=Money(99_000, "IDR"))
    with pytest.raises(services.AmountMismatch):
        services.payment_succeeded(two_shop_payment, reference="pi_1", amount=Money(100_000, "EUR"))
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.PENDING
    assert {o.status for o in two_shop_payment.orders.all()} == {OrderStatus.UNPAID}


def test_failure_cancels_orders_and_releases_stock(two_shop_payment: Payment) -> None:
    assert services.payment_failed(two_shop_payment, "card declined") == 2
    assert services.payment_failed(two_shop_payment, "card declined") == 0
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.FAILED
    assert {o.status for o in two_shop_payment.orders.all()} == {OrderStatus.CANCELLED}
    assert StockMovement.objects.filter(reason=StockReason.RETURN).count() == 2
    # Money arriving after that does not resurrect the orders (an operator refunds it).
    services.payment_succeeded(two_shop_payment, reference="pi_late")
    assert {o.status for o in two_shop_payment.orders.all()} == {OrderStatus.CANCELLED}


def test_failure_after_success_is_ignored(two_shop_payment: Payment) -> None:
    services.payment_succeeded(two_shop_payment, reference="pi_1")
    assert services.payment_failed(two_shop_payment, "an earlier attempt failed") == 0
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.SUCCEEDED


def test_refund_recorded_is_idempotent_and_spread_over_orders(
    two_shop_payment: Payment, django_capture_on_commit_callbacks: Any
) -> None:
    services.payment_succeeded(two_shop_payment, reference="pi_1")
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_recorded(two_shop_payment, Money(70_000, "IDR"), "re_1")
        services.refund_recorded(two_shop_payment, Money(70_000, "IDR"), "re_1")
    two_shop_payment.refresh_from_db()
    assert PaymentRefund.objects.count() == 1
    assert two_shop_payment.amount_refunded == Money(70_000, "IDR")
    assert two_shop_payment.status == PaymentStatus.PARTIALLY_REFUNDED
    first, second = two_shop_payment.orders.order_by("pk")
    assert first.refunded == Money(40_000, "IDR") and first.status == OrderStatus.REFUNDED
    # Still to be shipped: keeps its status, the partial refund is in its history.
    assert second.refunded == Money(30_000, "IDR") and second.status == OrderStatus.PAID
    assert sorted((e["order_id"], e["amount"]) for e in refund_events) == sorted(
        [(first.pk, "40000.00"), (second.pk, "30000.00")]
    )


def test_refund_before_success_ends_refunded_not_paid(
    two_shop_payment: Payment, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_recorded(two_shop_payment, Money(100_000, "IDR"), "re_early")
        assert {o.status for o in two_shop_payment.orders.all()} == {OrderStatus.UNPAID}
        services.payment_succeeded(two_shop_payment, reference="pi_1")
        services.refund_recorded(two_shop_payment, Money(100_000, "IDR"), "re_early")
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.REFUNDED
    assert two_shop_payment.amount_refunded == Money(100_000, "IDR")
    assert {o.status for o in two_shop_payment.orders.all()} == {OrderStatus.REFUNDED}
    assert PaymentRefund.objects.get().applied_at is not None
    # The ledger hears paid before refunded, for both orders.
    assert len(paid_events) == 2 and len(refund_events) == 2


def test_refund_through_the_gateway_by_operator_only(
    two_shop_payment: Payment, buyer: Any, operator: Any
) -> None:
    services.payment_succeeded(two_shop_payment, reference="demo-1")
    order = two_shop_payment.orders.order_by("pk").first()
    assert order is not None
    with pytest.raises(PermissionDenied):
        services.refund(order, Money(10_000, "IDR"), actor=buyer, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.refund(order, Money(50_000, "IDR"), actor=operator, reason="too much")
    assert exc.value.error_dict["amount"][0].code == "max_value"
    refund = services.refund(order, Money(10_000, "IDR"), actor=operator, reason="broken cup")
    assert refund.reference.startswith("demo-refund-")
    order.refresh_from_db()
    assert order.refunded == Money(10_000, "IDR")


def test_refund_of_an_unpaid_payment_is_refused(two_shop_payment: Payment, operator: Any) -> None:
    with pytest.raises(ValidationError):
        services.refund(two_shop_payment, Money(1, "IDR"), actor=operator, reason="x")
    assert not PaymentRefund.objects.exists()


def test_demo_gateway_pays_at_once_only_in_demo_mode(
    two_shop_payment: Payment, settings: Any
) -> None:
    settings.PAYMENT_GATEWAY = "stripe"
    with pytest.raises(ValidationError):
        services.start_payment(two_shop_payment)
    settings.PAYMENT_GATEWAY = "demo"
    answer = services.start_payment(two_shop_payment)
    assert answer["demo"] is True
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.SUCCEEDED
    assert get_gateway("demo").method == "demo"


def test_buyer_cancelling_one_order_cancels_the_whole_unpaid_payment(
    two_shop_payment: Payment, buyer: Any
) -> None:
    first = two_shop_payment.orders.order_by("pk").first()
    assert first is not None
    from marketplace.orders import services as order_services

    order_services.cancel_unpaid(first, actor=buyer)
    two_shop_payment.refresh_from_db()
    assert two_shop_payment.status == PaymentStatus.CANCELLED
    assert {o.status for o in two_shop_payment.orders.all()} == {OrderStatus.CANCELLED}
    assert StockMovement.objects.filter(reason=StockReason.RETURN).count() == 2


def test_money_for_an_order_the_shop_cancelled_goes_back(
    two_shop_payment: Payment, seller: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from marketplace.orders import services as order_services

    mine = two_shop_payment.orders.get(shop__memberships__user=seller)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.cancel(mine, actor=seller, reason="Stok habis")
        two_shop_payment.refresh_from_db()
        assert two_shop_payment.status == PaymentStatus.PENDING  # the other order is still due
        services.payment_succeeded(two_shop_payment, reference="pi_1")
    two_shop_payment.refresh_from_db()
    mine.refresh_from_db()
    other = two_shop_payment.orders.exclude(pk=mine.pk).get()
    assert other.status == OrderStatus.PAID
    assert mine.status == OrderStatus.CANCELLED and mine.refunded == mine.total
    assert two_shop_payment.amount_refunded == mine.total
    assert two_shop_payment.status == PaymentStatus.PARTIALLY_REFUNDED
