"""The one interface every payment gateway implements, and the registry that picks one.

Services never import a provider's module: they ask ``get_gateway(payment.method)``. A gateway
talks to its provider and answers; it never changes a ``Payment``'s status itself. Status changes
go through ``payments.services`` (``payment_succeeded``, ``payment_failed``, ``refund_recorded``),
whether they come from our own call, a webhook or an operator, so each rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

if TYPE_CHECKING:
    from marketplace.payments.models import Payment


class GatewayError(Exception):
    """The provider refused or could not be reached; the message is safe to show the user."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(
            message or _("The payment provider could not be reached. Please try again.")
        )


class Gateway(Protocol):
    method: str

    def start(self, payment: Payment) -> dict[str, Any]:
        """Begin paying: return what the payment page needs (client secret, instructions, …)."""
        ...

    def refund(self, payment: Payment, amount: Money) -> str:
        """Return ``amount`` to the buyer; answer the provider's refund reference.

        The caller records the refund with that reference (``refund_recorded``), which is
        idempotent, so a webhook reporting the same refund later changes nothing.
        """
        ...


#: method -> dotted path of a zero-argument factory returning a Gateway. Imported lazily, so the
#: Stripe client is never imported where Stripe is not used.
GATEWAYS: dict[str, str] = {
    "demo": "marketplace.payments.gateways.demo.DemoGateway",
    "bank_transfer": "marketplace.payments.gateways.bank_transfer.BankTransferGateway",
    "stripe": "marketplace.payments.gateways.stripe.StripeGateway",
}


def register(method: str, dotted_path: str) -> None:
    """Plug in (or replace, in tests) the gateway for ``method``."""
    GATEWAYS[method] = dotted_path


def get_gateway(method: str) -> Gateway:
    try:
        path = GATEWAYS[method]
    except KeyError as exc:
        raise ImproperlyConfigured(f"No payment gateway for method {method!r}") from exc
    module_path, _sep, name = path.rpartition(".")
    factory: Callable[[], Gateway] = getattr(import_module(module_path), name)
    return factory()
