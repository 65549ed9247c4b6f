"""The last day a document counts: its own expiry date, else its issue date plus the rule's months.

Kept apart from ``services`` so the selectors, the services and the data migration share it.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(
    issued_on: date, expires_on: date | None, validity_months: int | None
) -> date | None:
    """``None`` means it does not expire."""
    if expires_on is not None:
        return expires_on
    if validity_months:
        return add_months(issued_on, validity_months)
    return None
