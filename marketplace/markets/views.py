"""The shipping-country switch. Thin: ``markets.market_for_country`` decides what is valid."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .markets import COUNTRY_COOKIE_AGE, COUNTRY_COOKIE_NAME, market_for_country


@require_POST
def set_country(request: HttpRequest) -> HttpResponse:
    """Remember where the goods ship to (cookie, a year); prices and VAT follow it.

    Works without JavaScript (the footer form posts here) and for anonymous buyers, so it is a
    cookie rather than a profile field. A country we do not ship to changes nothing.
    """
    next_url = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    try:
        market = market_for_country(request.POST.get("country", ""))
    except ValueError:
        messages.error(
            request, _("We ship only to Indonesia and the member states of the European Union.")
        )
        return response
    response.set_cookie(
        COUNTRY_COOKIE_NAME,
        market.country,
        max_age=COUNTRY_COOKIE_AGE,
        samesite="Lax",
        secure=not settings.DEBUG,
        httponly=True,
    )
    return response
