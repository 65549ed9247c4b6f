"""The address form: one form whose fields follow the destination country.

It only collects input; ``services.validate_address`` decides, so the page, the checkout and GraphQL
show the same messages. Indonesia asks for RT/RW, village, district, regency and province (a village
from the official list fills the rest); an EU state asks for postal code and city.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.markets.markets import HOME_COUNTRY, shipping_countries
from marketplace.regions.models import Region, RegionLevel
from marketplace.shipping.provinces import PROVINCE_CHOICES

from . import services
from .models import Address

INDONESIAN_FIELDS = (
    "rt_rw",
    "village_code",
    "village_name",
    "district",
    "regency",
    "province_code",
)
EU_FIELDS = ("city", "region")


def _country_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in shipping_countries()]


#: The ``<datalist>`` the village field suggests from (``village_options``).
VILLAGE_LIST_ID = "official-villages"
_VILLAGE_OPTIONS_KEY = "addresses:village-options:v1"


def village_options() -> dict[str, str]:
    """The official villages as "Kemiren, Glagah, Kabupaten Banyuwangi" → region code.

    What the village field suggests and what it accepts in place of a code: a buyer who picks a
    suggestion gets district, regency and province filled from the Region tree. Cached: the
    tree changes only when an operator imports a regency.
    """
    options: dict[str, str] | None = cache.get(_VILLAGE_OPTIONS_KEY)
    if options is None:
        villages = Region.objects.filter(level=RegionLevel.VILLAGE).select_related(
            "parent__parent"
        )
        options = {}
        for village in villages.order_by("name"):
            names = [village.name]
            district = village.parent
            if district is not None:
                names.append(district.name)
                if district.parent is not None:
                    names.append(district.parent.name)
            options[", ".join(n.title() for n in names)] = village.code
        cache.set(_VILLAGE_OPTIONS_KEY, options, 3600)
    return options


def _village_from_label(label: str) -> Region | None:
    """The village a suggestion names ("kemiren, glagah, kabupaten banyuwangi"), if exactly one."""
    wanted = " ".join(label.split()).casefold()
    codes = [code for name, code in village_options().items() if name.casefold() == wanted]
    if len(codes) != 1:
        return None
    return Region.objects.select_related("parent__parent").filter(code=codes[0]).first()


class AddressForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    full_name = forms.CharField(label=_("Recipient's full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=30)
    street = forms.CharField(label=_("Street"), max_length=200)
    line2 = forms.CharField(
        label=_("House number / address line 2"), max_length=100, required=False
    )
    rt_rw = forms.CharField(label=_("RT/RW"), max_length=9, required=False)
    village_code = forms.CharField(
        label=_("Village (official code)"), max_length=13, required=False, widget=forms.HiddenInput
    )
    village_name = forms.CharField(
        label=_("Village (desa/kelurahan)"),
        max_length=150,
        required=False,
        # The browser offers the official villages as the buyer types (no JavaScript needed).
        widget=forms.TextInput(attrs={"list": VILLAGE_LIST_ID, "autocomplete": "off"}),
    )
    district = forms.CharField(label=_("District (kecamatan)"), max_length=100, required=False)
    regency = forms.CharField(
        label=_("Regency or city (kabupaten/kota)"), max_length=100, required=False
    )
    province_code = forms.ChoiceField(
        label=_("Province"), choices=[("", "—"), *PROVINCE_CHOICES], required=False
    )
    city = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    region = forms.CharField(label=_("Region (optional)"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12)

    def __init__(self, *args: Any, country: str = HOME_COUNTRY, **kwargs: Any) -> None:
        """``country``: the destination when the form is first shown (posted data wins)."""
        super().__init__(*args, **kwargs)
        posted = (self.data.get(self.add_prefix("country")) or "") if self.is_bound else ""
        self.country_code = (posted or self.initial.get("country") or country).upper()
        self.fields["country"].initial = self.country_code
        hidden = EU_FIELDS if self.country_code == HOME_COUNTRY else INDONESIAN_FIELDS
        for name in hidden:
            del self.fields[name]

    @classmethod
    def for_address(cls, address: Address, **kwargs: Any) -> AddressForm:
        """The form filled with a saved address (to edit it into a new one)."""
        initial = address.snapshot()
        initial["village_code"] = initial.pop("village_code")
        initial["village_name"] = initial.pop("village")
        return cls(initial=initial, country=address.country.code, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        village = None
        code = cleaned.get("village_code") or ""
        if code:
            village = (
                Region.objects.filter(code=code, level=RegionLevel.VILLAGE)
                .select_related("parent__parent")
                .first()
            )
            if village is None:
                self.add_error("village_name", _("Choose a village from the list."))
                return cleaned
        elif cleaned.get("village_name"):
            village = _village_from_label(cleaned["village_name"])
        self.address_input = services.AddressInput(
            country=cleaned.get("country", ""),
            full_name=cleaned.get("full_name", ""),
            phone=cleaned.get("phone", ""),
            street=cleaned.get("street", ""),
            line2=cleaned.get("line2", ""),
            postal_code=cleaned.get("postal_code", ""),
            village=village,
            rt_rw=cleaned.get("rt_rw", ""),
            village_name=cleaned.get("village_name", ""),
            district=cleaned.get("district", ""),
            regency=cleaned.get("regency", ""),
            province_code=cleaned.get("province_code", ""),
            city=cleaned.get("city", ""),
            region=cleaned.get("region", ""),
        )
        try:
            services.validate_address(self.address_input)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = "village_name" if field == "village" else field
                self.add_error(name if name in self.fields else None, messages)
        return cleaned

    @property
    def village_suggestions(self) -> list[str]:
        """What the village field's ``<datalist>`` offers (Indonesian addresses only)."""
        return list(village_options()) if "village_name" in self.fields else []

    def save(self, user: Any) -> Address:
        """Store the address (call after ``is_valid()``)."""
        return services.create_address(user, self.address_input)
