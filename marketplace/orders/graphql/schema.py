from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from graphene_django import DjangoConnectionField

from marketplace.core import permissions
from marketplace.graphql.core.errors import PermissionDeniedError
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.types import enum_value
from sellers.models import Shop

from .. import models, selectors
from .mutations import OrderCancel, OrderFulfil, OrderMarkDelivered, OrderRefund, OrderWithdraw
from .types import Order, OrderStatus


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(Order, number=graphene.String(required=True))
    orders = DjangoConnectionField(
        Order,
        shop_id=graphene.ID(
            description="A shop you manage: its orders. Default: your purchases "
            "(operators: every order)."
        ),
        status=OrderStatus(),
    )

    @staticmethod
    def resolve_order(root: Any, info: graphene.ResolveInfo, number: str) -> Any:
        """Null for an order the user may not see: a stranger learns nothing of it."""
        return selectors.orders_visible_to(info.context.user).filter(number=number).first()

    @staticmethod
    def resolve_orders(
        root: Any,
        info: graphene.ResolveInfo,
        shop_id: str | None = None,
        status: Any = None,
        **kwargs: Any,
    ) -> QuerySet[models.Order]:
        """Each audience's list from ``orders.selectors`` (shop and payment joined, lines
        prefetched; ``Order``'s resolvers use them and fall back to dataloaders), so a page costs
        the same queries whatever its length."""
        user = info.context.user
        if not permissions.is_authenticated(user):
            raise PermissionDeniedError(_("Please sign in first."), code="unauthenticated")
        status_value = enum_value(status) if status is not None else ""
        if shop_id:
            try:
                shop = Shop.objects.get(pk=decode_id(shop_id, "Shop"))
            except ObjectDoesNotExist as exc:
                raise PermissionDeniedError(
                    _("What you asked for does not exist."), code="not_found"
                ) from exc
            if not (permissions.can_manage_shop(user, shop) or permissions.is_operator(user)):
                raise PermissionDeniedError(_("You do not have permission to do this."))
            return selectors.orders_for_shop(shop, status=status_value)
        if permissions.is_operator(user):
            return selectors.orders_for_operator({"status": status_value})
        qs = selectors.orders_for_buyer(user)
        return qs.filter(status=status_value) if status_value else qs


class OrderMutations(graphene.ObjectType):
    order_fulfil = OrderFulfil.Field()
    order_mark_delivered = OrderMarkDelivered.Field()
    order_cancel = OrderCancel.Field()
    order_withdraw = OrderWithdraw.Field()
    order_refund = OrderRefund.Field()
