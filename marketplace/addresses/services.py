"""Writing addresses: one validation for the Indonesian and the EU formats.

The checkout, the address form and (later) GraphQL call ``validate_address``; it names every bad
field at once (``ValidationError`` keyed by field, messages translated) and returns the values to
store, so a refused address writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.phone import normalise_phone
from marketplace.audit.services import record
from marketplace.markets.markets import HOME_COUNTRY, ships_to
from marketplace.regions.models import Region, RegionLevel
from marketplace.shipping.provinces import province

from .models import Address
from .postcodes import example_postcode, normalise_postcode

_RT_RW = re.compile(r"^\s*(\d{1,3})\s*[/\-.]\s*(\d{1,3})\s*$")


@dataclass
class AddressInput:
    country: str
    full_name: str
    phone: str
    street: str
    postal_code: str
    line2: str = ""
    # Indonesia: a village from the official list fills village, district, regency and province.
    village: Region | None = None
    rt_rw: str = ""
    village_name: str = ""
    district: str = ""
    regency: str = ""
    province_code: str = ""
    # EU
    city: str = ""
    region: str = ""


def _required(
    errors: dict[str, list[ValidationError]], name: str, value: str, message: str
) -> None:
    if not value:
        errors.setdefault(name, []).append(ValidationError(message, code="required"))


def _max_length(
    errors: dict[str, list[ValidationError]], name: str, value: str, limit: int
) -> None:
    if len(value) > limit:
        errors.setdefault(name, []).append(
            ValidationError(
                _("At most %(limit)d characters.") % {"limit": limit}, code="max_length"
            )
        )


def clean_phone(country: str, raw: str) -> str:
    """E.164 for a number valid in ``country`` (an international ``+…`` number is also taken)."""
    if country == HOME_COUNTRY:
        return normalise_phone(raw)
    try:
        number = phonenumbers.parse(raw.strip(), country)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Enter a valid phone number, with the country code, for example +49 30 1234567."),
            code="invalid_phone",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, with the country code, for example +49 30 1234567."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_address(data: AddressInput) -> dict[str, Any]:
    """Check an address for its country; return the model values or raise per-field errors."""
    errors: dict[str, list[ValidationError]] = {}
    country = (data.country or "").strip().upper()
    if not ships_to(country):
        raise ValidationError(
            {
                "country": ValidationError(
                    _("We ship only to Indonesia and the member states of the European Union."),
                    code="invalid_country",
                )
            }
        )
    values: dict[str, Any] = {
        "country": country,
        "full_name": " ".join(data.full_name.split()),
        "street": data.street.strip(),
        "line2": data.line2.strip(),
    }
    _required(errors, "full_name", values["full_name"], _("Enter the recipient's full name."))
    _required(errors, "street", values["street"], _("Enter the street and house number."))
    for name, limit in (("full_name", 150), ("street", 200), ("line2", 100)):
        _max_length(errors, name, values[name], limit)
    try:
        values["phone"] = clean_phone(country, data.phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).append(exc)

    postcode = normalise_postcode(country, data.postal_code)
    if not data.postal_code.strip():
        _required(errors, "postal_code", "", _("Enter the postal code."))
    elif postcode is None:
        errors.setdefault("postal_code", []).append(
            ValidationError(
                _("This is not a postal code of this country; it looks like %(example)s.")
                % {"example": example_postcode(country)},
                code="invalid_postal_code",
            )
        )
    values["postal_code"] = postcode or ""

    if country == HOME_COUNTRY:
        values.update(_clean_indonesian(data, errors))
    else:
        values.update(_clean_eu(data, errors))
    if errors:
        raise ValidationError(errors)
    return values


def _clean_indonesian(
    data: AddressInput, errors: dict[str, list[ValidationError]]
) -> dict[str, Any]:
    values: dict[str, Any] = {"city": "", "region": ""}
    rt_rw = data.rt_rw.strip()
    if rt_rw:
        match = _RT_RW.match(rt_rw)
        if match is None:
            errors["rt_rw"] = [
                ValidationError(
                    _("Write RT/RW as two numbers, for example 003/005."), code="invalid"
                )
            ]
        else:
            rt_rw = f"{int(match[1]):03d}/{int(match[2]):03d}"
    values["rt_rw"] = rt_rw
    village = data.village
    if village is not None:
        district = village.parent
        regency = district.parent if district else None
        if village.level != RegionLevel.VILLAGE or district is None or regency is None:
            errors["village"] = [ValidationError(_("Choose a village."), code="invalid")]
            return values
        found = province(village.code)
        values.update(
            village=village,
            village_name=village.display_name,
            district=district.display_name,
            regency=regency.display_name,
            province_code=found.code if found else "",
            province=found.name if found else "",
        )
        return values
    values.update(
        village=None,
        village_name=" ".join(data.village_name.split()),
        district=" ".join(data.district.split()),
        regency=" ".join(data.regency.split()),
    )
    _required(
        errors, "village_name", values["village_name"], _("Enter the village (desa/kelurahan).")
    )
    _required(errors, "district", values["district"], _("Enter the district (kecamatan)."))
    _required(
        errors, "regency", values["regency"], _("Enter the regency or city (kabupaten/kota).")
    )
    for name in ("village_name", "district", "regency"):
        _max_length(errors, name, values[name], 100)
    found = province(data.province_code) if len(data.province_code.strip()) == 2 else None
    if found is None:
        errors["province_code"] = [ValidationError(_("Choose the province."), code="required")]
    values["province_code"] = found.code if found else ""
    values["province"] = found.name if found else ""
    return values


def _clean_eu(data: AddressInput, errors: dict[str, list[ValidationError]]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "city": " ".join(data.city.split()),
        "region": " ".join(data.region.split()),
        "rt_rw": "",
        "village": None,
        "village_name": "",
        "district": "",
        "regency": "",
        "province_code": "",
        "province": "",
    }
    _required(errors, "city", values["city"], _("Enter the town or city."))
    _max_length(errors, "city", values["city"], 100)
    _max_length(errors, "region", values["region"], 100)
    return values


@transaction.atomic
def create_address(user: Any, data: AddressInput) -> Address:
    """Validate and store an address; a signed-in buyer keeps it for next time."""
    values = validate_address(data)
    owner = user if getattr(user, "is_authenticated", False) else None
    address = Address.objects.create(user=owner, **values)
    if owner is not None:
        record(owner, "address.created", address)
    return address
