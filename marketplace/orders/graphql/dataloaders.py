from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from marketplace.graphql.core.dataloaders import DataLoader

from ..models import Order, OrderLine


class LinesByOrderIdLoader(DataLoader[int, list[OrderLine]]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[list[OrderLine]]:
        by_order: defaultdict[int, list[OrderLine]] = defaultdict(list)
        for line in OrderLine.objects.filter(order_id__in=keys).order_by("pk"):
            by_order[line.order_id].append(line)
        return [by_order[key] for key in keys]


class OrdersByPaymentIdLoader(DataLoader[int, list[Order]]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[list[Order]]:
        by_payment: defaultdict[int, list[Order]] = defaultdict(list)
        for order in Order.objects.filter(payment_id__in=keys).order_by("pk"):
            assert order.payment_id is not None
            by_payment[order.payment_id].append(order)
        return [by_payment[key] for key in keys]
