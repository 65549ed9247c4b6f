"""Parcel taxes to the EU: IOSS VAT and the flat duty at checkout, or an estimate above €150.

Expected figures are worked out here by hand from the reference numbers (the shipped VAT table:
DE coffee 7 %, FR coffee 5.5 %, FR standard 20 %, NL standard 21 %; the shipped import rules:
€150 threshold, €3 per subheading from 2026-07-01, carrier fee estimate €12 and duty estimate 5 %
from then), never by calling the function under test twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from djmoney.money import Money

from marketplace.taxes.customs import (
    ImportRuleMissing,
    TaxableLine,
    import_rule,
    parcel_taxes,
)
from marketplace.taxes.models import ImportRule, VatRate
from marketplace.taxes.selectors import VatRateMissing

pytestmark = pytest.mark.django_db

AFTER = datetime.date(2026, 8, 3)  # the flat duty is in force
BEFORE = datetime.date(2026, 3, 2)  # IOSS without a flat duty


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def coffee(net: str, hs: str = "090121") -> TaxableLine:
    return TaxableLine(tax_class="coffee", hs_code=hs, net=eur(net))


def batik(net: str, hs: str = "520852") -> TaxableLine:
    return TaxableLine(tax_class="standard", hs_code=hs, net=eur(net))


def test_a_german_buyers_40_euro_coffee_parcel() -> None:
    # Ground coffee and beans, both roasted coffee 0901.21: one subheading.
    lines = [coffee("25.00"), coffee("15.00", hs="0901.21")]

    taxes = parcel_taxes("DE", lines, eur("22.00"), on=AFTER)

    assert taxes.regime == "ioss"
    assert taxes.intrinsic_value == eur("40.00")
    # 7 % on each line (25 x 0.07 = 1.75, 15 x 0.07 = 1.05), then on shipping (22 x 0.07 = 1.54).
    assert [(v.rate, v.base, v.amount) for v in taxes.vat_lines] == [
        (Decimal("7"), eur("25.00"), eur("1.75")),
        (Decimal("7"), eur("15.00"), eur("1.05")),
        (Decimal("7"), eur("22.00"), eur("1.54")),
    ]
    assert taxes.vat == eur("4.34")
    assert taxes.duty_subheadings == ["090121"]
    assert taxes.duty == eur("3.00")
    assert taxes.due_on_delivery is None
    assert taxes.rule is not None and taxes.rule.valid_from == datetime.date(2026, 7, 1)


def test_before_july_2026_the_same_parcel_pays_no_duty() -> None:
    taxes = parcel_taxes("DE", [coffee("25.00"), coffee("15.00")], eur("22.00"), on=BEFORE)

    assert taxes.regime == "ioss"
    assert taxes.vat == eur("4.34")  # VAT is due all the same
    assert taxes.duty == eur("0.00")
    assert taxes.rule is not None and taxes.rule.valid_to == datetime.date(2026, 6, 30)


def test_a_dutch_buyers_200_euro_batik_parcel_pays_on_delivery() -> None:
    taxes = parcel_taxes("NL", [batik("120.00"), batik("80.00")], eur("26.00"), on=AFTER)

    assert taxes.regime == "import"
    assert taxes.intrinsic_value == eur("200.00")
    # Nothing is charged at checkout …
    assert taxes.vat == eur("0") and taxes.duty == eur("0") and taxes.vat_lines == []
    # … and the buyer is told what the carrier collects: duty 5 % of goods and shipping
    # (226 x 0.05 = 11.30), import VAT 21 % on goods, shipping and duty (237.30 x 0.21 = 49.833
    # → 49.83) and the carrier's fee (12.00).
    assert taxes.due_on_delivery == eur("73.13")


def test_a_french_buyers_mixed_parcel_with_two_subheadings() -> None:
    lines = [coffee("23.00"), batik("45.00"), batik("12.00", hs="5208.52")]

    taxes = parcel_taxes("FR", lines, eur("20.00"), on=AFTER)

    assert taxes.regime == "ioss"
    assert taxes.intrinsic_value == eur("80.00")
    # Goods: 23 x 5.5 % = 1.265 → 1.27 (half-up), 45 x 20 % = 9.00, 12 x 20 % = 2.40.
    # Shipping split by the goods' values: 20 x 23/80 = 5.75 at 5.5 % = 0.31625 → 0.32;
    # the remaining 14.25 at 20 % = 2.85.
    assert [(v.rate, v.base, v.amount) for v in taxes.vat_lines] == [
        (Decimal("5.5"), eur("23.00"), eur("1.27")),
        (Decimal("20"), eur("45.00"), eur("9.00")),
        (Decimal("20"), eur("12.00"), eur("2.40")),
        (Decimal("5.5"), eur("5.75"), eur("0.32")),
        (Decimal("20"), eur("14.25"), eur("2.85")),
    ]
    assert taxes.vat == eur("15.84")
    assert taxes.duty_subheadings == ["090121", "520852"]
    assert taxes.duty == eur("6.00")


def test_the_threshold_is_inclusive_and_excludes_shipping() -> None:
    at = parcel_taxes("DE", [batik("150.00")], eur("40.00"), on=AFTER)
    above = parcel_taxes("DE", [batik("150.01")], eur("0.00"), on=AFTER)

    assert at.regime == "ioss"  # goods €150 + shipping €40: still IOSS
    assert at.vat == eur("36.10")  # (150 + 40) x 19 %
    assert above.regime == "import"


def test_headings_and_uncoded_lines_count_as_their_own_subheadings() -> None:
    lines = [
        batik("10.00", hs="5208"),  # only the heading is known
        batik("10.00", hs="520852"),
        TaxableLine(tax_class="standard", hs_code="", net=eur("5.00")),
        TaxableLine(tax_class="standard", hs_code="", net=eur("5.00")),
    ]
    taxes = parcel_taxes("DE", lines, eur("0"), on=AFTER)

    assert taxes.duty_subheadings == ["5208", "520852", "", ""]
    assert taxes.duty == eur("12.00")


def test_free_shipping_adds_no_vat_line() -> None:
    taxes = parcel_taxes("DE", [coffee("10.00")], eur("0.00"), on=AFTER)
    assert [v.amount for v in taxes.vat_lines] == [eur("0.70")]


def test_domestic_parcels_have_no_tax_lines() -> None:
    taxes = parcel_taxes("ID", [], Money(18_000, "IDR"), on=AFTER)

    assert taxes.regime == "domestic"
    assert taxes.vat == Money(0, "IDR") and taxes.duty == Money(0, "IDR")
    assert taxes.vat_lines == [] and taxes.due_on_delivery is None and taxes.rule is None


def test_a_missing_vat_rate_refuses_the_parcel() -> None:
    VatRate.objects.filter(country="DE", tax_class="coffee").delete()

    with pytest.raises(VatRateMissing):
        parcel_taxes("DE", [coffee("10.00")], eur("5.00"), on=AFTER)


def test_no_rule_for_the_day_refuses_the_parcel() -> None:
    with pytest.raises(ImportRuleMissing):
        parcel_taxes("DE", [coffee("10.00")], eur("5.00"), on=datetime.date(2020, 1, 1))


def test_wrong_currency_or_country_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="EUR"):
        parcel_taxes("DE", [TaxableLine("coffee", "090121", Money(1000, "IDR"))], eur("1"))
    with pytest.raises(ValueError, match="US"):
        parcel_taxes("US", [coffee("10.00")], eur("5.00"))


def test_the_threshold_is_the_one_of_the_rule_in_force_that_day() -> None:
    # A hypothetical lower threshold from 1 October 2026 (the reference's figures are "verify").
    ImportRule.objects.create(
        valid_from=datetime.date(2026, 10, 1),
        ioss_threshold=eur("100.00"),
        duty_per_subheading=eur("3.00"),
        carrier_fee_estimate=eur("12.00"),
        duty_rate_estimate_above_threshold=Decimal("5"),
        source="test",
    )
    lines = [batik("120.00")]

    assert parcel_taxes("DE", lines, eur("10.00"), on=datetime.date(2026, 9, 30)).regime == "ioss"
    assert parcel_taxes("DE", lines, eur("10.00"), on=datetime.date(2026, 10, 1)).regime == "import"


def test_the_shipped_rules() -> None:
    rules = list(ImportRule.objects.order_by("valid_from"))
    assert [(r.valid_from, r.valid_to, r.duty_per_subheading) for r in rules] == [
        (datetime.date(2021, 7, 1), datetime.date(2026, 6, 30), eur("0.00")),
        (datetime.date(2026, 7, 1), None, eur("3.00")),
    ]
    assert all(r.ioss_threshold == eur("150.00") and r.source for r in rules)


def test_an_operators_change_applies_at_once(user_factory: Any, client: Client) -> None:
    assert parcel_taxes("DE", [coffee("10.00")], eur("0"), on=AFTER).duty == eur("3.00")  # cached
    operator = user_factory(email="ops@pasar.test", is_staff=True, is_superuser=True)
    client.force_login(operator)
    rule = import_rule(AFTER)
    assert rule is not None

    response = client.post(
        f"/operator/taxes/importrule/{rule.pk}/change/",
        {
            "valid_from": "2026-07-01",
            "valid_to": "",
            "ioss_threshold_0": "150.00",
            "ioss_threshold_1": "EUR",
            "duty_per_subheading_0": "3.50",
            "duty_per_subheading_1": "EUR",
            "carrier_fee_estimate_0": "12.00",
            "carrier_fee_estimate_1": "EUR",
            "duty_rate_estimate_above_threshold": "5",
            "source": "Official Journal (test)",
            "confidence": "confirmed",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert parcel_taxes("DE", [coffee("10.00")], eur("0"), on=AFTER).duty == eur("3.50")
    assert client.get("/operator/taxes/importrule/").status_code == 200


def test_five_parcels_read_the_tables_once(django_assert_max_num_queries: Any) -> None:
    lines = [coffee("12.00"), batik("30.00")]
    # Cold: the VAT table and the rules, one query each, whatever the number of parcels.
    with django_assert_max_num_queries(2):
        for country in ["DE", "FR", "NL", "AT", "IT"]:
            parcel_taxes(country, lines, eur("20.00"), on=AFTER)
    with django_assert_max_num_queries(0):
        for country in ["DE", "FR", "NL", "AT", "IT"]:
            parcel_taxes(country, lines, eur("20.00"), on=AFTER)


@pytest.mark.parametrize(
    ("day", "duty"), [(datetime.date(2026, 6, 30), "0.00"), (datetime.date(2026, 7, 1), "3.00")]
)
def test_the_flat_duty_starts_on_1_july_2026(day: datetime.date, duty: str) -> None:
    assert parcel_taxes("DE", [coffee("10.00")], eur("5.00"), on=day).duty == eur(duty)


def test_the_shipping_split_adds_up_to_the_charge() -> None:
    # €10.01 shipping for goods of €10 (coffee, 7 %) and €10 (batik, 19 %): halves of 5.005 would
    # both round to 5.01 (10.02 in all); the first part is 5.01, the second the remaining 5.00.
    taxes = parcel_taxes("DE", [coffee("10.00"), batik("10.00")], eur("10.01"), on=AFTER)

    assert [(v.rate, v.base, v.amount) for v in taxes.vat_lines[2:]] == [
        (Decimal("7"), eur("5.01"), eur("0.35")),  # 0.3507
        (Decimal("19"), eur("5.00"), eur("0.95")),
    ]
    assert taxes.vat == eur("0.70") + eur("1.90") + eur("0.35") + eur("0.95")
