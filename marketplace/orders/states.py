"""The one table of allowed order status changes.

``services.transition`` refuses anything not listed here. Two choices worth knowing:

- A *partial* refund changes the status only once the parcel is delivered (``delivered`` /
  ``completed`` → ``partially_refunded``): before that the order still has to be packed and
  shipped, so it keeps its fulfilment status and the refund is a line in its history.
- A cancelled order stays ``cancelled`` when its payment is refunded: "cancelled" is what the buyer
  and the seller need to read; the refund is in its history and in ``Order.refunded``.
"""

from __future__ import annotations

from .models import OrderStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.UNPAID: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.PROCESSING, S.SHIPPED, S.CANCELLED, S.REFUNDED}),
    S.PROCESSING: frozenset({S.SHIPPED, S.CANCELLED, S.REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.COMPLETED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.COMPLETED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

#: The timestamp each status sets when entered.
TIMESTAMPS: dict[str, str] = {
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.DELIVERED: "delivered_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
}

#: Statuses in which the seller has been paid for goods (refunds are possible).
PAID_STATUSES: frozenset[str] = frozenset(
    {S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.PARTIALLY_REFUNDED}
)


def can_transition(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())
