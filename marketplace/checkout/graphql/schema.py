from __future__ import annotations

from typing import Any

import graphene

from marketplace.core import permissions

from .. import models
from .mutations import (
    CheckoutComplete,
    CheckoutContactUpdate,
    CheckoutCreate,
    CheckoutDeliveryUpdate,
    CheckoutLineDelete,
    CheckoutLinesAdd,
    CheckoutLineUpdate,
    CheckoutShippingAddressUpdate,
)
from .types import Checkout


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(Checkout, token=graphene.UUID(required=True))

    @staticmethod
    def resolve_checkout(root: Any, info: graphene.ResolveInfo, token: Any) -> Any:
        """Null for an unknown token and for a signed-in buyer's cart read by anyone else."""
        checkout = (
            models.Checkout.objects.select_related("shipping_address").filter(token=token).first()
        )
        if checkout is None or not permissions.can_use_checkout(info.context.user, checkout):
            return None
        return checkout


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_line_update = CheckoutLineUpdate.Field()
    checkout_line_delete = CheckoutLineDelete.Field()
    checkout_contact_update = CheckoutContactUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_delivery_update = CheckoutDeliveryUpdate.Field()
    checkout_complete = CheckoutComplete.Field()
