"""The payment as the API shows it: what the client needs to pay, and to whom it is shown.

A payment pays every order of one checkout, so it is shown whole (its orders, the Stripe client
secret, the transfer instructions) only to **its payer**: the signed-in buyer, or the caller that
has just placed the checkout (a guest knows the cart's token, and ``checkoutComplete`` marks the
payment in the request). A seller reading ``Order.payment`` sees its method and status, not the
other shops' orders nor the secret that confirms the card payment.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.conf import settings
from graphene_django import DjangoObjectType

from marketplace.core import permissions
from marketplace.graphql.core.types import Money

from .. import models
from ..services import start_payment

PaymentMethod = graphene.Enum.from_enum(models.PaymentMethod)
PaymentStatus = graphene.Enum.from_enum(models.PaymentStatus)

#: Where ``checkoutComplete`` notes the payments this request placed (their payer is the caller).
STARTED = "_payments_started"


def mark_started(info: graphene.ResolveInfo, payment: models.Payment) -> None:
    info.context.__dict__.setdefault(STARTED, set()).add(payment.pk)


def is_payer(info: graphene.ResolveInfo, payment: models.Payment) -> bool:
    """The buyer who pays ``payment`` (or a guest who placed it in this very request)."""
    if payment.pk in info.context.__dict__.get(STARTED, set()):
        return True
    user = info.context.user
    return bool(
        permissions.is_authenticated(user)
        and payment.buyer_id is not None
        and payment.buyer_id == user.pk
    )


class BankTransferInstructions(graphene.ObjectType):
    """Transfer exactly ``amount`` (its last digits are the payment's code) before ``deadline``."""

    bank = graphene.String(required=True)
    account_number = graphene.String(required=True)
    account_holder = graphene.String(required=True)
    amount = graphene.Field(Money, required=True)
    unique_code = graphene.Int()
    deadline = graphene.DateTime()


class StripePaymentData(graphene.ObjectType):
    """What Stripe's Payment Element needs to confirm the card payment in the browser or app."""

    client_secret = graphene.String(required=True)
    publishable_key = graphene.String(required=True)


class Payment(DjangoObjectType):
    method = PaymentMethod(required=True)
    status = PaymentStatus(required=True)
    amount = graphene.Field(Money, required=True)
    amount_refunded = graphene.Field(Money, required=True)
    is_demo = graphene.Boolean(
        required=True, description="A demo payment: no money moved (no Stripe key is set)."
    )
    bank_transfer = graphene.Field(
        BankTransferInstructions, description="Bank transfers, for the payer only."
    )
    stripe = graphene.Field(StripePaymentData, description="Card payments, for the payer only.")
    orders = graphene.List(
        graphene.NonNull(lambda: _order_type()),
        required=True,
        description="The orders this payment pays (one per shop); for the payer and operators.",
    )

    class Meta:
        model = models.Payment
        interfaces = (graphene.relay.Node,)
        fields = ["id", "expires_at", "created_at", "succeeded_at", "failure_reason"]

    @classmethod
    def get_node(cls, info: graphene.ResolveInfo, id: Any) -> models.Payment | None:
        """``node(id:)`` shows a payment to its payer and to operators only."""
        payment = models.Payment.objects.filter(pk=id).first()
        if payment is None:
            return None
        if is_payer(info, payment) or permissions.is_operator(info.context.user):
            return payment
        return None

    @staticmethod
    def resolve_method(root: models.Payment, info: graphene.ResolveInfo) -> str:
        return root.method

    @staticmethod
    def resolve_status(root: models.Payment, info: graphene.ResolveInfo) -> str:
        return root.status

    @staticmethod
    def resolve_is_demo(root: models.Payment, info: graphene.ResolveInfo) -> bool:
        return root.method == models.PaymentMethod.DEMO

    @staticmethod
    def resolve_bank_transfer(root: models.Payment, info: graphene.ResolveInfo) -> Any:
        if root.method != models.PaymentMethod.BANK_TRANSFER or not is_payer(info, root):
            return None
        # The gateway's own answer (no side effect for bank transfers): one source of the text.
        data = start_payment(root)
        return BankTransferInstructions(
            bank=data["bank"],
            account_number=data["account_number"],
            account_holder=data["account_holder"],
            amount=data["amount"],
            unique_code=data["unique_code"],
            deadline=data["deadline"],
        )

    @staticmethod
    def resolve_stripe(root: models.Payment, info: graphene.ResolveInfo) -> Any:
        if root.method != models.PaymentMethod.STRIPE or not root.client_secret:
            return None
        if not is_payer(info, root):
            return None
        return StripePaymentData(
            client_secret=root.client_secret,
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY or "",
        )

    @staticmethod
    def resolve_orders(root: models.Payment, info: graphene.ResolveInfo) -> Any:
        if not (is_payer(info, root) or permissions.is_operator(info.context.user)):
            return []
        from marketplace.orders.graphql.dataloaders import OrdersByPaymentIdLoader

        return OrdersByPaymentIdLoader.of(info).load(root.pk)


def _order_type() -> Any:
    from marketplace.orders.graphql.types import Order

    return Order
