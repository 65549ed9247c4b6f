"""Two buyers through the real pages in Chromium: issue 6's journeys, end to end.

1. A buyer in Surabaya (Jawa Timur) buys coffee from a Kemiren shop, pays by bank transfer and
   uploads the receipt; an operator confirms the transfer on the operator page; the seller marks
   the parcel shipped on the seller's order page; the buyer reads "Shipped" with the tracking
   number.
2. A buyer in the Netherlands pays by card. Stripe is faked at its HTTP boundary
   (``tests/payments/stripe_fake.py``); Stripe.js cannot load offline, so js.stripe.com is
   blocked and the test posts the signed ``payment_intent.succeeded`` webhook Stripe would send.
   The order is delivered (service call), the buyer withdraws through the pages, the seller
   confirms the return, the refund goes through the fake Stripe API (and its ``charge.refunded``
   webhook), and the ledger accounts for every cent.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import translation
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, ProductVariant
from marketplace.ledger.models import CommissionRate, LedgerEntry
from marketplace.ledger.selectors import shop_balance
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus, Withdrawal
from marketplace.payments.gateways import stripe as stripe_gateway
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.regions.models import Region
from marketplace.shipping.models import Courier
from marketplace.taxes.models import ImportRule, VatRate
from sellers.models import MemberRole, Shop, ShopMembership, ShopStatus
from tests.conftest import make_user
from tests.payments.stripe_fake import (
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeFake,
    event,
    signature,
)
from tests.readiness.helpers import make_export_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def snap(page: Any, name: str) -> None:
    """A full-page screenshot for people to look at (CI keeps ``test-artifacts/``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"checkout-{name}.png"), full_page=True)


#: The data migrations seed (categories, VAT, import rules, demo tariffs, commission): a
#: transactional test before this one may have flushed them, so they are loaded again if missing.
SEEDS = (
    (Category, "marketplace.catalog.migrations.0002_seed_categories", "seed"),
    (None, "marketplace.catalog.migrations.0005_hs_code_and_perishable", "mark_perishable"),
    (VatRate, "marketplace.taxes.migrations.0002_load_eu_vat_rates_2026", "load"),
    (ImportRule, "marketplace.taxes.migrations.0004_load_import_rules", "load"),
    (Courier, "marketplace.shipping.migrations.0002_demo_rates_2026", "load"),
    (
        CommissionRate,
        "marketplace.ledger.migrations.0002_append_only_trigger_and_defaults",
        "defaults",
    ),
)


def english(label: Any) -> str:
    with translation.override("en"):
        return str(label)


def reseed() -> None:
    for model, module, function in SEEDS:
        if model is None or not model.objects.exists():
            getattr(import_module(module), function)(apps, None)


def kemiren_shop() -> tuple[Shop, User]:
    owner = make_user(full_name="Ibu Sri Wahyuni", phone="+6281234500321", email="sri@example.com")
    province = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
    regency = Region.objects.create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=province
    )
    district = Region.objects.create(
        code="3510170", level="district", name="GLAGAH", parent=regency
    )
    village = Region.objects.create(
        code="3510170012", level="village", name="KEMIREN", parent=district
    )
    shop = Shop.objects.create(
        name="Kopi Bu Sri",
        slug="kopi-bu-sri",
        village=village,
        status=ShopStatus.APPROVED,
        whatsapp="+6281234500321",
    )
    ShopMembership.objects.create(shop=shop, user=owner, role=MemberRole.OWNER)
    return shop, owner


def coffee(shop: Shop, owner: User, *, eur: str | None = None) -> ProductVariant:
    product = catalog.create_product(
        owner,
        shop,
        catalog.ProductInput(
            category=Category.objects.get(slug="kopi"),
            title={"id": "Kopi Osing Kemiren", "en": "Osing coffee from Kemiren"},
            ships_to_eu=eur is not None,
        ),
    )
    variant = catalog.save_variant(
        owner,
        product,
        catalog.VariantInput(
            sku="KO-1",
            name="250 g",
            price_idr=85_000,
            export_price_eur=Decimal(eur) if eur else None,
            weight_grams=270,
        ),
    )
    catalog.adjust_stock(owner, variant, 10)
    catalog.publish_product(owner, product)
    if eur is not None:
        make_export_ready(product)
    variant.refresh_from_db()
    return variant


