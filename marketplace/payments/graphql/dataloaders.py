from __future__ import annotations

from collections.abc import Iterable, Sequence

from marketplace.graphql.core.dataloaders import DataLoader

from ..models import Payment


class PaymentByIdLoader(DataLoader[int, Payment]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[Payment | None]:
        found = Payment.objects.in_bulk(keys)
        return [found.get(key) for key in keys]
