"""The ledger: who is owed what, as an append-only list of entries; commission; payouts.

Every movement of money the marketplace accounts for is a ``LedgerEntry`` in one *account*
(a shop's, or one of the marketplace's: commission, VAT, duty) with a signed ``Money`` amount:
positive credits the account, negative debits it. A balance is a sum of entries, never a stored
number, so it cannot drift from its history. Entries are never edited nor deleted: a correction
is a new entry (a refund reversal, a payout reversal). ``save``/``delete`` refuse, the queryset
refuses bulk ``update``/``delete``, and on PostgreSQL a trigger (migration 0002) refuses UPDATE
and DELETE even from raw SQL.

Entries are written only by ``ledger.services``; the exact split of a sale is in its docstring.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money

MONEY = {"max_digits": 14, "decimal_places": 2, "default_currency": "IDR"}


class LedgerIsAppendOnly(Exception):
    """Raised when code tries to change or remove a ledger entry: post a reversal instead."""


class Account(models.TextChoices):
    SHOP = "shop", _("shop")
    COMMISSION = "commission", _("marketplace commission")
    VAT = "vat", _("VAT owed (IOSS)")
    DUTY = "duty", _("customs duty owed")
    UNIQUE_CODE = "unique_code", _("bank-transfer unique codes kept")


class EntryKind(models.TextChoices):
    SALE = "sale", _("sale")
    COMMISSION = "commission", _("commission")
    VAT = "vat", _("VAT")
    DUTY = "duty", _("duty")
    REFUND = "refund", _("refund")
    COMMISSION_REVERSAL = "commission_reversal", _("commission returned")
    PAYOUT = "payout", _("payout")
    PAYOUT_REVERSAL = "payout_reversal", _("failed payout returned")
    BANK_TRANSFER_CODE = "bank_transfer_code", _("bank-transfer unique code")


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise LedgerIsAppendOnly("Ledger entries are never updated; post a reversal.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("Ledger entries are never deleted; post a reversal.")


class LedgerEntry(models.Model):
    """One movement in one account. Append-only (see the module docstring)."""

    account = models.CharField(_("account"), max_length=12, choices=Account.choices)
    shop = models.ForeignKey(
        "sellers.Shop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("shop"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("order"),
    )
    payout = models.ForeignKey(
        "ledger.Payout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("payout"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = MoneyField(_("amount"), **MONEY)
    #: The refund's reference for refund entries ("" otherwise): with (order, account, kind) it
    #: makes posting idempotent, so an event delivered twice posts once.
    reference = models.CharField(_("reference"), max_length=255, blank=True, default="")
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "account", "kind", "reference"],
                condition=Q(order__isnull=False),
                name="ledger_entry_once_per_order_event",
            ),
            models.UniqueConstraint(
                fields=["payout", "account", "kind"],
                condition=Q(payout__isnull=False),
                name="ledger_entry_once_per_payout_event",
            ),
            models.CheckConstraint(
                condition=~Q(account="shop") | Q(shop__isnull=False),
                name="ledger_shop_entry_has_shop",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "account", "amount_currency"]),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.kind} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerIsAppendOnly("Ledger entries are never updated; post a reversal.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("Ledger entries are never deleted; post a reversal.")


class CommissionRate(models.Model):
    """The marketplace's commission in percent, as data operators edit in the admin.

    A row without a category is the default; a row with one overrides it for that category and
    its subcategories. A change is a new row with a later ``valid_from``, so the rate that applied
    to any past order stays readable; the order's placing day picks the row.
    """

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_rates",
        verbose_name=_("category"),
        help_text=_("Empty: the default for every category without its own rate."),
    )
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percent of the goods' value without VAT, for example 5 or 7.5."),
    )
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        ordering = ["category_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "valid_from"],
                condition=Q(category__isnull=False),
                name="unique_commission_rate_start",
            ),
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=Q(category__isnull=True),
                name="unique_default_commission_rate_start",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="commission_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or _('default')}: {self.rate}% ({self.valid_from})"


class LedgerSettings(models.Model):
    """The one row of payout settings, edited by operators in the admin.

    Its row is also the lock that serialises building payout batches (``services``).
    """

    hold_days = models.PositiveSmallIntegerField(
        _("hold after delivery (days)"),
        default=7,
        help_text=_("A sale becomes available for payout this many days after delivery."),
    )
    minimum_payout_idr = MoneyField(
        _("minimum payout (IDR)"), default=Money(50_000, "IDR"), **MONEY
    )
    minimum_payout_eur = MoneyField(
        _("minimum payout (EUR)"),
        max_digits=14,
        decimal_places=2,
        default=Money(10, "EUR"),
        default_currency="EUR",
    )

    class Meta:
        verbose_name = _("ledger settings")
        verbose_name_plural = _("ledger settings")

    def __str__(self) -> str:
        return str(_("Ledger settings"))

    @classmethod
    def load(cls) -> LedgerSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def minimum_payout(self, currency: str) -> Money:
        return self.minimum_payout_eur if currency == "EUR" else self.minimum_payout_idr


class PayoutBatch(models.Model):
    """Payouts an operator built together, in one currency, exported as one transfer file."""

    currency = models.CharField(_("currency"), max_length=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("built"), default=timezone.now)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"PO-{self.pk:05d} {self.currency}" if self.pk else "PO-new"

    @property
    def reference(self) -> str:
        return f"PO-{self.pk:05d}"


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    EXPORTED = "exported", _("in the transfer file")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")


class Payout(models.Model):
    """What one shop is sent in a batch, with the bank details as they were when it was built.

    The details are copied so that an owner changing the account later does not change where a
    built batch says the money went.
    """

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="payouts")
    shop = models.ForeignKey("sellers.Shop", on_delete=models.PROTECT, related_name="payouts")
    amount = MoneyField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.PENDING
    )
    bank_code = models.CharField(_("bank code"), max_length=3)
    bank_label = models.CharField(_("bank"), max_length=120)
    account_number = models.CharField(_("account number"), max_length=20)
    holder_name = models.CharField(_("account holder"), max_length=120)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["batch_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "shop"], name="one_payout_per_shop_per_batch"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"

    @property
    def currency(self) -> str:
        return str(self.amount.currency)

    @property
    def reference(self) -> str:
        """What the transfer's description carries, so the seller recognises it."""
        return f"PK-PO-{self.batch_id:05d}-{self.pk:06d}"
