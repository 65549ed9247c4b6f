"""The transition table: every allowed change works, every other one is refused."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import Any

import pytest

from marketplace.orders import services, states
from marketplace.orders.models import Order, OrderEvent, OrderStatus

pytestmark = pytest.mark.django_db

ALL = list(OrderStatus.values)


@pytest.fixture
def order(place_order: Callable[..., Any], variant_factory: Callable[..., Any]) -> Order:
    payment = place_order([(variant_factory(), 1)], method="bank_transfer")
    return payment.orders.get()


def test_table_names_every_status() -> None:
    assert set(states.TRANSITIONS) == set(ALL)
    for targets in states.TRANSITIONS.values():
        assert targets <= set(ALL)


def test_terminal_statuses_lead_nowhere() -> None:
    assert states.TRANSITIONS[OrderStatus.CANCELLED] == frozenset()
    assert states.TRANSITIONS[OrderStatus.REFUNDED] == frozenset()


@pytest.mark.parametrize(("current", "to"), list(product(ALL, ALL)))
def test_transition_follows_the_table(order: Order, current: str, to: str) -> None:
    Order.objects.filter(pk=order.pk).update(status=current)
    order.refresh_from_db()
    events_before = OrderEvent.objects.filter(order=order).count()
    if states.can_transition(current, to):
        services.transition(order, to, actor=None, note="test")
        order.refresh_from_db()
        assert order.status == to
        event = OrderEvent.objects.filter(order=order).latest("pk")
        assert (event.from_status, event.to_status) == (current, to)
    else:
        with pytest.raises(services.IllegalTransition) as exc:
            services.transition(order, to, actor=None)
        assert exc.value.code == "illegal_transition"
        order.refresh_from_db()
        assert order.status == current
        assert OrderEvent.objects.filter(order=order).count() == events_before


def test_refused_transition_message_is_translated(order: Order) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(services.IllegalTransition) as exc:
        services.transition(order, OrderStatus.SHIPPED, actor=None)
    assert "awaiting payment" in exc.value.messages[0]
    assert "shipped" in exc.value.messages[0]


def test_shipping_an_unpaid_order_is_refused(order: Order, seller: Any) -> None:
    with pytest.raises(services.IllegalTransition):
        services.ship(order, courier="JNE", tracking_number="JNE123", actor=seller)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert order.tracking_number == ""
