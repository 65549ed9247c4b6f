"""Catalog mutations: thin wrappers around ``catalog.services``."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation
from marketplace.graphql.core.types import enum_value
from sellers.models import Shop

from .. import models, services
from .types import ListingLanguage, Product, ProductVariant


class TranslatedTextInput(graphene.InputObjectType):
    language = ListingLanguage(required=True)
    text = graphene.String(required=True)


class ProductInput(graphene.InputObjectType):
    category = graphene.String(required=True, description="The category's slug, e.g. `kopi`.")
    title = graphene.List(
        graphene.NonNull(TranslatedTextInput),
        required=True,
        description="Indonesian is required; en, de, nl, fr are optional.",
    )
    description = graphene.List(graphene.NonNull(TranslatedTextInput))
    ships_to_eu = graphene.Boolean(description="Offer the listing to buyers in the EU.")


class VariantInput(graphene.InputObjectType):
    sku = graphene.String(required=True)
    name = graphene.String()
    options = GenericScalar(description='e.g. {"weight": "250 g", "roast": "medium"}')
    price_idr = graphene.Decimal(required=True)
    export_price_eur = graphene.Decimal()
    weight_grams = graphene.Int()
    length_mm = graphene.Int()
    width_mm = graphene.Int()
    height_mm = graphene.Int()
    low_stock_threshold = graphene.Int()


def _texts(items: list[Any] | None) -> dict[str, str]:
    return {enum_value(item.language): item.text for item in items or []}


def _product_input(data: Any) -> services.ProductInput:
    return services.ProductInput(
        category=models.Category.objects.get(slug=data.category),
        title=_texts(data.title),
        description=_texts(data.description),
        ships_to_eu=data.ships_to_eu,
    )


def _variant_input(data: Any) -> services.VariantInput:
    # An omitted threshold keeps the one default, VariantInput's.
    optional = {}
    if data.low_stock_threshold is not None:
        optional["low_stock_threshold"] = data.low_stock_threshold
    return services.VariantInput(
        sku=data.sku,
        name=data.name or "",
        options=dict(data.options or {}),
        price_idr=data.price_idr,
        export_price_eur=data.export_price_eur,
        weight_grams=data.weight_grams,
        length_mm=data.length_mm,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        **optional,
    )


def _product(global_id: str) -> models.Product:
    return models.Product.objects.select_related("shop").get(pk=decode_id(global_id, "Product"))


def _variant(global_id: str) -> models.ProductVariant:
    return models.ProductVariant.objects.select_related("product__shop").get(
        pk=decode_id(global_id, "ProductVariant")
    )


class ProductPayload(BaseMutation):
    product = graphene.Field(Product)

    class Meta:
        abstract = True


class ProductCreate(ProductPayload):
    class Arguments:
        shop_id = graphene.ID(required=True)
        input = ProductInput(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Shop:
        return Shop.objects.get(pk=decode_id(data["shop_id"], "Shop"))

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ProductCreate:
        shop = cls.get_permission_object(info, **data)
        product = services.create_product(info.context.user, shop, _product_input(data["input"]))
        return cls(product=product)


class ProductMutation(ProductPayload):
    """A mutation about one existing product of a shop the user manages."""

    class Meta:
        abstract = True

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Shop:
        return _product(data["id"]).shop


class ProductUpdate(ProductMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = ProductInput(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ProductUpdate:
        product = services.update_product(
            info.context.user, _product(data["id"]), _product_input(data["input"])
        )
        return cls(product=product)


class ProductPublish(ProductMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ProductPublish:
        return cls(product=services.publish_product(info.context.user, _product(data["id"])))


class ProductArchive(ProductMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ProductArchive:
        return cls(product=services.archive_product(info.context.user, _product(data["id"])))


class VariantCreate(BaseMutation):
    variant = graphene.Field(ProductVariant)

    class Arguments:
        product_id = graphene.ID(required=True)
        input = VariantInput(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Shop:
        return _product(data["product_id"]).shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> VariantCreate:
        variant = services.save_variant(
            info.context.user, _product(data["product_id"]), _variant_input(data["input"])
        )
        return cls(variant=variant)


class VariantMutation(BaseMutation):
    variant = graphene.Field(ProductVariant)

    class Meta:
        abstract = True

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Shop:
        return _variant(data["id"]).product.shop


class VariantUpdate(VariantMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = VariantInput(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> VariantUpdate:
        variant = _variant(data["id"])
        saved = services.save_variant(
            info.context.user, variant.product, _variant_input(data["input"]), variant=variant
        )
        return cls(variant=saved)


class VariantDelete(VariantMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> VariantDelete:
        services.delete_variant(info.context.user, _variant(data["id"]))
        return cls(variant=None)


class StockAdjust(VariantMutation):
    """Add (or, with a negative delta, remove) stock; or set a counted quantity."""

    class Arguments:
        id = graphene.ID(required=True)
        delta = graphene.Int()
        quantity = graphene.Int(description="The counted stock; use instead of delta.")
        note = graphene.String()

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> StockAdjust:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        variant = _variant(data["id"])
        user, note = info.context.user, data.get("note") or ""
        if (data.get("delta") is None) == (data.get("quantity") is None):
            raise ValidationError(
                _("Give either a change (delta) or a counted quantity."), code="invalid"
            )
        if data.get("quantity") is not None:
            variant = services.set_stock(user, variant, data["quantity"], note=note)
        else:
            variant = services.adjust_stock(user, variant, data["delta"], note=note)
        return cls(variant=variant)


class ProductModerate(ProductPayload):
    """Operators: remove a listing (with a reason for the seller), restore it, or mark it
    reviewed."""

    class Arguments:
        id = graphene.ID(required=True)
        action = graphene.Enum(
            "ModerationAction",
            [("REMOVE", "remove"), ("RESTORE", "restore"), ("REVIEWED", "reviewed")],
        )(required=True)
        reason = graphene.String()

    class Meta:
        permission = permissions.can_moderate

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ProductModerate:
        product, user, action = _product(data["id"]), info.context.user, enum_value(data["action"])
        if action == "remove":
            product = services.remove_product(user, product, data.get("reason") or "")
        elif action == "restore":
            product = services.restore_product(user, product)
        else:
            product = services.mark_reviewed(user, product)
        return cls(product=product)
