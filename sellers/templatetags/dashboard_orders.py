"""``{% orders_to_fulfil shop as n %}``: the badge on the dashboard's "Orders" link.

One indexed COUNT per dashboard page (``orders.selectors.orders_to_fulfil_count``), run only where
the shop's nav is drawn, so the rest of the site pays nothing for it; the orders list, which
counts the same rows for its pager, passes its count instead.
"""

from __future__ import annotations

from django import template

from marketplace.orders.selectors import orders_to_fulfil_count
from sellers.models import Shop

register = template.Library()


@register.simple_tag(takes_context=True)
def orders_to_fulfil(context: template.Context, shop: Shop) -> int:
    """The count, or ``to_fulfil_count`` when the page already counted it (the orders list)."""
    known = context.get("to_fulfil_count")
    return int(known) if known is not None else orders_to_fulfil_count(shop)
