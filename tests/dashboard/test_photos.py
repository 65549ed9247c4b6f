"""Photos on the dashboard: the first step of a new listing, then add, describe, order, delete."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.photos.models import ProductPhoto
from sellers.models import Shop

from .conftest import jpeg, url

pytestmark = pytest.mark.django_db


def test_step_one_opens_the_camera(seller: Client, shop: Shop) -> None:
    html = seller.get(url("product_new", shop_slug=shop.slug)).content.decode()
    assert 'type="file"' in html
    assert 'accept="image/*"' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_listing_begun_with_a_photo_is_named_in_step_two(
    seller: Client, shop: Shop, coffee: Category
) -> None:
    response = seller.post(url("product_new", shop_slug=shop.slug), {"photo": jpeg()})
    product = Product.objects.get(shop=shop)
    assert response.status_code == 302
    assert response["Location"] == (
        url("product_details", shop_slug=shop.slug, pk=product.pk) + "?langkah=2"
    )
    assert product.status == ProductStatus.DRAFT
    assert product.photos.count() == 1  # type: ignore[attr-defined]

    # Step 2 does not offer the stand-in name: the seller writes the real one.
    step2 = seller.get(response["Location"]).content.decode()
    assert "no name yet" not in step2
    response = seller.post(
        response["Location"], {"title_id": "Kopi Robusta Kemiren", "category": coffee.pk}
    )
    assert response["Location"] == (
        url("variant_new", shop_slug=shop.slug, pk=product.pk) + "?langkah=3"
    )
    product.refresh_from_db()
    assert (product.title_ind, product.category) == ("Kopi Robusta Kemiren", coffee)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("kopi.jpg", b"not a picture", "image/jpeg"), "not a photo we can use"),
        (SimpleUploadedFile("kopi.jpg", b"", "image/jpeg"), "The file is empty."),
        (None, "Choose a photo to upload."),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_created(
    seller: Client, shop: Shop, upload: SimpleUploadedFile | None, message: str
) -> None:
    data = {"photo": upload} if upload is not None else {}
    response = seller.post(url("product_new", shop_slug=shop.slug), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Product.objects.exists()
    assert not ProductPhoto.objects.exists()


def test_add_describe_reorder_and_delete_photos(
    seller: Client, shop: Shop, listing: Product, photo: ProductPhoto
) -> None:
    ids = {"shop_slug": shop.slug, "pk": listing.pk}
    response = seller.post(
        url("photos", **ids), {"photo": jpeg("belakang.jpg"), "alt_text": "Kantong dari belakang"}
    )
    assert response.status_code == 302
    first, second = ProductPhoto.objects.filter(product=listing).order_by("position")
    assert (first, second.alt_text) == (photo, "Kantong dari belakang")

    seller.post(url("photo_move", **ids, photo_pk=second.pk), {"direction": "up"})
    assert list(listing.photos.order_by("position")) == [second, first]  # type: ignore[attr-defined]
    # Moving the first photo up again changes nothing.
    seller.post(url("photo_move", **ids, photo_pk=second.pk), {"direction": "up"})
    assert list(listing.photos.order_by("position")) == [second, first]  # type: ignore[attr-defined]

    seller.post(url("photo_alt_text", **ids, photo_pk=first.pk), {"alt_text": "Biji kopi"})
    first.refresh_from_db()
    assert first.alt_text == "Biji kopi"
    response = seller.post(
        url("photo_alt_text", **ids, photo_pk=first.pk), {"alt_text": "x" * 300}, follow=True
    )
    assert "at most 250 characters" in response.content.decode()
    first.refresh_from_db()
    assert first.alt_text == "Biji kopi"

    page = seller.get(url("photos", **ids)).content.decode()
    assert page.index(f'id="photo-{second.pk}"') < page.index(f'id="photo-{first.pk}"')

    seller.post(url("photo_delete", **ids, photo_pk=second.pk))
    assert list(listing.photos.all()) == [first]  # type: ignore[attr-defined]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"photo.added", "photo.reordered", "photo.alt_text_changed", "photo.deleted"} <= actions


def test_a_bad_upload_on_the_photos_page_keeps_the_description(
    seller: Client, shop: Shop, listing: Product
) -> None:
    response = seller.post(
        url("photos", shop_slug=shop.slug, pk=listing.pk),
        {"photo": SimpleUploadedFile("a.jpg", b"GIF89a", "image/gif"), "alt_text": "Kopi bubuk"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a photo we can use" in html
    assert 'value="Kopi bubuk"' in html
    assert not listing.photos.exists()  # type: ignore[attr-defined]
