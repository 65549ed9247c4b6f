"""The checkout tests' small market (one seller's shop, a test courier, buyers), and GraphQL helpers.

The market is ``tests/checkout/conftest.py``'s: the same shop, rates and listings the services are
tested with, so these tests check only what the API adds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from graphql_relay import to_global_id

from marketplace.accounts.models import User
from tests.checkout.conftest import (  # noqa: F401  (fixtures)
    DOMESTIC_OPTION,
    EU_OPTION,
    _english,
    buyer,
    eu_address,
    jakarta,
    rates,
    sell,
    seller,
    shop,
)
from tests.conftest import GraphQLClient

CHECKOUT_FIELDS = """
    token country market currency email
    lines { id quantity product { title shop { name } } variant { sku }
            unitPrice { gross { amount currency } vatLabel } total { amount currency } }
    parcels {
      shop { id name } weightGrams regime
      shippingOptions { code courier service price { amount currency } }
      chosenShipping { code price { amount currency } }
      taxes { regime vat { amount } duty { amount } vatLines { rate amount { amount } } }
      subtotal { amount } shipping { amount } total { amount }
    }
    subtotal { amount currency } shipping { amount } vat { amount } duty { amount }
    total { amount currency } dueOnDelivery { amount }
    problems { code message }
    canComplete
"""

PAYLOAD = f"checkout {{ {CHECKOUT_FIELDS} }} messages errors {{ field code message }}"

CREATE = f"""mutation($country: String, $email: String) {{
  checkoutCreate(country: $country, email: $email) {{ {PAYLOAD} }} }}"""
ADD = f"""mutation($token: UUID!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesAdd(token: $token, lines: $lines) {{ {PAYLOAD} }} }}"""
UPDATE = f"""mutation($token: UUID!, $variant: ID!, $quantity: Int!) {{
  checkoutLineUpdate(token: $token, variantId: $variant, quantity: $quantity) {{ {PAYLOAD} }} }}"""
DELETE = f"""mutation($token: UUID!, $variant: ID!) {{
  checkoutLineDelete(token: $token, variantId: $variant) {{ {PAYLOAD} }} }}"""
ADDRESS = f"""mutation($token: UUID!, $address: CheckoutAddressInput!) {{
  checkoutShippingAddressUpdate(token: $token, address: $address) {{ {PAYLOAD} }} }}"""
DELIVERY = f"""mutation($token: UUID!, $shop: ID!, $code: String!) {{
  checkoutDeliveryUpdate(token: $token, shopId: $shop, optionCode: $code) {{ {PAYLOAD} }} }}"""
COMPLETE = """mutation($token: UUID!, $key: String!, $method: PaymentMethod!, $terms: Boolean) {
  checkoutComplete(token: $token, idempotencyKey: $key, paymentMethod: $method,
                   acceptTerms: $terms) {
    payment { id method status amount { amount currency }
              bankTransfer { bank accountNumber amount { amount currency } uniqueCode deadline }
              stripe { clientSecret publishableKey }
              orders { number } }
    orders { id number status total { amount currency } shop { name } }
    checkout { completedAt }
    errors { field code message }
  } }"""
QUERY = f"query($token: UUID!) {{ checkout(token: $token) {{ {CHECKOUT_FIELDS} }} }}"

JAKARTA = {
    "country": "ID",
    "fullName": "Rina",
    "phone": "081234500003",
    "street": "Jl. Kemang Raya 5",
    "postalCode": "12730",
    "villageName": "Bangka",
    "district": "Mampang Prapatan",
    "regency": "Kota Jakarta Selatan",
    "provinceCode": "31",
}


def money(value: dict[str, str]) -> tuple[Decimal, str]:
    """``{"amount": "85000.00", "currency": "IDR"}`` as ``(Decimal, "IDR")``: compared by value,
    whatever the decimal places."""
    return Decimal(value["amount"]), value.get("currency", "")


def gid(kind: str, pk: int) -> str:
    return to_global_id(kind, pk)


@pytest.fixture
def operator(user_factory: Callable[..., User]) -> User:
    return user_factory(phone="+6281234500009", full_name="Bu Operator", is_staff=True)


class Shopper:
    """Drives the checkout over GraphQL as one client would, step by step."""

    def __init__(self, gql: GraphQLClient) -> None:
        self.gql = gql
        self.token = ""

    def run(self, query: str, name: str, **variables: Any) -> Any:
        result = self.gql(query, {"token": self.token, **variables} if self.token else variables)
        assert "errors" not in result, result
        return result["data"][name]

    def ok(self, query: str, name: str, **variables: Any) -> Any:
        payload = self.run(query, name, **variables)
        assert payload["errors"] == [], payload["errors"]
        return payload

    def create(self, country: str = "ID", **kw: Any) -> Any:
        payload = self.ok(CREATE, "checkoutCreate", country=country, **kw)
        self.token = payload["checkout"]["token"]
        return payload["checkout"]

    def add(self, variant: Any, quantity: int = 1) -> Any:
        lines = [{"variantId": gid("ProductVariant", variant.pk), "quantity": quantity}]
        return self.run(ADD, "checkoutLinesAdd", lines=lines)

    def address(self, address: dict[str, str]) -> Any:
        return self.run(ADDRESS, "checkoutShippingAddressUpdate", address=address)

    def delivery(self, parcel_shop: Any, code: str) -> Any:
        return self.run(
            DELIVERY, "checkoutDeliveryUpdate", shop=gid("Shop", parcel_shop.pk), code=code
        )

    def complete(self, method: str = "BANK_TRANSFER", key: str = "", terms: bool = False) -> Any:
        return self.run(
            COMPLETE,
            "checkoutComplete",
            key=key or uuid.uuid4().hex,
            method=method,
            terms=terms,
        )


@pytest.fixture(autouse=True)
def _english_requests(client: Client) -> None:
    """Requests in English (the msgids), as the checkout tests compare them; a test about
    translation sets the cookie itself."""
    client.cookies["pasar_language"] = "en"


@pytest.fixture
def shopper(gql: GraphQLClient) -> Shopper:
    return Shopper(gql)


@pytest.fixture
def as_user(client: Client) -> Callable[[User | None], None]:
    """Switch the client to ``user`` (``None``: sign out)."""

    def switch(user: User | None) -> None:
        language = client.cookies["pasar_language"].value
        client.logout()  # forgets the cookies too
        client.cookies["pasar_language"] = language
        if user is not None:
            client.force_login(user)

    return switch
