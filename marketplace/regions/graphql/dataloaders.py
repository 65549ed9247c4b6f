from __future__ import annotations

from collections.abc import Iterable, Sequence

from marketplace.graphql.core.dataloaders import DataLoader

from ..models import Region


class RegionByIdLoader(DataLoader[int, Region]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[Region | None]:
        found = Region.objects.in_bulk(keys)
        return [found.get(key) for key in keys]
