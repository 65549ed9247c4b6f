from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "marketplace.checkout"
    label = "checkout"
    verbose_name = _("Checkout")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_cart_follows_login, dispatch_uid="checkout.merge_at_login")


def _cart_follows_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """What a visitor put in the cart stays in it when they sign in (merged with their cart)."""
    if request is None or getattr(request, "session", None) is None:
        return
    from .services import checkout_for_login

    checkout_for_login(request, user)
