from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar
from graphene_django import DjangoObjectType
from graphql_relay import to_global_id

from marketplace.graphql.core.types import CountableConnection, Money
from marketplace.payments.graphql.dataloaders import PaymentByIdLoader
from marketplace.payments.graphql.types import Payment
from sellers.graphql.dataloaders import ShopByIdLoader
from sellers.graphql.types import Shop

from .. import models, selectors
from .dataloaders import LinesByOrderIdLoader

OrderStatus = graphene.Enum.from_enum(models.OrderStatus)


class OrderLine(graphene.ObjectType):
    """One item as sold: a snapshot, so later edits of the listing never change it."""

    id = graphene.ID(required=True)
    variant_id = graphene.ID(description="The variant sold; null once it was deleted.")
    product_title = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    quantity_refunded = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True, description="Gross, as the buyer saw it.")
    unit_net = graphene.Field(Money, required=True)
    line_total = graphene.Field(Money, required=True)
    vat_rate = graphene.Decimal(description="Percent, for EU parcels whose VAT was charged.")
    tax_class = graphene.String(required=True)
    hs_code = graphene.String(required=True)
    weight_grams = graphene.Int(required=True)
    is_perishable = graphene.Boolean(
        required=True, description="Perishable food: excluded from the EU right of withdrawal."
    )

    @staticmethod
    def resolve_id(root: models.OrderLine, info: graphene.ResolveInfo) -> str:
        return to_global_id("OrderLine", root.pk)

    @staticmethod
    def resolve_variant_id(root: models.OrderLine, info: graphene.ResolveInfo) -> str | None:
        return to_global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_line_total(root: models.OrderLine, info: graphene.ResolveInfo) -> Any:
        return root.unit_price * root.quantity


class Order(DjangoObjectType):
    """One shop's parcel of a checkout: what was bought, what it cost, where it is."""

    status = OrderStatus(required=True)
    market = graphene.String(required=True, description='"ID" (Indonesia) or "EU".')
    shop = graphene.Field(Shop, required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    payment = graphene.Field(Payment)
    shipping_address = GenericScalar(required=True, description="The address as ordered.")
    subtotal = graphene.Field(Money, required=True, description="Goods, gross as shown.")
    shipping = graphene.Field(Money, required=True)
    vat = graphene.Field(Money, required=True, description="EU: the IOSS VAT inside the total.")
    duty = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    refunded = graphene.Field(Money, required=True)
    due_on_delivery = graphene.Field(
        Money, description="EU parcels above €150: import VAT, duty and fee the courier collects."
    )

    class Meta:
        model = models.Order
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection
        fields = [
            "id",
            "number",
            "email",
            "phone",
            "country",
            "currency",
            "tax_regime",
            "shipping_code",
            "courier",
            "service",
            "tracking_number",
            "weight_grams",
            "placed_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "completed_at",
            "cancelled_at",
            "expires_at",
            "withdrawable_until",
        ]

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: Any) -> models.Order | None:
        """``node(id:)`` shows an order only to who may view it (``can_view_order``'s twin)."""
        return selectors.orders_visible_to(info.context.user).filter(pk=id).first()

    @staticmethod
    def resolve_status(root: models.Order, info: graphene.ResolveInfo) -> str:
        return root.status

    @staticmethod
    def resolve_market(root: models.Order, info: graphene.ResolveInfo) -> str:
        return root.market

    @staticmethod
    def resolve_shop(root: models.Order, info: graphene.ResolveInfo) -> Any:
        if models.Order.shop.is_cached(root):  # joined by the list's selector
            return root.shop
        return ShopByIdLoader.of(info).load(root.shop_id)

    @staticmethod
    def resolve_lines(root: models.Order, info: graphene.ResolveInfo) -> Any:
        if "lines" in getattr(root, "_prefetched_objects_cache", {}):
            return list(root.lines.all())
        return LinesByOrderIdLoader.of(info).load(root.pk)

    @staticmethod
    def resolve_payment(root: models.Order, info: graphene.ResolveInfo) -> Any:
        if root.payment_id is None:
            return None
        if models.Order.payment.is_cached(root):
            return root.payment
        return PaymentByIdLoader.of(info).load(root.payment_id)
