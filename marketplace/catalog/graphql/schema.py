from __future__ import annotations

from functools import partial
from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from graphene.relay.connection import connection_adapter, page_info_adapter
from graphene_django import DjangoConnectionField
from graphql import FieldNode
from graphql_relay import connection_from_array_slice, get_offset_with_default

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


#: Set by ``ProductConnectionField`` in the field's arguments: whether the page must count.
_COUNT_NEEDED = "_count_needed"


def _selects_total(info: graphene.ResolveInfo) -> bool:
    """Whether the query asks this connection for ``totalCount`` (fragments: assume it does)."""
    for node in info.field_nodes:
        selections = node.selection_set.selections if node.selection_set else ()
        for selection in selections:
            if not isinstance(selection, FieldNode):
                return True
            if selection.name.value == "totalCount":
                return True
    return False


class ProductConnectionField(DjangoConnectionField):
    """``products`` without ``COUNT(*)`` over every matching listing when nobody reads it.

    graphene-django counts the whole result to slice a page and to say ``hasNextPage``; for a
    large category that count costs more than the page. Unless ``totalCount`` or ``last`` is
    asked for, only ``first + 1`` rows past the cursor are counted: enough to slice the page and
    to know whether another follows.
    """

    @classmethod
    def connection_resolver(
        cls,
        resolver: Any,
        connection: Any,
        default_manager: Any,
        queryset_resolver: Any,
        max_limit: Any,
        enforce_first_or_last: Any,
        root: Any,
        info: graphene.ResolveInfo,
        **args: Any,
    ) -> Any:
        args[_COUNT_NEEDED] = args.get("last") is not None or _selects_total(info)
        return super().connection_resolver(
            resolver,
            connection,
            default_manager,
            queryset_resolver,
            max_limit,
            enforce_first_or_last,
            root,
            info,
            **args,
        )

    @classmethod
    def resolve_connection(
        cls, connection: Any, args: dict[str, Any], iterable: Any, max_limit: Any = None
    ) -> Any:
        needed = args.pop(_COUNT_NEEDED, True)
        first = args.get("first")
        if needed or first is None or args.get("offset") or not isinstance(iterable, QuerySet):
            return super().resolve_connection(connection, args, iterable, max_limit=max_limit)
        start = get_offset_with_default(args.get("after"), -1) + 1
        # At most ``first + 1`` rows: a length past the page means another page follows.
        length = start + iterable[start : start + int(first) + 1].count()
        slice_start = min(start, length)
        result: Any = connection_from_array_slice(
            iterable[slice_start:],
            args,
            slice_start=slice_start,
            array_length=length,
            array_slice_length=length - slice_start,
            connection_type=partial(connection_adapter, connection),
            edge_type=connection.Edge,
            page_info_type=page_info_adapter,
        )
        result.iterable = iterable
        result.length = length
        return result


class CatalogQueries(graphene.ObjectType):
    categories = graphene.List(graphene.NonNull(Category), required=True)
    product = graphene.Field(Product, id=graphene.ID(required=True))
    products = ProductConnectionField(
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
