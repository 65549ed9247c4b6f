"""What a shop's parcel weighs and what each courier charges to carry it.

Checkout prices every shop's parcel separately, for every option shown, on every page view: the
rate tables are read from the default cache (Redis in production), never row by row. The domestic
table is cached per origin region (a checkout with five shops of one regency reads it once), the
international table and the settings whole. Saving or deleting any shipping row bumps a version
number that every key includes, so an operator's edit reaches the next quote in every process;
the expiry only bounds what a bulk change outside the ORM's signals can leave behind.

Within ``quoting()`` (``checkout.totals.summarise`` opens one per summary) what was read from the
cache is kept for the rest of the block: a summary of several parcels reads the version, the
packaging and each origin's table once instead of once per parcel (each read is a round trip to
Redis). The block is one computation of one request, so an operator's edit still reaches the
next one.

The shop's origin is its district, else its regency: the region codes nest (village
``3510170012`` → district ``3510170`` → regency ``3510``), so the origins follow from the
village's code without walking the tree. Load shops with ``select_related("village")``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from djmoney.money import Money

from marketplace.catalog.models import ProductVariant
from marketplace.taxes.countries import is_eu_country
from sellers.models import Shop

from .models import DomesticRate, InternationalRate, ShippingSettings
from .provinces import is_province_code, province_name

VERSION_KEY = "shipping:version"
CACHE_SECONDS = 600
#: Lengths of regency and district codes in the region tree (``3510``, ``3510170``).
REGENCY_CODE_LENGTH = 4
DISTRICT_CODE_LENGTH = 7


@dataclass(frozen=True)
class Destination:
    country: str  # ISO, "ID" or an EU state
    province_code: str = ""  # BPS 2-digit province code for Indonesia ("35" Jawa Timur)


@dataclass(frozen=True)
class ParcelItem:
    weight_grams: int  # of one unit; 0 when the variant has none (the settings' default applies)
    quantity: int


@dataclass(frozen=True)
class ShippingOption:
    code: str  # stable, e.g. "jne-reg", "pos-ems"
    courier: str  # display name "JNE"
    service: str  # "REG", "EMS", "Paket Pos Internasional"
    price: Money  # IDR for Indonesia, EUR for the EU
    weight_grams: int  # charged parcel weight (items + packaging)
    days_min: int | None
    days_max: int | None


class ShippingUnavailable(ValidationError):
    """The chosen service cannot carry this parcel there; the message tells the buyer why."""


class Tariff(NamedTuple):
    """One rate row as cached: plain values, so the cache never holds model instances."""

    code: str
    courier: str
    service: str
    first_weight_grams: int
    first_price: Decimal
    step_grams: int
    step_price: Decimal
    max_weight_grams: int
    days_min: int | None
    days_max: int | None

    def price(self, grams: int) -> Decimal:
        """First weight at the first price, then every started step at the step price."""
        if grams <= self.first_weight_grams:
            return self.first_price
        steps = math.ceil((grams - self.first_weight_grams) / self.step_grams)
        return self.first_price + steps * self.step_price


@dataclass(frozen=True)
class Packaging:
    per_parcel: int
    per_item: int
    default_item_weight: int


# --- cache ---------------------------------------------------------------------------------

#: What the current ``quoting()`` block has read already (cache key → value); ``None`` outside.
_memo: ContextVar[dict[str, Any] | None] = ContextVar("shipping_memo", default=None)


@contextmanager
def quoting() -> Iterator[None]:
    """Read each cached table at most once inside the block (nested blocks share the outer one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _version() -> int:
    memo = _memo.get()
    if memo is not None and VERSION_KEY in memo:
        return int(memo[VERSION_KEY])
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY, 1)
    if memo is not None:
        memo[VERSION_KEY] = value
    return int(value)


def forget_rates() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new value leaves the old keys unread
        cache.set(VERSION_KEY, _version() + 1, timeout=None)


