"""The EU buyer's 14-day right of withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from djmoney.money import Money

from marketplace.orders import services
from marketplace.orders.models import Order, OrderStatus, WithdrawalStatus
from marketplace.payments import services as payment_services
from marketplace.payments.models import PaymentStatus

from .factories import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def eu_order(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], seller: Any
) -> Callable[..., Order]:
    def make(*, perishable_too: bool = False, days_ago: int = 0, shipping: str = "0") -> Order:
        lines = [(variant_factory(eur="12.50"), 2)]
        if perishable_too:
            lines.append((variant_factory(eur="5.00", perishable=True), 1))
        payment = place_order(lines, market="EU", shipping=Decimal(shipping))
        payment_services.payment_succeeded(payment, reference="pi_1")
        return deliver(payment.orders.get(), seller, days_ago=days_ago)

    return make


def test_delivery_opens_14_days(eu_order: Callable[..., Order]) -> None:
    order = eu_order()
    assert order.delivered_at is not None and order.withdrawable_until is not None
    assert (order.withdrawable_until - order.delivered_at).days == 14


def test_withdrawal_within_14_days_is_acknowledged_and_refunded_on_return(
    eu_order: Callable[..., Order], buyer: Any, seller: Any, django_capture_on_commit_callbacks: Any
) -> None:
    order = eu_order(days_ago=13, shipping="6.00")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = services.withdraw(order, actor=buyer, reason="")
    # The whole order: goods and delivery come back (Directive 2011/83/EU, Art. 13(1)).
    assert withdrawal.amount == Money("31.00", "EUR")
    assert withdrawal.status == WithdrawalStatus.REQUESTED
    [ack] = [m for m in mail.outbox if "withdr" in m.subject.lower()]
    assert ack.to == ["buyer@example.id"]
    assert order.number in ack.body
    order.refresh_from_db()
    assert order.refunded == Money(0, "EUR")  # not before the goods are back

    services.confirm_withdrawal_return(withdrawal, actor=seller)
    services.confirm_withdrawal_return(withdrawal, actor=seller)  # twice: refunded once
    order.refresh_from_db()
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.REFUNDED
    assert order.refunded == Money("31.00", "EUR")
    assert order.status == OrderStatus.REFUNDED
    assert order.payment is not None
    assert order.payment.status == PaymentStatus.REFUNDED
    assert order.payment.refunds.count() == 1


def test_withdrawal_after_14_days_is_refused(eu_order: Callable[..., Order], buyer: Any) -> None:
    order = eu_order(days_ago=15)
    with pytest.raises(ValidationError) as exc:
        services.withdraw(order, actor=buyer)
    assert exc.value.code == "expired"
    assert not order.withdrawals.exists()


def test_perishable_line_is_refused_and_the_rest_may_go_back(
    eu_order: Callable[..., Order], buyer: Any, seller: Any
) -> None:
    order = eu_order(perishable_too=True)
    fresh = order.lines.get(is_perishable=True)
    coffee = order.lines.get(is_perishable=False)
    with pytest.raises(ValidationError) as exc:
        services.withdraw(order, actor=buyer, lines={fresh.pk: 1})
    assert exc.value.code == "perishable"
    withdrawal = services.withdraw(order, actor=buyer)  # everything that may go back
    assert withdrawal.lines == {str(coffee.pk): 2}
    assert withdrawal.amount == Money("25.00", "EUR")
    services.confirm_withdrawal_return(withdrawal, actor=seller)
    order.refresh_from_db()
    coffee.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.refunded == Money("25.00", "EUR")
    assert coffee.quantity_refunded == 2


def test_only_perishable_goods_cannot_be_withdrawn(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], buyer: Any, seller: Any
) -> None:
    payment = place_order([(variant_factory(perishable=True), 1)], market="EU")
    payment_services.payment_succeeded(payment, reference="pi_2")
    order = deliver(payment.orders.get(), seller)
    with pytest.raises(ValidationError) as exc:
        services.withdraw(order, actor=buyer)
    assert exc.value.code == "perishable"


def test_domestic_and_undelivered_orders_cannot_be_withdrawn(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], buyer: Any
) -> None:
    domestic = place_order([(variant_factory(), 1)])
    payment_services.payment_succeeded(domestic, reference="x")
    with pytest.raises(PermissionDenied):
        services.withdraw(domestic.orders.get(), actor=buyer)
    eu = place_order([(variant_factory(), 1)], market="EU")
    payment_services.payment_succeeded(eu, reference="y")
    with pytest.raises(ValidationError) as exc:
        services.withdraw(eu.orders.get(), actor=buyer)
    assert exc.value.code == "not_delivered"


def test_cannot_withdraw_more_than_was_bought(eu_order: Callable[..., Order], buyer: Any) -> None:
    order = eu_order()
    line = order.lines.get()
    services.withdraw(order, actor=buyer, lines={line.pk: 1})
    with pytest.raises(ValidationError) as exc:
        services.withdraw(order, actor=buyer, lines={line.pk: 2})
    assert exc.value.code == "quantity"


def test_a_stranger_cannot_withdraw(
    eu_order: Callable[..., Order], user_factory: Callable[..., Any], seller: Any
) -> None:
    order = eu_order()
    stranger = user_factory(email="x@example.de", phone="+4915112345678")
    for who in (stranger, seller):
        with pytest.raises(PermissionDenied):
            services.withdraw(order, actor=who)
