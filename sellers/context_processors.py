"""What the navigation needs to know about the signed-in user's roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


@dataclass(frozen=True)
class SellerNav:
    has_shop: bool
    is_facilitator: bool


def seller_nav(request: HttpRequest) -> dict[str, Any]:
    """``seller_nav.has_shop`` / ``.is_facilitator`` for the header links.

    Anonymous visitors cost no query. For a signed-in user it is one query, run only when a
    template reads it (pages that do not extend ``base.html`` pay nothing).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"seller_nav": SimpleLazyObject(lambda: SellerNav(*selectors.nav_flags(user)))}
