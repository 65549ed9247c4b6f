"""The demo gateway: pays at once, moves no money; only while no Stripe key is configured.

It lets the marketplace be tried end to end on a laptop or a village-hall demo. The page shows
``demo: True`` so nobody mistakes it for a real payment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from djmoney.money import Money

from .base import GatewayError

if TYPE_CHECKING:
    from marketplace.payments.models import Payment


class DemoGateway:
    method = "demo"

    def _allowed(self) -> None:
        if settings.PAYMENT_GATEWAY != "demo":
            raise GatewayError(_("Demo payments are switched off."))

    def start(self, payment: Payment) -> dict[str, Any]:
        from marketplace.payments import services

        self._allowed()
        payment = services.payment_succeeded(
            payment, reference=f"demo-{payment.pk}", amount=payment.amount
        )
        return {"method": self.method, "demo": True, "status": payment.status}

    def refund(self, payment: Payment, amount: Money) -> str:
        self._allowed()
        from marketplace.payments.services import new_reference

        return new_reference("demo-refund")
