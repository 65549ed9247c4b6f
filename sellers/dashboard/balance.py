"""The seller's "Saldo" page: what the shop is owed, what is still held, what was paid out.

Read-only and thin: ``marketplace.ledger.selectors`` computes every figure from the ledger's
entries (a balance is a sum, never a stored number). Guarded like every dashboard page by
``can_manage_shop`` on the shop in the URL, so a seller only ever sees their own shop's money.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marketplace.ledger import selectors as ledger
from marketplace.ledger.models import LedgerSettings

from .views import _shop, manage_shop

RECENT_ENTRIES = 20


@manage_shop
def balance(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = _shop(request, shop_slug)
    ledger_settings = LedgerSettings.load()
    return render(
        request,
        "sellers/dashboard/balance.html",
        {
            "shop": shop,
            "balances": ledger.shop_balance(shop, ledger_settings=ledger_settings),
            "entries": ledger.recent_entries(shop, RECENT_ENTRIES),
            "hold_days": ledger_settings.hold_days,
        },
    )
