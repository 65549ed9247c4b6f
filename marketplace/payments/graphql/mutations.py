"""Payment mutations: thin wrappers around ``payments.services``."""

from __future__ import annotations

from typing import Any

import graphene

from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation

from .. import models, services
from .types import Payment


class BankTransferConfirm(BaseMutation):
    """Operators: the transfer is on the bank statement, so the payment's orders are paid."""

    payment = graphene.Field(Payment)

    class Arguments:
        id = graphene.ID(required=True, description="The payment's ID.")

    class Meta:
        permission = permissions.can_confirm_bank_transfer

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> BankTransferConfirm:
        payment = models.Payment.objects.get(pk=decode_id(data["id"], "Payment"))
        return cls(payment=services.confirm_bank_transfer(payment, actor=info.context.user))
