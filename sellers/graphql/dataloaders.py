from __future__ import annotations

from collections.abc import Iterable, Sequence

from marketplace.graphql.core.dataloaders import DataLoader

from ..models import Shop


class ShopByIdLoader(DataLoader[int, Shop]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[Shop | None]:
        found = Shop.objects.in_bulk(keys)
        return [found.get(key) for key in keys]
