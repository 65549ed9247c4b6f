"""Buyer-page fixtures: a village with its hall, approved shops with stories, listings with
photos (derivatives recorded as the task would write them) in rupiah and, for the EU, euros."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.photos.models import ProductPhoto
from marketplace.photos.processing import LADDER
from marketplace.regions.models import Region, VillageHall
from sellers import services as shop_services
from sellers.models import Shop, ShopStatus
from tests.readiness.helpers import make_export_ready

STORY = "<p>Keluarga kami menanam kopi di lereng Ijen sejak 1980.</p>"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"


def buyer(language: str | None = None, country: str | None = None) -> Client:
    """An anonymous buyer; ``language``/``country`` as the footer forms would remember them."""
    client = Client()
    if language:
        client.cookies["pasar_language"] = language
    if country:
        client.cookies["pasar_country"] = country
    return client


@pytest.fixture
def owner(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Ibu Sri", phone="+6281234500011")


@pytest.fixture
def kemiren_hall(regions: dict[str, Region]) -> VillageHall:
    return VillageHall.objects.create(
        village=regions["kemiren"], name="Balai Desa Kemiren", address="Jl. Barong 1"
    )


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], owner: User, kemiren_hall: VillageHall) -> Shop:
    shop = shop_factory(owner=owner, name="Kopi Bu Sri", slug="kopi-bu-sri")
    shop.story = STORY
    shop.whatsapp = "+6281234500011"
    shop.village_hall = kemiren_hall
    shop.save()
    return shop


@pytest.fixture
def coffee(db: None) -> Category:
    return Category.objects.get(slug="kopi")


@pytest.fixture
def batik(db: None) -> Category:
    return Category.objects.get(slug="batik-tekstil")


def fake_derivatives(photo: ProductPhoto) -> None:
    """The names and sizes ``make_derivatives`` records (no AVIF encoding in the tests)."""
    photo.derivatives = {
        fmt: [
            {"w": w, "h": w * 3 // 4, "name": f"photos/{photo.pk}/a1b2-{w}w.{fmt}", "bytes": w * 40}
            for w in LADDER
        ]
        for fmt in ("avif", "webp")
    }
    photo.save(update_fields=["derivatives"])


def add_photos(product: Product, count: int) -> list[ProductPhoto]:
    photos = []
    for position in range(count):
        photo = ProductPhoto.objects.create(
            product=product,
            position=position,
            master=f"photos/m{product.pk}-{position}.jpg",
            width=1600,
            height=1200,
            alt_text=f"Foto {position + 1}",
        )
        fake_derivatives(photo)
        photos.append(photo)
    return photos


def make_listing(
    owner: User,
    shop: Shop,
    category: Category,
    n: int,
    *,
    title: dict[str, str] | None = None,
    price: int = 85_000,
    eur: str | None = "9.50",
    stock: int = 20,
    variants: int = 1,
    photos: int = 1,
    publish: bool = True,
) -> Product:
    """A listing through the services, as its seller would make it."""
    product = catalog.create_product(
        owner,
        shop,
        catalog.ProductInput(
            category=category,
            title=title or {"id": f"Kopi Osing {n}", "en": f"Osing coffee {n}"},
            description={
                "id": f"<p>Robusta petik merah {n} dari Kemiren.</p>",
                "en": f"<p>Red-cherry robusta {n} from Kemiren.</p>",
            },
            ships_to_eu=eur is not None,
        ),
    )
    for v in range(variants):
        variant = catalog.save_variant(
            owner,
            product,
            catalog.VariantInput(
                sku=f"KO-{n}-{v}",
                name=f"{250 * (v + 1)} g",
                price_idr=price + 10_000 * v,
                export_price_eur=Decimal(eur) + v if eur else None,
                weight_grams=250,
            ),
        )
        if stock:
            catalog.adjust_stock(owner, variant, stock)
    add_photos(product, photos)
    if publish:
        catalog.publish_product(owner, product)
    if eur is not None:
        make_export_ready(product)
    product.refresh_from_db()
    return product


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): …``: run what waits for the commit (events: the search documents)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def listing(
    owner: User,
    shop: Shop,
    coffee: Category,
    committed: Callable[[], AbstractContextManager[Any]],
) -> Callable[..., Product]:
    counter = iter(range(1, 100_000))

    def make(**kw: Any) -> Product:
        with committed():
            return make_listing(
                owner, kw.pop("shop", shop), kw.pop("category", coffee), next(counter), **kw
            )

    return make


@pytest.fixture
def operator(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Operator", phone="+6281234500099", is_staff=True)


def remove(operator: User, product: Product) -> None:
    catalog.remove_product(operator, product, "Barang terlarang.")


def unpublish(owner: User, product: Product) -> None:
    catalog.archive_product(owner, product)


def suspend(operator: User, shop: Shop) -> None:
    shop_services.decide_shop(operator, shop, "suspend", "Penipuan.")
    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.SUSPENDED


def html(response: Any) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.content.decode()


def meta(page: str, prop: str) -> str | None:
    """The content of ``<meta property|name="prop">`` (HTML-unescaped), else None."""
    import html as html_lib

    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page)
    return html_lib.unescape(match.group(1)) if match else None
