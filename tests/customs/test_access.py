"""Who may download papers and reports, and the Safety Gate action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.customs import selectors, services
from marketplace.customs.models import CustomsSettings, EuMarketBlock
from marketplace.orders.models import Order
from sellers.models import Shop

from .conftest import make_ioss, set_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def eu_order(
    variant_factory: Callable[..., Any],
    eu_orders: Callable[..., list[Order]],
    customs_settings: CustomsSettings,
) -> Order:
    (order,) = eu_orders([(variant_factory(), 1)])
    set_lines(order, [{"hs_code": "090121"}])
    return make_ioss(order)


def test_the_shop_downloads_cn23_and_invoice_from_the_order_page(
    client: Client, seller: User, shop: Shop, eu_order: Order
) -> None:
    client.force_login(seller)
    page = client.get(reverse("dashboard:order", args=[shop.slug, eu_order.number]))
    assert 'id="cn23"' in page.content.decode()
    for name in ("dashboard:order_cn23", "dashboard:order_invoice"):
        response = client.get(reverse(name, args=[shop.slug, eu_order.number]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")


def test_a_domestic_order_has_no_customs_links(
    client: Client, seller: User, shop: Shop, variant_factory: Any, place_order: Any
) -> None:
    order = place_order([(variant_factory(), 1)]).orders.get()
    client.force_login(seller)
    page = client.get(reverse("dashboard:order", args=[shop.slug, order.number]))
    assert 'id="cn23"' not in page.content.decode()
    url = reverse("dashboard:order_cn23", args=[shop.slug, order.number])
    assert client.get(url).status_code == 404


def test_strangers_cannot_download_papers(
    client: Client, shop: Shop, eu_order: Order, buyer: User
) -> None:
    url = reverse("dashboard:order_cn23", args=[shop.slug, eu_order.number])
    assert client.get(url).status_code == 302
    client.force_login(buyer)
    assert client.get(url).status_code == 403


def test_only_operators_download_the_ioss_report(
    client: Client, seller: User, operator: User, eu_order: Order
) -> None:
    url = reverse("customs:ioss")
    assert client.get(url).status_code == 302
    client.force_login(seller)
    assert client.get(url, {"month": "2026-11"}).status_code == 403
    client.force_login(operator)
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.get(url, {"month": f"{today.year:04d}-{today.month:02d}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert b"DE,sale" in response.content
    assert client.get(url, {"month": "2026-13"}).status_code == 400


def test_operator_removes_a_listing_from_the_eu_market(
    client: Client, operator: User, seller: User, variant_factory: Any
) -> None:
    product = variant_factory().product
    client.force_login(seller)
    url = reverse("customs:safety_gate")
    assert client.post(url, {"product": product.pk, "reason": "x"}).status_code == 403

    client.force_login(operator)
    response = client.post(url, {"product": product.pk, "reason": ""})
    assert response.status_code == 400
    response = client.post(
        url, {"product": product.pk, "reason": "Safety Gate alert A12/00123/26: lead"}
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.ships_to_eu is False
    assert selectors.is_eu_blocked(product)
    entry = AuditEntry.objects.get(action="product.eu_blocked")
    assert entry.actor == operator
    assert "A12/00123/26" in client.get(url).content.decode()

    with pytest.raises(ValidationError):
        services.block_for_eu(product, reason="again", actor=operator)
    block = EuMarketBlock.objects.get()
    client.post(reverse("customs:safety_gate_lift", args=[block.pk]))
    assert not selectors.is_eu_blocked(product)


def test_a_seller_cannot_block_or_lift(seller: User, variant_factory: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.block_for_eu(variant_factory().product, reason="no", actor=seller)
