"""What is refused, with which message, before anything is stored (form field and services alike)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from PIL import Image

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from marketplace.photos import services
from marketplace.photos.forms import PhotoField, PhotoUploadForm
from marketplace.photos.models import ProductPhoto
from marketplace.photos.validation import validate_photo

from .conftest import encode, png_bomb, stored_files, textured, upload

pytestmark = pytest.mark.django_db


def refusal(data: bytes, name: str = "photo.jpg") -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_photo(upload(data, name))
    return caught.value


@pytest.mark.parametrize(
    "size",
    [(50_000, 50_000), (10_000, 10_000)],
    ids=["over-twice-the-limit-error", "over-the-limit-warning"],
)
def test_a_decompression_bomb_is_refused_with_a_clear_message(size: tuple[int, int]) -> None:
    data = png_bomb(*size)
    assert len(data) < 100  # a few bytes claiming billions of pixels
    error = refusal(data, "bomb.png")
    assert error.code == "decompression_bomb"
    assert "could overload the server" in error.messages[0]
    assert "at most 40 megapixels" in error.messages[0]


def test_a_text_file_renamed_to_jpg_is_refused() -> None:
    error = refusal(b"Harga kopi: Rp 85.000 per kilo\n" * 20, "kopi.jpg")
    assert error.code == "invalid_format"
    assert error.messages == [
        "This file is not a photo we can use. Send a JPEG, PNG, WebP or HEIC picture."
    ]


def test_a_60_mb_file_is_refused_before_it_is_decoded() -> None:
    error = refusal(b"\xff\xd8\xff" + b"\0" * (60 * 1024 * 1024), "huge.jpg")
    assert error.code == "file_too_large"
    assert error.messages == ["This file is 60.0\xa0MB; a photo may be at most 20.0\xa0MB."]


def test_more_than_40_megapixels_is_refused_even_when_small_on_disk() -> None:
    error = refusal(png_bomb(8000, 6000), "big.png")  # 48 MP: under Pillow's guard, over ours
    assert error.code == "too_many_pixels"
    assert "48 megapixels; at most 40" in error.messages[0]


@pytest.mark.parametrize(
    ("fmt", "params"), [("GIF", {}), ("BMP", {}), ("TIFF", {})], ids=["gif", "bmp", "tiff"]
)
def test_other_image_formats_are_refused(fmt: str, params: dict[str, object]) -> None:
    error = refusal(encode(Image.new("RGB", (20, 20)), fmt, **params), "photo.jpg")
    assert error.code == "invalid_format"


def test_a_truncated_jpeg_is_refused_as_damaged(
    owner: User, product: Product, media_root: Path
) -> None:
    data = encode(textured(300, 200), "JPEG")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.add_photo(owner, product, upload(data[: len(data) // 2]))
    assert caught.value.message_dict == {
        "file": ["This photo is damaged or incomplete. Take it again or choose another one."]
    }
    assert not ProductPhoto.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp"), ("HEIF", "a.heic")]
)
def test_the_four_accepted_formats_pass(fmt: str, name: str) -> None:
    info = validate_photo(upload(encode(textured(64, 48), fmt), name))
    assert (info.format, info.width, info.height) == (fmt, 64, 48)


def test_accepted_by_content_not_by_name() -> None:
    """A PNG called .txt is still a PNG."""
    assert validate_photo(upload(encode(textured(32, 32), "PNG"), "notes.txt")).format == "PNG"


def test_the_form_field_refuses_with_the_same_message_in_the_users_language() -> None:
    field = PhotoField()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean(upload(b"not an image at all", "kopi.jpg"))
    assert caught.value.code == "invalid_format"
    with translation.override("en"):
        form = PhotoUploadForm(data={}, files={"photo": upload(png_bomb(50_000, 50_000), "x.png")})
        assert not form.is_valid()
        assert "could overload the server" in form.errors["photo"][0]
        empty = PhotoUploadForm(data={}, files={})
        assert not empty.is_valid()
        assert empty.errors["photo"] == ["Choose a photo to upload."]


def test_the_form_field_renders_a_camera_friendly_input() -> None:
    html = PhotoUploadForm().as_div()
    assert 'type="file"' in html
    assert 'accept="image/*"' in html
    assert " capture" in html
    assert "enctype" not in html  # the page's <form> sets it: PhotoUploadForm().is_multipart()
    assert PhotoUploadForm().is_multipart()


def test_a_refused_upload_stores_nothing_and_reports_every_problem(
    owner: User, product: Product, media_root: Path
) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.add_photo(owner, product, upload(b"plain text", "a.jpg"), alt_text="x" * 300)
    assert set(caught.value.message_dict) == {"file", "alt_text"}
    assert caught.value.message_dict["alt_text"] == [
        "Describe the photo in at most 250 characters."
    ]
    assert not ProductPhoto.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="photo.").exists()
    assert stored_files(media_root) == []


def test_someone_who_cannot_manage_the_shop_is_refused_and_nothing_is_stored(
    user_factory: Callable[..., User], product: Product, media_root: Path
) -> None:
    stranger = user_factory(full_name="Orang Lain", phone="+6281234500099")
    with pytest.raises(PermissionDenied):
        services.add_photo(stranger, product, upload(encode(textured(200, 150), "JPEG")))
    assert not ProductPhoto.objects.exists()
    assert not AuditEntry.objects.exists()
    assert stored_files(media_root) == []


def test_a_truncated_jpeg_is_refused_even_after_a_pdf_was_printed(
    owner: User, product: Product, media_root: Path
) -> None:
    """WeasyPrint relaxes Pillow process-wide when imported; photos must stay strict."""
    import weasyprint

    weasyprint.HTML(string="<p>Slip</p>").write_pdf()
    data = encode(textured(300, 200), "JPEG")
    with pytest.raises(ValidationError):
        services.add_photo(owner, product, upload(data[: len(data) // 2]))
    assert not ProductPhoto.objects.exists()
