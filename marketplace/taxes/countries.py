"""The member states of the European Union, the countries whose VAT we charge at checkout.

ISO 3166-1 codes (Greece is ``GR`` here, although the EU's VAT documents call it ``EL``). A
change of membership is a code change with a migration of the rate table, so a constant is right.
"""

from __future__ import annotations

from django_countries import Countries

EU_COUNTRIES: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def is_eu_country(code: str) -> bool:
    return code.upper() in EU_COUNTRIES


class EuCountries(Countries):
    """The choices of ``VatRate.country``: operators pick a member state, never a typo."""

    only = sorted(EU_COUNTRIES)
