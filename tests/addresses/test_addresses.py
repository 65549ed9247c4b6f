"""Addresses: the Indonesian format from the region tree, EU formats by country, phone numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from marketplace.addresses.forms import AddressForm
from marketplace.addresses.models import Address
from marketplace.addresses.postcodes import RULES, normalise_postcode
from marketplace.addresses.selectors import addresses_of
from marketplace.addresses.services import AddressInput, create_address, validate_address
from marketplace.regions.models import Region
from marketplace.taxes.countries import EU_COUNTRIES

pytestmark = pytest.mark.django_db


def indonesian(**kw: Any) -> AddressInput:
    values: dict[str, Any] = {
        "country": "ID",
        "full_name": "Siti  Aminah",
        "phone": "0812 3456 7890",
        "street": "Jl. Kopi Osing No. 7",
        "postal_code": "68432",
        "rt_rw": "3/5",
        "village_name": "Tamansari",
        "district": "Licin",
        "regency": "Kabupaten Banyuwangi",
        "province_code": "35",
    }
    values.update(kw)
    return AddressInput(**values)


def german(**kw: Any) -> AddressInput:
    values: dict[str, Any] = {
        "country": "DE",
        "full_name": "Anna Schmidt",
        "phone": "030 1234567",
        "street": "Torstraße",
        "line2": "12",
        "postal_code": "10119",
        "city": "Berlin",
    }
    values.update(kw)
    return AddressInput(**values)


def test_indonesian_address_is_stored_in_canonical_form(user_factory: Any) -> None:
    buyer = user_factory()
    address = create_address(buyer, indonesian())
    assert address.full_name == "Siti Aminah"
    assert address.phone == "+6281234567890"
    assert address.rt_rw == "003/005"
    assert address.province == "Jawa Timur"
    assert list(addresses_of(buyer)) == [address]
    assert "RT/RW 003/005" in str(address)


def test_village_from_the_region_tree_fills_district_regency_and_province(
    user_factory: Any, regions: dict[str, Region]
) -> None:
    address = create_address(
        user_factory(),
        indonesian(village=regions["kemiren"], village_name="", district="", regency="",
                   province_code=""),
    )  # fmt: skip
    assert (address.village_name, address.district, address.regency) == (
        "Kemiren",
        "Glagah",
        "Kabupaten Banyuwangi",
    )
    assert (address.province_code, address.province) == ("35", "Jawa Timur")


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_address(
            indonesian(full_name=" ", phone="12", postal_code="6843", rt_rw="tiga",
                       province_code="99", village_name="")
        )  # fmt: skip
    assert set(exc.value.message_dict) == {
        "full_name",
        "phone",
        "postal_code",
        "rt_rw",
        "province_code",
        "village_name",
    }
    assert Address.objects.count() == 0


def test_eu_address_needs_a_city() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_address(german(city=""))
    assert exc.value.message_dict == {"city": ["Enter the town or city."]}


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("NL", "1012ab", "1012 AB"),
        ("PL", "00950", "00-950"),
        ("PT", "1000001", "1000-001"),
        ("LT", "lt-01100", "01100"),
        ("LV", "1050", "LV-1050"),
        ("SE", "11122", "111 22"),
        ("IE", "d02x285", "D02 X285"),
        ("MT", "vlt1117", "VLT 1117"),
        ("DE", " 10119 ", "10119"),
    ],
)
def test_eu_postcodes_are_normalised(country: str, typed: str, stored: str) -> None:
    assert normalise_postcode(country, typed) == stored


@pytest.mark.parametrize(
    ("country", "typed"),
    [("DE", "1011"), ("NL", "1012 SS"), ("NL", "0123 AB"), ("ES", "53001"), ("AT", "ABCD")],
)
def test_wrong_eu_postcodes_are_refused(country: str, typed: str) -> None:
    assert normalise_postcode(country, typed) is None
    with pytest.raises(ValidationError) as exc:
        validate_address(german(country=country, postal_code=typed, phone="+49 30 1234567"))
    assert "postal_code" in exc.value.message_dict


def test_every_member_state_has_a_postcode_rule_that_accepts_its_example() -> None:
    assert set(RULES) >= EU_COUNTRIES
    for country in EU_COUNTRIES:
        assert normalise_postcode(country, RULES[country].example) is not None, country


def test_eu_phone_is_checked_for_the_country() -> None:
    values = validate_address(german())
    assert values["phone"] == "+49301234567"
    with pytest.raises(ValidationError) as exc:
        validate_address(german(phone="12"))
    assert "phone" in exc.value.message_dict


def test_we_refuse_countries_we_do_not_ship_to() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_address(german(country="US"))
    assert "country" in exc.value.message_dict


def test_address_form_adapts_to_the_country(user_factory: Any) -> None:
    form = AddressForm(country="ID")
    assert "province_code" in form.fields and "city" not in form.fields
    form = AddressForm(country="NL")
    assert "city" in form.fields and "rt_rw" not in form.fields

    posted = AddressForm(
        data={
            "country": "NL",
            "full_name": "Joost de Vries",
            "phone": "+31 20 123 4567",
            "street": "Prinsengracht 1",
            "postal_code": "1015dv",
            "city": "Amsterdam",
        }
    )
    assert posted.is_valid(), posted.errors
    address = posted.save(user_factory())
    assert (address.country.code, address.postal_code) == ("NL", "1015 DV")


def test_address_form_shows_service_errors_on_the_fields() -> None:
    form = AddressForm(
        data={
            "country": "ID",
            "full_name": "Siti",
            "phone": "0812",
            "street": "Jl. Raya",
            "postal_code": "684",
            "village_name": "Kemiren",
            "district": "Glagah",
            "regency": "Banyuwangi",
            "province_code": "35",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"phone", "postal_code"}


def test_address_form_with_a_village_code(regions: dict[str, Region]) -> None:
    form = AddressForm(
        data={
            "country": "ID",
            "full_name": "Siti",
            "phone": "081234567890",
            "street": "Jl. Raya",
            "postal_code": "68432",
            "village_code": regions["kemiren"].code,
        }
    )
    assert form.is_valid(), form.errors
    assert form.address_input.village == regions["kemiren"]
