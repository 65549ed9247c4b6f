from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from marketplace.graphql.core.dataloaders import DataLoader

from ..models import Category, ProductVariant


class CategoryByIdLoader(DataLoader[int, Category]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[Category | None]:
        found = Category.objects.in_bulk(keys)
        return [found.get(key) for key in keys]


class VariantsByProductIdLoader(DataLoader[int, list[ProductVariant]]):
    def batch_load(self, keys: Sequence[int]) -> Iterable[list[ProductVariant]]:
        by_product: defaultdict[int, list[ProductVariant]] = defaultdict(list)
        # The product and its category come along: a variant's price depends on its tax class.
        variants = (
            ProductVariant.objects.filter(product_id__in=keys)
            .select_related("product__category")
            .order_by("position", "pk")
        )
        for variant in variants:
            by_product[variant.product_id].append(variant)
        return [by_product[key] for key in keys]
