"""The VAT table: shipped rates, lookups by day, operators' changes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client

from marketplace.catalog.models import TaxClass
from marketplace.taxes.countries import EU_COUNTRIES
from marketplace.taxes.models import VatRate
from marketplace.taxes.selectors import VatRateMissing, vat_rate

pytestmark = pytest.mark.django_db

MID_2026 = datetime.date(2026, 6, 15)


def test_the_shipped_table_has_every_member_state_and_tax_class() -> None:
    assert len(EU_COUNTRIES) == 27
    assert {str(c) for c in VatRate.objects.values_list("country", flat=True)} == EU_COUNTRIES
    for country in EU_COUNTRIES:
        for tax_class in TaxClass.values:
            assert vat_rate(country, tax_class, MID_2026) >= 0
    # Rows with their own periods (Finland 2025, Sweden 2025 to 2028) come on top of the 81.
    assert VatRate.objects.count() == 87
    assert not VatRate.objects.filter(source="").exists()


@pytest.mark.parametrize(
    ("country", "tax_class", "rate"),
    [
        ("DE", "standard", "19"),
        ("DE", "food", "7"),
        ("DE", "coffee", "7"),
        ("AT", "food", "10"),
        ("AT", "coffee", "20"),  # coffee is taxed apart from food in Austria, Italy and Poland
        ("IT", "coffee", "22"),
        ("PL", "coffee", "23"),
        ("FI", "standard", "25.5"),
        ("NL", "food", "9"),
    ],
)
def test_rates_as_shipped(country: str, tax_class: str, rate: str) -> None:
    assert vat_rate(country, tax_class, MID_2026) == Decimal(rate)


def test_a_rate_applies_within_its_period() -> None:
    # Sweden halves its food rate from 1 April 2026 to the end of 2027.
    assert vat_rate("SE", "food", datetime.date(2026, 3, 31)) == Decimal("12")
    assert vat_rate("SE", "food", datetime.date(2026, 4, 1)) == Decimal("6")
    assert vat_rate("SE", "food", datetime.date(2028, 1, 1)) == Decimal("12")
    assert vat_rate("FI", "food", datetime.date(2025, 12, 31)) == Decimal("14")
    assert vat_rate("fi", "food", datetime.date(2026, 1, 1)) == Decimal("13.5")


def test_no_rate_is_a_clear_lookup_error() -> None:
    with pytest.raises(VatRateMissing) as exc:
        vat_rate("DE", "standard", datetime.date(2020, 1, 1))
    assert isinstance(exc.value, LookupError)
    assert "DE/standard on 2020-01-01" in str(exc.value)
    with pytest.raises(LookupError):
        vat_rate("US", "standard", MID_2026)


def test_one_start_per_country_and_class() -> None:
    with pytest.raises(IntegrityError):
        VatRate.objects.create(
            country="DE", tax_class="standard", rate=20, valid_from="2026-01-01", source="test"
        )


def test_an_operators_new_rate_applies_from_its_first_day(
    user_factory: Any, client: Client
) -> None:
    operator = user_factory(email="ops@pasar.test", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert vat_rate("DE", "standard", datetime.date(2027, 7, 1)) == Decimal("19")  # cached now

    response = client.post(
        "/operator/taxes/vatrate/add/",
        {
            "country": "DE",
            "tax_class": "standard",
            "rate": "21",
            "valid_from": "2027-07-01",
            "valid_to": "",
            "source": "Bundesgesetzblatt 2027 (test)",
            "confidence": "announced",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert vat_rate("DE", "standard", datetime.date(2027, 6, 30)) == Decimal("19")
    assert vat_rate("DE", "standard", datetime.date(2027, 7, 1)) == Decimal("21")
    assert vat_rate("DE", "coffee", datetime.date(2027, 7, 1)) == Decimal("7")


def test_operators_filter_the_table(user_factory: Any, client: Client) -> None:
    client.force_login(user_factory(email="ops@pasar.test", is_staff=True, is_superuser=True))
    response = client.get("/operator/taxes/vatrate/", {"country": "SE", "tax_class": "food"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
