"""Uploading, validity and soft deletion of export documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from marketplace.core import events
from marketplace.documents import selectors, services
from marketplace.documents.models import DocumentKind, ExportDocument
from sellers.models import Shop

from .conftest import jpeg_file, pdf_file

pytestmark = pytest.mark.django_db


def upload(shop: Shop, actor: User, **kw: Any) -> ExportDocument:
    kw.setdefault("kind", DocumentKind.LAB_REPORT)
    kw.setdefault("number", "LAB-2026-001")
    kw.setdefault("issuer", "Sucofindo Surabaya")
    kw.setdefault("issued_on", timezone.localdate() - timedelta(days=10))
    kw.setdefault("file", pdf_file())
    return services.upload_document(shop, actor=actor, **kw)


def test_a_pdf_is_stored_and_audited_on_behalf_of_the_shop(shop: Shop, owner: User) -> None:
    document = upload(shop, owner)
    assert document.content_type == "application/pdf"
    assert document.file.read().startswith(b"%PDF-")
    entry = AuditEntry.objects.get(action="document.uploaded")
    assert entry.actor == owner


def test_a_photo_is_re_encoded_without_its_metadata(shop: Shop, owner: User) -> None:
    document = upload(shop, owner, file=jpeg_file(exif=True))
    with Image.open(document.file) as image:
        assert image.format == "JPEG"
        assert "SecretCamera" not in str(dict(image.getexif()))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"MZ\x90\x00 not a document", "invalid_type"),
        (b"GIF89a\x01\x00", "invalid_type"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "invalid"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_photo_is_refused(
    shop: Shop, owner: User, data: bytes, code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        upload(shop, owner, file=BytesIO(data))
    assert exc.value.error_dict["file"][0].code == code
    assert not ExportDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(shop: Shop, owner: User, settings: Any) -> None:
    settings.EXPORT_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        upload(shop, owner, file=BytesIO(b"%PDF-" + b"0" * 2000))
    assert exc.value.error_dict["file"][0].code == "file_too_large"


def test_bad_fields_are_all_reported_and_nothing_is_saved(
    shop: Shop, owner: User, product_factory: Callable[..., Product], shop_factory: Any
) -> None:
    other = product_factory(for_shop=shop_factory())
    with pytest.raises(ValidationError) as exc:
        upload(
            shop,
            owner,
            kind="passport",
            number=" ",
            issuer="",
            issued_on=timezone.localdate() + timedelta(days=1),
            product=other,
        )
    assert set(exc.value.error_dict) == {"kind", "number", "issuer", "issued_on", "product"}
    with pytest.raises(ValidationError) as exc:
        upload(shop, owner, issued_on=date(2026, 5, 1), expires_on=date(2026, 4, 1))
    assert set(exc.value.error_dict) == {"expires_on"}
    assert not ExportDocument.objects.exists()


def test_only_who_manages_the_shop_may_upload(
    shop: Shop, user_factory: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        upload(shop, user_factory())


def test_a_lab_report_without_expiry_counts_twelve_months_from_its_date(
    shop: Shop, owner: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory()
    document = upload(shop, owner, product=product, issued_on=date(2026, 1, 31))
    assert document.valid_until == date(2027, 1, 31)
    kind = DocumentKind.LAB_REPORT
    assert selectors.current_documents(product, kind, on=date(2027, 1, 31)) == [document]
    assert selectors.current_documents(product, kind, on=date(2027, 2, 1)) == []
    assert selectors.current_documents(product, kind, on=date(2026, 1, 30)) == []


def test_an_expiry_date_wins_and_a_halal_certificate_without_one_never_expires(
    shop: Shop, owner: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory()
    lab = upload(shop, owner, product=product, expires_on=timezone.localdate() + timedelta(days=5))
    halal = upload(shop, owner, kind=DocumentKind.HALAL, number="ID35110000123")
    later = timezone.localdate() + timedelta(days=6)
    assert selectors.current_documents(product, DocumentKind.LAB_REPORT, on=later) == []
    assert lab.valid_until == timezone.localdate() + timedelta(days=5)
    far = timezone.localdate() + timedelta(days=3650)
    assert selectors.current_documents(product, DocumentKind.HALAL, on=far) == [halal]


def test_a_shop_wide_document_covers_every_listing_of_that_shop_only(
    shop: Shop, owner: User, product_factory: Callable[..., Product], shop_factory: Any
) -> None:
    coffee, cocoa = product_factory(), product_factory(title="Kakao")
    stranger = product_factory(for_shop=shop_factory())
    pirt = upload(shop, owner, kind=DocumentKind.PIRT, number="2063510010123-28")
    own = upload(shop, owner, kind=DocumentKind.PIRT, number="X", product=cocoa)
    assert selectors.current_documents(coffee, DocumentKind.PIRT) == [pirt]
    assert set(selectors.current_documents(cocoa, DocumentKind.PIRT)) == {pirt, own}
    assert selectors.current_documents(stranger, DocumentKind.PIRT) == []
    assert selectors.current_documents(coffee, DocumentKind.HALAL) == []


def test_deleting_hides_the_document_but_keeps_it(
    shop: Shop, owner: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory()
    document = upload(shop, owner, product=product)
    services.delete_document(document, actor=owner)
    assert selectors.current_documents(product, DocumentKind.LAB_REPORT) == []
    assert list(selectors.shop_documents(shop)) == []
    kept = ExportDocument.objects.get(pk=document.pk)
    assert kept.deleted_at is not None and kept.file.name


def test_replacing_keeps_the_old_one_as_evidence(
    shop: Shop, owner: User, product_factory: Callable[..., Product]
) -> None:
    product = product_factory()
    old = upload(shop, owner, product=product, issued_on=date(2025, 1, 1))
    new = services.replace_document(
        old,
        number="LAB-2026-002",
        issuer="Sucofindo",
        issued_on=timezone.localdate(),
        file=pdf_file(),
        actor=owner,
    )
    assert selectors.current_documents(product, DocumentKind.LAB_REPORT) == [new]
    old.refresh_from_db()
    assert old.replaced_by == new and old.deleted_at is not None


def test_document_changed_names_the_listings_it_covers(
    shop: Shop,
    owner: User,
    product_factory: Callable[..., Product],
    django_capture_on_commit_callbacks: Any,
) -> None:
    a, b = product_factory(), product_factory(title="Kakao")
    seen: list[dict[str, Any]] = []

    def handler(**payload: Any) -> None:
        seen.append(payload)

    events.subscribe("document.changed")(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = upload(shop, owner, kind=DocumentKind.HALAL)
    finally:
        events._handlers["document.changed"].remove(handler)
    assert len(seen) == 1
    assert (seen[0]["document_id"], seen[0]["shop_id"]) == (document.pk, shop.pk)
    assert sorted(seen[0]["product_ids"]) == sorted([a.pk, b.pk])
