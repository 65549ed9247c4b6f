"""Reorder, delete, alt text: who may, what is recorded, what is announced, what stays on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product, ProductStatus
from marketplace.photos import selectors, services
from marketplace.photos.models import ProductPhoto
from marketplace.regions.models import VillageHall
from sellers.models import Shop

from .conftest import encode, stored_files, textured, upload

pytestmark = pytest.mark.django_db

Add = Callable[..., ProductPhoto]


@pytest.fixture
def three(add: Add) -> list[ProductPhoto]:
    return [add(encode(textured(200, 150, seed=i), "JPEG"), alt_text=f"foto {i}") for i in range(3)]


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        services.events, "emit", lambda name, **payload: calls.append((name, payload))
    )
    return calls


def order(product: Product) -> list[str]:
    return [p.alt_text for p in selectors.photos_of(product)]


def test_photos_are_added_in_order_with_positions(
    three: list[ProductPhoto], product: Product
) -> None:
    assert [p.position for p in three] == [0, 1, 2]
    assert order(product) == ["foto 0", "foto 1", "foto 2"]


def test_reorder_puts_the_photos_in_the_given_order(
    three: list[ProductPhoto], owner: User, product: Product, emitted: list[Any]
) -> None:
    a, b, c = three
    result = services.reorder_photos(owner, product, [c.pk, a.pk, b.pk])
    assert [p.pk for p in result] == [c.pk, a.pk, b.pk]
    assert order(product) == ["foto 2", "foto 0", "foto 1"]
    assert list(selectors.photos_of(product).values_list("position", flat=True)) == [0, 1, 2]
    entry = AuditEntry.objects.get(action="photo.reordered")
    assert entry.data == {"order": [c.pk, a.pk, b.pk]}
    assert entry.on_behalf_of_id == str(product.shop_id)
    assert emitted == [("product.changed", {"product_id": product.pk})]


@pytest.mark.parametrize("ids", ["missing-one", "duplicate", "foreign", "empty"], ids=lambda x: x)
def test_reorder_must_name_every_photo_once(
    three: list[ProductPhoto],
    owner: User,
    product: Product,
    product_factory: Callable[..., Product],
    add: Add,
    ids: str,
) -> None:
    a, b, c = three
    other = add(encode(textured(100, 80), "PNG"), to=product_factory(title="Kakao"))
    photo_ids = {
        "missing-one": [a.pk, b.pk],
        "duplicate": [a.pk, a.pk, b.pk, c.pk],
        "foreign": [a.pk, b.pk, other.pk],
        "empty": [],
    }[ids]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.reorder_photos(owner, product, photo_ids)
    assert caught.value.message_dict == {
        "photo_ids": ["List every photo of this listing exactly once, in the new order."]
    }
    assert order(product) == ["foto 0", "foto 1", "foto 2"]


def test_delete_removes_the_row_and_its_files_after_commit_and_closes_the_gap(
    three: list[ProductPhoto],
    owner: User,
    product: Product,
    media_root: Path,
    emitted: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    a, b, c = three
    files_before = len(stored_files(media_root))
    names = b.stored_names()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_photo(owner, b)
    # Not committed yet: the files are still there (a rollback would need them).
    assert all((media_root / name).exists() for name in names)
    for callback in callbacks:
        callback()
    assert not any((media_root / name).exists() for name in names)
    assert len(stored_files(media_root)) == files_before - len(names)
    assert [(p.pk, p.position) for p in selectors.photos_of(product)] == [(a.pk, 0), (c.pk, 1)]
    assert AuditEntry.objects.filter(action="photo.deleted", object_id=str(b.pk)).exists()
    assert emitted == [("product.changed", {"product_id": product.pk})]


def test_deleting_a_listing_deletes_its_photo_files(
    three: list[ProductPhoto],
    product: Product,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert stored_files(media_root) == []


def test_alt_text_is_set_tidied_and_limited(
    three: list[ProductPhoto], owner: User, emitted: list[Any]
) -> None:
    photo = services.set_alt_text(owner, three[0], "  Kopi bubuk\n 250 g  ")
    photo.refresh_from_db()
    assert photo.alt_text == "Kopi bubuk 250 g"
    assert AuditEntry.objects.filter(action="photo.alt_text_changed").count() == 1
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.set_alt_text(owner, three[0], "k" * 251)
    assert caught.value.message_dict["alt_text"] == [
        "Describe the photo in at most 250 characters."
    ]
    photo.refresh_from_db()
    assert photo.alt_text == "Kopi bubuk 250 g"


def test_a_draft_listing_emits_no_event(
    owner: User, product_factory: Callable[..., Product], add: Add, emitted: list[Any]
) -> None:
    draft = product_factory(status=ProductStatus.DRAFT)
    photo = add(encode(textured(200, 100), "JPEG"), to=draft)
    services.set_alt_text(owner, photo, "Kakao fermentasi")
    services.delete_photo(owner, photo)
    assert emitted == []


def test_a_new_photo_on_a_published_listing_is_announced_and_awaits_review(
    add: Add, product: Product, emitted: list[Any]
) -> None:
    add(encode(textured(200, 100), "JPEG"))
    product.refresh_from_db()
    assert product.needs_review
    # Once when added, once when its derivatives are ready (the index then shows the image).
    assert emitted == [("product.changed", {"product_id": product.pk})] * 2


def test_a_listing_takes_at_most_ten_photos(
    owner: User, product: Product, add: Add, media_root: Path
) -> None:
    for i in range(services.MAX_PHOTOS_PER_PRODUCT):
        add(encode(small_image(i), "PNG"))
    files = stored_files(media_root)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.add_photo(owner, product, upload(encode(small_image(99), "PNG")))
    assert caught.value.message_dict == {
        "file": ["A listing can have at most 10 photos. Delete one first."]
    }
    assert product.photos.count() == 10
    assert stored_files(media_root) == files  # the refused one's master was removed again


def small_image(seed: int) -> Any:
    return textured(40, 30, seed=seed)


def test_only_those_who_manage_the_shop_may_change_photos(
    three: list[ProductPhoto],
    user_factory: Callable[..., User],
    product: Product,
    media_root: Path,
) -> None:
    stranger = user_factory(full_name="Orang Lain", phone="+6281234500099")
    files = stored_files(media_root)
    audit = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.reorder_photos(stranger, product, [p.pk for p in reversed(three)])
    with pytest.raises(PermissionDenied):
        services.delete_photo(stranger, three[0])
    with pytest.raises(PermissionDenied):
        services.set_alt_text(stranger, three[0], "dirusak")
    assert order(product) == ["foto 0", "foto 1", "foto 2"]
    assert stored_files(media_root) == files
    assert AuditEntry.objects.count() == audit


def test_a_facilitator_with_consent_adds_photos_on_behalf_of_the_shop(
    user_factory: Callable[..., User],
    hall: VillageHall,
    shop: Shop,
    product: Product,
    consent: Callable[[Shop, User], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    facilitator = user_factory(full_name="Mas Fasilitator", phone="+6281234500077")
    hall.facilitators.add(facilitator)
    photo_file = upload(encode(textured(300, 200), "JPEG"))
    with pytest.raises(PermissionDenied):
        services.add_photo(facilitator, product, photo_file)
    consent(shop, facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.add_photo(facilitator, product, photo_file, "Kopi di balai desa")
    entry = AuditEntry.objects.get(action="photo.added")
    assert entry.actor == facilitator
    assert (entry.on_behalf_of_id, entry.object_id) == (str(shop.pk), str(photo.pk))


def test_deleting_twice_is_harmless(three: list[ProductPhoto], owner: User) -> None:
    services.delete_photo(owner, three[0])
    services.delete_photo(owner, three[0])
    assert ProductPhoto.objects.count() == 2
