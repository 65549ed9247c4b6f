"""Bank transfer: unique amount, instructions, the buyer's proof, the operator's decision."""

# ruff: noqa: F811

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from djmoney.money import Money
from PIL import Image

from marketplace.markets.formatting import format_money
from marketplace.orders.models import OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus, ProofStatus
from tests.orders.factories import (  # noqa: F401  (fixtures)
    buyer,
    operator,
    place_order,
    seller,
    shop,
    variant_factory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer(place_order: Callable[..., Any], variant_factory: Callable[..., Any]) -> Payment:
    payment: Payment = place_order([(variant_factory(idr=85_000), 2)], method="bank_transfer")
    return payment


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def jpeg_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    return out


def test_transfer_amount_carries_a_unique_code(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any]
) -> None:
    variant = variant_factory(idr=85_000, stock=100)
    payments = [place_order([(variant, 1)], method="bank_transfer") for _ in range(20)]
    codes = [p.unique_code for p in payments]
    assert all(1 <= code <= 999 for code in codes)
    assert len(set(codes)) == 20  # same amount, pending: never the same code
    for p in payments:
        assert p.amount == Money(85_000, "IDR")
        assert p.transfer_amount == Money(85_000 + p.unique_code, "IDR")


def test_instructions_name_account_exact_amount_and_deadline(
    transfer: Payment, settings: Any
) -> None:
    answer = services.start_payment(transfer)
    assert answer["account_number"] == settings.PAYMENT_BANK_ACCOUNT["account_number"]
    assert answer["amount"] == transfer.transfer_amount
    assert answer["amount_text"] == str(170_000 + (transfer.unique_code or 0))
    assert answer["deadline"] == transfer.expires_at
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.PENDING  # nothing is paid by showing instructions


def test_buyer_uploads_image_proof_re_encoded_without_exif(transfer: Payment, buyer: Any) -> None:
    proof = services.upload_transfer_proof(transfer, jpeg_with_exif(), actor=buyer)
    assert proof.content_type == "image/jpeg"
    with proof.file.open("rb") as stored:
        data = stored.read()
    assert b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (40, 30)


def test_pdf_proof_is_accepted_and_other_files_refused(transfer: Payment, buyer: Any) -> None:
    pdf = services.upload_transfer_proof(transfer, io.BytesIO(b"%PDF-1.4\n...\n%%EOF"), actor=buyer)
    assert pdf.content_type == "application/pdf"
    for bad in (b"<html><script>alert(1)</script>", b"MZ\x90\x00executable"):
        with pytest.raises(ValidationError) as exc:
            services.upload_transfer_proof(transfer, io.BytesIO(bad), actor=buyer)
        assert exc.value.error_dict["file"][0].code == "invalid_type"
    # A file that claims to be a JPEG but is not one.
    with pytest.raises(ValidationError):
        services.upload_transfer_proof(
            transfer, io.BytesIO(b"\xff\xd8\xff\xe0garbage"), actor=buyer
        )
    assert transfer.proofs.count() == 1


def test_proof_size_limit(transfer: Payment, buyer: Any, settings: Any) -> None:
    settings.PAYMENT_PROOF_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        services.upload_transfer_proof(transfer, io.BytesIO(b"%PDF-" + b"x" * 2000), actor=buyer)
    assert exc.value.error_dict["file"][0].code == "file_too_large"


def test_only_the_buyer_uploads(transfer: Payment, user_factory: Callable[..., Any]) -> None:
    stranger = user_factory(email="x@example.id", phone="+6281288888888")
    with pytest.raises(PermissionDenied):
        services.upload_transfer_proof(transfer, io.BytesIO(b"%PDF-1.4"), actor=stranger)


def test_operator_confirms_and_orders_are_paid(
    transfer: Payment, buyer: Any, seller: Any, operator: Any
) -> None:
    services.upload_transfer_proof(transfer, io.BytesIO(b"%PDF-1.4"), actor=buyer)
    for who in (buyer, seller):
        with pytest.raises(PermissionDenied):
            services.confirm_bank_transfer(transfer, actor=who)
    services.confirm_bank_transfer(transfer, actor=operator)
    services.confirm_bank_transfer(transfer, actor=operator)  # a second click changes nothing
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.SUCCEEDED
    assert transfer.confirmed_by == operator
    assert transfer.orders.get().status == OrderStatus.PAID
    assert transfer.proofs.get().status == ProofStatus.CONFIRMED
    assert transfer.orders.get().events.filter(kind="paid").count() == 1


def test_operator_rejects_proof_with_a_note_and_payment_stays_open(
    transfer: Payment, buyer: Any, operator: Any
) -> None:
    services.upload_transfer_proof(transfer, io.BytesIO(b"%PDF-1.4"), actor=buyer)
    with pytest.raises(ValidationError):
        services.reject_bank_transfer(transfer, actor=operator, note="")
    services.reject_bank_transfer(transfer, actor=operator, note="Nominal tidak cocok")
    proof = transfer.proofs.get()
    assert proof.status == ProofStatus.REJECTED and proof.review_note == "Nominal tidak cocok"
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.PENDING
    services.upload_transfer_proof(transfer, io.BytesIO(b"%PDF-1.5"), actor=buyer)
    assert transfer.proofs.count() == 2


def test_an_expired_transfer_cannot_be_confirmed(transfer: Payment, operator: Any) -> None:
    services.payment_failed(transfer, "Not paid in time.", expired=True)
    with pytest.raises(ValidationError) as exc:
        services.confirm_bank_transfer(transfer, actor=operator)
    assert exc.value.code == "closed"
    assert transfer.orders.get().status == OrderStatus.CANCELLED


def test_order_mail_tells_the_exact_transfer_amount(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        payment = place_order([(variant_factory(idr=85_000), 1)], method="bank_transfer")
    [message] = mail.outbox
    assert settings.PAYMENT_BANK_ACCOUNT["account_number"] in message.body
    assert payment.transfer_amount is not None
    # The exact amount with its code, written as the buyer (English here) reads amounts.
    assert format_money(payment.transfer_amount, "en") in message.body
