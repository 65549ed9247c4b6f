"""Bank transfer, how most Indonesians pay: instructions now, an operator's confirmation later.

``start`` answers what the buyer must transfer (the exact amount with its unique code), where to
(the marketplace's account, ``settings.PAYMENT_BANK_ACCOUNT``) and by when. A refund is a transfer
an operator makes by hand; the reference recorded is ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from djmoney.money import Money

if TYPE_CHECKING:
    from marketplace.payments.models import Payment


class BankTransferGateway:
    method = "bank_transfer"

    def start(self, payment: Payment) -> dict[str, Any]:
        amount = payment.transfer_amount or payment.amount
        return {
            "method": self.method,
            "bank": settings.PAYMENT_BANK_ACCOUNT["bank"],
            "account_number": settings.PAYMENT_BANK_ACCOUNT["account_number"],
            "account_holder": settings.PAYMENT_BANK_ACCOUNT["holder"],
            "amount": amount,
            "amount_text": str(amount.amount.quantize(1)),
            "unique_code": payment.unique_code,
            "deadline": payment.expires_at,
        }

    def refund(self, payment: Payment, amount: Money) -> str:
        from marketplace.payments.services import new_reference

        return new_reference("bank-refund")
