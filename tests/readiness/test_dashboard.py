"""The seller's export-readiness page: status for a destination, what to fix, the data form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from marketplace.readiness.models import ExportProfile
from sellers.models import Shop

pytestmark = pytest.mark.django_db


def page(product: Product) -> str:
    return reverse("dashboard:product_readiness", args=[product.shop.slug, product.pk])


@pytest.fixture
def browser(seller: User) -> Client:
    client = Client()
    client.force_login(seller)
    client.cookies["pasar_language"] = "en"
    return client


def test_a_ready_listing_shows_a_full_bar(browser: Client, coffee: Product) -> None:
    html = browser.get(page(coffee) + "?negara=NL").content.decode()
    assert "Ready for Netherlands" in html or "Ready for the Netherlands" in html
    assert 'value="100"' in html
    assert 'id="blocking"' not in html
    # Food and EUDR sections for coffee, no GPSR.
    assert 'name="ingredients_nl"' in html and 'name="harvest_start"' in html
    assert 'name="manufacturer_name"' not in html


def test_findings_link_to_the_field_and_the_form_fixes_them(
    browser: Client, batik: Product
) -> None:
    ExportProfile.objects.filter(product=batik).update(safety_warnings={"en": "Wash apart."})
    html = browser.get(page(batik)).content.decode()  # Germany by default
    assert "Not ready for Germany yet" in html
    assert 'data-code="gpsr.warnings.missing"' in html
    assert 'href="#id_safety_warnings_de"' in html
    assert 'id="id_safety_warnings_de"' in html

    form = {
        "manufacturer_name": "Batik Sekar Jagad",
        "manufacturer_address": "Desa Kemiren, Banyuwangi",
        "manufacturer_email": "batik@example.id",
        "product_identifier": "GO-2026-11",
        "safety_warnings_en": "Wash apart.",
        "safety_warnings_de": "Getrennt waschen.",
    }
    response = browser.post(page(batik) + "?negara=DE", form)
    assert response.status_code == 302
    assert response["Location"].endswith("?negara=DE")
    html = browser.get(response["Location"]).content.decode()
    assert "Ready for Germany" in html
    assert ExportProfile.objects.get(product=batik).safety_warnings == {
        "en": "Wash apart.",
        "de": "Getrennt waschen.",
    }
    assert AuditEntry.objects.filter(action="product.export_profile_changed").count() == 1


def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    browser: Client, coffee: Product
) -> None:
    before = ExportProfile.objects.get(product=coffee).pirt_number
    response = browser.post(
        page(coffee),
        {"pirt_number": "12345", "harvest_start": "2026-08-01", "harvest_end": "2026-06-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A P-IRT number has 15 digits." in html or "The harvest period ends" in html
    assert ExportProfile.objects.get(product=coffee).pirt_number == before


def test_another_shops_seller_is_refused(
    coffee: Product, user_factory: Callable[..., User], shop_factory: Callable[..., Shop]
) -> None:
    stranger = user_factory(phone="+6281234500099")
    shop_factory(stranger)
    client = Client()
    client.force_login(stranger)
    assert client.get(page(coffee)).status_code == 403
    assert client.post(page(coffee), {"net_quantity": "1 kg"}).status_code == 403


def test_the_page_costs_the_same_queries_with_many_variants_and_findings(
    browser: Client, batik: Product
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(page(batik)).status_code == 200
        return len(ctx.captured_queries)

    browser.get(page(batik))  # warm caches (session, rates)
    few = queries()
    for n in range(12):
        batik.variants.create(sku=f"B-{n}", price=Money(90000, "IDR"))  # each: 3 findings
    many = queries()
    assert few == many
    assert many <= 25


def test_the_listing_page_links_to_its_readiness(browser: Client, batik: Any) -> None:
    html = browser.get(
        reverse("dashboard:product", args=[batik.shop.slug, batik.pk])
    ).content.decode()
    assert page(batik) in html
