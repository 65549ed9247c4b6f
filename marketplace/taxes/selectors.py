"""Reads of the VAT table.

Every displayed EU price needs a rate, and a product list shows dozens of prices: the whole table
(under a hundred rows) is read once and kept in the default cache (Redis in production, so every
process sees an operator's change at once). Saving or deleting a ``VatRate`` drops it; the expiry
only bounds what a bulk change outside the ORM's signals (a data migration) can leave behind.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import VatRate

CACHE_KEY = "taxes:vat-rates:v1"
CACHE_SECONDS = 600

#: (country, tax class) -> periods as (valid_from, valid_to, rate), latest start first.
RateTable = dict[tuple[str, str], list[tuple[datetime.date, datetime.date | None, Decimal]]]


class VatRateMissing(LookupError):
    """No rate is recorded for the country and tax class on that day: an operator must add one.

    Selling without the rate would charge the wrong VAT, so callers refuse the sale instead.
    """

    def __init__(self, country: str, tax_class: str, on: datetime.date) -> None:
        self.country = country
        self.tax_class = tax_class
        self.on = on
        super().__init__(
            f"No VAT rate for {country}/{tax_class} on {on.isoformat()}: "
            "add one in the operator pages (Taxes > VAT rates)."
        )


def rate_table() -> RateTable:
    """The whole table, from the cache or in one query."""
    table: RateTable | None = cache.get(CACHE_KEY)
    if table is None:
        table = {}
        rows = VatRate.objects.order_by("-valid_from").values_list(
            "country", "tax_class", "valid_from", "valid_to", "rate"
        )
        for country, tax_class, valid_from, valid_to, rate in rows:
            table.setdefault((str(country), tax_class), []).append((valid_from, valid_to, rate))
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def vat_rate(country: str, tax_class: str, on: datetime.date | None = None) -> Decimal:
    """The rate (percent) in force in ``country`` for ``tax_class`` on ``on`` (default: today).

    Of the rows whose period contains the day, the one that started last wins, so a new row with
    a later ``valid_from`` takes over from an open-ended one on its first day.
    """
    day = on or timezone.localdate()
    country = country.upper()
    for valid_from, valid_to, rate in rate_table().get((country, tax_class), ()):
        if valid_from <= day and (valid_to is None or day <= valid_to):
            return rate
    raise VatRateMissing(country, tax_class, day)


def forget_rates() -> None:
    cache.delete(CACHE_KEY)


def rates_changed(**kwargs: Any) -> None:
    """Signal receiver: drop the cached table now and again on commit.

    Now, so the writing request itself reads its change; on commit, so a request that re-read the
    table before the commit does not keep the old rates for the cache's lifetime.
    """
    from marketplace.core.cache import bump_catalog_generation

    forget_rates()
    transaction.on_commit(forget_rates)
    # Cached pages show prices with VAT: they are rebuilt too.
    transaction.on_commit(bump_catalog_generation)
