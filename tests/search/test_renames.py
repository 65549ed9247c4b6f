"""Renaming a shop or a category changes what search finds at once (no ``reindex`` needed)."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.catalog.models import Category, Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, search
from marketplace.search.models import ProductDocument
from sellers import services as sellers

pytestmark = pytest.mark.django_db


def found(market: Market, text: str) -> set[int]:
    return {p.pk for p in search(SearchQuery(market, text=text)).products}


def test_a_renamed_shop_is_found_by_its_new_name(
    goods: dict[str, Product], id_market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    shop = goods["basket"].shop
    assert not found(id_market, "Rotan Makmur")
    with django_capture_on_commit_callbacks(execute=True):
        sellers.update_shop(shop.memberships.get().user, shop, name="Rotan Makmur")
    shop_goods = {goods["basket"].pk, goods["pandan"].pk, goods["steamer"].pk}
    assert found(id_market, "Rotan Makmur") == shop_goods
    assert "Kerajinan Gintangan" not in ProductDocument.objects.get(pk=goods["basket"].pk).place


def test_a_renamed_category_and_its_children_are_found_by_the_new_name(
    goods: dict[str, Product], id_market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    kopi = Category.objects.get(slug="kopi")
    child = Category.objects.create(slug="kopi-luwak", name="Kopi luwak", parent=kopi)
    Product.objects.filter(pk=goods["robusta"].pk).update(category=child)
    with django_capture_on_commit_callbacks(execute=True):
        kopi.name_ind = "Seduhan"
        kopi.save()  # as the operators' admin saves it
    assert found(id_market, "Seduhan") == {goods["lanang"].pk, goods["robusta"].pk}
