"""The search page's results are rendered once per catalog generation, market, language and
address: the same bytes for every buyer, rebuilt after any listing change."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from storefront import links

from .conftest import buyer, html, remove

pytestmark = pytest.mark.django_db

ADDRESS = "/cari/?q=kopi&urut=price_asc"


def queries(address: str, client: Any) -> tuple[int, str]:
    """The page's query count and HTML, its CSRF tokens blanked (masked anew per response, in
    the footer forms outside the cached results)."""
    with CaptureQueriesContext(connection) as captured:
        page = html(client.get(address))
    return len(captured), re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_a_repeated_search_is_served_from_the_cache_byte_for_byte(
    listing: Callable[..., Product],
) -> None:
    for _n in range(3):
        listing()
    client = buyer("en", "DE")
    first_count, first = queries(ADDRESS, client)
    second_count, second = queries(ADDRESS, client)
    assert second == first
    assert second_count < first_count
    assert "Osing coffee 1" in second
    # The words and the heading are the page's own: another search is another fragment.
    other = html(client.get("/cari/?q=kopi+osing+2"))
    assert "Results for “kopi osing 2”" in other
    assert links.product_url(Product.objects.get(title_ind="Kopi Osing 2")) in other


def test_the_search_page_is_rebuilt_after_a_listing_changes(
    listing: Callable[..., Product],
    operator: User,
    committed: Callable[[], AbstractContextManager[Any]],
) -> None:
    first = listing()
    for country in ("ID", "DE"):
        assert links.product_url(first) in html(buyer("en", country).get(ADDRESS))
    second = listing(title={"id": "Kopi Lanang", "en": "Peaberry coffee"})
    with committed():
        remove(operator, first)
    for country in ("ID", "DE"):
        page = html(buyer("en", country).get(ADDRESS))
        assert links.product_url(first) not in page, country
        assert links.product_url(second) in page, country
        assert "Peaberry coffee" in page


def test_each_language_and_market_gets_its_own_results(listing: Callable[..., Product]) -> None:
    listing(price=85_000, eur="9.50")
    indonesian = html(buyer("id", "ID").get(ADDRESS))
    english_de = html(buyer("en", "DE").get(ADDRESS))
    assert "Kopi Osing 1" in indonesian and "Osing coffee 1" not in indonesian
    assert "Osing coffee 1" in english_de
    assert "€" in english_de and "Rp" in indonesian


def test_nothing_of_a_signed_in_buyer_reaches_the_cached_results(
    listing: Callable[..., Product], user_factory: Callable[..., User]
) -> None:
    listing()
    client = buyer("en", "ID")
    client.force_login(user_factory(full_name="Pak Slamet", phone="+6281234500055"))
    signed_in = html(client.get(ADDRESS))
    assert "Osing coffee 1" in signed_in and "My orders" in signed_in
    anonymous = html(buyer("en", "ID").get(ADDRESS))
    assert "Osing coffee 1" in anonymous
    assert "My orders" not in anonymous


def test_a_page_past_the_end_is_still_not_found(listing: Callable[..., Product]) -> None:
    listing()
    client = buyer("en", "ID")
    assert client.get("/cari/?q=kopi&halaman=9").status_code == 404
    assert client.get("/cari/?q=kopi&halaman=9").status_code == 404
