"""Template helpers of the buyer pages: addresses, query-string links and JSON-LD."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from marketplace.catalog.models import Category, Product
from marketplace.markets.markets import country_name
from marketplace.regions.models import Region
from sellers.models import Shop

from .. import links

if TYPE_CHECKING:
    from ..views import Facet

register = template.Library()

#: What ``json_script`` escapes: nothing in the data can close the ``<script>`` element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def product_url(product: Product) -> str:
    return links.product_url(product)


@register.filter
def village_url(village: Region) -> str:
    return links.village_url(village)


@register.filter
def shop_url(shop: Shop) -> str:
    return links.shop_url(shop)


@register.filter
def category_url(category: Category) -> str:
    return links.category_url(category)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """``href="{% query_with urut='newest' %}"``: this page with some parameters changed."""
    query: QueryDict = context["request"].GET
    return links.with_params(
        query, **{k: (None if v in (None, "") else str(v)) for k, v in changes.items()}
    )


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` escaped like ``json_script``: seller-written text
    (a title with ``</script>``) stays data."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


@register.filter
def country(code: str) -> str:
    """A shipping country's name in the active language (``markets.country_name``)."""
    return country_name(code)


#: A selected value's attributes and mark (it clears its filter).
_SELECTED = ' aria-current="true" class="on"'
_CLEARS = " \u00d7"


@register.simple_tag
def facet_lists(facets: list[Facet]) -> SafeString:
    """Each facet's values as links (what the template loop wrote, character for character).

    A category page lists every village that sells in it (over two hundred in Banyuwangi):
    written here in one pass, that list costs a fraction of a template loop over it.
    """
    esc = conditional_escape
    parts = []
    for facet in facets:
        items = "".join(
            f'<li><a href="{esc(v.href)}" rel="nofollow"{_SELECTED if v.selected else ""}>'
            f"{esc(v.label)} <small>{int(v.count)}</small>{_CLEARS if v.selected else ''}</a></li>"
            for v in facet.values
        )
        parts.append(f'<div class="facet"><h3>{esc(facet.title)}</h3><ul>{items}</ul></div>')
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
