"""The packing slip PDF: read back, it names the order, the address, the lines and the courier."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from pypdf import PdfReader

from marketplace.accounts.models import User
from marketplace.orders.models import Order

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def slip(seller: User, order: Order) -> str:
    response = signed_in(seller).get(
        reverse("dashboard:packing_slip", args=[order.shop.slug, order.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return pdf_text(response.content)


def test_a_domestic_slip_has_number_address_lines_weight_and_courier(
    seller: User, paid_order: Callable[..., Order]
) -> None:
    order = paid_order()
    text = slip(seller, order)
    assert order.number in text
    assert order.shop.name in text
    for expected in ("Budi Santoso", "Jl. Kawi No. 7", "Klojen", "Kota Malang", "65119"):
        assert expected in text, expected
    for line in order.lines.all():
        assert line.sku in text
        assert line.product_title in text
    assert "750 g" in text
    assert "JNE" in text
    assert "CN23" not in text and "090121" not in text


def test_an_eu_slip_lists_hs_codes_and_says_cn23_is_required(
    seller: User, paid_order: Callable[..., Order]
) -> None:
    order = paid_order(market="EU", lines=1)
    text = slip(seller, order)
    assert order.number in text
    for expected in ("Anna de Vries", "Prinsengracht 263", "1016 GV Amsterdam", "Netherlands"):
        assert expected in text, expected
    assert "090121" in text
    assert "CN23 required" in text
