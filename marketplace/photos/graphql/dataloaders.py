from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from marketplace.graphql.core.dataloaders import DataLoader

from ..models import ProductPhoto


class PhotosByProductIdLoader(DataLoader[int, list[ProductPhoto]]):
    """A listing's photos, in order; for ``Product.photos`` in the catalog's schema."""

    def batch_load(self, keys: Sequence[int]) -> Iterable[list[ProductPhoto]]:
        found: defaultdict[int, list[ProductPhoto]] = defaultdict(list)
        for photo in ProductPhoto.objects.filter(product_id__in=keys).order_by("position", "pk"):
            found[photo.product_id].append(photo)
        return [found[key] for key in keys]
