"""Photos made in the tests with Pillow (nothing downloaded), a listing to put them on, a tmp media root."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.photos import services
from marketplace.photos.models import ProductPhoto
from sellers.models import Shop

#: Where the test photos were "taken": Kemiren, Banyuwangi. Must never reach a stored file.
GPS_LATITUDE = (Fraction(8), Fraction(12), Fraction(3001, 100))
GPS_LONGITUDE = (Fraction(114), Fraction(19), Fraction(4507, 100))
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="8,12.3S" exif:GPSLongitude="114,19.45E"/></rdf:RDF></x:xmpmeta>'
)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.MEDIA_URL = "/media/"
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def textured(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photo-like picture: a gradient, shapes and noise (compresses like a real photo)."""
    rnd = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y, r = rnd.randrange(width), rnd.randrange(height), rnd.randrange(5, max(6, width // 4))
        draw.ellipse((x, y, x + r, y + r), fill=(rnd.randrange(256), rnd.randrange(256), 90))
    noise = Image.effect_noise((width, height), 30).convert("RGB")
    return Image.blend(image, noise, 0.2)


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def red_top_blue_bottom(width: int, height: int) -> Image.Image:
    """Red upper half, blue lower half: shows which way a photo was turned."""
    image = Image.new("RGB", (width, height), (0, 0, 230))
    ImageDraw.Draw(image).rectangle((0, 0, width, height // 2), fill=(230, 0, 0))
    return image


def jpeg_with_gps_and_orientation_6(width: int = 800, height: int = 600) -> bytes:
    """A phone's JPEG: stored landscape, EXIF orientation 6 (turn 90° clockwise), GPS, XMP."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Pasar Test Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = GPS_LONGITUDE
    return encode(
        red_top_blue_bottom(width, height),
        "JPEG",
        quality=90,
        exif=exif,
        xmp=XMP,
        comment=b"Rumah Bu Siti, Kemiren",
    )


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    data = encode(Image.new("1", (1, 1)), "PNG")
    ihdr = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + ihdr
    return data[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


@pytest.fixture
def owner(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Bu Siti", phone="+6281234500011")


@pytest.fixture
def shop(owner: User, shop_factory: Callable[..., Shop]) -> Shop:
    return shop_factory(owner=owner)


@pytest.fixture
def product_factory(shop: Shop) -> Callable[..., Product]:
    def make(**kw: Any) -> Product:
        kw.setdefault("shop", shop)
        kw.setdefault("category", Category.objects.order_by("pk").first())
        kw.setdefault("title", "Kopi Osing robusta 250 g")
        return Product.objects.create(**kw)

    return make


@pytest.fixture
def product(product_factory: Callable[..., Product]) -> Product:
    return product_factory(status=ProductStatus.PUBLISHED)


@pytest.fixture
def add(
    owner: User,
    product: Product,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[..., ProductPhoto]:
    """``add(bytes)``: upload as the owner, running what waits for the commit (the derivatives)."""

    def run(
        data: bytes, *, name: str = "photo.jpg", alt_text: str = "", to: Product | None = None
    ) -> ProductPhoto:
        with django_capture_on_commit_callbacks(execute=True):
            photo = services.add_photo(owner, to or product, upload(data, name), alt_text)
        photo.refresh_from_db()
        return photo

    return run


@pytest.fixture
def no_commit_callbacks(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Iterator[None]:
    with django_capture_on_commit_callbacks(execute=False):
        yield
