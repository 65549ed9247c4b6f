"""The checkout as the API shows it: every figure comes from ``totals.summarise``.

The summary is computed once per checkout object and request (``summary_of``) and every field
reads it, so the figures a client shows are the figures ``checkoutComplete`` charges, and the
query count does not grow with the lines: their variants, listings, categories and shops come in
the summary's one query; ``Product.shop`` and ``Product.category`` go through dataloaders.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphql_relay import to_global_id

from marketplace.addresses.models import Address as AddressModel
from marketplace.catalog.graphql.types import Product, ProductVariant
from marketplace.graphql.core.types import DisplayPrice, Money
from marketplace.shipping.selectors import shipping_options
from sellers.graphql.types import Shop

from .. import models
from ..selectors import destination_of
from ..totals import CheckoutSummary, ShopParcel, SummaryLine, summarise

_SUMMARY = "_graphql_summary"


def summary_of(checkout: models.Checkout) -> CheckoutSummary:
    """The checkout's summary, computed on first use and kept on this object."""
    found: CheckoutSummary | None = checkout.__dict__.get(_SUMMARY)
    if found is None:
        found = summarise(checkout)
        checkout.__dict__[_SUMMARY] = found
    return found


class ShippingOption(graphene.ObjectType):
    code = graphene.String(required=True, description='Pass to checkoutDeliveryUpdate, "tk-reg".')
    courier = graphene.String(required=True)
    service = graphene.String(required=True)
    price = graphene.Field(Money, required=True)
    weight_grams = graphene.Int(required=True, description="Charged weight: items + packaging.")
    days_min = graphene.Int()
    days_max = graphene.Int()


class VatLine(graphene.ObjectType):
    rate = graphene.Decimal(required=True, description="Percent.")
    base = graphene.Field(Money, required=True)
    amount = graphene.Field(Money, required=True)


class ParcelTaxes(graphene.ObjectType):
    """EU parcels: IOSS VAT and duty charged now, or what the courier collects on delivery."""

    regime = graphene.String(required=True, description='"ioss" (≤ €150) or "import".')
    intrinsic_value = graphene.Field(Money, required=True, description="Goods, net (EUR).")
    vat_lines = graphene.List(graphene.NonNull(VatLine), required=True)
    vat = graphene.Field(Money, required=True)
    duty = graphene.Field(Money, required=True)
    duty_subheadings = graphene.List(graphene.NonNull(graphene.String), required=True)
    due_on_delivery = graphene.Field(Money)


class CheckoutLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant = graphene.Field(ProductVariant, required=True)
    product = graphene.Field(Product, required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(
        DisplayPrice, description="The price in the checkout's market; null when not sold there."
    )
    unit_charged = graphene.Field(
        Money, description="What one unit is charged (net for EU parcels above €150)."
    )
    total = graphene.Field(Money)
    price_seen = graphene.Field(Money, description="The unit price when it was added.")

    @staticmethod
    def resolve_id(root: SummaryLine, info: graphene.ResolveInfo) -> str:
        return to_global_id("CheckoutLine", root.line.pk)

    @staticmethod
    def resolve_product(root: SummaryLine, info: graphene.ResolveInfo) -> Any:
        return root.variant.product

    @staticmethod
    def resolve_unit_price(root: SummaryLine, info: graphene.ResolveInfo) -> Any:
        return root.price

    @staticmethod
    def resolve_price_seen(root: SummaryLine, info: graphene.ResolveInfo) -> Any:
        return root.line.price_seen


class CheckoutParcel(graphene.ObjectType):
    """One shop's parcel: the shop ships it, priced and taxed on its own."""

    shop = graphene.Field(Shop, required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    weight_grams = graphene.Int(required=True)
    shipping_options = graphene.List(
        graphene.NonNull(ShippingOption),
        required=True,
        description="What may carry it to the address; empty until the destination is known.",
    )
    chosen_shipping = graphene.Field(ShippingOption)
    taxes = graphene.Field(ParcelTaxes)
    regime = graphene.String(required=True, description='"domestic", "ioss" or "import".')
    subtotal = graphene.Field(Money, required=True)
    shipping = graphene.Field(Money, required=True)
    vat = graphene.Field(Money, required=True)
    duty = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    due_on_delivery = graphene.Field(Money)

    @staticmethod
    def resolve_shipping_options(root: ShopParcel, info: graphene.ResolveInfo) -> Any:
        checkout = root.lines[0].line.checkout if root.lines else None
        destination = destination_of(checkout) if checkout is not None else None
        if destination is None or not root.items:
            return []
        return shipping_options(root.shop, destination, root.items)

    @staticmethod
    def resolve_chosen_shipping(root: ShopParcel, info: graphene.ResolveInfo) -> Any:
        return root.shipping_option


class CheckoutProblem(graphene.ObjectType):
    """What must be settled before paying; ``message`` is in the user's language."""

    code = graphene.String(required=True)
    message = graphene.String(required=True)
    variant_id = graphene.ID()
    shop_id = graphene.ID()

    @staticmethod
    def resolve_variant_id(root: Any, info: graphene.ResolveInfo) -> str | None:
        return to_global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_shop_id(root: Any, info: graphene.ResolveInfo) -> str | None:
        return to_global_id("Shop", root.shop_id) if root.shop_id else None


class Address(graphene.ObjectType):
    country = graphene.String(required=True)
    full_name = graphene.String(required=True)
    phone = graphene.String(required=True)
    street = graphene.String(required=True)
    line2 = graphene.String(required=True)
    rt_rw = graphene.String(required=True)
    village_name = graphene.String(required=True)
    district = graphene.String(required=True)
    regency = graphene.String(required=True)
    province_code = graphene.String(required=True)
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    region = graphene.String(required=True)
    postal_code = graphene.String(required=True)

    @staticmethod
    def resolve_country(root: AddressModel, info: graphene.ResolveInfo) -> str:
        return str(root.country.code)


class Checkout(graphene.ObjectType):
    """A cart across shops. Reached by its ``token``: keep it secret, it is the key to the cart."""

    token = graphene.UUID(required=True)
    country = graphene.String(required=True, description="The destination: sets the market.")
    market = graphene.String(required=True, description='"ID" or "EU".')
    currency = graphene.String(required=True)
    email = graphene.String(required=True)
    phone = graphene.String(required=True)
    shipping_address = graphene.Field(Address)
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    parcels = graphene.List(graphene.NonNull(CheckoutParcel), required=True)
    subtotal = graphene.Field(Money, required=True)
    shipping = graphene.Field(Money, required=True)
    vat = graphene.Field(Money, required=True)
    duty = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    due_on_delivery = graphene.Field(Money)
    problems = graphene.List(graphene.NonNull(CheckoutProblem), required=True)
    can_complete = graphene.Boolean(required=True)
    completed_at = graphene.DateTime()
    payment = graphene.Field(
        lambda: _payment_type(),
        description="Once placed: the payment, with what is needed to pay it (a guest finds the "
        "transfer instructions again by the token).",
    )

    @staticmethod
    def resolve_payment(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        if root.payment_id is None:
            return None
        from marketplace.payments.graphql.types import mark_started

        payment = root.payment
        assert payment is not None
        # Whoever holds the cart (``can_use_checkout``, checked by the query) placed it: the payer.
        mark_started(info, payment)
        return payment

    @staticmethod
    def resolve_shipping_address(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return root.shipping_address if root.shipping_address_id else None

    @staticmethod
    def resolve_market(root: models.Checkout, info: graphene.ResolveInfo) -> str:
        return summary_of(root).market.code

    @staticmethod
    def resolve_currency(root: models.Checkout, info: graphene.ResolveInfo) -> str:
        return summary_of(root).currency

    @staticmethod
    def resolve_lines(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return [line for parcel in summary_of(root).parcels for line in parcel.lines]

    @staticmethod
    def resolve_parcels(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).parcels

    @staticmethod
    def resolve_subtotal(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).subtotal

    @staticmethod
    def resolve_shipping(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).shipping

    @staticmethod
    def resolve_vat(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).vat

    @staticmethod
    def resolve_duty(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).duty

    @staticmethod
    def resolve_total(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).total

    @staticmethod
    def resolve_due_on_delivery(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).due_on_delivery

    @staticmethod
    def resolve_problems(root: models.Checkout, info: graphene.ResolveInfo) -> Any:
        return summary_of(root).problems

    @staticmethod
    def resolve_can_complete(root: models.Checkout, info: graphene.ResolveInfo) -> bool:
        return summary_of(root).can_complete


def _payment_type() -> Any:
    from marketplace.payments.graphql.types import Payment

    return Payment
