"""Delivery addresses: the Indonesian format and the EU member states' formats.

One table for both, because a checkout points at one address whatever the destination. Indonesian
addresses name the RT/RW, village, district, regency and province (picked from the official
``Region`` tree where we have it, typed where we do not: our tree holds only the regencies we
serve, buyers live everywhere). EU addresses are street, house number, postal code and city; the
postal code is checked per country (``postcodes.py``). ``services.validate_address`` decides what is
valid; the model only stores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Address(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="addresses",
    )
    country = CountryField(_("country"))
    full_name = models.CharField(_("full name"), max_length=150)
    #: E.164 (``+62812…``, ``+4930…``), validated for the address's country.
    phone = models.CharField(_("phone number"), max_length=20)
    street = models.CharField(_("street"), max_length=200)
    #: EU: house number or second line; Indonesia: building, block or landmark.
    line2 = models.CharField(_("house number / address line 2"), max_length=100, blank=True)
    # Indonesia
    rt_rw = models.CharField(_("RT/RW"), max_length=9, blank=True)
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village (from the official list)"),
    )
    village_name = models.CharField(_("village (desa/kelurahan)"), max_length=100, blank=True)
    district = models.CharField(_("district (kecamatan)"), max_length=100, blank=True)
    regency = models.CharField(_("regency or city (kabupaten/kota)"), max_length=100, blank=True)
    #: BPS two-digit province code ("35" Jawa Timur): shipping rates are by province.
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    # EU
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return ", ".join(line for line in self.lines() if line)

    @property
    def is_indonesian(self) -> bool:
        return self.country.code == "ID"

    def lines(self) -> list[str]:
        """The address as written on a parcel label, one line per item."""
        if self.is_indonesian:
            street = " ".join(p for p in (self.street, self.line2) if p)
            rt_rw = f"RT/RW {self.rt_rw}" if self.rt_rw else ""
            return [
                self.full_name,
                ", ".join(p for p in (street, rt_rw) if p),
                ", ".join(p for p in (self.village_name, self.district) if p),
                ", ".join(p for p in (self.regency, self.province) if p),
                self.postal_code,
                str(self.country.name),
            ]
        return [
            self.full_name,
            " ".join(p for p in (self.street, self.line2) if p),
            " ".join(p for p in (self.postal_code, self.city) if p),
            self.region,
            str(self.country.name),
        ]

    def snapshot(self) -> dict[str, str]:
        """What an order keeps of the address (orders outlive edits and deletions)."""
        return {
            "country": self.country.code,
            "full_name": self.full_name,
            "phone": self.phone,
            "street": self.street,
            "line2": self.line2,
            "rt_rw": self.rt_rw,
            "village_code": self.village.code if self.village_id and self.village else "",
            "village": self.village_name,
            "district": self.district,
            "regency": self.regency,
            "province_code": self.province_code,
            "province": self.province,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
        }
