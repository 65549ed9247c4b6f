"""A buyer picks their village from the official list, without JavaScript: the rest fills in."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.addresses.forms import AddressForm
from marketplace.regions.models import Region

pytestmark = pytest.mark.django_db


def _data(**overrides: str) -> dict[str, str]:
    data = {
        "country": "ID",
        "full_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "street": "Jl. Kopi Osing 7",
        "rt_rw": "002/001",
        "postal_code": "68432",
    }
    data.update(overrides)
    return data


def test_the_village_field_suggests_the_official_villages(regions: dict[str, Region]) -> None:
    form = AddressForm(country="ID")
    assert "Kemiren, Glagah, Kabupaten Banyuwangi" in form.village_suggestions
    assert 'list="official-villages"' in str(form["village_name"])
    # An EU address has no village field and nothing to suggest.
    assert AddressForm(country="DE").village_suggestions == []


def test_a_picked_suggestion_fills_district_regency_and_province(
    regions: dict[str, Region], user_factory: Any
) -> None:
    form = AddressForm(_data(village_name="kemiren, glagah,  kabupaten banyuwangi"))
    assert form.is_valid(), form.errors
    address = form.save(user_factory())
    assert address.village == regions["kemiren"]
    assert (address.district, address.province_code) == ("Glagah", "35")
    assert "BANYUWANGI" in address.regency.upper()


def test_a_village_typed_freely_still_needs_the_rest_by_hand(regions: dict[str, Region]) -> None:
    form = AddressForm(_data(village_name="Desa Tanpa Nama"))
    assert not form.is_valid()
    assert set(form.errors) >= {"district", "regency"}
