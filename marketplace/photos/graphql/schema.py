from __future__ import annotations

from typing import Any

import graphene

from marketplace.catalog import selectors as catalog_selectors
from marketplace.catalog.models import Product
from marketplace.core import permissions

from .. import selectors
from .mutations import (
    ProductPhotoDelete,
    ProductPhotoReorder,
    ProductPhotoUpdate,
    ProductPhotoUpload,
    _pk,
)
from .types import ProductPhoto


class PhotoQueries(graphene.ObjectType):
    product_photos = graphene.List(
        graphene.NonNull(ProductPhoto),
        required=True,
        product_id=graphene.ID(required=True),
        description="A listing's photos in order: any visible listing, or one you manage.",
    )

    @staticmethod
    def resolve_product_photos(root: Any, info: graphene.ResolveInfo, product_id: str) -> Any:
        try:
            product = Product.objects.select_related("shop").get(pk=_pk(product_id, "Product"))
        except Product.DoesNotExist:
            return []
        visible = catalog_selectors.visible_products().filter(pk=product.pk).exists()
        if not visible and not permissions.check(
            permissions.can_manage_shop, info.context.user, product.shop
        ):
            return []
        return selectors.photos_of(product)


class PhotoMutations(graphene.ObjectType):
    product_photo_upload = ProductPhotoUpload.Field()
    product_photo_reorder = ProductPhotoReorder.Field()
    product_photo_update = ProductPhotoUpdate.Field()
    product_photo_delete = ProductPhotoDelete.Field()
