"""The buyer's pages on the checkout's small market (a shop in Kemiren, test couriers, buyers)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import User
from tests.checkout.conftest import (  # noqa: F401  (fixtures shared with the checkout's tests)
    DOMESTIC_OPTION,
    EU_OPTION,
    _english,
    buyer,
    rates,
    sell,
    seller,
    shop,
)


@pytest.fixture
def browser_client(client: Client) -> Client:
    """The test client reading the pages in English (the msgids; catalogues come later)."""
    client.cookies["pasar_language"] = "en"
    return client


@pytest.fixture
def signed_in(browser_client: Client, buyer: User) -> Client:  # noqa: F811
    browser_client.force_login(buyer)
    return browser_client


JAKARTA = {
    "alamat-country": "ID",
    "alamat-full_name": "Rina",
    "alamat-phone": "081234500003",
    "alamat-street": "Jl. Kemang Raya 5",
    "alamat-rt_rw": "003/005",
    "alamat-village_name": "Bangka",
    "alamat-district": "Mampang Prapatan",
    "alamat-regency": "Kota Jakarta Selatan",
    "alamat-province_code": "31",
    "alamat-postal_code": "12730",
}

AMSTERDAM = {
    "alamat-country": "NL",
    "alamat-full_name": "Rina de Vries",
    "alamat-phone": "+31 20 123 4567",
    "alamat-street": "Prinsengracht",
    "alamat-line2": "1",
    "alamat-city": "Amsterdam",
    "alamat-postal_code": "1015 DV",
}


def form_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} field on the page"
    return found.group(1)


@pytest.fixture
def fill_checkout() -> Callable[..., dict[str, str]]:
    """Walk the checkout page as a buyer: destination, contact and address, deliveries.
    Returns the order form's hidden fields."""

    def fill(
        client: Client,
        *,
        address: dict[str, str],
        email: str = "",
        delivery: dict[int, str] | None = None,
    ) -> dict[str, str]:
        url = reverse("storefront:checkout")
        country = address["alamat-country"]
        response = client.post(url, {"action": "country", "country": country})
        assert response.status_code == 302
        response = client.post(url, {"action": "address", "kontak-email": email, **address})
        assert response.status_code == 302, response.content.decode()[:3000]
        if delivery:
            data: dict[str, Any] = {"action": "delivery"}
            data.update({f"pengiriman-{shop_id}": code for shop_id, code in delivery.items()})
            assert client.post(url, data).status_code == 302
        page = client.get(url).content.decode()
        return {
            "checkout": form_value(page, "checkout"),
            "idempotency_key": form_value(page, "idempotency_key"),
        }

    return fill
