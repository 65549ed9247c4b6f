"""Prices in templates, formatted for the reader's language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from marketplace.catalog.models import ProductVariant
from marketplace.markets.markets import COUNTRY_COOKIE_NAME, Market

pytestmark = pytest.mark.django_db

Make = Callable[..., ProductVariant]
NBSP = "\u00a0"


def render(source: str, **context: object) -> str:
    return Template("{% load prices %}" + source).render(Context(context))


def test_euro_price_with_vat_line_in_english(variant_factory: Make, germany: Market) -> None:
    variant = variant_factory(eur="9.50")
    with translation.override("en"):
        assert render("{{ v|price:market }}", v=variant, market=germany) == (
            "€11.31 incl. 19% VAT, DE"
        )


def test_euro_price_in_german(variant_factory: Make, germany: Market) -> None:
    variant = variant_factory(eur="9.50")
    with translation.override("de"):
        out = render("{{ v|price:market }}", v=variant, market=germany)
    assert out.startswith(f"11,31{NBSP}€ ")
    assert "19" in out and "DE" in out


def test_rupiah_price_has_no_vat_line(variant_factory: Make, indonesia: Market) -> None:
    variant = variant_factory(idr=45_000)
    with translation.override("id"):
        assert render("{{ v|price:market }}", v=variant, market=indonesia) == f"Rp{NBSP}45.000"
    with translation.override("en"):
        assert render("{{ v|price:market }}", v=variant, market=indonesia) == f"IDR{NBSP}45,000"


def test_a_variant_not_sold_in_the_eu_renders_nothing(
    variant_factory: Make, germany: Market
) -> None:
    assert render("[{{ v|price:market }}]", v=variant_factory(eur=None), market=germany) == "[]"


def test_price_tags_use_the_requests_market(variant_factory: Make, rf: RequestFactory) -> None:
    cheap, dear = variant_factory(eur="8.50"), variant_factory(eur="12.00")
    request = rf.get("/")
    request.COOKIES[COUNTRY_COOKIE_NAME] = "DE"
    source = (
        "{% price_of v as p %}{{ p.gross|money }} / {{ p.net|money }} / {{ p.vat_label }}"
        "|{% lowest_price_of variants as low %}{{ low|display_price }}"
    )
    with translation.override("en"):
        out = render(source, v=dear, variants=[dear, cheap], request=request)
    assert out == "€14.28 / €12.00 / incl. 19% VAT, DE|€10.12 incl. 19% VAT, DE"
