"""Checkout mutations: thin wrappers around ``checkout.services`` (the pages call the same).

Every mutation but ``checkoutCreate`` names the cart by its ``token`` and is guarded by
``can_use_checkout``: a visitor's cart is open to whoever holds the token, a signed-in buyer's
cart to that buyer alone. The address goes through ``addresses.services.create_address``, the
validation of the address form, so its per-field errors are the form's.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace.addresses.services import AddressInput, create_address
from marketplace.catalog.models import ProductVariant
from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation
from marketplace.graphql.core.types import enum_value
from marketplace.orders.graphql.types import Order
from marketplace.payments.graphql.types import Payment, PaymentMethod, mark_started
from marketplace.payments.services import start_payment
from marketplace.regions.models import Region, RegionLevel
from sellers.models import Shop

from .. import models, services
from ..totals import summarise
from .types import Checkout


def _checkout(token: Any) -> models.Checkout:
    """The cart named by ``token`` (``ObjectDoesNotExist`` → a typed ``not_found``)."""
    return models.Checkout.objects.select_related("shipping_address").get(token=token)


def _fresh(checkout: models.Checkout) -> models.Checkout:
    """Read again after a change, so the payload's summary shows the cart as it now is."""
    return _checkout(checkout.token)


def _variant(global_id: str) -> ProductVariant:
    return ProductVariant.objects.get(pk=decode_id(global_id, "ProductVariant"))


class CheckoutPayload(BaseMutation):
    checkout = graphene.Field(Checkout)
    messages = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="What the buyer should know (a quantity capped at the stock, items not sold "
        "to the new destination); the change was made.",
    )

    class Meta:
        abstract = True

    @classmethod
    def get_permission_object(
        cls, info: graphene.ResolveInfo, **data: Any
    ) -> models.Checkout | None:
        return _checkout(data["token"])

    @classmethod
    def failure(cls, info: graphene.ResolveInfo, errors: list[Any]) -> Any:
        """A refusal changes nothing, so there is nothing to tell beside the errors."""
        result = super().failure(info, errors)
        result.messages = []
        if "orders" in cls._meta.fields:
            result.orders = []
        return result

    @classmethod
    def done(cls, checkout: models.Checkout, messages: list[str] | None = None) -> Any:
        return cls(checkout=_fresh(checkout), messages=[m for m in messages or [] if m])


class CheckoutCreate(CheckoutPayload):
    """Start a cart (a signed-in buyer gets their open cart back: one per buyer)."""

    class Arguments:
        country = graphene.String(description="Destination (ISO code); default: your market.")
        email = graphene.String(description="For guests: where the confirmation goes.")

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> None:
        return None

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = services.get_or_create_checkout(info.context)
        messages: list[str] = []
        if data.get("country"):
            messages = services.set_country(checkout, data["country"].strip().upper())
        if data.get("email") is not None:
            services.set_contact(checkout, email=data["email"], phone=checkout.phone)
        return cls.done(checkout, messages)


class CheckoutLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class CheckoutLinesAdd(CheckoutPayload):
    """Add to the cart (to what is there already), capped at the stock."""

    class Arguments:
        token = graphene.UUID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        if not data["lines"]:
            raise ValidationError(
                {"lines": ValidationError(_("Choose at least one item."), code="required")}
            )
        messages = []
        for line in data["lines"]:
            change = services.add_line(checkout, _variant(line.variant_id), line.quantity)
            messages.append(change.message)
        return cls.done(checkout, messages)


class CheckoutLineUpdate(CheckoutPayload):
    """Set how many of a variant the cart holds; 0 removes it."""

    class Arguments:
        token = graphene.UUID(required=True)
        variant_id = graphene.ID(required=True)
        quantity = graphene.Int(required=True)

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        change = services.set_line_quantity(
            checkout, _variant(data["variant_id"]), data["quantity"]
        )
        return cls.done(checkout, [change.message])


class CheckoutLineDelete(CheckoutPayload):
    class Arguments:
        token = graphene.UUID(required=True)
        variant_id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        services.remove_line(checkout, _variant(data["variant_id"]))
        return cls.done(checkout)


class CheckoutContactUpdate(CheckoutPayload):
    """The buyer's e-mail (a guest's only receipt) and phone."""

    class Arguments:
        token = graphene.UUID(required=True)
        email = graphene.String()
        phone = graphene.String()

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        services.set_contact(
            checkout,
            email=data.get("email", checkout.email) or "",
            phone=data.get("phone", checkout.phone) or "",
        )
        return cls.done(checkout)