def rates_changed(**kwargs: Any) -> None:
    """Signal receiver: forget the cached tables now and again on commit (see taxes.selectors)."""
    forget_rates()
    transaction.on_commit(forget_rates)


def _tariff(row: DomesticRate | InternationalRate) -> Tariff:
    return Tariff(
        code=f"{row.courier.code}-{row.service_code}",
        courier=row.courier.name,
        service=row.service,
        first_weight_grams=row.first_weight_grams,
        first_price=row.first_price.amount,
        step_grams=row.step_grams,
        step_price=row.step_price.amount,
        max_weight_grams=row.max_weight_grams,
        days_min=row.days_min,
        days_max=row.days_max,
    )


def _domestic_tables(codes: Sequence[str]) -> dict[str, dict[str, list[Tariff]]]:
    """origin code → province code → tariffs of active domestic couriers; one query for misses."""
    version = _version()
    keys = {f"shipping:{version}:domestic:{code}": code for code in codes}
    memo = _memo.get()
    found: dict[str, Any] = {}
    if memo is not None:
        found = {key: memo[key] for key in keys if key in memo}
    if len(found) < len(keys):
        found.update(cache.get_many([key for key in keys if key not in found]))
    tables: dict[str, dict[str, list[Tariff]]] = {keys[k]: v for k, v in found.items()}
    missing = [code for code in codes if code not in tables]
    if missing:
        for code in missing:
            tables[code] = {}
        rows = DomesticRate.objects.filter(
            origin_code__in=missing, courier__active=True, courier__domestic=True
        ).select_related("courier")
        for row in rows:
            tables[row.origin_code].setdefault(row.province_code, []).append(_tariff(row))
        cache.set_many(
            {f"shipping:{version}:domestic:{code}": tables[code] for code in missing},
            CACHE_SECONDS,
        )
    if memo is not None:
        memo.update({key: tables[code] for key, code in keys.items()})
    return tables


def _international_table() -> dict[str, list[Tariff]]:
    """country → tariffs of active international couriers, from the cache or in one query."""
    key = f"shipping:{_version()}:international"
    memo = _memo.get()
    table: dict[str, list[Tariff]] | None = memo.get(key) if memo is not None else None
    if table is None:
        table = cache.get(key)
    if table is None:
        table = {}
        rows = InternationalRate.objects.filter(
            courier__active=True, courier__international=True
        ).select_related("courier")
        for row in rows:
            table.setdefault(str(row.country), []).append(_tariff(row))
        cache.set(key, table, CACHE_SECONDS)
    if memo is not None:
        memo[key] = table
    return table


def packaging() -> Packaging:
    """Today's packaging and default weights (the model's defaults until a row exists)."""
    key = f"shipping:{_version()}:settings"
    memo = _memo.get()
    periods: list[tuple[Any, Packaging]] | None = memo.get(key) if memo is not None else None
    if periods is None:
        periods = cache.get(key)
    if periods is None:
        periods = [
            (
                row.valid_from,
                Packaging(
                    row.packaging_grams_per_parcel,
                    row.packaging_grams_per_item,
                    row.default_item_weight_grams,
                ),
            )
            for row in ShippingSettings.objects.order_by("-valid_from")
        ]
        cache.set(key, periods, CACHE_SECONDS)
    if memo is not None:
        memo[key] = periods
    today = timezone.localdate()
    for valid_from, value in periods:
        if valid_from <= today:
            return value
    defaults = ShippingSettings()
    return Packaging(
        defaults.packaging_grams_per_parcel,
        defaults.packaging_grams_per_item,
        defaults.default_item_weight_grams,
    )


# --- weights and prices --------------------------------------------------------------------


def parcel_item(variant: ProductVariant, quantity: int) -> ParcelItem:
    """The parcel item for ``quantity`` of ``variant`` (no weight entered: counted as unknown)."""
    return ParcelItem(weight_grams=variant.weight_grams or 0, quantity=quantity)


