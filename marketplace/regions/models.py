"""Indonesia's administrative regions and the village halls that serve as hubs.

Codes are the official BPS/Kemendagri ones: a province has 2 digits, a regency 4, a district
(*kecamatan*) 7 and a village (*desa/kelurahan*) 10, each code starting with its parent's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    REGENCY = "regency", _("regency")
    DISTRICT = "district", _("district")
    VILLAGE = "village", _("village")


#: The level each level's parent must have, and the length of its code.
PARENT_LEVEL: dict[str, str | None] = {
    RegionLevel.PROVINCE: None,
    RegionLevel.REGENCY: RegionLevel.PROVINCE,
    RegionLevel.DISTRICT: RegionLevel.REGENCY,
    RegionLevel.VILLAGE: RegionLevel.DISTRICT,
}
CODE_LENGTH: dict[str, int] = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.REGENCY: 4,
    RegionLevel.DISTRICT: 7,
    RegionLevel.VILLAGE: 10,
}


class Region(models.Model):
    code = models.CharField(_("official code"), max_length=13, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The official list writes names in capitals; people read them in title case."""
        return self.name.title()


class VillageHall(models.Model):
    """A *balai desa*: the village's hub for public services, free internet and training."""

    village = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        related_name="village_hall",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_halls",
        verbose_name=_("facilitators"),
    )

    class Meta:
        verbose_name = _("village hall")
        verbose_name_plural = _("village halls")

    def __str__(self) -> str:
        return self.name
