"""The order e-mail takes its reader to the order: a guest without an account, too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_guests_order_mail_links_to_the_order_which_opens_without_an_account(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://pasar.example"
    with django_capture_on_commit_callbacks(execute=True):
        payment = place_order([(variant_factory(), 1)], buyer=None, email="gast@example.de")
    order = payment.orders.get()
    [message] = mail.outbox
    [link] = re.findall(r"https://pasar\.example(/\S+)", message.body)
    assert order.number in link

    page = Client().get(link)
    assert page.status_code == 200
    assert order.number in page.content.decode()
    # Without the signature the same page asks the visitor to sign in.
    unsigned = Client().get(link.split("?")[0])
    assert unsigned.status_code == 302


def test_the_sellers_mail_links_to_the_order_in_the_dashboard(
    place_order: Callable[..., Any],
    variant_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    from marketplace.payments import services as payment_services

    settings.SITE_URL = "https://pasar.example"
    payment = place_order([(variant_factory(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.payment_succeeded(payment, reference="demo")
    order = payment.orders.get()
    [to_seller] = [m for m in mail.outbox if m.to == ["seller@example.id"]]
    expected = f"https://pasar.example/penjual/{order.shop.slug}/pesanan/{order.number}/"
    assert expected in to_seller.body
