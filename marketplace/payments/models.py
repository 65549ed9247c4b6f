"""Payments: one per checkout, paying all of its orders (one per shop).

A ``Payment`` is written only by ``payments.services``. Refunds are rows (``PaymentRefund``),
unique by the gateway's reference, so a refund reported twice (our call and the webhook) counts
once. ``WebhookEvent`` is unique by (provider, event id): the same webhook delivered twice is
processed once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "IDR"}


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("card (Stripe)")
    BANK_TRANSFER = "bank_transfer", _("bank transfer")
    DEMO = "demo", _("demo payment (no money moves)")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    REFUNDED = "refunded", _("refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")


class Payment(models.Model):
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = MoneyField(_("amount"), **MONEY)
    amount_refunded = MoneyField(_("refunded"), default=0, **MONEY)
    #: One checkout attempt = one key: a double click or a retried request finds the first payment.
    idempotency_key = models.CharField(max_length=100, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    #: The gateway's id (a Stripe PaymentIntent ``pi_…``); bank transfers: empty until confirmed.
    gateway_reference = models.CharField(max_length=255, blank=True, db_index=True)
    client_secret = models.CharField(max_length=255, blank=True)
    #: Bank transfer: 1 to 999 added to an IDR amount so the transfer identifies itself.
    unique_code = models.PositiveSmallIntegerField(null=True, blank=True)
    transfer_amount = MoneyField(_("amount to transfer"), null=True, blank=True, **MONEY)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    failure_reason = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(
                fields=["expires_at"], name="payment_pending_expiry", condition=Q(status="pending")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(unique_code__isnull=True)
                | (Q(unique_code__gte=1) & Q(unique_code__lte=999)),
                name="payment_unique_code_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.amount_refunded.amount == 0
            and self.amount_refunded.currency != self.amount.currency
        ):
            # The column's default is in IDR; an EUR payment counts its refunds in EUR.
            self.amount_refunded = Money(0, self.amount.currency)
        super().save(*args, **kwargs)


class PaymentRefund(models.Model):
    """Money returned to the buyer, as reported by the gateway (unique by its reference)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    #: Which order it was for, when a refund is for one shop's order (else spread over all).
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    amount = MoneyField(_("amount"), **MONEY)
    reference = models.CharField(max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Per-order split ``{order_id: "amount"}`` once applied to the orders; empty while the payment
    #: has not succeeded yet (an out-of-order refund is applied when the success arrives).
    allocation = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "reference"], name="unique_refund_reference"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount}"


class WebhookEvent(models.Model):
    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="unique_webhook_event"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"


class ProofStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an operator")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


def proof_upload_to(instance: BankTransferProof, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"payments/proofs/{instance.payment_id}/{timezone.now():%Y%m%d%H%M%S}.{ext}"


class BankTransferProof(models.Model):
    """The buyer's receipt of a bank transfer (image or PDF), for an operator to check."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="proofs")
    file = models.FileField(_("file"), upload_to=proof_upload_to)
    content_type = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ProofStatus.choices, default=ProofStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("note"), blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bank transfer proof")
        verbose_name_plural = _("bank transfer proofs")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.status}"
