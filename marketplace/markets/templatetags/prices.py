"""Prices in templates, always through ``pricing.price_for`` and formatted for the language.

    {% load prices %}
    {% price_of variant as p %}{% if p %}{{ p.gross|money }} {{ p.vat_label }}{% endif %}
    {% lowest_price_of product.variants.all as from %}
    {{ variant|price:market }}   →  "€11.31 incl. 19% VAT, DE" / "Rp 45.000"

``market`` comes from the context processor; the tags fall back to the request's market.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from djmoney.money import Money

from marketplace.catalog.models import ProductVariant

from ..formatting import format_money
from ..markets import Market, current_market
from ..pricing import DisplayPrice, lowest_price, price_for

register = template.Library()


def _market(context: template.Context, market: Market | None) -> Market | None:
    if market is not None:
        return market
    found = context.get("market")
    if isinstance(found, Market):
        return found
    request = context.get("request")
    return current_market(request) if request is not None else None


@register.simple_tag(takes_context=True)
def price_of(
    context: template.Context, variant: ProductVariant, market: Market | None = None
) -> DisplayPrice | None:
    chosen = _market(context, market)
    return price_for(variant, chosen) if chosen is not None else None


@register.simple_tag(takes_context=True)
def lowest_price_of(
    context: template.Context, variants: Iterable[ProductVariant], market: Market | None = None
) -> DisplayPrice | None:
    chosen = _market(context, market)
    return lowest_price(variants, chosen) if chosen is not None else None


@register.filter
def money(value: Money | None) -> str:
    return format_money(value) if isinstance(value, Money) else ""


@register.filter
def display_price(value: DisplayPrice | None) -> str:
    """A ``DisplayPrice`` as one line: the amount, then the VAT line where there is one."""
    if value is None:
        return ""
    label = value.vat_label()
    amount = format_money(value.gross)
    return f"{amount} {label}" if label else amount


@register.filter
def price(variant: Any, market: Market | None) -> str:
    """``{{ variant|price:market }}``: "" when the variant is not sold in that market."""
    if not isinstance(variant, ProductVariant) or not isinstance(market, Market):
        return ""
    return display_price(price_for(variant, market))
