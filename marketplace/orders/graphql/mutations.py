"""Order mutations: thin wrappers around ``orders.services`` and ``payments.services``.

Each names its rule; the services check it again (they are called from pages too) and decide
what the status allows, with a message the user reads (``IllegalTransition`` and friends become
typed errors).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from djmoney.money import Money as MoneyValue
from graphql_relay import to_global_id

from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation
from marketplace.graphql.core.types import Money
from marketplace.payments import services as payment_services

from .. import models, services
from .types import Order


def _order(global_id: str) -> models.Order:
    return models.Order.objects.select_related("shop").get(pk=decode_id(global_id, "Order"))


class OrderLineQuantityInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


def _line_quantities(order: models.Order, given: Sequence[Any] | None) -> dict[int, int] | None:
    """``{order_line_pk: quantity}`` from the input; a line of another order is refused."""
    if given is None:
        return None
    quantities: dict[int, int] = {}
    for item in given:
        try:
            pk = int(decode_id(item.line_id, "OrderLine"))
        except (ObjectDoesNotExist, ValueError):
            pk = 0
        quantities[pk] = quantities.get(pk, 0) + int(item.quantity)
    own = set(order.lines.values_list("pk", flat=True))
    if not quantities or not set(quantities) <= own:
        raise ValidationError(
            {"lines": ValidationError(_("That item is not part of this order."), "invalid")}
        )
    return quantities


class OrderPayload(BaseMutation):
    order = graphene.Field(Order)

    class Meta:
        abstract = True

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> models.Order:
        return _order(data["id"])


class OrderFulfil(OrderPayload):
    """The seller shipped the parcel: courier and tracking number let the buyer follow it."""

    class Arguments:
        id = graphene.ID(required=True)
        courier = graphene.String(description="Default: the courier the buyer chose.")
        tracking_number = graphene.String(required=True)

    class Meta:
        permission = permissions.can_fulfil_order

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> OrderFulfil:
        order = services.ship(
            _order(data["id"]),
            courier=data.get("courier") or "",
            tracking_number=data["tracking_number"],
            actor=info.context.user,
        )
        return cls(order=order)


class OrderMarkDelivered(OrderPayload):
    """Delivered: an EU buyer's 14 days of withdrawal start now."""

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_mark_order_delivered

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> OrderMarkDelivered:
        return cls(order=services.mark_delivered(_order(data["id"]), actor=info.context.user))


class OrderCancel(OrderPayload):
    """The buyer while unpaid; the shop or an operator also later (the buyer is refunded)."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(description="Required once paid: the buyer reads it.")
        restock = graphene.Boolean(
            default_value=True, description="False when the goods are gone (not sellable)."
        )

    class Meta:
        permission = permissions.can_cancel_order

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> OrderCancel:
        order = services.cancel(
            _order(data["id"]),
            actor=info.context.user,
            reason=data.get("reason") or "",
            restock=data.get("restock", True),
        )
        return cls(order=order)


class Withdrawal(graphene.ObjectType):
    id = graphene.ID(required=True)
    amount = graphene.Field(Money, required=True, description="Refunded once the goods are back.")
    status = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: models.Withdrawal, info: graphene.ResolveInfo) -> str:
        return to_global_id("Withdrawal", root.pk)


class OrderWithdraw(OrderPayload):
    """An EU buyer withdraws within 14 days of delivery (perishable food excluded)."""

    withdrawal = graphene.Field(Withdrawal)

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(
            graphene.NonNull(OrderLineQuantityInput),
            description="Default: every item that may be withdrawn, in full.",
        )
        reason = graphene.String()

    class Meta:
        permission = permissions.can_withdraw_order

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> OrderWithdraw:
        order = _order(data["id"])
        withdrawal = services.withdraw(
            order,
            actor=info.context.user,
            lines=_line_quantities(order, data.get("lines")),
            reason=data.get("reason") or "",
        )
        order.refresh_from_db()
        return cls(order=order, withdrawal=withdrawal)


class OrderRefund(OrderPayload):
    """Operators: send money back, either an amount or items at the price paid for them."""

    refunded = graphene.Field(Money, description="What this refund sent back.")

    class Arguments:
        id = graphene.ID(required=True)
        amount = graphene.Decimal(description="In the order's currency; or give lines.")
        lines = graphene.List(graphene.NonNull(OrderLineQuantityInput))
        reason = graphene.String(required=True)

    class Meta:
        permission = permissions.can_refund

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> OrderRefund:
        order = _order(data["id"])
        user, reason = info.context.user, data["reason"]
        amount: Decimal | None = data.get("amount")
        if (amount is None) == (data.get("lines") is None):
            raise ValidationError(
                _("Give either an amount or the items to refund."), code="invalid"
            )
        if not reason.strip():
            raise ValidationError(
                {"reason": ValidationError(_("Tell the buyer why."), code="required")}
            )
        if amount is not None:
            refund = payment_services.refund(
                order, MoneyValue(amount, order.currency), actor=user, reason=reason
            )
        else:
            lines = _line_quantities(order, data["lines"])
            assert lines is not None
            refund = payment_services.refund_order_lines(order, lines, actor=user, reason=reason)
        order.refresh_from_db()
        return cls(order=order, refunded=refund.amount)
