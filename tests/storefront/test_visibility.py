"""Removed and unpublished listings and suspended shops never reach a buyer: no page, no list,
no search result, no sitemap entry; their own addresses answer 404."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.regions.models import Region
from sellers.models import Shop
from storefront import links

from .conftest import buyer, html, remove, suspend, unpublish

pytestmark = pytest.mark.django_db


def everywhere(shop: Shop, village: Region, product: Product) -> list[str]:
    return [
        "/",
        "/cari/",
        "/cari/?q=kopi",
        "/cari/?q=Hilang",
        links.category_url(product.category),
        links.village_url(village),
        links.shop_url(shop),
        "/sitemap.xml",
    ]


def test_hidden_listings_appear_nowhere_and_their_pages_are_gone(
    listing: Callable[..., Product],
    owner: User,
    operator: User,
    shop: Shop,
    regions: dict[str, Region],
    committed: Callable[[], AbstractContextManager[Any]],
) -> None:
    shown = listing(title={"id": "Kopi Tampil", "en": "Shown coffee"})
    removed = listing(title={"id": "Kopi Hilang Dihapus", "en": "Removed coffee"})
    archived = listing(title={"id": "Kopi Hilang Diarsipkan", "en": "Archived coffee"})
    draft = listing(title={"id": "Kopi Hilang Draf", "en": "Draft coffee"}, publish=False)
    # The sitemap is cached: fetch it before the changes, it must not keep them.
    assert links.product_url(removed) in html(buyer().get("/sitemap.xml"))
    with committed():
        remove(operator, removed)
        unpublish(owner, archived)

    for country in ("ID", "DE"):
        client = buyer("en", country)
        for address in everywhere(shop, regions["kemiren"], shown):
            page = html(client.get(address))
            for hidden in (removed, archived, draft):
                assert hidden.title_en not in page, (country, address, hidden)  # type: ignore[attr-defined]
                assert links.product_url(hidden) not in page, (country, address, hidden)
        assert "Shown coffee" in html(client.get("/"))
    for hidden in (removed, archived, draft):
        assert buyer().get(links.product_url(hidden)).status_code == 404
        assert buyer("en", "DE").get(links.product_url(hidden)).status_code == 404


def test_a_suspended_shop_and_its_listings_disappear(
    listing: Callable[..., Product],
    operator: User,
    shop: Shop,
    regions: dict[str, Region],
    shop_factory: Callable[..., Shop],
    committed: Callable[[], AbstractContextManager[Any]],
    owner: User,
) -> None:
    other = shop_factory(
        owner=owner, name="Toko Lain", slug="toko-lain", village=regions["kampunganyar"]
    )
    kept = listing(shop=other, title={"id": "Kopi Tetangga", "en": "Neighbour coffee"})
    gone = listing(title={"id": "Kopi Hilang Suspend", "en": "Suspended coffee"})
    assert links.shop_url(shop) in html(buyer().get("/sitemap.xml"))
    with committed():
        suspend(operator, shop)

    for address in everywhere(other, regions["kampunganyar"], kept):
        page = html(buyer("en").get(address))
        assert "Suspended coffee" not in page, address
        assert links.product_url(gone) not in page, address
        assert "Kopi Bu Sri" not in page, address
        assert links.shop_url(shop) not in page, address
    assert "Neighbour coffee" in html(buyer("en").get("/"))
    assert buyer().get(links.product_url(gone)).status_code == 404
    assert buyer().get(links.shop_url(shop)).status_code == 404
    # Kemiren had only this shop: the village has no page now, and the home page no card.
    assert buyer().get(links.village_url(regions["kemiren"])).status_code == 404
    assert links.village_url(regions["kemiren"]) not in html(buyer().get("/"))


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_shops_not_yet_approved_have_no_page(
    status: str, shop_factory: Callable[..., Shop], regions: dict[str, Region]
) -> None:
    waiting = shop_factory(name="Belum Disetujui", slug="belum", status=status)
    assert buyer().get(links.shop_url(waiting)).status_code == 404
    assert "Belum Disetujui" not in html(buyer().get("/sitemap.xml"))
    assert buyer().get(links.village_url(regions["kemiren"])).status_code == 404
