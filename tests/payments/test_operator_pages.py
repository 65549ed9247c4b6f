"""Operator pages: bank transfers to confirm or reject, order search, refunds; 403 for others."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money
from PIL import Image

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.ledger import selectors as ledger_selectors
from marketplace.ledger.models import CommissionRate
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus, ProofStatus
from sellers.models import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def commission(db: None) -> None:
    CommissionRate.objects.all().delete()
    CommissionRate.objects.create(
        category=None, rate=Decimal("10"), valid_from=datetime.date(2026, 1, 1)
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["pasar_language"] = "en"
    return client


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#8a5a2b").save(out, format="PNG")
    out.seek(0)
    return out


@pytest.fixture
def transfer(
    place_order: Callable[..., Payment], variant_factory: Callable[..., Any], buyer: User
) -> Payment:
    """A pending bank transfer for 2 x Rp 50.000 from one shop, with a receipt uploaded."""
    payment = place_order([(variant_factory(idr=50_000), 2)], method="bank_transfer")
    services.upload_transfer_proof(payment, png(), actor=buyer)
    return payment


def test_the_queue_shows_amount_with_code_receipt_buyer_and_deadline(
    operator: User, transfer: Payment
) -> None:
    page = signed_in(operator).get(reverse("operator_payments:transfers")).content.decode()
    assert transfer.transfer_amount is not None and transfer.unique_code is not None
    code = transfer.unique_code
    assert f"IDR\xa0{100_000 + code:,}" in page  # English formatting, the unique code added
    assert f"code {code}" in page
    assert "buyer@example.id" in page
    order = transfer.orders.get()
    assert order.number in page
    proof = transfer.proofs.get()
    assert reverse("operator_payments:proof", args=[proof.pk]) in page
    assert transfer.expires_at is not None
    assert transfer.expires_at.strftime("%Y") in page


def test_the_receipt_is_served_to_operators_only(
    operator: User, seller: User, buyer: User, transfer: Payment
) -> None:
    proof = transfer.proofs.get()
    address = reverse("operator_payments:proof", args=[proof.pk])
    response = signed_in(operator).get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")  # type: ignore[attr-defined]
    assert signed_in(buyer).get(address).status_code == 403
    assert signed_in(seller).get(address).status_code == 403


def test_confirming_pays_the_orders_and_the_ledger_posts_the_shops_share(
    operator: User,
    shop: Shop,
    transfer: Payment,
    commission: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    browser = signed_in(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("operator_payments:transfer_confirm", args=[transfer.pk]))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.SUCCEEDED
    assert transfer.confirmed_by_id == operator.pk
    assert transfer.proofs.get().status == ProofStatus.CONFIRMED
    order = transfer.orders.get()
    assert order.status == OrderStatus.PAID
    # Rp 100.000 of goods, 10% commission: the shop is owed Rp 90.000 (held until delivery).
    (balance,) = ledger_selectors.shop_balance(shop)
    assert balance.total == Money(90_000, "IDR")
    assert balance.pending == Money(90_000, "IDR")
    assert AuditEntry.objects.filter(
        action="payment.succeeded", actor=operator, object_id=str(transfer.pk)
    ).exists()
    # The queue no longer lists it; confirming again changes nothing and says nothing broke.
    page = browser.get(reverse("operator_payments:transfers")).content.decode()
    assert order.number not in page.split("<table", 1)[1]
    again = browser.post(reverse("operator_payments:transfer_confirm", args=[transfer.pk]))
    assert again.status_code == 302
    (balance,) = ledger_selectors.shop_balance(shop)
    assert balance.total == Money(90_000, "IDR")


def test_an_expired_transfer_cannot_be_confirmed(operator: User, transfer: Payment) -> None:
    services.payment_failed(transfer, reason="Not paid in time.", expired=True)
    browser = signed_in(operator)
    response = browser.post(
        reverse("operator_payments:transfer_confirm", args=[transfer.pk]), follow=True
    )
    assert response.status_code == 200
    assert "This payment has expired or was cancelled" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.CANCELLED
    assert transfer.orders.get().status == OrderStatus.CANCELLED


def test_rejecting_needs_a_reason_the_buyer_reads(operator: User, transfer: Payment) -> None:
    browser = signed_in(operator)
    address = reverse("operator_payments:transfer_reject", args=[transfer.pk])
    refused = browser.post(address, {"note": "   "})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert transfer.proofs.get().status == ProofStatus.PENDING

    browser.post(address, {"note": "Nominal tidak sesuai: kode unik tidak ada."})
    proof = transfer.proofs.get()
    assert (proof.status, proof.review_note) == (
        ProofStatus.REJECTED,
        "Nominal tidak sesuai: kode unik tidak ada.",
    )
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.PENDING  # the buyer may still pay in time
    assert AuditEntry.objects.filter(action="payment.proof_rejected", actor=operator).exists()


def test_every_operator_page_refuses_buyers_sellers_and_facilitators(
    buyer: User,
    seller: User,
    user_factory: Callable[..., User],
    hall: Any,
    transfer: Payment,
    client: Client,
) -> None:
    facilitator = user_factory(email="agus@example.id", phone="+6281200000009")
    hall.facilitators.add(facilitator)
    order = transfer.orders.get()
    pages = [
        ("get", reverse("operator_payments:transfers")),
        ("get", reverse("operator_payments:transfer", args=[transfer.pk])),
        ("post", reverse("operator_payments:transfer_confirm", args=[transfer.pk])),
        ("post", reverse("operator_payments:transfer_reject", args=[transfer.pk])),
        ("get", reverse("operator_payments:orders")),
        ("get", reverse("operator_payments:order", args=[order.number])),
        ("post", reverse("operator_payments:order_refund", args=[order.number])),
        ("post", reverse("operator_payments:order_deliver", args=[order.number])),
    ]
    for user in (buyer, seller, facilitator):
        browser = signed_in(user)
        for method, address in pages:
            response = getattr(browser, method)(address, {"note": "x", "reason": "x"})
            assert response.status_code == 403, (user, address)
    for method, address in pages:
        response = getattr(client, method)(address)
        assert response.status_code == 302 and "/akun/" in response["Location"], address
    transfer.refresh_from_db()
    assert transfer.status == PaymentStatus.PENDING


@pytest.fixture
def paid(
    place_order: Callable[..., Payment], variant_factory: Callable[..., Any], operator: User
) -> Order:
    """A paid order (demo payment) of two lines: 2 x Rp 50.000 and 1 x Rp 30.000."""
    payment = place_order(
        [(variant_factory(idr=50_000), 2), (variant_factory(idr=30_000), 1)], method="demo"
    )
    services.payment_succeeded(payment, reference="demo-x", amount=None)
    order = payment.orders.get()
    order.refresh_from_db()
    return order


def refund(browser: Client, order: Order, **data: Any) -> Any:
    return browser.post(reverse("operator_payments:order_refund", args=[order.number]), data)


def test_search_by_number_opens_the_order(operator: User, paid: Order) -> None:
    browser = signed_in(operator)
    response = browser.get(reverse("operator_payments:orders"), {"q": paid.number.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("operator_payments:order", args=[paid.number])
    partial = browser.get(reverse("operator_payments:orders"), {"q": paid.number[-6:]})
    assert paid.number in partial.content.decode()
    nothing = browser.get(reverse("operator_payments:orders"), {"q": "PK-0000-nope"})
    assert "No order matches." in nothing.content.decode()
    detail = browser.get(reverse("operator_payments:order", args=[paid.number])).content.decode()
    assert "IDR\xa0130,000" in detail


def test_a_partial_refund_of_a_delivered_order_makes_it_partially_refunded(
    operator: User, seller: User, paid: Order
) -> None:
    order_services.ship(paid, courier="JNE", tracking_number="CGK123456", actor=seller)
    browser = signed_in(operator)
    browser.post(reverse("operator_payments:order_deliver", args=[paid.number]))
    paid.refresh_from_db()
    assert paid.status == OrderStatus.DELIVERED
    assert AuditEntry.objects.filter(action="order.delivered", actor=operator).exists()

    response = refund(browser, paid, mode="amount", amount="20.000", reason="Kemasan penyok")
    assert response.status_code == 302
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PARTIALLY_REFUNDED
    assert paid.refunded == Money(20_000, "IDR")
    assert AuditEntry.objects.filter(action="payment.refunded", actor=operator).count() == 1

    response = refund(browser, paid, mode="full", reason="Pembeli tidak puas")
    paid.refresh_from_db()
    assert paid.status == OrderStatus.REFUNDED
    assert paid.refunded == paid.total == Money(130_000, "IDR")
    assert paid.payment is not None
    paid.payment.refresh_from_db()
    assert paid.payment.status == PaymentStatus.REFUNDED


def test_a_refund_per_line_books_the_units_and_cannot_refund_them_twice(
    operator: User, paid: Order
) -> None:
    browser = signed_in(operator)
    first = paid.lines.order_by("pk")[0]
    response = refund(browser, paid, mode="lines", **{f"line_{first.pk}": "1"}, reason="Pecah")
    assert response.status_code == 302
    first.refresh_from_db()
    paid.refresh_from_db()
    assert first.quantity_refunded == 1
    assert paid.refunded == Money(50_000, "IDR")
    # Still to ship: a partial refund keeps the order in its fulfilment status (see orders.states).
    assert paid.status == OrderStatus.PAID

    too_many = refund(browser, paid, mode="lines", **{f"line_{first.pk}": "2"}, reason="Lagi")
    assert too_many.status_code == 400
    assert "Ensure this value is less than or equal to 1." in too_many.content.decode()
    paid.refresh_from_db()
    assert paid.refunded == Money(50_000, "IDR")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "amount", "amount": "", "reason": "x"}, "Enter an amount"),
        ({"mode": "amount", "amount": "abc", "reason": "x"}, "Enter an amount"),
        ({"mode": "amount", "amount": "12,5", "reason": "x"}, "Enter an amount"),
        ({"mode": "amount", "amount": "0", "reason": "x"}, "Enter an amount above zero."),
        ({"mode": "amount", "amount": "999.999", "reason": "x"}, "can still be refunded"),
        ({"mode": "amount", "amount": "10.000", "reason": " "}, "This field is required."),
        ({"mode": "lines", "reason": "x"}, "Enter how many units of which item to refund."),
        ({"mode": "everything", "reason": "x"}, "Select a valid choice."),
    ],
)
def test_bad_refunds_are_refused_with_a_message_and_change_nothing(
    operator: User, paid: Order, data: dict[str, str], message: str
) -> None:
    response = refund(signed_in(operator), paid, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    paid.refresh_from_db()
    assert paid.refunded == Money(0, "IDR")
    assert not AuditEntry.objects.filter(action="payment.refunded").exists()


def test_the_transfer_queue_costs_the_same_for_1_or_20_transfers(
    operator: User,
    buyer: User,
    place_order: Callable[..., Payment],
    variant_factory: Callable[..., Any],
    shop_factory: Callable[..., Shop],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    browser = signed_in(operator)
    address = reverse("operator_payments:transfers")

    def add(n: int) -> None:
        for i in range(n):
            other = shop_factory()
            payment = place_order(
                [(variant_factory(idr=40_000 + i), 1), (variant_factory(for_shop=other), 1)],
                method="bank_transfer",
            )
            if i % 2 == 0:
                services.upload_transfer_proof(payment, io.BytesIO(b"%PDF-1.4\n%%EOF"), actor=buyer)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = browser.get(address).content.decode()
        return len(ctx.captured_queries), html.count('<tr class="transfer">')

    add(1)
    browser.get(address)
    one = count()
    add(19)
    twenty = count()
    assert (one[1], twenty[1]) == (1, 20)
    assert twenty[0] == one[0], f"{one[0]} queries for 1 transfer, {twenty[0]} for 20"
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        browser.get(address)
    print(f"operator transfer list: {one[0]} queries")
