"""Displayed prices: rupiah as they are, euro with the destination's VAT, rounded half-up."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation
from djmoney.money import Money

from marketplace.catalog.models import ProductVariant
from marketplace.markets.markets import Market, market_for_country
from marketplace.markets.pricing import lowest_price, price_for
from marketplace.taxes.models import VatRate
from marketplace.taxes.selectors import forget_rates

pytestmark = pytest.mark.django_db

Make = Callable[..., ProductVariant]
DAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("eur", "country", "category", "gross", "rate"),
    [
        ("8.50", "DE", "batik-tekstil", "10.12", "19"),  # 10.115 rounds up
        ("9.50", "DE", "batik-tekstil", "11.31", "19"),  # 11.305: half-even would say 11.30
        ("10.57", "DE", "kopi", "11.31", "7"),  # coffee at the reduced rate
        ("10.57", "AT", "kopi", "12.68", "20"),  # … but not in Austria
        ("10.00", "FI", "batik-tekstil", "12.55", "25.5"),
        ("4.00", "IE", "rempah", "4.00", "0"),
    ],
)
def test_eu_prices_include_the_destinations_vat(
    variant_factory: Make, eur: str, country: str, category: str, gross: str, rate: str
) -> None:
    variant = variant_factory(category=category, eur=eur)
    price = price_for(variant, market_for_country(country), on=DAY)
    assert price is not None
    assert price.net == Money(eur, "EUR")
    assert price.gross == Money(gross, "EUR")
    assert price.vat_amount == Money(Decimal(gross) - Decimal(eur), "EUR")
    assert price.vat_rate == Decimal(rate)
    assert price.country == country
    assert price.gross.amount.as_tuple().exponent == -2


def test_the_vat_line_names_rate_and_country(variant_factory: Make) -> None:
    de = price_for(variant_factory(), market_for_country("DE"), on=DAY)
    fi = price_for(variant_factory(), market_for_country("FI"), on=DAY)
    assert de is not None and fi is not None
    with translation.override("en"):
        assert de.vat_label() == "incl. 19% VAT, DE"
        assert fi.vat_label() == "incl. 25.5% VAT, FI"


def test_rupiah_prices_are_final(variant_factory: Make, indonesia: Market) -> None:
    price = price_for(variant_factory(idr=45_000, eur=None), indonesia)
    assert price is not None
    assert price.gross == price.net == Money(45_000, "IDR")
    assert price.vat_rate is None and price.vat_amount is None
    assert price.vat_label() == ""
    assert price.country == "ID"


def test_no_euro_price_no_sale_in_the_eu(variant_factory: Make, germany: Market) -> None:
    assert price_for(variant_factory(eur=None), germany) is None


def test_no_vat_rate_no_sale(variant_factory: Make, germany: Market) -> None:
    VatRate.objects.filter(country="DE", tax_class="standard").delete()
    assert price_for(variant_factory(), germany, on=DAY) is None


def test_the_rate_of_the_day_is_used(variant_factory: Make) -> None:
    variant = variant_factory(category="rempah", eur="10.00")
    sweden = market_for_country("SE")
    march = price_for(variant, sweden, on=datetime.date(2026, 3, 31))
    april = price_for(variant, sweden, on=datetime.date(2026, 4, 1))
    assert march is not None and april is not None
    assert (march.gross, april.gross) == (Money("11.20", "EUR"), Money("10.60", "EUR"))


def test_lowest_price_skips_what_cannot_be_sold(variant_factory: Make, germany: Market) -> None:
    variants = [
        variant_factory(idr=60_000, eur="12.00"),
        variant_factory(idr=40_000, eur=None),
        variant_factory(idr=50_000, eur="9.00"),
    ]
    eu = lowest_price(variants, germany)
    assert eu is not None and eu.gross == Money("10.71", "EUR")
    idr = lowest_price(variants, market_for_country("ID"))
    assert idr is not None and idr.gross == Money(40_000, "IDR")
    assert lowest_price(variants[1:2], germany) is None
    assert lowest_price([], germany) is None


def test_fifty_prices_cost_one_query_for_rates(
    variant_factory: Make, germany: Market, django_assert_max_num_queries: Any
) -> None:
    for i in range(50):
        variant_factory(category=("kopi", "rempah", "batik-tekstil")[i % 3], eur="5.00")
    variants = list(ProductVariant.objects.select_related("product__category"))
    assert len(variants) == 50
    forget_rates()
    template = Template("{% load prices %}{% for v in variants %}{{ v|price:market }};{% endfor %}")
    with django_assert_max_num_queries(1):
        out = template.render(Context({"variants": variants, "market": germany}))
    assert out.count("€") == 50
    with django_assert_max_num_queries(0):  # the table stays cached
        assert all(price_for(v, germany) for v in variants)
