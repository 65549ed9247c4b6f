"""Which market a buyer shops in: Indonesia (IDR, final prices) or the EU (EUR, destination VAT).

The market follows the country the goods ship to, because that decides currency and VAT. A
buyer's explicit choice (the footer form, cookie ``pasar_country``) wins; otherwise the browser's
``Accept-Language`` gives a first guess. We ship only to Indonesia and the EU member states.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import django_countries
from babel import Locale, UnknownLocaleError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django_countries import countries

from marketplace.taxes.countries import EU_COUNTRIES

COUNTRY_COOKIE_NAME = "pasar_country"
COUNTRY_COOKIE_AGE = 365 * 24 * 3600
HOME_COUNTRY = "ID"
_REQUEST_ATTR = "_pasar_market"

#: A language without a region tag, mapped to the one shipping country where it is mostly spoken.
#: English is missing on purpose: it says nothing about where the buyer lives.
LANGUAGE_COUNTRIES: dict[str, str] = {
    "id": "ID", "jv": "ID", "su": "ID", "bg": "BG", "cs": "CZ", "da": "DK", "de": "DE",
    "el": "GR", "es": "ES", "ca": "ES", "eu": "ES", "gl": "ES", "et": "EE", "fi": "FI",
    "fr": "FR", "ga": "IE", "hr": "HR", "hu": "HU", "it": "IT", "lb": "LU", "lt": "LT",
    "lv": "LV", "mt": "MT", "nl": "NL", "pl": "PL", "pt": "PT", "ro": "RO", "sk": "SK",
    "sl": "SI", "sv": "SE",
}  # fmt: skip

_REGION = re.compile(r"^(?:[a-z]{2}|\d{3})$")


@dataclass(frozen=True)
class Market:
    code: str  # "ID" or "EU"
    country: str  # destination ISO code, e.g. "ID", "DE", "NL"
    currency: str  # "IDR" or "EUR"

    @property
    def is_eu(self) -> bool:
        return self.code == "EU"


def ships_to(country: str) -> bool:
    return country.upper() == HOME_COUNTRY or country.upper() in EU_COUNTRIES


def market_for_country(country: str) -> Market:
    """The market of a destination; ``ValueError`` for a country we do not ship to."""
    code = country.strip().upper()
    if code == HOME_COUNTRY:
        return Market(code="ID", country=code, currency="IDR")
    if code in EU_COUNTRIES:
        return Market(code="EU", country=code, currency="EUR")
    raise ValueError(f"We do not ship to {country!r}: only to Indonesia and the EU member states.")


def guess_country(accept_language: str) -> str:
    """First guess of the destination from ``Accept-Language``, in the browser's order.

    A region tag decides when we ship there (``de-AT`` → AT, ``en-IE`` → IE); a region we do not
    ship to (``de-CH``, ``en-US``, ``pt-BR``) says the buyer is elsewhere, so the next language is
    asked. A bare language names its country (``nl`` → NL, ``id`` → ID); bare English says
    nothing. Without any clue: Indonesia, the home market.
    """
    for tag, _quality in parse_accept_lang_header(accept_language):
        language, *subtags = tag.lower().split("-")
        regions = [s for s in subtags if _REGION.match(s)]
        if regions:
            region = regions[0].upper()
            if ships_to(region):
                return region
            continue
        country = LANGUAGE_COUNTRIES.get(language)
        if country:
            return country
    return HOME_COUNTRY


def current_market(request: HttpRequest) -> Market:
    """The buyer's market: a valid ``pasar_country`` cookie, else the browser's languages.

    Computed once per request (pages ask for it from several templates and tags).
    """
    cached = getattr(request, _REQUEST_ATTR, None)
    if isinstance(cached, Market):
        return cached
    try:
        market = market_for_country(request.COOKIES.get(COUNTRY_COOKIE_NAME, ""))
    except ValueError:  # no cookie, or one we cannot honour (tampered, or a country we dropped)
        market = market_for_country(guess_country(request.headers.get("accept-language", "")))
    setattr(request, _REQUEST_ATTR, market)
    return market


class ShippingCountry(NamedTuple):
    code: str
    name: str
    is_eu: bool


def shipping_countries() -> list[ShippingCountry]:
    """Indonesia, then the EU member states by name, named in the active language."""
    eu = sorted(
        (ShippingCountry(code, country_name(code), True) for code in EU_COUNTRIES),
        key=lambda c: _sort_key(c.name),
    )
    return [ShippingCountry(HOME_COUNTRY, country_name(HOME_COUNTRY), False), *eu]


def country_name(code: str) -> str:
    """django-countries' name in the active language; CLDR's (Babel) where it has no catalogue.

    django-countries ships no Indonesian names, and Indonesian is our default language.
    """
    language = translation.get_language() or "en"
    locale_name = translation.to_locale(language)
    if not _countries_translates(locale_name):
        try:
            name = Locale.parse(locale_name).territories.get(code)
        except (ValueError, UnknownLocaleError):
            name = None
        if name:
            return str(name)
    return str(countries.name(code))


@functools.cache
def _countries_translates(locale_name: str) -> bool:
    if locale_name.split("_")[0] == "en":
        return True
    root = Path(django_countries.__file__).parent / "locale"
    return (root / locale_name).is_dir() or (root / locale_name.split("_")[0]).is_dir()


def _sort_key(name: str) -> str:
    # "Österreich" sorts with the O's, as a reader expects, not after "Zypern".
    return "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )
