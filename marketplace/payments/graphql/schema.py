from __future__ import annotations

import graphene

from .mutations import BankTransferConfirm


class PaymentMutations(graphene.ObjectType):
    bank_transfer_confirm = BankTransferConfirm.Field()
