"""E-mails at each step, to the right address, in the recipient's language, after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from marketplace.orders import emails, services
from marketplace.payments import services as payment_services

from .factories import deliver

pytestmark = pytest.mark.django_db


def test_each_step_mails_the_buyer_in_english(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    seller: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payment = place_order([(variant_factory(), 1)])
        order = payment.orders.get()
        payment_services.payment_succeeded(payment, reference="demo")
        deliver(order, seller)
    to_buyer = [m for m in mail.outbox if m.to == ["buyer@example.id"]]
    assert [m.subject for m in to_buyer] == [
        f"Order {order.number} received",
        f"Payment received for order {order.number}",
        f"Order {order.number} has been shipped",
        f"Order {order.number} has been delivered",
    ]
    assert "EE123456789ID" in to_buyer[2].body
    # The seller hears of the paid order once (their preferred language: Indonesian, default).
    [to_seller] = [m for m in mail.outbox if m.to == ["seller@example.id"]]
    assert order.number in to_seller.subject
    assert len(mail.outbox) == 5


def test_guest_gets_mail_in_the_language_of_the_order(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payment = place_order(
            [(variant_factory(), 1)],
            buyer=None,
            email="gast@example.de",
            language="de",
            market="EU",
            method="demo",
        )
    order = payment.orders.get()
    assert order.recipient_language == "de"
    [message] = mail.outbox
    assert message.to == ["gast@example.de"]
    assert order.number in message.subject
    # The German template is used (its msgids are English until the German catalog has them).
    subject, _body = emails.render_order_email(order, "placed")
    assert subject == message.subject


def test_cancellation_mail_names_the_reason_and_nothing_is_sent_on_rollback(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    buyer: Any,
    seller: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    payment = place_order([(variant_factory(), 1)])
    payment_services.payment_succeeded(payment, reference="demo")
    order = payment.orders.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.cancel(order, actor=seller, reason="Stok habis")
        transaction.set_rollback(True)
    assert mail.outbox == []
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(order, actor=seller, reason="Stok habis")
    cancelled = [m for m in mail.outbox if "cancelled" in m.subject]
    assert len(cancelled) == 1
    assert "Stok habis" in cancelled[0].body
    assert any("Refund" in m.subject for m in mail.outbox)


def test_phone_only_guest_gets_no_mail_and_no_error(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        place_order([(variant_factory(), 1)], buyer=None, email="")
    assert mail.outbox == []


def test_plain_text_mail_is_not_html_escaped(
    place_order: Callable[..., Any], variant_factory: Callable[..., Any], shop: Any
) -> None:
    shop.name = "Kopi & Teh Bu Siti's"
    shop.save(update_fields=["name"])
    order = place_order([(variant_factory(), 1)]).orders.get()
    _subject, body = emails.render_order_email(order, "placed")
    assert "Kopi & Teh Bu Siti's" in body


def test_seller_mail_in_the_sellers_language(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    seller: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    seller.preferred_language = "en"
    seller.save(update_fields=["preferred_language"])
    payment = place_order([(variant_factory(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.payment_succeeded(payment, reference="demo")
    [to_seller] = [m for m in mail.outbox if m.to == ["seller@example.id"]]
    order = payment.orders.get()
    assert to_seller.subject == f"New paid order {order.number}: please ship it"
