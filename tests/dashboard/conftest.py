"""Fixtures for the seller dashboard: an approved shop, its owner signed in, listings in bulk."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.photos import services as photo_services
from marketplace.photos.models import ProductPhoto
from sellers.models import Shop


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded photos go to a per-test folder, never into the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def jpeg(name: str = "kopi.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """A real (tiny) JPEG, as a phone would send it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (122, 62, 18)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def owner(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Ibu Sri", phone="+6281234500011")


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], owner: User) -> Shop:
    return shop_factory(owner=owner, name="Kopi Bu Sri", slug="kopi-bu-sri")


@pytest.fixture
def coffee(db: None) -> Category:
    return Category.objects.get(slug="kopi")


def signed_in(user: User) -> Client:
    """A client signed in as ``user``, reading the pages in English (translations come later)."""
    client = Client()
    client.force_login(user)
    client.cookies["pasar_language"] = "en"
    return client


@pytest.fixture
def seller(owner: User) -> Client:
    return signed_in(owner)


def add_listing(
    shop: Shop, actor: User, category: Category, n: int, *, variants: int = 2, photos: int = 0
) -> Product:
    product = catalog.create_product(
        actor,
        shop,
        catalog.ProductInput(category=category, title={"id": f"Kopi Robusta {n}"}),
    )
    for v in range(variants):
        variant = catalog.save_variant(
            actor,
            product,
            catalog.VariantInput(sku=f"K{n}-{v}", price_idr=45_000 + v * 1000, name=f"{v} g"),
        )
        catalog.adjust_stock(actor, variant, 1 + v)
    for p in range(photos):
        photo_services.add_photo(actor, product, jpeg(f"{n}-{p}.jpg"), alt_text=f"photo {p}")
    return product


@pytest.fixture
def listing(shop: Shop, owner: User, coffee: Category) -> Product:
    return add_listing(shop, owner, coffee, 1)


@pytest.fixture
def variant(listing: Product) -> ProductVariant:
    return listing.variants.order_by("pk").first()  # type: ignore[return-value]


@pytest.fixture
def photo(listing: Product, owner: User) -> ProductPhoto:
    return photo_services.add_photo(owner, listing, jpeg(), alt_text="Kopi dalam kantong")


def url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(f"dashboard:{name}", kwargs=kwargs)
