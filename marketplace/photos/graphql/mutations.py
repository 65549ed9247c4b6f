"""Photo mutations: permission declared (``can_manage_shop`` on the listing's shop), the work done
by ``photos.services``. ``file`` is an ``Upload`` (the GraphQL multipart request spec, see
``multipart.py``).
"""

from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist
from graphene_file_upload.scalars import Upload

from marketplace.catalog.models import Product
from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation

from .. import models, services
from .types import ProductPhoto


def _pk(global_id: str, type_name: str) -> int:
    try:
        return int(decode_id(global_id, type_name))
    except ValueError as exc:
        raise ObjectDoesNotExist(global_id) from exc


def _product(info: graphene.ResolveInfo, global_id: str) -> Product:
    """The listing, loaded once per request (the permission check and the work both need it)."""
    cache: dict[str, Product] = info.context.__dict__.setdefault("_photo_products", {})
    if global_id not in cache:
        cache[global_id] = Product.objects.select_related("shop").get(pk=_pk(global_id, "Product"))
    return cache[global_id]


def _photo(info: graphene.ResolveInfo, global_id: str) -> models.ProductPhoto:
    cache: dict[str, models.ProductPhoto] = info.context.__dict__.setdefault("_photos", {})
    if global_id not in cache:
        cache[global_id] = models.ProductPhoto.objects.select_related("product__shop").get(
            pk=_pk(global_id, "ProductPhoto")
        )
    return cache[global_id]


class ProductPhotoUpload(BaseMutation):
    photo = graphene.Field(ProductPhoto)

    class Arguments:
        product_id = graphene.ID(required=True)
        file = Upload(required=True, description="JPEG, PNG, WebP or HEIC; at most 20 MB, 40 MP.")
        alt_text = graphene.String(description="What the photo shows, for buyers who cannot see.")

    class Meta:
        permission = permissions.can_manage_shop
        description = (
            "Add a photo to a listing (multipart request). Metadata (GPS!) is removed; resized "
            "copies follow within seconds (`ready`)."
        )

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Any:
        return _product(info, data["product_id"]).shop

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ProductPhotoUpload:
        photo = services.add_photo(
            info.context.user,
            _product(info, data["product_id"]),
            data["file"],
            data.get("alt_text") or "",
        )
        return cls(photo=photo)


class ProductPhotoReorder(BaseMutation):
    photos = graphene.List(
        graphene.NonNull(ProductPhoto), description="In the new order; null when refused."
    )

    class Arguments:
        product_id = graphene.ID(required=True)
        photo_ids = graphene.List(
            graphene.NonNull(graphene.ID),
            required=True,
            description="Every photo of the listing, once each, in the new order.",
        )

    class Meta:
        permission = permissions.can_manage_shop
        description = "Put a listing's photos in a new order; the first is the cover."

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Any:
        return _product(info, data["product_id"]).shop

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ProductPhotoReorder:
        ids = [_pk(global_id, "ProductPhoto") for global_id in data["photo_ids"]]
        photos = services.reorder_photos(info.context.user, _product(info, data["product_id"]), ids)
        return cls(photos=photos)


class ProductPhotoUpdate(BaseMutation):
    photo = graphene.Field(ProductPhoto)

    class Arguments:
        id = graphene.ID(required=True)
        alt_text = graphene.String(required=True)

    class Meta:
        permission = permissions.can_manage_shop
        description = "Change what a photo's description (alt text) says."

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Any:
        return _photo(info, data["id"]).product.shop

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ProductPhotoUpdate:
        photo = services.set_alt_text(info.context.user, _photo(info, data["id"]), data["alt_text"])
        return cls(photo=photo)


class ProductPhotoDelete(BaseMutation):
    deleted_id = graphene.ID()

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop
        description = "Delete a photo of a listing (its files go too)."

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Any:
        return _photo(info, data["id"]).product.shop

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ProductPhotoDelete:
        services.delete_photo(info.context.user, _photo(info, data["id"]))
        return cls(deleted_id=data["id"])
