"""Relevance of the database backend on PostgreSQL: stemming, weights, spellings, typos and
translations. SQLite's embedded fallback matches words with LIKE and ranks no further."""

from __future__ import annotations

import pytest
from django.db import connection

from marketplace.catalog.models import Product
from marketplace.markets.markets import Market
from marketplace.search import SearchQuery, search
from tests.search.conftest import ids

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="full-text ranking and trigram typos need PostgreSQL (CI runs it first); "
        "SQLite's fallback only matches words",
    ),
]


def found(market: Market, text: str, language: str = "id") -> list[int]:
    return ids(search(SearchQuery(market, text, language=language, page_size=60)).products)


def test_kopi_finds_coffee(goods: dict[str, Product], id_market: Market) -> None:
    result = found(id_market, "kopi")
    assert set(result[:2]) == {goods["lanang"].pk, goods["robusta"].pk}
    assert goods["basket"].pk not in result


def test_kopi_osing_ranks_kemirens_osing_coffee_first(
    goods: dict[str, Product], id_market: Market
) -> None:
    result = found(id_market, "kopi osing")
    # Licin's robusta says "Osing" only in its description; the batik is Osing but not coffee.
    assert result == [goods["lanang"].pk, goods["robusta"].pk]


@pytest.mark.parametrize("spelling", ["coklat", "cokelat", "Cokelat"])
def test_both_spellings_of_chocolate_find_the_cocoa(
    spelling: str, goods: dict[str, Product], id_market: Market
) -> None:
    result = found(id_market, spelling)
    # Titles first (either spelling), then the nibs whose description mentions chocolate.
    assert set(result[:2]) == {goods["bar"].pk, goods["powder"].pk}
    assert goods["nibs"].pk in result
    assert goods["lanang"].pk not in result


def test_a_typo_still_finds_coffee(goods: dict[str, Product], id_market: Market) -> None:
    # pg_trgm's default word_similarity threshold (0.6): a doubled or dropped letter is forgiven.
    coffee = {goods["lanang"].pk, goods["robusta"].pk, goods["gift"].pk}
    for typo, language in (
        ("kopii", "id"),
        ("kopi osinng", "id"),
        ("robustta", "id"),
        ("cofee", "en"),
    ):
        result = found(id_market, typo, language)
        assert result, typo
        assert result[0] in coffee, typo
    assert found(id_market, "robustta")[0] == goods["robusta"].pk
    # Every word must still be close to something: Osing batik is not coffee.
    assert goods["batik"].pk not in found(id_market, "kopi osinng")


def test_anyaman_bambu_finds_bamboo_basketwork(
    goods: dict[str, Product], id_market: Market
) -> None:
    result = found(id_market, "anyaman bambu")
    assert result[0] == goods["basket"].pk
    assert goods["pandan"].pk not in result  # woven, but not bamboo


def test_a_german_buyer_finds_kaffee(goods: dict[str, Product], eu_market: Market) -> None:
    result = found(eu_market, "Kaffee", language="de")
    # The gift set says coffee only in its German (and English) title.
    assert {goods["lanang"].pk, goods["robusta"].pk, goods["gift"].pk} == set(result)
    assert found(eu_market, "Röstung", language="de") == [goods["robusta"].pk]


def test_an_english_buyer_finds_coffee(goods: dict[str, Product], eu_market: Market) -> None:
    result = found(eu_market, "coffee", language="en")
    assert {goods["lanang"].pk, goods["robusta"].pk, goods["gift"].pk} == set(result)
    assert found(eu_market, "woven baskets", language="en") == [goods["basket"].pk]


def test_stop_words_of_the_buyers_language_do_not_block(
    goods: dict[str, Product], eu_market: Market
) -> None:
    assert goods["basket"].pk in found(eu_market, "the bamboo basket", language="en")
    assert goods["robusta"].pk in found(eu_market, "Kaffee aus Licin", language="de")


def test_the_typo_match_leaves_the_planner_as_it_found_it(
    goods: dict[str, Product], id_market: Market
) -> None:
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        assert found(id_market, "robustta")
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
