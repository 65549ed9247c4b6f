"""From an upload to a metadata-free master and the derivative ladder, through the real storage."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from marketplace.catalog.models import Product
from marketplace.photos import processing
from marketplace.photos.models import ProductPhoto
from marketplace.photos.tasks import make_derivatives

from .conftest import (
    encode,
    jpeg_with_gps_and_orientation_6,
    stored_files,
    textured,
)

pytestmark = pytest.mark.django_db

Add = Callable[..., ProductPhoto]


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as f:
        return f.read()


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), image.getexif()
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
        assert not image.info.get(key), (key, image.format)
    for marker in (b"Exif", b"GPS", b"xmpmeta", b"Kemiren", b"Pasar Test Phone"):
        assert marker not in data, (marker, image.format)


def every_stored_file(photo: ProductPhoto) -> list[str]:
    return photo.stored_names()


def test_the_source_really_carries_gps_and_orientation_6() -> None:
    """Guards the next test: the metadata it expects to vanish is there to begin with."""
    data = jpeg_with_gps_and_orientation_6()
    image = Image.open(io.BytesIO(data))
    assert image.getexif()[0x0112] == 6
    assert image.getexif().get_ifd(0x8825)  # GPS
    assert b"xmpmeta" in data and b"Kemiren" in data
    with pytest.raises(AssertionError):
        assert_no_metadata(data)


def test_a_phone_jpeg_is_stored_upright_and_without_any_metadata_anywhere(add: Add) -> None:
    photo = add(jpeg_with_gps_and_orientation_6(800, 600))
    # Orientation 6: the stored landscape becomes portrait; its red top turns to the right side.
    assert (photo.width, photo.height) == (600, 800)
    master = Image.open(io.BytesIO(read(photo.master))).convert("RGB")
    assert master.size == (600, 800)
    right, left = master.getpixel((590, 400)), master.getpixel((10, 400))
    assert right[0] > 200 and right[2] < 60, right  # red
    assert left[2] > 200 and left[0] < 60, left  # blue
    names = every_stored_file(photo)
    assert len(names) == 1 + 2 * 3  # master + WebP and AVIF at 160, 320, 480 (≤ 600)
    for name in names:
        data = read(name)
        assert_no_metadata(data)
        image = Image.open(io.BytesIO(data))
        assert image.height > image.width  # every derivative upright too


def test_derivatives_exist_at_the_ladder_widths_up_to_the_original_width(
    add: Add, media_root: Path
) -> None:
    photo = add(encode(textured(1700, 1000), "JPEG", quality=90))
    assert photo.is_ready
    for fmt, mime_format in (("webp", "WEBP"), ("avif", "AVIF")):
        renditions = photo.renditions(fmt)
        assert [r["w"] for r in renditions] == [160, 320, 480, 720, 1080, 1600]
        for rendition in renditions:
            data = read(rendition["name"])
            assert len(data) == rendition["bytes"]
            image = Image.open(io.BytesIO(data))
            assert image.format == mime_format
            assert image.size == (rendition["w"], rendition["h"])
            assert rendition["h"] == round(1000 * rendition["w"] / 1700)
    assert len(stored_files(media_root)) == 1 + 12


def test_a_small_photo_is_never_upscaled(add: Add) -> None:
    photo = add(encode(textured(400, 300), "PNG"), name="kecil.png")
    assert [r["w"] for r in photo.renditions("webp")] == [160, 320]
    tiny = add(encode(textured(120, 90), "WEBP"), name="tiny.webp")
    assert [(r["w"], r["h"]) for r in tiny.renditions("webp")] == [(120, 90)]


def test_a_large_photo_is_stored_at_most_2400_px_and_no_original_bytes_are_kept(
    add: Add, media_root: Path
) -> None:
    original = encode(textured(3000, 2000), "JPEG", quality=95)
    photo = add(original)
    assert (photo.width, photo.height) == (2400, 1600)
    assert Image.open(io.BytesIO(read(photo.master))).size == (2400, 1600)
    assert all(p.read_bytes() != original for p in stored_files(media_root))


def test_a_heic_photo_is_accepted(add: Add) -> None:
    data = encode(textured(640, 480), "HEIF", quality=80)
    assert data[4:12] == b"ftypheic"
    photo = add(data, name="IMG_0001.HEIC")
    assert (photo.width, photo.height) == (640, 480)
    assert photo.master.endswith(".jpg")
    assert [r["w"] for r in photo.renditions("avif")] == [160, 320, 480]


def test_transparency_is_kept_in_a_webp_master_and_derivatives(add: Add) -> None:
    logo = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (100, 100, 300, 300))
    photo = add(encode(logo, "PNG"), name="logo.png")
    assert photo.master.endswith(".webp")
    assert not photo.is_opaque
    smallest = Image.open(io.BytesIO(read(photo.renditions("webp")[0]["name"])))
    assert smallest.mode == "RGBA"
    assert smallest.getpixel((0, 0))[3] == 0


def test_placeholder_is_the_dominant_colour_and_a_tiny_webp(add: Add) -> None:
    green = Image.new("RGB", (600, 400), (40, 140, 60))
    green.paste((250, 250, 250), (0, 0, 100, 100))  # a small white corner does not win
    photo = add(encode(green, "JPEG", quality=95))
    red, g, blue = (int(photo.placeholder_color[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(red - 40) < 12 and abs(g - 140) < 12 and abs(blue - 60) < 12
    assert photo.placeholder_uri.startswith("data:image/webp;base64,")
    assert len(photo.placeholder_uri) < 600


def test_making_derivatives_again_replaces_the_old_files(add: Add, media_root: Path) -> None:
    photo = add(encode(textured(500, 400), "JPEG"))
    before = set(photo.stored_names())
    make_derivatives(photo.pk)
    photo.refresh_from_db()
    after = set(photo.stored_names())
    assert photo.master in before & after
    assert len(after) == len(before) and after != before
    assert {str(p.relative_to(media_root)) for p in stored_files(media_root)} == after


def test_the_task_does_nothing_for_a_photo_deleted_meanwhile(media_root: Path) -> None:
    assert make_derivatives(987654) is None
    assert stored_files(media_root) == []


def test_until_the_task_runs_the_photo_has_only_its_master_and_placeholder(
    owner: object, product: Product, no_commit_callbacks: None, media_root: Path
) -> None:
    from marketplace.photos import services

    from .conftest import upload

    photo = services.add_photo(owner, product, upload(encode(textured(300, 200), "JPEG")))
    assert not photo.is_ready
    assert photo.placeholder_uri
    assert len(stored_files(media_root)) == 1


def test_ladder_never_exceeds_the_width() -> None:
    assert processing.ladder(2400) == [160, 320, 480, 720, 1080, 1600]
    assert processing.ladder(700) == [160, 320, 480]
    assert processing.ladder(90) == [90]
