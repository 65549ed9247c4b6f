from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist
from graphene_django import DjangoConnectionField

from marketplace.graphql.core.ids import decode_id
from marketplace.markets.markets import market_for_country

from .. import models, selectors
from .mutations import (
    ProductArchive,
    ProductCreate,
    ProductModerate,
    ProductPublish,
    ProductUpdate,
    StockAdjust,
    VariantCreate,
    VariantDelete,
    VariantUpdate,
)
from .types import Category, Product, ProductStatus


class ProductFilter(graphene.InputObjectType):
    category = graphene.String(description="Category slug.")
    district = graphene.String(description="Official district code, e.g. 3510170.")
    village = graphene.String(description="Official village code.")
    shop = graphene.ID()
    status = ProductStatus(description="Only for shops you manage; others see published ones.")
    price_min = graphene.Decimal(description="IDR")
    price_max = graphene.Decimal(description="IDR")
    in_stock = graphene.Boolean()


class CatalogQueries(graphene.ObjectType):
    categories = graphene.List(graphene.NonNull(Category), required=True)
    product = graphene.Field(Product, id=graphene.ID(required=True))
    products = DjangoConnectionField(
        Product,
        filter=ProductFilter(),
        country=graphene.String(description="Only what the market of this destination shows."),
    )

    @staticmethod
    def resolve_categories(root: Any, info: graphene.ResolveInfo) -> Any:
        return selectors.categories()

    @staticmethod
    def resolve_product(root: Any, info: graphene.ResolveInfo, id: str) -> Any:
        try:
            pk = decode_id(id, "Product")
        except ObjectDoesNotExist:
            return None
        return selectors.products_readable_by(info.context.user).filter(pk=pk).first()

    @staticmethod
    def resolve_products(
        root: Any,
        info: graphene.ResolveInfo,
        filter: Any = None,
        country: str | None = None,
        **kwargs: Any,
    ) -> Any:
        qs = selectors.products_readable_by(info.context.user)
        if country:
            try:
                market = market_for_country(country)
            except ValueError:
                return models.Product.objects.none()
            qs = qs.filter(pk__in=selectors.products_for_market(market.code).values("pk"))
        if filter is not None:
            shop_id = None
            if filter.shop:
                try:
                    shop_id = int(decode_id(filter.shop, "Shop"))
                except ObjectDoesNotExist:
                    return models.Product.objects.none()
            qs = selectors.filter_products(
                qs,
                category=filter.category,
                district_code=filter.district,
                village_code=filter.village,
                shop_id=shop_id,
                status=getattr(filter.status, "value", filter.status),
                price_min=filter.price_min,
                price_max=filter.price_max,
                in_stock=filter.in_stock,
            )
        return qs.order_by("-published_at", "-pk")


class CatalogMutations(graphene.ObjectType):
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_publish = ProductPublish.Field()
    product_archive = ProductArchive.Field()
    product_moderate = ProductModerate.Field()
    variant_create = VariantCreate.Field()
    variant_update = VariantUpdate.Field()
    variant_delete = VariantDelete.Field()
    stock_adjust = StockAdjust.Field()
