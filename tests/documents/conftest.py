from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product, ProductStatus
from sellers.models import Shop

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def owner(user_factory: Callable[..., User]) -> User:
    return user_factory(email="pemilik@example.id", preferred_language="id")


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], owner: User) -> Shop:
    return shop_factory(owner=owner)


@pytest.fixture
def product_factory(shop: Shop) -> Callable[..., Product]:
    def make(for_shop: Shop | None = None, title: str = "Kopi Osing") -> Product:
        category, _ = Category.objects.get_or_create(slug="kopi", defaults={"name": "Kopi"})
        return Product.objects.create(
            shop=for_shop or shop, category=category, title=title, status=ProductStatus.PUBLISHED
        )

    return make


def pdf_file() -> BytesIO:
    return BytesIO(PDF)


def jpeg_file(exif: bool = True) -> BytesIO:
    out = BytesIO()
    image = Image.new("RGB", (40, 30), (120, 80, 40))
    if exif:
        data = image.getexif()
        data[0x010F] = "SecretCamera"  # Make
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    out.seek(0)
    return out
