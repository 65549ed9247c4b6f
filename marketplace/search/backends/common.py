"""What both backends share: price ranges, facet labels and the order of facet values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from babel.numbers import format_currency
from django.utils import translation
from django.utils.translation import gettext as _

from ..query import FacetValue, SearchQuery

#: Price ranges per currency, ``[low, high)`` on the lowest net price; ``None``: no upper bound.
PRICE_RANGES: dict[str, tuple[tuple[Decimal, Decimal | None], ...]] = {
    "IDR": (
        (Decimal(0), Decimal(50_000)),
        (Decimal(50_000), Decimal(100_000)),
        (Decimal(100_000), Decimal(250_000)),
        (Decimal(250_000), Decimal(500_000)),
        (Decimal(500_000), None),
    ),
    "EUR": (
        (Decimal(0), Decimal(10)),
        (Decimal(10), Decimal(25)),
        (Decimal(25), Decimal(50)),
        (Decimal(50), Decimal(100)),
        (Decimal(100), None),
    ),
}

#: Where each market's lowest price lives in a document (the column and the ES field agree).
PRICE_FIELDS: dict[str, str] = {"IDR": "min_price_idr", "EUR": "min_export_price_eur"}

_LOCALES = {"id": "id_ID", "en": "en_GB", "de": "de_DE", "nl": "nl_NL", "fr": "fr_FR"}


def price_field(currency: str) -> str:
    try:
        return PRICE_FIELDS[currency]
    except KeyError:
        raise ValueError(f"Search has no prices in {currency!r}.") from None


def price_ranges(currency: str) -> tuple[tuple[Decimal, Decimal | None], ...]:
    price_field(currency)
    return PRICE_RANGES[currency]


#: The smallest amount of each currency: a range's value ends one unit below the next range.
UNITS: dict[str, Decimal] = {"IDR": Decimal(1), "EUR": Decimal("0.01")}


def range_key(low: Decimal, high: Decimal | None, currency: str) -> str:
    """A range's facet value, as the storefront passes it back as ``price_min``/``price_max``.

    Both filters are inclusive, so the value ends one unit below the range's upper bound
    (``50000-99999``, ``10-24.99``, ``500000-``): filtering by it finds exactly what was counted.
    """
    if high is None:
        return f"{low:f}-"
    return f"{low:f}-{high - UNITS[currency]:f}"


def _money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(
        amount,
        currency,
        locale=_LOCALES.get(language, "id_ID"),
        format="¤#,##0",
        currency_digits=False,
    )


def range_label(low: Decimal, high: Decimal | None, currency: str, language: str) -> str:
    if high is None:
        return _("%(low)s and more") % {"low": _money(low, currency, language)}
    if low == 0:
        return _("Under %(high)s") % {"high": _money(high, currency, language)}
    return _("%(low)s to %(high)s") % {
        "low": _money(low, currency, language),
        "high": _money(high, currency, language),
    }


def price_facet(query: SearchQuery, counts: Mapping[str, int]) -> list[FacetValue]:
    """Price ranges in the market's currency with their counts; empty ranges are left out."""
    currency = query.market.currency
    values = []
    with translation.override(query.language):
        for low, high in price_ranges(currency):
            key = range_key(low, high, currency)
            if counts.get(key):
                values.append(
                    FacetValue(key, range_label(low, high, currency, query.language), counts[key])
                )
    return values


def bool_facet(query: SearchQuery, name: str, counts: Mapping[bool, int]) -> list[FacetValue]:
    """``in_stock`` and ``ships_to_eu``: ``true`` first, then ``false``; empty ones left out."""
    with translation.override(query.language):
        labels = {
            "in_stock": {True: _("In stock"), False: _("Out of stock")},
            "ships_to_eu": {True: _("Ships to the EU"), False: _("Within Indonesia only")},
        }[name]
        return [
            FacetValue("true" if flag else "false", str(labels[flag]), counts[flag])
            for flag in (True, False)
            if counts.get(flag)
        ]


def term_facet(counts: Mapping[str, int], labels: Mapping[str, str]) -> list[FacetValue]:
    """Most listings first, then by label; values without listings are left out."""
    values = [
        FacetValue(value, labels.get(value, value), count)
        for value, count in counts.items()
        if value and count
    ]
    return sorted(values, key=lambda v: (-v.count, v.label.casefold(), v.value))
