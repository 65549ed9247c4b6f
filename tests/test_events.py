"""Domain events reach their subscribers only when the transaction commits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from marketplace.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def handler(**payload: Any) -> None:
        seen.append(payload)

    events.subscribe("test.happened")(handler)
    yield seen
    events._handlers["test.happened"].remove(handler)


def test_handlers_run_after_commit(received: list[dict[str, Any]]) -> None:
    with transaction.atomic():
        events.emit("test.happened", product_id=7)
        assert received == []
    assert received == [{"product_id": 7}]


def test_a_rolled_back_change_sends_nothing(received: list[dict[str, Any]]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("test.happened", product_id=8)
        raise RuntimeError("the write failed")
    assert received == []


def test_a_failing_handler_does_not_stop_the_others(received: list[dict[str, Any]]) -> None:
    def broken(**payload: Any) -> None:
        raise ValueError("search is down")

    events._handlers["test.happened"].insert(0, broken)
    try:
        events.emit("test.happened", product_id=9)
    finally:
        events._handlers["test.happened"].remove(broken)
    assert received == [{"product_id": 9}]
