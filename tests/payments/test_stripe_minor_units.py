"""The one conversion to Stripe's minor units (https://docs.stripe.com/currencies).

EUR is a two-decimal currency. IDR is one of Stripe's special cases: two decimals in the API
(Rp 1 is ``100``), whole rupiah in payouts, so rupiah are multiplied by 100 and sen are refused.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from djmoney.money import Money

from marketplace.payments.gateways.stripe import from_minor_units, to_minor_units


@pytest.mark.parametrize(
    ("money", "minor"),
    [
        (Money("12.34", "EUR"), 1234),
        (Money("0.50", "EUR"), 50),
        (Money("40", "EUR"), 4000),
        (Money(Decimal("199.99"), "EUR"), 19999),
        (Money("55000", "IDR"), 5_500_000),
        (Money(Decimal("150000.00"), "IDR"), 15_000_000),
        (Money("1", "IDR"), 100),
    ],
)
def test_amounts_become_stripe_minor_units(money: Money, minor: int) -> None:
    assert to_minor_units(money) == minor
    assert isinstance(to_minor_units(money), int)


@pytest.mark.parametrize(
    ("minor", "currency", "money"),
    [
        (1234, "eur", Money("12.34", "EUR")),
        (5_500_000, "idr", Money("55000", "IDR")),
    ],
)
def test_stripe_amounts_convert_back_exactly(minor: int, currency: str, money: Money) -> None:
    assert from_minor_units(minor, currency) == money
    assert to_minor_units(from_minor_units(minor, currency)) == minor


def test_rupiah_with_sen_are_refused_not_rounded() -> None:
    # Stripe pays out whole rupiah; a charge of Rp 10.000,50 would not match any payout.
    with pytest.raises(ValueError, match="whole units"):
        to_minor_units(Money("10000.50", "IDR"))


def test_a_fraction_of_a_cent_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="decimals"):
        to_minor_units(Money(Decimal("12.345"), "EUR"))


def test_an_unknown_currency_is_not_guessed() -> None:
    # JPY is zero-decimal at Stripe: multiplying by 100 would charge 100 times too much.
    with pytest.raises(ValueError, match="JPY"):
        to_minor_units(Money("500", "JPY"))
