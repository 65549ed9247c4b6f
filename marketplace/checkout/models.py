"""The cart and its checkout: one per buyer, across shops, until it becomes orders.

A ``Checkout`` belongs to a signed-in user or, for a visitor, to their session (its token is kept
in the session, because Django gives the session a new key at login and the cart must survive
that). The destination ``country`` sets the market and so the currency and VAT. Lines remember the
unit price the buyer saw when adding them (``price_seen``), so the summary can say when a price
changed before the buyer pays. Totals are never stored here: ``totals.summarise`` computes them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField


class Checkout(models.Model):
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkouts",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    #: The destination (ISO code): Indonesia or an EU member state.
    country = models.CharField(_("country"), max_length=2, default="ID")
    language = models.CharField(_("language"), max_length=8, default="id")
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    shipping_address = models.ForeignKey(
        "addresses.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shipping address"),
    )
    #: Set with ``completed_at`` when the checkout became orders (found again by a retried call).
    payment = models.ForeignKey(
        "payments.Payment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        constraints = [
            # A signed-in buyer has one cart, whichever device adds to it.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(completed_at__isnull=True, user__isnull=False),
                name="one_open_checkout_per_user",
            )
        ]

    def __str__(self) -> str:
        return str(self.token)

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class CheckoutLine(models.Model):
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    #: The unit price (gross, in the checkout's currency) shown when the line was added.
    price_seen = MoneyField(
        _("price when added"),
        max_digits=14,
        decimal_places=2,
        default_currency="IDR",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="one_line_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"


class CheckoutDelivery(models.Model):
    """The shipping option the buyer chose for one shop's parcel."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="deliveries")
    shop = models.ForeignKey("sellers.Shop", on_delete=models.CASCADE, related_name="+")
    option_code = models.CharField(_("shipping option"), max_length=40)

    class Meta:
        verbose_name = _("delivery choice")
        verbose_name_plural = _("delivery choices")
        constraints = [
            models.UniqueConstraint(fields=["checkout", "shop"], name="one_delivery_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.option_code}"
