"""CN23 and commercial invoice of EU parcels, read back from the PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from marketplace.accounts.models import User
from marketplace.customs import documents
from marketplace.customs.models import CustomsSettings
from marketplace.orders.models import Order
from sellers.models import Shop

from .conftest import IOSS_NUMBER, make_ioss, set_lines

pytestmark = pytest.mark.django_db


def text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    raw = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture
def two_shop_order(
    variant_factory: Callable[..., Any],
    shop_factory: Callable[..., Shop],
    user_factory: Callable[..., User],
    eu_orders: Callable[..., list[Order]],
    customs_settings: CustomsSettings,
) -> list[Order]:
    coffee = variant_factory(eur="12.50")
    coffee.product.title_en = "Osing roasted coffee beans"
    coffee.product.save()
    other_shop = shop_factory(owner=user_factory(email="kakao@example.id"), name="Kakao Glenmore")
    cocoa = variant_factory(eur="8.00", for_shop=other_shop)
    orders = eu_orders([(coffee, 2), (cocoa, 3)])
    by_shop = {order.shop_id: order for order in orders}
    coffee_order, cocoa_order = by_shop[coffee.product.shop_id], by_shop[other_shop.pk]
    set_lines(coffee_order, [{"hs_code": "090121"}])
    set_lines(cocoa_order, [{"hs_code": "180500"}])
    make_ioss(coffee_order)
    make_ioss(cocoa_order)
    return [coffee_order, cocoa_order]


def test_each_parcel_has_its_own_cn23_with_its_codes_values_and_the_ioss_number(
    two_shop_order: list[Order],
) -> None:
    coffee_order, cocoa_order = two_shop_order
    coffee = text(documents.cn23_pdf(coffee_order))
    cocoa = text(documents.cn23_pdf(cocoa_order))

    assert coffee_order.number in coffee and "090121" in coffee and "180500" not in coffee
    assert "Osing roasted coffee beans" in coffee
    assert "EUR 25.00" in coffee  # 2 x 12.50
    assert cocoa_order.number in cocoa and "180500" in cocoa and "090121" not in cocoa
    assert "EUR 24.00" in cocoa  # 3 x 8.00
    for paper in (coffee, cocoa):
        assert f"IOSS: {IOSS_NUMBER}" in paper
        assert "Sale of goods" in paper
        assert "Anna Schmidt" in paper and "Berlin" in paper
        assert "Indonesia" in paper
        assert "PEB" not in paper
    assert "Kakao Glenmore" in cocoa


def test_no_ioss_number_when_vat_was_not_charged_at_checkout(two_shop_order: list[Order]) -> None:
    order = two_shop_order[0]
    order.tax_regime = "import"
    order.save()
    assert IOSS_NUMBER not in text(documents.cn23_pdf(order))


def test_a_parcel_over_30_kg_needs_a_peb(two_shop_order: list[Order]) -> None:
    order = two_shop_order[1]
    set_lines(order, [{"weight_grams": 10_100}])  # 3 x 10.1 kg
    paper = text(documents.cn23_pdf(order))
    assert "PEB (Indonesian export declaration) required" in paper
    set_lines(order, [{"weight_grams": 10_000}])  # exactly 30 kg: the CN note is enough
    assert "PEB" not in text(documents.cn23_pdf(order))


def test_invoice_carries_the_origin_statement_and_needs_rex_above_6000_eur(
    two_shop_order: list[Order], customs_settings: CustomsSettings
) -> None:
    order = two_shop_order[0]
    small = text(documents.invoice_pdf(order))
    assert "preferential origin" in small
    assert "Registered Exporter" not in small

    set_lines(order, [{"unit_net": "3000.50", "unit_price": "3210.54"}])  # 2 x 3000.50 = 6001
    big = text(documents.invoice_pdf(order))
    assert "EUR 6001.00" in big
    assert "REX number required" in big

    customs_settings.rex_number = "IDREX1234567890"
    customs_settings.save()
    with_rex = text(documents.invoice_pdf(order))
    assert "Number of Registered Exporter: IDREX1234567890" in with_rex
    assert "REX number required" not in with_rex


def test_a_domestic_order_has_no_customs_papers(
    variant_factory: Callable[..., Any], place_order: Callable[..., Any]
) -> None:
    order = place_order([(variant_factory(), 1)]).orders.get()
    with pytest.raises(ValidationError):
        documents.cn23_pdf(order)


def test_the_eudr_reference_of_a_listing_is_printed_when_filed(
    two_shop_order: list[Order],
) -> None:
    from django.apps import apps

    if not apps.is_installed("marketplace.readiness"):
        pytest.skip("the readiness app (EUDR profile) is not installed")
    profile_model = apps.get_model("readiness", "ExportProfile")
    coffee_order, cocoa_order = two_shop_order
    line = coffee_order.lines.get()
    assert line.variant is not None
    profile_model.objects.create(product=line.variant.product, dds_reference="26DE1234567890AB")
    assert "EUDR DDS reference: 26DE1234567890AB" in text(documents.cn23_pdf(coffee_order))
    assert "EUDR DDS reference" not in text(documents.cn23_pdf(cocoa_order))
