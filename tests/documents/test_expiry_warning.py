"""The owner hears once, in their language, 30 days before a document stops counting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.documents import services
from marketplace.documents.models import DocumentKind, ExportDocument
from marketplace.documents.tasks import warn_expiring_documents
from sellers.models import Shop

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def _upload(shop: Shop, owner: User, days_left: int, **kw: object) -> ExportDocument:
    today = timezone.localdate()
    return services.upload_document(
        shop,
        kind=DocumentKind.LAB_REPORT,
        number=f"LAB-{days_left}",
        issuer="Sucofindo",
        issued_on=today - timedelta(days=100),
        expires_on=today + timedelta(days=days_left),
        file=pdf_file(),
        actor=owner,
        **kw,  # type: ignore[arg-type]
    )


def test_expiring_within_30_days_warns_the_owner_once(
    shop: Shop, owner: User, product_factory: Callable[..., Product]
) -> None:
    soon = _upload(shop, owner, 20, product=product_factory())
    _upload(shop, owner, 45)  # not yet
    _upload(shop, owner, -1)  # already expired: the readiness check blocks; no warning

    assert warn_expiring_documents() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pemilik@example.id"]
    assert "LAB-20" in message.subject
    soon.refresh_from_db()
    assert soon.warned_at is not None

    assert warn_expiring_documents() == 0
    assert len(mail.outbox) == 1


def test_the_warning_is_in_the_owner_language(
    shop_factory: Callable[..., Shop], user_factory: Callable[..., User]
) -> None:
    english = user_factory(email="owner-en@example.id", preferred_language="en")
    indonesian = user_factory(email="owner-id@example.id", preferred_language="id")
    document = _upload(shop_factory(owner=english), english, 10)
    _upload(shop_factory(owner=indonesian), indonesian, 10)

    warn_expiring_documents()
    by_owner = {m.to[0]: m for m in mail.outbox}
    assert set(by_owner) == {"owner-en@example.id", "owner-id@example.id"}
    # The date is written with the month's name in the owner's language (Django's own
    # catalogues), which shows the message was rendered in that language.
    for language, address in (("en", "owner-en@example.id"), ("id", "owner-id@example.id")):
        with translation.override(language):
            written = date_format(document.valid_until, "j F Y")
        assert written in by_owner[address].body
    with translation.override("id"):
        indonesian_month = date_format(document.valid_until, "F")
    with translation.override("en"):
        english_month = date_format(document.valid_until, "F")
    if indonesian_month != english_month:  # e.g. Desember / December
        assert english_month not in by_owner["owner-id@example.id"].body


def test_a_deleted_document_is_not_warned_about(shop: Shop, owner: User) -> None:
    document = _upload(shop, owner, 5)
    services.delete_document(document, actor=owner)
    assert warn_expiring_documents() == 0
    assert mail.outbox == []
