"""Orders: one per shop per checkout, with snapshot lines, a history and EU withdrawals.

An order copies everything a later dispute needs (prices as shown, VAT rate, HS code, weight,
the address) so that editing a listing or an address never changes what was bought. The status
only changes through ``orders.services.transition``, which checks ``orders.states`` and writes an
``OrderEvent``; the history is never edited.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "IDR"}


class OrderStatus(models.TextChoices):
    UNPAID = "unpaid", _("awaiting payment")
    PAID = "paid", _("paid")
    PROCESSING = "processing", _("being packed")
    SHIPPED = "shipped", _("shipped")
    DELIVERED = "delivered", _("delivered")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")
    REFUNDED = "refunded", _("refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")


class Market(models.TextChoices):
    ID = "ID", _("Indonesia")
    EU = "EU", _("European Union")


def generate_order_number() -> str:
    """A human order number, ``PK-YYMM-XXXXXXXX``: month for the reader, random for uniqueness.

    Random rather than sequential so an order number reveals nothing about sales volume and needs
    no counter row that every checkout would lock. Eight digits (10⁸ a month) make a clash rare
    enough that checkout inserts without looking first: the unique constraint catches a clash
    and ``complete_checkout`` places the cart again with new numbers. ``Order.save`` (orders
    created elsewhere, e.g. the admin and tests) still looks before it inserts.
    """
    now = timezone.now()
    return f"PK-{now:%y%m}-{secrets.randbelow(10**8):08d}"


class Order(models.Model):
    """What one shop sold in one checkout: the seller ships it as one parcel."""

    number = models.CharField(_("order number"), max_length=20, unique=True, editable=False)
    shop = models.ForeignKey("sellers.Shop", on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    #: The language e-mails to a guest are written in (a signed-in buyer's preferred language wins).
    language = models.CharField(_("language"), max_length=8, default="id")
    payment = models.ForeignKey(
        "payments.Payment", on_delete=models.PROTECT, related_name="orders", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.UNPAID
    )
    market = models.CharField(_("market"), max_length=2, choices=Market.choices, default=Market.ID)
    country = models.CharField(_("country"), max_length=2, default="ID")
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    shipping_address = models.JSONField(_("shipping address"), default=dict, blank=True)
    subtotal = MoneyField(_("goods"), **MONEY)
    shipping = MoneyField(_("shipping"), **MONEY)
    vat = MoneyField(_("VAT"), **MONEY)
    duty = MoneyField(_("duty"), **MONEY)
    total = MoneyField(_("total"), **MONEY)
    #: What has been refunded for this order so far (the sum of its refunds' shares).
    refunded = MoneyField(_("refunded"), default=0, **MONEY)
    tax_regime = models.CharField(_("tax regime"), max_length=20, blank=True)
    #: EU parcels above €150: estimated import VAT, duty and carrier fee collected on delivery.
    due_on_delivery = MoneyField(_("due on delivery"), null=True, blank=True, **MONEY)
    shipping_code = models.CharField(_("shipping option"), max_length=40, blank=True)
    courier = models.CharField(_("courier"), max_length=40, blank=True)
    service = models.CharField(_("service"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    #: An unpaid order past this moment is cancelled by ``tasks.expire_unpaid_orders``.
    expires_at = models.DateTimeField(_("unpaid until"), null=True, blank=True)
    #: EU orders: delivery + 14 days (Directive 2011/83/EU, Art. 9); set on delivery.
    withdrawable_until = models.DateTimeField(_("withdrawable until"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"]),
            models.Index(fields=["shop", "status", "-placed_at"]),
            models.Index(fields=["status", "-placed_at"]),
            models.Index(
                fields=["expires_at"], name="order_unpaid_expiry", condition=Q(status="unpaid")
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.number:
            self.number = generate_order_number()
            while Order.objects.filter(number=self.number).exists():
                self.number = generate_order_number()
        if self.refunded.amount == 0 and self.refunded.currency != self.total.currency:
            # The column's default is in IDR; an EUR order counts its refunds in EUR.
            self.refunded = Money(0, self.total.currency)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_eu(self) -> bool:
        return self.market == Market.EU

    @property
    def recipient_email(self) -> str:
        """Where e-mails about this order go: the order's address, else the buyer's."""
        return self.email or (self.buyer.email if self.buyer else "") or ""

    @property
    def recipient_language(self) -> str:
        """A signed-in buyer's preferred language, else the language the guest ordered in."""
        if self.buyer is not None and self.buyer.preferred_language:
            return str(self.buyer.preferred_language)
        return self.language or settings.LANGUAGE_CODE


class OrderLine(models.Model):
    """A snapshot of one variant as sold: later edits of the listing do not change it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    product_title = models.CharField(_("product"), max_length=150)
    variant_name = models.CharField(_("variant"), max_length=100, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    #: Gross as the buyer saw it (EU: VAT included).
    unit_price = MoneyField(_("unit price"), **MONEY)
    unit_net = MoneyField(_("unit price without VAT"), **MONEY)
    vat_rate = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    tax_class = models.CharField(_("tax class"), max_length=10, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=6, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    category_id = models.IntegerField(_("category"), null=True, blank=True)
    #: Excluded from the EU right of withdrawal (Directive 2011/83/EU, Art. 16(d)).
    is_perishable = models.BooleanField(_("perishable"), default=False)
    quantity_refunded = models.PositiveIntegerField(_("quantity refunded"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_refunded__lte=F("quantity")),
                name="order_line_refund_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_title}"

    @property
    def line_total(self):  # type: ignore[no-untyped-def]
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """One line of an order's history: who did what, when. Append-only."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The new status for a transition, or another kind ("note", "refund", "withdrawal").
    kind = models.CharField(_("what"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["order", "created_at"])]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.kind}"


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    REFUNDED = "refunded", _("refunded")


class Withdrawal(models.Model):
    """An EU buyer withdrew from (part of) the contract within 14 days of delivery.

    ``lines`` holds ``{order_line_id: quantity}``; ``amount`` is what is refunded for them.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="withdrawals")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    lines = models.JSONField(_("lines"), default=dict)
    amount = MoneyField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.REQUESTED,
    )
    created_at = models.DateTimeField(default=timezone.now)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"
