"""Who may use a shop's dashboard: its members and a consenting shop's facilitator, no one else.

The URL list is read from ``sellers.dashboard.urls``, so a page added later is checked too.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, reverse

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.photos.models import ProductPhoto
from marketplace.regions.models import VillageHall
from sellers.dashboard import urls as dashboard_urls
from sellers.models import Shop

from .conftest import signed_in, url

pytestmark = pytest.mark.django_db


def dashboard_urls_of(
    shop: Shop,
    product: Product,
    variant: ProductVariant,
    photo: ProductPhoto,
    order_number: str = "",
    plot_pk: int = 0,
    document_pk: int = 0,
) -> list[str]:
    """Every dashboard URL, filled in with this shop's objects."""
    values: dict[str, Any] = {
        "shop_slug": shop.slug,
        "pk": product.pk,
        "variant_pk": variant.pk,
        "photo_pk": photo.pk,
        "number": order_number,
        "plot_pk": plot_pk,
        "fmt": "pdf",
        "document_pk": document_pk,
    }
    found = []
    for pattern in dashboard_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.converters)  # type: ignore[attr-defined]
        missing = [name for name in names if name not in values]
        assert not missing, f"teach this test the URL argument(s) {missing} of {pattern.name}"
        found.append(
            reverse(f"dashboard:{pattern.name}", kwargs={name: values[name] for name in names})
        )
    return found


@pytest.fixture
def all_urls(
    shop: Shop, listing: Product, variant: ProductVariant, photo: ProductPhoto
) -> list[str]:
    from djmoney.money import Money

    from marketplace.orders.models import Order

    # An EU order, so its CN23 and invoice pages exist too.
    zero = Money(0, "EUR")
    order = Order.objects.create(
        shop=shop,
        market="EU",
        country="DE",
        currency="EUR",
        subtotal=zero,
        shipping=zero,
        vat=zero,
        duty=zero,
        total=zero,
    )
    from marketplace.plots.models import ProductionPlot

    plot = ProductionPlot.objects.create(
        shop=shop, name="Kebun", area_ha=1, geometry={"type": "Point", "coordinates": [114.3, -8.2]}
    )
    from marketplace.documents.services import upload_document

    document = upload_document(
        shop,
        kind="halal",
        number="ID35110000123",
        issuer="BPJPH",
        issued_on=order.placed_at.date(),
        file=BytesIO(b"%PDF-1.4\n%%EOF\n"),
        actor=shop.memberships.get().user,
    )
    return dashboard_urls_of(
        shop, listing, variant, photo, order.number, plot.pk, document_pk=document.pk
    )


def test_the_url_list_covers_every_page(all_urls: list[str]) -> None:
    assert len(all_urls) == len(dashboard_urls.urlpatterns) >= 15


def test_another_shops_seller_is_refused_everywhere(
    all_urls: list[str],
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    listing: Product,
) -> None:
    neighbour = user_factory(full_name="Pak Budi", phone="+6281234500077")
    shop_factory(owner=neighbour)
    client = signed_in(neighbour)
    for address in all_urls:
        assert client.get(address).status_code == 403, address
        assert client.post(address, {"title_id": "x", "sku": "x"}).status_code == 403, address
    listing.refresh_from_db()
    assert listing.title_ind == "Kopi Robusta 1"
    assert listing.photos.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(all_urls: list[str]) -> None:
    client = Client()
    for address in all_urls:
        for response in (client.get(address), client.post(address)):
            assert response.status_code == 302, address
            assert response["Location"].startswith("/akun/masuk/?next="), address


def test_the_owner_reaches_every_page(all_urls: list[str], seller: Client) -> None:
    for address in all_urls:
        # Publish and archive answer GET with 405: they change state only by POST.
        assert seller.get(address).status_code in (200, 405), address


def test_a_facilitator_with_consent_edits_and_the_audit_names_the_shop(
    shop: Shop,
    listing: Product,
    variant: ProductVariant,
    hall: VillageHall,
    user_factory: Callable[..., User],
    consent: Callable[..., Any],
    coffee: Category,
) -> None:
    facilitator = user_factory(full_name="Mbak Dewi", phone="+6281234500055")
    hall.facilitators.add(facilitator)
    consent(shop, facilitator)
    client = signed_in(facilitator)

    assert client.get(url("products", shop_slug=shop.slug)).status_code == 200
    response = client.post(
        url("variant_stock", shop_slug=shop.slug, pk=listing.pk, variant_pk=variant.pk),
        {"action": "add", "quantity": "5", "note": "panen baru"},
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.stock_quantity == 6

    entry = AuditEntry.objects.filter(action="stock.changed").latest("pk")
    assert entry.actor == facilitator
    assert entry.on_behalf_of == shop
    assert entry.on_behalf_of_type == ContentType.objects.get_for_model(Shop)
    movement = variant.stock_movements.latest("pk")
    assert (movement.actor, movement.note) == (facilitator, "panen baru")

    response = client.post(
        url("product_details", shop_slug=shop.slug, pk=listing.pk),
        {"title_id": "Kopi Robusta Osing", "category": coffee.pk},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.title_ind == "Kopi Robusta Osing"
    changed = AuditEntry.objects.get(action="product.changed")
    assert (changed.actor, changed.on_behalf_of) == (facilitator, shop)


def test_a_facilitator_without_consent_is_refused(
    all_urls: list[str],
    hall: VillageHall,
    user_factory: Callable[..., User],
    shop: Shop,
    consent: Callable[..., Any],
) -> None:
    facilitator = user_factory(full_name="Mbak Dewi", phone="+6281234500055")
    hall.facilitators.add(facilitator)
    client = signed_in(facilitator)
    for address in all_urls:
        assert client.get(address).status_code == 403, address

    # Consent given, then revoked: refused again.
    from django.utils import timezone

    given = consent(shop, facilitator)
    assert client.get(url("products", shop_slug=shop.slug)).status_code == 200
    given.revoked_at = timezone.now()
    given.save()
    assert client.get(url("products", shop_slug=shop.slug)).status_code == 403


def test_an_unknown_shop_is_not_found(seller: Client) -> None:
    assert seller.get("/penjual/tidak-ada/").status_code == 404