def sign_in(page: Any, live_server: Any, user: User) -> None:
    """Hand the browser a signed-in session (the login page has its own journey test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
            {"name": "pasar_language", "value": "en", "url": live_server.url},
        ]
    )


def new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def add_to_cart(page: Any, live_server: Any, variant: ProductVariant) -> None:
    product = variant.product
    page.goto(f"{live_server.url}/produk/{product.pk}-x/")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/keranjang/")
    assert "Kopi Osing" in page.content() or "Osing coffee" in page.content()
    page.get_by_role("link", name="Go to checkout").click()
    page.wait_for_url("**/checkout/")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_surabaya_buyer_pays_by_bank_transfer_and_follows_the_parcel(
    page: Any, browser: Any, live_server: Any, media: Path
) -> None:
    reseed()
    shop, owner = kemiren_shop()
    variant = coffee(shop, owner)
    buyer = make_user(email="dewi@example.com", full_name="Dewi Lestari", phone="+6281234500777")
    operator = make_user(email="operator@example.com", full_name="Operator", is_staff=True)
    sign_in(page, live_server, buyer)
    page.context.add_cookies([{"name": "pasar_country", "value": "ID", "url": live_server.url}])

    add_to_cart(page, live_server, variant)
    page.fill("#id_alamat-full_name", "Dewi Lestari")
    page.fill("#id_alamat-phone", "0812 3450 0777")
    page.fill("#id_alamat-street", "Jl. Darmo Permai III no. 12")
    page.fill("#id_alamat-rt_rw", "002/007")
    page.fill("#id_alamat-village_name", "Pradahkalikendal")
    page.fill("#id_alamat-district", "Dukuhpakis")
    page.fill("#id_alamat-regency", "Kota Surabaya")
    page.select_option("#id_alamat-province_code", "35")
    page.fill("#id_alamat-postal_code", "60226")
    page.get_by_role("button", name="Save the address").click()
    page.wait_for_url("**/checkout/#pengiriman")
    page.get_by_role("button", name="Choose these deliveries").click()
    page.wait_for_load_state()
    assert "Bank transfer" in page.content()
    snap(page, "surabaya-checkout")
    page.get_by_label("Bank transfer").check()
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url("**/pembayaran/**")

    order = Order.objects.get(buyer=buyer)
    payment = order.payment
    assert payment is not None and payment.transfer_amount is not None
    assert order.status == OrderStatus.UNPAID
    amount_text = page.inner_text("#transfer-amount")
    assert str(payment.unique_code) in amount_text.replace(".", "").replace(",", "")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "bukti.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF"}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert "we check your transfer" in page.content()
    snap(page, "surabaya-payment")
    assert payment.proofs.count() == 1

    # The operator confirms on the operator's transfer page.
    desk = new_page(browser)
    sign_in(desk, live_server, operator)
    desk.goto(live_server.url + reverse("operator_payments:transfer", args=[payment.pk]))
    desk.click("#confirm-transfer")
    desk.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    # The seller ships on the seller's order page.
    shop_page = new_page(browser)
    sign_in(shop_page, live_server, owner)
    shop_page.goto(live_server.url + reverse("dashboard:order", args=[shop.slug, order.number]))
    shop_page.fill("#ship-form input[name=courier]", "JNE")
    shop_page.fill("#ship-form input[name=tracking_number]", "JNE0123456789")
    shop_page.locator("#ship-form button[type=submit]").click()
    shop_page.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    page.goto(live_server.url + reverse("storefront:order", kwargs={"number": order.number}))
    assert page.inner_text("#order-status") == english(OrderStatus.SHIPPED.label)
    assert page.inner_text("#tracking-number") == "JNE0123456789"
    assert page.get_by_role("link", name="Track the parcel").count() == 1
    snap(page, "surabaya-order")


@pytest.fixture
def stripe_fake(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[StripeFake]:
    fake = StripeFake().start()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.PAYMENT_GATEWAY = "stripe"
    monkeypatch.setattr(stripe_gateway, "MAX_NETWORK_RETRIES", 0)
    yield fake
    fake.stop()


def post_webhook(live_server: Any, body: bytes) -> int:
    request = urllib.request.Request(  # noqa: S310 (the live server on 127.0.0.1)
        live_server.url + "/pembayaran/stripe/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": signature(body)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


def entries_sum(order: Order) -> Money:
    total = LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount"))["s"]
    return Money(total or 0, order.currency)


def test_dutch_buyer_pays_by_card_withdraws_and_is_refunded_to_the_cent(
    page: Any, live_server: Any, media: Path, stripe_fake: StripeFake
) -> None:
    reseed()
    shop, owner = kemiren_shop()
    variant = coffee(shop, owner, eur="12.50")
    buyer = make_user(email="anouk@example.nl", full_name="Anouk de Vries")
    sign_in(page, live_server, buyer)
    page.context.add_cookies([{"name": "pasar_country", "value": "NL", "url": live_server.url}])
    blocked: list[str] = []
    page.route(
        "https://js.stripe.com/**", lambda route: (blocked.append(route.request.url), route.abort())
    )

    add_to_cart(page, live_server, variant)
    page.fill("#id_alamat-full_name", "Anouk de Vries")
    page.fill("#id_alamat-phone", "+31 20 123 4567")
    page.fill("#id_alamat-street", "Prinsengracht")
    page.fill("#id_alamat-line2", "263")
    page.fill("#id_alamat-city", "Amsterdam")
    page.fill("#id_alamat-postal_code", "1016 GV")
    page.get_by_role("button", name="Save the address").click()
    page.wait_for_url("**/checkout/#pengiriman")
    page.get_by_role("button", name="Choose these deliveries").click()
    page.wait_for_load_state()
    content = page.content()
    assert "within 14 days of receiving the goods" in content
    assert "Bank transfer" not in content
    snap(page, "amsterdam-checkout")
    page.get_by_label("Card").check()
    page.check("input[name=accept_terms]")
    page.get_by_role("button", name="Order with obligation to pay").click()
    page.wait_for_url("**/pembayaran/**")

    order = Order.objects.get(buyer=buyer)
    payment = order.payment
    assert payment is not None
    payment.refresh_from_db()
    assert payment.method == "stripe" and payment.gateway_reference.startswith("pi_")
    assert page.locator("#stripe-form").get_attribute("data-client-secret") == (
        payment.client_secret
    )
    assert blocked, "the page asks for Stripe.js (blocked here: no network)"

    # What Stripe.js's confirmPayment does: the intent succeeds and the buyer is sent back here,
    # possibly before the webhook arrives; the page says it is confirming.
    intent = stripe_fake.succeed(payment.gateway_reference)
    payment_url = page.url
    page.goto(f"{payment_url}?payment_intent={intent['id']}&redirect_status=succeeded")
    assert "we are confirming it" in page.content()
    assert post_webhook(live_server, event("payment_intent.succeeded", intent)) == 200
    page.goto(payment_url)
    assert page.locator(".paid-status").inner_text() == "Paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # Every cent of the buyer's money is on the ledger: shop, commission, VAT, duty.
    assert entries_sum(order) == order.total
    commission = Money(
        LedgerEntry.objects.filter(order=order, account="commission").aggregate(s=Sum("amount"))[
            "s"
        ],
        "EUR",
    )
    (eur,) = [b for b in shop_balance(shop) if b.currency == "EUR"]
    assert eur.total == order.total - order.vat - order.duty - commission

    order_services.ship(order, courier="Pos Indonesia", tracking_number="EE1ID", actor=owner)
    order_services.mark_delivered(order, actor=owner)

    page.goto(live_server.url + reverse("storefront:order", kwargs={"number": order.number}))
    page.get_by_role("link", name="Withdraw from contract here").click()
    page.get_by_role("button", name="Confirm the withdrawal").click()
    page.wait_for_url("**/tarik/selesai/")
    assert "Withdrawal received" in page.content()
    withdrawal = Withdrawal.objects.get(order=order)
    assert withdrawal.amount == order.total  # the whole order: goods, delivery, VAT and duty

    # The goods are back: the seller confirms, the refund goes through Stripe's API.
    order_services.confirm_withdrawal_return(withdrawal, actor=owner)
    assert stripe_fake.posts("/v1/refunds"), "the refund was asked of Stripe"
    charge = stripe_fake.charge_of(payment.gateway_reference)
    assert post_webhook(live_server, event("charge.refunded", charge)) == 200

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.amount_refunded == payment.amount
    assert order.status == OrderStatus.REFUNDED
    assert entries_sum(order) == Money(0, "EUR")
    (eur,) = [b for b in shop_balance(shop) if b.currency == "EUR"]
    assert eur.total == Money(0, "EUR")
    assert Payment.objects.count() == 1
    page.goto(live_server.url + reverse("storefront:order", kwargs={"number": order.number}))
    assert page.inner_text("#order-status") == english(OrderStatus.REFUNDED.label)
