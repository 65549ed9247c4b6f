from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar
from graphene_django import DjangoObjectType
from modeltranslation.utils import build_localized_fieldname

from marketplace.graphql.core.types import CountableConnection, DisplayPrice, Money
from marketplace.markets.markets import current_market, market_for_country
from marketplace.markets.pricing import price_for
from marketplace.photos.graphql.dataloaders import PhotosByProductIdLoader
from marketplace.photos.graphql.types import ProductPhoto
from sellers.graphql.dataloaders import ShopByIdLoader
from sellers.graphql.types import Shop

from .. import models
from .dataloaders import CategoryByIdLoader, VariantsByProductIdLoader

ProductStatus = graphene.Enum.from_enum(models.ProductStatus)
TaxClass = graphene.Enum.from_enum(models.TaxClass)
ListingLanguage = graphene.Enum(
    "ListingLanguage", [(code.upper(), code) for code in ("id", "en", "de", "nl", "fr")]
)


class Category(DjangoObjectType):
    tax_class = TaxClass(required=True)
    eudr_commodity = graphene.String(description="coffee, cocoa, wood, or empty.")

    class Meta:
        model = models.Category
        interfaces = (graphene.relay.Node,)
        fields = ["id", "slug", "name", "is_food", "default_hs_heading"]

    @staticmethod
    def resolve_tax_class(root: models.Category, info: graphene.ResolveInfo) -> str:
        return root.tax_class


class ProductVariant(DjangoObjectType):
    options = GenericScalar(required=True, description="weight, size, roast, colour")
    price = graphene.Field(Money, required=True, description="In IDR.")
    export_price = graphene.Field(Money, description="In EUR, when the seller set one.")
    is_low_on_stock = graphene.Boolean(required=True)
    pricing = graphene.Field(
        DisplayPrice,
        country=graphene.String(description="Destination; default: the request's market."),
        description="The price the buyer pays in that market (EU: incl. VAT); null when the "
        "variant is not sold there.",
    )

    class Meta:
        model = models.ProductVariant
        interfaces = (graphene.relay.Node,)
        fields = [
            "id",
            "sku",
            "name",
            "weight_grams",
            "length_mm",
            "width_mm",
            "height_mm",
            "stock_quantity",
            "low_stock_threshold",
        ]

    @staticmethod
    def resolve_pricing(
        root: models.ProductVariant, info: graphene.ResolveInfo, country: str | None = None
    ) -> Any:
        try:
            market = market_for_country(country) if country else current_market(info.context)
        except ValueError:
            return None
        return price_for(root, market)


class Product(DjangoObjectType):
    status = ProductStatus(required=True)
    title = graphene.String(
        required=True,
        language=ListingLanguage(),
        description="In the request's language (or `language`), falling back to Indonesian.",
    )
    description = graphene.String(required=True, language=ListingLanguage())
    category = graphene.Field(Category, required=True)
    shop = graphene.Field(Shop, required=True)
    variants = graphene.List(graphene.NonNull(ProductVariant), required=True)
    photos = graphene.List(graphene.NonNull(ProductPhoto), required=True)
    moderation_reason = graphene.String()

    class Meta:
        model = models.Product
        interfaces = (graphene.relay.Node,)
        fields = ["id", "created_at", "updated_at", "published_at", "ships_to_eu"]
        connection_class = CountableConnection

    @staticmethod
    def resolve_status(root: models.Product, info: graphene.ResolveInfo) -> str:
        return root.status

    @staticmethod
    def _text(root: models.Product, name: str, language: Any) -> str:
        if language is None:
            return str(getattr(root, name) or "")  # modeltranslation's fallback to Indonesian
        code = getattr(language, "value", language)
        value = getattr(root, build_localized_fieldname(name, code))
        return str(value or getattr(root, build_localized_fieldname(name, "id")) or "")

    @classmethod
    def resolve_title(
        cls, root: models.Product, info: graphene.ResolveInfo, language: Any = None
    ) -> str:
        return cls._text(root, "title", language)

    @classmethod
    def resolve_description(
        cls, root: models.Product, info: graphene.ResolveInfo, language: Any = None
    ) -> str:
        return cls._text(root, "description", language)

    @staticmethod
    def resolve_category(root: models.Product, info: graphene.ResolveInfo) -> Any:
        return CategoryByIdLoader.of(info).load(root.category_id)

    @staticmethod
    def resolve_shop(root: models.Product, info: graphene.ResolveInfo) -> Any:
        return ShopByIdLoader.of(info).load(root.shop_id)

    @staticmethod
    def resolve_variants(root: models.Product, info: graphene.ResolveInfo) -> Any:
        return VariantsByProductIdLoader.of(info).load(root.pk)

    @staticmethod
    def resolve_photos(root: models.Product, info: graphene.ResolveInfo) -> Any:
        return PhotosByProductIdLoader.of(info).load(root.pk)

    @staticmethod
    def resolve_moderation_reason(root: models.Product, info: graphene.ResolveInfo) -> str | None:
        return root.moderation_reason or None
