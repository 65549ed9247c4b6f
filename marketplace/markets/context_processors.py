"""``market`` and ``shipping_countries`` for every template (the footer's country form, prices)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .markets import current_market, shipping_countries


def market(request: HttpRequest) -> dict[str, Any]:
    """``market`` and ``shipping_countries``, at no query cost.

    The market comes from a cookie or a header; the country names are built only when a template
    lists them, in the language active at that moment.
    """
    return {
        "market": current_market(request),
        "shipping_countries": SimpleLazyObject(shipping_countries),
    }
