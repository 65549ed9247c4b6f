"""Shops and who may act for them.

A shop (its public profile, its status in moderation), its members (owner and staff), the bank
account it is paid out to, and a facilitator's revocable consent. Writes go through
``sellers.services``; reads through ``sellers.selectors``.

Shops are pre-moderated: a new shop is a draft until its owner submits it and an operator approves
it; only approved shops reach buyers. The bank account lives in its own table so that nothing that
reads shops (a list, a GraphQL type, a cache) can carry it by accident.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.regions.models import Region, RegionLevel, VillageHall


class ShopStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    SUSPENDED = "suspended", _("suspended")


class Shop(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="shops",
        limit_choices_to={"level": RegionLevel.VILLAGE},
        verbose_name=_("village"),
    )
    village_hall = models.ForeignKey(
        VillageHall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shops",
        verbose_name=_("village hall"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ShopStatus.choices, default=ShopStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    #: Sanitised HTML (``marketplace.core.text.sanitise_html``), cleaned when it is stored.
    story = models.TextField(_("story"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="shops/logos/", blank=True)
    #: E.164 (``+62812…``), normalised by ``marketplace.accounts.phone.normalise_phone``.
    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, blank=True)
    nib = models.CharField(
        _("NIB (business identification number)"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^\d{13}$", _("An NIB has exactly 13 digits."))],
    )
    #: Why an operator last changed the status (approved, sent back, suspended); the seller sees it.
    status_reason = models.TextField(_("reason given by the operator"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def whatsapp_link(self) -> str:
        """``https://wa.me/62812…``: what buyers and operators tap to write to the seller."""
        return f"https://wa.me/{self.whatsapp.lstrip('+')}" if self.whatsapp else ""


class ShopBankAccount(models.Model):
    """Where a shop's payouts go. Only its owner and operators may see it.

    Kept apart from ``Shop`` on purpose: reading a shop never reads its bank account.
    """

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="bank_account")
    #: A code from ``sellers.banks.BANKS`` (kept as a plain code so adding a bank needs no
    #: migration).
    bank_code = models.CharField(_("bank"), max_length=3)
    account_number = models.CharField(
        _("account number"),
        max_length=20,
        validators=[RegexValidator(r"^\d{5,20}$", _("An account number has 5 to 20 digits."))],
    )
    holder_name = models.CharField(_("account holder"), max_length=120)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        # Never the full number: this string lands in audit entries and admin lists.
        return f"{self.bank_label} ···{self.account_number[-4:]}"

    @property
    def bank_label(self) -> str:
        from .banks import bank_label

        return bank_label(self.bank_code)


class MemberRole(models.TextChoices):
    OWNER = "owner", _("owner")
    STAFF = "staff", _("staff")


class ShopMembership(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )
    role = models.CharField(
        _("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="unique_shop_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop} ({self.role})"


class FacilitatorConsent(models.Model):
    """A shop's consent for a facilitator to act for it; revocable at any time.

    A revoked consent is kept (``revoked_at`` set) so the seller's history shows when it ended.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="facilitator_consents")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitator_consents"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "facilitator"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_consent_per_facilitator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} for {self.shop}"
