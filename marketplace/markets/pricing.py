"""The one function behind every price a buyer sees.

Indonesia: the variant's rupiah price, final (domestic prices are shown as paid). EU: the seller's
EUR ``export_price`` is the net price; the buyer pays the destination state's VAT on top (IOSS:
the marketplace charges it at checkout, and EU consumer prices must include it), at the rate of
the category's tax class on the day. Amounts are Decimals rounded half-up to the currency's
minor unit; never floats.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from djmoney.money import Money

from marketplace.catalog.models import ProductVariant
from marketplace.taxes.selectors import VatRateMissing, vat_rate

from .formatting import format_percent_number, minor_units
from .markets import Market

logger = logging.getLogger(__name__)

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DisplayPrice:
    gross: Money  # what the buyer pays for the goods (EU: incl. destination VAT)
    net: Money  # before VAT (IDR: same as gross: domestic prices are final)
    vat_rate: Decimal | None  # percent, e.g. Decimal("19"); None for Indonesia
    vat_amount: Money | None
    country: str

    def vat_label(self) -> str:
        """The VAT line, e.g. "incl. 19% VAT, DE", in the active language; "" for Indonesia."""
        if self.vat_rate is None:
            return ""
        return gettext("incl. %(rate)s%% VAT, %(country)s") % {
            "rate": format_percent_number(self.vat_rate),
            "country": self.country,
        }


def round_money(amount: Decimal, currency: str) -> Money:
    """Half-up to the currency's minor unit (EUR cents, whole rupiah)."""
    step = Decimal(1).scaleb(-minor_units(currency))
    return Money(Decimal(amount).quantize(step, rounding=ROUND_HALF_UP), currency)


def price_for(
    variant: ProductVariant, market: Market, *, on: datetime.date | None = None
) -> DisplayPrice | None:
    """What ``variant`` costs a buyer in ``market`` on ``on`` (default today).

    ``None`` when it cannot be sold there: in the EU, a variant without an EUR price, or a
    destination whose VAT rate is missing from the table (charging the wrong VAT is worse than
    not selling; the error is logged for operators). Which *listings* a market shows is
    ``catalog.selectors.products_for_market``; this only prices. In the EU it reads
    ``variant.product.category.tax_class``: load it with ``select_related``.
    """
    if not market.is_eu:
        price = round_money(variant.price.amount, "IDR")
        return DisplayPrice(
            gross=price, net=price, vat_rate=None, vat_amount=None, country=market.country
        )
    if variant.export_price is None:
        return None
    net = round_money(variant.export_price.amount, "EUR")
    tax_class = variant.product.category.tax_class
    try:
        rate = vat_rate(market.country, tax_class, on)
    except VatRateMissing as exc:
        logger.error("Variant %s not priced for %s: %s", variant.pk, market.country, exc)
        return None
    gross = round_money(net.amount * (1 + rate / HUNDRED), "EUR")
    return DisplayPrice(
        gross=gross, net=net, vat_rate=rate, vat_amount=gross - net, country=market.country
    )


def lowest_price(
    variants: Iterable[ProductVariant], market: Market, *, on: datetime.date | None = None
) -> DisplayPrice | None:
    """The cheapest sellable variant's price in ``market`` ("from €8.47"); ``None`` if none sells.

    Compared by gross, what the buyer pays: variants of one listing share a tax class, so this is
    also the lowest net.
    """
    prices = [p for v in variants if (p := price_for(v, market, on=on)) is not None]
    return min(prices, key=lambda p: p.gross.amount, default=None)