def parcel_weight(items: Sequence[ParcelItem]) -> int:
    """Grams the courier weighs: every unit (its weight, or the default) plus packaging.

    Packaging is one box per parcel plus wrapping per unit; an empty parcel weighs nothing.
    """
    settings = packaging()
    units = 0
    grams = 0
    for item in items:
        if item.quantity < 0:
            raise ValueError(f"negative quantity in a parcel: {item!r}")
        weight = item.weight_grams if item.weight_grams > 0 else settings.default_item_weight
        units += item.quantity
        grams += (weight + settings.per_item) * item.quantity
    if units == 0:
        return 0
    return grams + settings.per_parcel


def origin_codes(shop: Shop) -> list[str]:
    """The shop's district code, then its regency code: the more specific rate wins."""
    code = shop.village.code
    return [code[:DISTRICT_CODE_LENGTH], code[:REGENCY_CODE_LENGTH]]


def _tariffs(shop: Shop, destination: Destination) -> tuple[list[Tariff], str]:
    """Every tariff serving the destination from the shop, with the currency it is priced in."""
    country = destination.country.upper()
    if country == "ID":
        if not is_province_code(destination.province_code):
            return [], "IDR"
        codes = origin_codes(shop)
        tables = _domestic_tables(codes)
        chosen: dict[str, Tariff] = {}
        for code in reversed(codes):  # regency first, then the district's rows replace them
            for tariff in tables[code].get(destination.province_code, ()):
                chosen[tariff.code] = tariff
        return list(chosen.values()), "IDR"
    if is_eu_country(country):
        return list(_international_table().get(country, ())), "EUR"
    return [], ""


def _option(tariff: Tariff, grams: int, currency: str) -> ShippingOption:
    return ShippingOption(
        code=tariff.code,
        courier=tariff.courier,
        service=tariff.service,
        price=Money(tariff.price(grams), currency),
        weight_grams=grams,
        days_min=tariff.days_min,
        days_max=tariff.days_max,
    )


def _sorted(options: Iterable[ShippingOption]) -> list[ShippingOption]:
    return sorted(options, key=lambda o: (o.price.amount, o.code))


def shipping_options(
    shop: Shop, destination: Destination, items: Sequence[ParcelItem]
) -> list[ShippingOption]:
    """Every way ``shop`` can send ``items`` to ``destination``, cheapest first.

    Empty when nobody serves the destination (a country we do not ship to, an unknown province)
    or the parcel is too heavy for every service: the checkout says so instead of guessing.
    """
    grams = parcel_weight(items)
    tariffs, currency = _tariffs(shop, destination)
    return _sorted(_option(t, grams, currency) for t in tariffs if grams <= t.max_weight_grams)


def shipping_quote(
    shop: Shop, destination: Destination, items: Sequence[ParcelItem], code: str
) -> ShippingOption:
    """The option ``code`` for this parcel; ``ShippingUnavailable`` says why there is none."""
    grams = parcel_weight(items)
    tariffs, currency = _tariffs(shop, destination)
    tariff = next((t for t in tariffs if t.code == code), None)
    if tariff is None:
        raise ShippingUnavailable(
            _("This shipping service does not deliver from this shop to %(destination)s."),
            code="shipping_unavailable",
            params={"destination": _destination_name(destination)},
        )
    if grams > tariff.max_weight_grams:
        raise ShippingUnavailable(
            _(
                "The parcel weighs %(weight)s kg; %(courier)s %(service)s carries at most "
                "%(max)s kg. Choose another service or split the order."
            ),
            code="parcel_too_heavy",
            params={
                "weight": _kilograms(grams),
                "courier": tariff.courier,
                "service": tariff.service,
                "max": _kilograms(tariff.max_weight_grams),
            },
        )
    return _option(tariff, grams, currency)


def _kilograms(grams: int) -> str:
    return str(Decimal(grams) / 1000)


def _destination_name(destination: Destination) -> str:
    if destination.country.upper() == "ID":
        return province_name(destination.province_code) or "Indonesia"
    return str(countries.name(destination.country.upper()) or destination.country)
