"""Money and numbers as the reader's language writes them (Babel's CLDR data).

One place, so "Rp 45.000", "€11.31" and "11,31 €" follow the active language everywhere and no
template formats money by hand.
"""

from __future__ import annotations

import copy
import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, parse_pattern
from django.conf import settings
from django.utils import translation
from djmoney.money import Money

#: Digits after the decimal point as this marketplace prices them. CLDR gives IDR two, but rupiah
#: prices are whole (the catalog stores them with 0 decimals).
MINOR_UNITS: dict[str, int] = {"IDR": 0, "EUR": 2}

# CLDR's currency spacing, which Babel leaves out: a symbol made of letters ("Rp", "IDR") is kept
# apart from the digits by a no-break space; "€11.31" stays as it is.
_LETTER_BEFORE_DIGIT = re.compile(r"([^\W\d_])(?=[-\d])")
_DIGIT_BEFORE_LETTER = re.compile(r"(\d)(?=[^\W\d_])")


def minor_units(currency: str) -> int:
    return MINOR_UNITS.get(currency, 2)


@functools.cache
def _locale(locale_name: str) -> Locale:
    try:
        return Locale.parse(locale_name)
    except (ValueError, UnknownLocaleError):
        try:
            return Locale.parse(locale_name.split("_")[0])
        except (ValueError, UnknownLocaleError):
            return Locale.parse("en")


def babel_locale(language: str | None = None) -> Locale:
    """Babel's locale of ``language`` (default: the active language)."""
    return _locale(
        translation.to_locale(language or translation.get_language() or settings.LANGUAGE_CODE)
    )


def format_money(money: Money, language: str | None = None) -> str:
    """``money`` in the currency format of ``language``, with the marketplace's minor units."""
    locale = babel_locale(language)
    currency = str(money.currency)
    digits = minor_units(currency)
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"]))  # cached: do not mutate
    pattern.frac_prec = (digits, digits)
    # Rounded here half-up, as every amount we charge is; Babel would round half-even.
    amount = Decimal(money.amount).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = pattern.apply(amount, locale, currency=currency, currency_digits=False)
    text = _LETTER_BEFORE_DIGIT.sub("\\1\u00a0", text)
    return _DIGIT_BEFORE_LETTER.sub("\\1\u00a0", text)


def format_percent_number(value: Decimal, language: str | None = None) -> str:
    """A rate such as 19.00 or 25.50 as "19" or "25,5" (no trailing zeros, local separator)."""
    return format_decimal(value, locale=babel_locale(language))
