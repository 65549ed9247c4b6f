"""Shops and who may act for them.

The foundation holds only what the permission core needs: a shop, its members (owner and staff) and
a facilitator's revocable consent. Onboarding, bank details and the catalog build on these.
"""

from __future__ import annotations

from django.conf import settings
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

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def __str__(self) -> str:
        return self.name


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