class CheckoutAddressInput(graphene.InputObjectType):
    """An address in Indonesia (RT/RW, village, district, regency, province) or in the EU (city,
    region). Errors name these fields."""

    country = graphene.String(required=True)
    full_name = graphene.String(required=True)
    phone = graphene.String(required=True)
    street = graphene.String(required=True)
    line2 = graphene.String()
    postal_code = graphene.String(required=True)
    rt_rw = graphene.String()
    village_code = graphene.String(description="A village of the official list (Indonesia).")
    village_name = graphene.String()
    district = graphene.String()
    regency = graphene.String()
    province_code = graphene.String(description='BPS province code, e.g. "35".')
    city = graphene.String()
    region = graphene.String()


def _address_input(data: Any) -> AddressInput:
    village = None
    if data.get("village_code"):
        village = (
            Region.objects.filter(code=data["village_code"], level=RegionLevel.VILLAGE)
            .select_related("parent__parent")
            .first()
        )
        if village is None:
            raise ValidationError(
                {"village_code": ValidationError(_("Choose a village from the list."), "invalid")}
            )
    text = {
        name: data.get(name) or ""
        for name in (
            "country", "full_name", "phone", "street", "line2", "postal_code", "rt_rw",
            "village_name", "district", "regency", "province_code", "city", "region",
        )
    }  # fmt: skip
    return AddressInput(village=village, **text)


class CheckoutShippingAddressUpdate(CheckoutPayload):
    """Ship to this address: the destination country, and so the market, follow it."""

    class Arguments:
        token = graphene.UUID(required=True)
        address = CheckoutAddressInput(required=True)

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        # The cart's owner keeps the address (a guest's cart: nobody's), so the checkout accepts it.
        address = create_address(checkout.user, _address_input(data["address"]))
        return cls.done(checkout, services.set_address(checkout, address))


class CheckoutDeliveryUpdate(CheckoutPayload):
    """Choose how one shop's parcel travels: a ``code`` of its ``shippingOptions``."""

    class Arguments:
        token = graphene.UUID(required=True)
        shop_id = graphene.ID(required=True)
        option_code = graphene.String(required=True)

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        shop = Shop.objects.get(pk=decode_id(data["shop_id"], "Shop"))
        services.set_delivery(checkout, shop, data["option_code"])
        return cls.done(checkout)


class CheckoutComplete(CheckoutPayload):
    """Place the order: one order per shop, one payment for all of them.

    Send a new ``idempotencyKey`` per press of the order button and the same one when retrying:
    the same key never places twice, it answers the first payment. The payload carries what the
    client needs to pay: bank-transfer instructions or Stripe's client secret (a demo payment is
    paid at once). EU buyers must pass ``acceptTerms`` after being shown the seller, the total and
    the withdrawal terms.
    """

    payment = graphene.Field(Payment)
    orders = graphene.List(graphene.NonNull(Order), required=True)

    class Arguments:
        token = graphene.UUID(required=True)
        idempotency_key = graphene.String(required=True)
        payment_method = PaymentMethod(required=True)
        accept_terms = graphene.Boolean(default_value=False)

    class Meta:
        permission = permissions.can_use_checkout

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Any:
        checkout = _checkout(data["token"])
        try:
            payment = services.complete_checkout(
                checkout,
                method=enum_value(data["payment_method"]),
                idempotency_key=data["idempotency_key"],
                user=info.context.user,
                accept_terms=bool(data.get("accept_terms")),
            )
        except services.OutOfStock as exc:
            # One error per sold-out item, each with the code a client can act on.
            raise ValidationError(
                [ValidationError(message, code="out_of_stock") for message in exc.messages]
            ) from exc
        except ValidationError as exc:
            # The service refuses with the summary's messages; the client also needs each
            # problem's code ("no_shipping", "price_changed", …) to lead the buyer to the fix.
            problems = [] if hasattr(exc, "error_dict") else summarise(_fresh(checkout)).problems
            if not problems:
                raise
            raise ValidationError(
                [ValidationError(problem.message, code=problem.code) for problem in problems]
            ) from exc
        # Creates the card payment's intent (once) or pays a demo payment; retries reuse it.
        start_payment(payment)
        payment.refresh_from_db()
        mark_started(info, payment)
        orders = list(payment.orders.order_by("pk"))
        return cls(checkout=_fresh(checkout), messages=[], payment=payment, orders=orders)
