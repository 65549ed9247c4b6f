"""Which market a buyer is in: the country form, its cookie and the browser's first guess."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from marketplace.markets.markets import (
    COUNTRY_COOKIE_NAME,
    Market,
    current_market,
    market_for_country,
    shipping_countries,
)


def test_markets_of_destinations() -> None:
    assert market_for_country("ID") == Market(code="ID", country="ID", currency="IDR")
    assert market_for_country("de") == Market(code="EU", country="DE", currency="EUR")
    assert market_for_country("NL").is_eu
    assert not market_for_country("ID").is_eu
    for elsewhere in ("US", "CH", "GB", "", "EU"):
        with pytest.raises(ValueError):
            market_for_country(elsewhere)


@pytest.mark.parametrize(
    ("accept_language", "country", "currency"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "DE", "EUR"),
        ("de-AT", "AT", "EUR"),
        ("nl", "NL", "EUR"),
        ("fr-BE,fr;q=0.9", "BE", "EUR"),
        ("id", "ID", "IDR"),
        ("id-ID,en;q=0.5", "ID", "IDR"),
        ("", "ID", "IDR"),
        ("en", "ID", "IDR"),
        ("en-US,en;q=0.9", "ID", "IDR"),
        ("en-IE", "IE", "EUR"),
        ("en-MT,en", "MT", "EUR"),
        ("en-US,en;q=0.9,de;q=0.8", "DE", "EUR"),  # an English browser of a German reader
        ("de-CH", "ID", "IDR"),  # we do not ship to Switzerland
        ("pt-BR,pt;q=0.9", "PT", "EUR"),
        ("*", "ID", "IDR"),
    ],
)
def test_first_guess_from_the_browser_languages(
    rf: RequestFactory, accept_language: str, country: str, currency: str
) -> None:
    market = current_market(rf.get("/", headers={"accept-language": accept_language}))
    assert (market.country, market.currency) == (country, currency)


def test_the_buyers_choice_wins_over_the_guess(rf: RequestFactory) -> None:
    request = rf.get("/", headers={"accept-language": "de-DE"})
    request.COOKIES[COUNTRY_COOKIE_NAME] = "NL"
    assert current_market(request) == market_for_country("NL")

    request = rf.get("/", headers={"accept-language": "de-DE"})
    request.COOKIES[COUNTRY_COOKIE_NAME] = "ID"
    assert current_market(request).currency == "IDR"


@pytest.mark.parametrize("cookie", ["US", "XX", "<script>", "DEU", ""])
def test_a_cookie_we_cannot_honour_is_ignored(rf: RequestFactory, cookie: str) -> None:
    request = rf.get("/", headers={"accept-language": "nl-NL"})
    request.COOKIES[COUNTRY_COOKIE_NAME] = cookie
    assert current_market(request).country == "NL"


def test_the_market_is_worked_out_once_per_request(rf: RequestFactory) -> None:
    request = rf.get("/", headers={"accept-language": "de"})
    first = current_market(request)
    request.COOKIES[COUNTRY_COOKIE_NAME] = "FR"
    assert current_market(request) is first


@pytest.mark.django_db
def test_choosing_a_country_remembers_it_for_a_year(client: Client) -> None:
    response = client.post("/negara/", {"country": "de", "next": "/kategori/kopi/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/kategori/kopi/?page=2"
    cookie = response.cookies[COUNTRY_COOKIE_NAME]
    assert cookie.value == "DE"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert cookie["httponly"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_choosing_a_country_never_redirects_away(client: Client, next_url: str) -> None:
    response = client.post("/negara/", {"country": "NL", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[COUNTRY_COOKIE_NAME].value == "NL"


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["US", "XX", "", "EU"])
def test_a_country_we_do_not_ship_to_is_refused(client: Client, country: str) -> None:
    response = client.post("/negara/", {"country": country, "next": "/"})
    assert response.status_code == 302
    assert COUNTRY_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_switch_takes_posts_only(client: Client) -> None:
    assert client.get("/negara/", {"country": "DE"}).status_code == 405


def test_shipping_countries_are_named_in_the_active_language() -> None:
    with translation.override("en"):
        countries = shipping_countries()
        assert countries[0].code == "ID"
        assert len(countries) == 28
        names = {c.code: c.name for c in countries}
        assert names["DE"] == "Germany"
        assert [c.code for c in countries[1:4]] == ["AT", "BE", "BG"]
    with translation.override("de"):
        names = {c.code: c.name for c in shipping_countries()}
        assert names["DE"] == "Deutschland"
        assert names["AT"] == "Österreich"
    with translation.override("id"):
        names = {c.code: c.name for c in shipping_countries()}
        assert names["DE"] == "Jerman"
        assert names["NL"] == "Belanda"


@pytest.mark.django_db
def test_the_footer_offers_the_countries_with_the_current_one_chosen(client: Client) -> None:
    client.cookies[COUNTRY_COOKIE_NAME] = "NL"
    page = client.get("/akun/masuk/", headers={"accept-language": "en"}).content.decode()
    assert 'action="/negara/"' in page
    assert '<option value="NL" selected>' in page
    assert '<option value="ID">' in page
    assert page.count("<option value=") >= 28 + 3  # countries + languages
