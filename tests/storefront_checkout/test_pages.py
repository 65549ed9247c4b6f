"""The buyer's journey through the pages: cart → checkout → payment → orders, with the test client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductVariant
from marketplace.checkout.models import Checkout
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus, Withdrawal
from marketplace.payments import services as payment_services
from marketplace.payments.models import Payment
from sellers.models import Shop

from .conftest import AMSTERDAM, DOMESTIC_OPTION, EU_OPTION, JAKARTA

pytestmark = pytest.mark.django_db


def add(client: Client, variant: ProductVariant, quantity: int = 1) -> Any:
    return client.post(
        reverse("storefront:cart_add"), {"variant": variant.pk, "quantity": quantity}
    )


def place(client: Client, fields: dict[str, str], method: str, **extra: str) -> Any:
    return client.post(reverse("storefront:place_order"), {**fields, "method": method, **extra})


def test_add_to_cart_checkout_and_bank_transfer_make_an_unpaid_order(
    signed_in: Client, shop: Shop, sell: Any, buyer: User, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, price=85_000, stock=10, title="Kopi Osing Kemiren")
    product_page = signed_in.get(
        reverse("storefront:product", kwargs={"pk": coffee.product_id, "slug": "x"}), follow=True
    )
    assert "Add to cart" in product_page.content.decode()

    response = add(signed_in, coffee, 2)
    assert response.status_code == 302
    cart = signed_in.get(reverse("storefront:cart")).content.decode()
    assert "Kopi Osing Kemiren" in cart and "Kopi Kemiren" in cart
    assert 'class="badge">2<' in cart  # the header's count

    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
    page = signed_in.get(reverse("storefront:checkout")).content.decode()
    assert "Place order" in page and "Order with obligation to pay" not in page
    assert "Tes Kirim REG" in page and "Bank transfer" in page

    response = place(signed_in, fields, "bank_transfer")
    order = Order.objects.get(buyer=buyer)
    assert order.status == OrderStatus.UNPAID
    assert order.total == Money(2 * 85_000 + 20_000, "IDR")
    assert order.shipping_address["rt_rw"] == "003/005"
    payment = order.payment
    assert payment is not None and payment.method == "bank_transfer"
    token = Checkout.objects.get(payment=payment).token
    assert response["Location"] == reverse("storefront:payment", kwargs={"token": token})

    pay_page = signed_in.get(response["Location"]).content.decode()
    assert payment.transfer_amount is not None
    assert f"{payment.unique_code}" in pay_page
    assert "Upload the transfer receipt" in pay_page
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 8


def test_double_post_of_the_order_button_makes_one_set_of_orders(
    signed_in: Client, shop: Shop, sell: Any, buyer: User, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, stock=5)
    add(signed_in, coffee, 1)
    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})

    first = place(signed_in, fields, "bank_transfer")
    second = place(signed_in, fields, "bank_transfer")

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.filter(buyer=buyer).count() == 1
    assert Payment.objects.count() == 1
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 4


def test_a_guest_orders_with_an_email_and_reads_the_order_by_its_signed_link(
    browser_client: Client, shop: Shop, sell: Any, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, stock=5)
    add(browser_client, coffee, 1)
    url = reverse("storefront:checkout")
    # Without an e-mail the guest is told, and nothing is written.
    refused = browser_client.post(url, {"action": "address", **JAKARTA})
    assert refused.status_code == 400
    assert Checkout.objects.get().shipping_address is None

    fields = fill_checkout(
        browser_client,
        address=JAKARTA,
        email="tamu@example.com",
        delivery={shop.pk: DOMESTIC_OPTION},
    )
    response = place(browser_client, fields, "demo")
    order = Order.objects.get()
    assert order.buyer is None and order.email == "tamu@example.com"
    assert order.status == OrderStatus.PAID  # the demo pays at once
    page = browser_client.get(response["Location"]).content.decode()
    assert "Demo" in page and "no money was moved" in page

    from marketplace.orders.links import order_url

    detail = Client()
    assert detail.get(order_url(order)).status_code == 200
    forged = detail.get(reverse("storefront:order", kwargs={"number": order.number}) + "?kunci=x")
    assert forged.status_code == 302 and "/akun/" in forged["Location"]


def test_a_guest_cancels_an_unpaid_order_through_the_signed_link(
    browser_client: Client, shop: Shop, sell: Any, fill_checkout: Callable[..., Any]
) -> None:
    from marketplace.orders.links import order_url

    coffee = sell(shop, stock=5)
    add(browser_client, coffee, 2)
    fields = fill_checkout(
        browser_client,
        address=JAKARTA,
        email="tamu@example.com",
        delivery={shop.pk: DOMESTIC_OPTION},
    )
    place(browser_client, fields, "bank_transfer")
    order = Order.objects.get()
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 3

    guest = Client()  # the e-mail's link, opened on another device
    detail = guest.get(order_url(order)).content.decode()
    cancel_link = reverse("storefront:order_cancel", kwargs={"number": order.number})
    assert cancel_link + "?kunci=" in detail
    # Without the signature nothing happens.
    assert guest.post(cancel_link).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID

    signed = order_url(order).replace(
        reverse("storefront:order", kwargs={"number": order.number}), cancel_link
    )
    response = guest.post(signed)
    assert response["Location"] == order_url(order)
    order.refresh_from_db()
    coffee.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert coffee.stock_quantity == 5


def test_eu_buyer_reads_the_pre_contract_information_and_the_obligation_button(
    signed_in: Client, shop: Shop, sell: Any, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, eur="12.50", stock=5, title="Kopi Osing")
    sambal = sell(shop, eur="4.00", stock=5, title="Sambal Pecel", category="makanan-olahan")
    signed_in.cookies["pasar_country"] = "NL"
    add(signed_in, coffee, 2)
    add(signed_in, sambal, 1)
    fill_checkout(signed_in, address=AMSTERDAM, delivery={shop.pk: EU_OPTION})

    page = signed_in.get(reverse("storefront:checkout")).content.decode()
    assert "Order with obligation to pay" in page
    assert "Place order" not in page
    assert "within 14 days of receiving the goods" in page
    assert "Excluded from withdrawal (perishable food)" in page
    precontract = page.split('id="vorvertraglich"')[1].split("</section>")[0]
    assert "Sambal Pecel" in precontract and "Kopi Osing" not in precontract
    assert "Kopi Kemiren" in precontract  # the trader
    assert "incl. 9% VAT" in page  # the Dutch coffee rate, IOSS
    assert "Bank transfer" not in page and "Demo payment" in page


def test_eu_order_without_accepting_the_terms_is_refused_and_nothing_is_written(
    signed_in: Client, shop: Shop, sell: Any, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, eur="12.50", stock=5)
    signed_in.cookies["pasar_country"] = "NL"
    add(signed_in, coffee, 1)
    fields = fill_checkout(signed_in, address=AMSTERDAM, delivery={shop.pk: EU_OPTION})

    response = place(signed_in, fields, "demo")
    assert response.status_code == 400
    assert "withdrawal terms" in response.content.decode()
    assert not Order.objects.exists()

    response = place(signed_in, fields, "demo", accept_terms="on")
    assert response.status_code == 302
    assert Order.objects.get().status == OrderStatus.PAID


def test_a_parcel_above_150_euro_tells_what_is_collected_on_delivery(
    signed_in: Client, shop: Shop, sell: Any, fill_checkout: Callable[..., Any]
) -> None:
    batik = sell(shop, eur="200.00", stock=2, category="batik-tekstil", hs_code="520852")
    signed_in.cookies["pasar_country"] = "NL"
    add(signed_in, batik, 1)
    fill_checkout(signed_in, address=AMSTERDAM, delivery={shop.pk: EU_OPTION})

    page = signed_in.get(reverse("storefront:checkout")).content.decode()
    assert "worth more than €150: no VAT is charged now" in page
    assert "Import VAT, customs duty and a carrier fee will be collected on delivery" in page


def test_cart_shows_problems_and_quantities_are_updated_or_removed(
    signed_in: Client, shop: Shop, sell: Any, seller: User
) -> None:
    coffee = sell(shop, stock=3, title="Kopi Lanang")
    add(signed_in, coffee, 2)
    # More than the stock: capped, and the buyer is told.
    update = reverse("storefront:cart_update")
    page = signed_in.post(update, {"variant": coffee.pk, "quantity": 9}, follow=True)
    assert "Only 3 of Kopi Lanang left" in page.content.decode()
    line = Checkout.objects.get().lines.get()
    assert line.quantity == 3
    # Nonsense never answers 500.
    assert signed_in.post(update, {"variant": coffee.pk, "quantity": "dua"}).status_code == 302
    assert add(signed_in, coffee, -1).status_code == 302
    # The price changes after adding: the cart says so.
    from marketplace.catalog import services as catalog

    catalog.save_variant(
        seller,
        coffee.product,
        catalog.VariantInput(sku=coffee.sku, price_idr=95_000),
        variant=coffee,
    )
    page = signed_in.get(reverse("storefront:cart")).content.decode()
    assert "changed from" in page and "Accept the new prices" in page

    signed_in.post(update, {"variant": coffee.pk, "remove": "1"})
    assert not Checkout.objects.get().lines.exists()
    assert "Your cart is empty" in signed_in.get(reverse("storefront:cart")).content.decode()


def test_cancel_while_unpaid_releases_the_stock(
    signed_in: Client, shop: Shop, sell: Any, buyer: User, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, stock=5)
    add(signed_in, coffee, 2)
    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
    place(signed_in, fields, "bank_transfer")
    order = Order.objects.get()
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 3

    detail = signed_in.get(reverse("storefront:order", kwargs={"number": order.number}))
    assert "Cancel this order" in detail.content.decode()
    cancel_url = reverse("storefront:order_cancel", kwargs={"number": order.number})
    confirm = signed_in.get(cancel_url)
    assert "Yes, cancel the order" in confirm.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID  # the confirmation page changes nothing

    response = signed_in.post(cancel_url, follow=True)
    order.refresh_from_db()
    coffee.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert coffee.stock_quantity == 5
    assert "Cancel this order" not in response.content.decode()
    # A second click reads a message, not an error page.
    again = signed_in.post(cancel_url, follow=True)
    assert again.status_code == 200 and "not paid yet" in again.content.decode()


def test_eu_buyer_withdraws_within_14_days_through_the_pages(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    seller: User,
    buyer: User,
    fill_checkout: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    coffee = sell(shop, eur="12.50", stock=5, title="Kopi Osing")
    sambal = sell(shop, eur="4.00", stock=5, title="Sambal Pecel", category="makanan-olahan")
    signed_in.cookies["pasar_country"] = "NL"
    add(signed_in, coffee, 2)
    add(signed_in, sambal, 1)
    fields = fill_checkout(signed_in, address=AMSTERDAM, delivery={shop.pk: EU_OPTION})
    place(signed_in, fields, "demo", accept_terms="on")
    order = Order.objects.get()
    order_url = reverse("storefront:order", kwargs={"number": order.number})
    assert "Withdraw from contract here" not in signed_in.get(order_url).content.decode()

    order_services.ship(
        order, courier="Pos Indonesia", tracking_number="EE123456789ID", actor=seller
    )
    shipped = signed_in.get(order_url).content.decode()
    assert "EE123456789ID" in shipped and "posindonesia.co.id" in shipped
    order_services.mark_delivered(order, actor=seller)

    detail = signed_in.get(order_url).content.decode()
    assert "Withdraw from contract here" in detail
    assert "Perishable: excluded from withdrawal." in detail
    withdraw_url = reverse("storefront:order_withdraw", kwargs={"number": order.number})
    confirm = signed_in.get(withdraw_url).content.decode()
    assert "Confirm the withdrawal" in confirm
    assert "perishable food cannot be returned" in confirm and "Sambal Pecel" in confirm
    assert not Withdrawal.objects.exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(withdraw_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "storefront:order_withdrawn", kwargs={"number": order.number}
    )
    assert "Withdrawal received" in response.content.decode()
    withdrawal = Withdrawal.objects.get(order=order)
    kopi_line = order.lines.get(product_title="Kopi Osing")
    assert withdrawal.lines == {str(kopi_line.pk): 2}
    assert withdrawal.amount == kopi_line.unit_price * 2  # the perishable sambal stays paid
    assert [m.to for m in mail.outbox] == [[buyer.email]]  # the acknowledgement


def test_someone_elses_order_is_not_found_and_cannot_be_cancelled(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    user_factory: Callable[..., User],
    fill_checkout: Callable[..., Any],
) -> None:
    coffee = sell(shop, stock=5)
    add(signed_in, coffee, 1)
    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
    response = place(signed_in, fields, "bank_transfer")
    order = Order.objects.get()

    other = Client()
    other.force_login(user_factory(email="tetangga@example.com", full_name="Tetangga"))
    number = {"number": order.number}
    assert other.get(reverse("storefront:order", kwargs=number)).status_code == 404
    # Not found either when acting on it: order numbers cannot be probed.
    assert other.post(reverse("storefront:order_cancel", kwargs=number)).status_code == 404
    assert other.post(reverse("storefront:order_withdraw", kwargs=number)).status_code == 404
    order.refresh_from_db()
    assert order.status == "unpaid"
    assert order.number not in other.get(reverse("storefront:orders")).content.decode()
    # The order form of someone else's checkout is not theirs to press.
    assert (
        other.post(reverse("storefront:place_order"), {**fields, "method": "demo"}).status_code
        == 404
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    # Anonymous visitors are sent to sign in.
    anonymous = Client()
    assert anonymous.get(reverse("storefront:orders")).status_code == 302
    assert anonymous.get(response["Location"]).status_code == 200  # the payment page's token


def test_my_orders_lists_the_buyers_orders(
    signed_in: Client, shop: Shop, sell: Any, buyer: User, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, stock=5, title="Kopi Luwak Liar")
    add(signed_in, coffee, 1)
    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
    place(signed_in, fields, "bank_transfer")
    order = Order.objects.get()
    payment_services.confirm_bank_transfer(
        order.payment, actor=User.objects.create_user(email="op@example.com", is_staff=True)
    )

    page = signed_in.get(reverse("storefront:orders")).content.decode()
    assert order.number in page and "Kopi Luwak Liar" in page
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.get_status_display() in page


def test_transfer_receipt_upload_for_the_buyer_and_the_guest_with_the_link(
    browser_client: Client,
    signed_in: Client,
    shop: Shop,
    sell: Any,
    user_factory: Callable[..., User],
    fill_checkout: Callable[..., Any],
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    coffee = sell(shop, stock=5)
    add(signed_in, coffee, 1)
    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
    pay_url = place(signed_in, fields, "bank_transfer")["Location"]
    proof_url = pay_url + "bukti/"
    payment = Payment.objects.get()

    # Not a receipt: told why, nothing stored.
    bad = signed_in.post(proof_url, {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 400 and "PDF of the transfer receipt" in bad.content.decode()
    assert not payment.proofs.exists()
    # Another signed-in user holding the link cannot upload for the buyer.
    other = Client()
    other.cookies["pasar_language"] = "en"
    other.force_login(user_factory(email="lain@example.com", full_name="Lain"))
    refused = other.post(proof_url, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF")})
    assert refused.status_code == 400 and "Sign in with the account" in refused.content.decode()
    assert not payment.proofs.exists()

    ok = signed_in.post(proof_url, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF")})
    assert ok.status_code == 302
    assert payment.proofs.count() == 1
    assert "Receipt uploaded" in signed_in.get(pay_url).content.decode()


def test_a_guest_uploads_the_receipt_through_the_payment_link(
    browser_client: Client,
    shop: Shop,
    sell: Any,
    fill_checkout: Callable[..., Any],
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    coffee = sell(shop, stock=5)
    add(browser_client, coffee, 1)
    fields = fill_checkout(
        browser_client,
        address=JAKARTA,
        email="tamu@example.com",
        delivery={shop.pk: DOMESTIC_OPTION},
    )
    pay_url = place(browser_client, fields, "bank_transfer")["Location"]
    response = Client().post(
        pay_url + "bukti/", {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF")}
    )
    assert response.status_code == 302
    assert Payment.objects.get().proofs.count() == 1


@pytest.mark.parametrize("language", ["id", "en", "de"])
def test_the_pages_render_in_every_shipped_language(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    fill_checkout: Callable[..., Any],
    language: str,
) -> None:
    coffee = sell(shop, eur="12.50", stock=5)
    signed_in.cookies["pasar_country"] = "DE"
    add(signed_in, coffee, 1)
    fields = fill_checkout(
        signed_in, address=AMSTERDAM | {"alamat-country": "NL"}, delivery={shop.pk: EU_OPTION}
    )
    signed_in.cookies["pasar_language"] = language
    for url in (reverse("storefront:cart"), reverse("storefront:checkout")):
        response = signed_in.get(url)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()
    pay_url = place(signed_in, fields, "demo", accept_terms="on")["Location"]
    order = Order.objects.get()
    for url in (
        pay_url,
        reverse("storefront:orders"),
        reverse("storefront:order", kwargs={"number": order.number}),
    ):
        assert signed_in.get(url).status_code == 200


def test_the_last_unit_sold_to_someone_else_refuses_the_order_with_the_products_name(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    seller: User,
    fill_checkout: Callable[..., Any],
) -> None:
    coffee = sell(shop, stock=2, title="Kopi Lanang Langka")
    add(signed_in, coffee, 2)
    fields = fill_checkout(signed_in, address=JAKARTA, delivery={shop.pk: DOMESTIC_OPTION})
    from marketplace.catalog import services as catalog

    catalog.adjust_stock(seller, coffee, -1)  # sold in the shop meanwhile

    response = place(signed_in, fields, "bank_transfer")
    assert response.status_code == 400
    assert "Only 1 of Kopi Lanang Langka left" in response.content.decode()
    assert not Order.objects.exists() and not Payment.objects.exists()
    coffee.refresh_from_db()
    assert coffee.stock_quantity == 1


def test_a_signed_in_buyer_ships_to_a_saved_address_but_never_to_someone_elses(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    buyer: User,
    user_factory: Callable[..., User],
) -> None:
    from marketplace.addresses.services import AddressInput, create_address

    def surabaya(owner: User) -> Any:
        return create_address(
            owner,
            AddressInput(
                country="ID", full_name=owner.full_name, phone="081234500777",
                street="Jl. Darmo 12", postal_code="60226", village_name="Darmo",
                district="Wonokromo", regency="Kota Surabaya", province_code="35",
            ),
        )  # fmt: skip

    mine = surabaya(buyer)
    theirs = surabaya(user_factory(email="lain@example.com", full_name="Orang Lain"))
    add(signed_in, sell(shop, stock=5), 1)
    url = reverse("storefront:checkout")
    assert "Jl. Darmo 12" in signed_in.get(url).content.decode()

    refused = signed_in.post(url, {"action": "saved_address", "address": theirs.pk}, follow=True)
    assert "Choose one of your addresses." in refused.content.decode()
    assert Checkout.objects.get().shipping_address is None

    signed_in.post(url, {"action": "saved_address", "address": mine.pk})
    assert Checkout.objects.get().shipping_address == mine
    assert "Tes Kirim REG" in signed_in.get(url).content.decode()


def test_the_visitors_cart_and_its_count_follow_the_sign_in(
    browser_client: Client, shop: Shop, sell: Any, buyer: User
) -> None:
    from tests.conftest import PASSWORD

    coffee = sell(shop, stock=9)
    add(browser_client, coffee, 2)
    own = Checkout.objects.create(user=buyer, country="ID")
    own.lines.create(variant=coffee, quantity=1)

    response = browser_client.post(
        reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert 'class="badge">3<' in browser_client.get(reverse("storefront:home")).content.decode()
    assert Checkout.objects.get(user=buyer).lines.get().quantity == 3


def test_bad_input_is_answered_with_a_message_never_a_server_error(
    signed_in: Client, shop: Shop, sell: Any, fill_checkout: Callable[..., Any]
) -> None:
    coffee = sell(shop, stock=5)
    assert add(signed_in, ProductVariant(pk=999_999)).status_code == 302
    assert signed_in.post(reverse("storefront:cart_add"), {"variant": "x"}).status_code == 302
    add(signed_in, coffee, 1)
    url = reverse("storefront:checkout")
    page = signed_in.post(url, {"action": "country", "country": "US"}, follow=True)
    assert "We ship only to Indonesia" in page.content.decode()
    fields = fill_checkout(signed_in, address=JAKARTA)
    page = signed_in.post(url, {"action": "delivery", f"pengiriman-{shop.pk}": "kuda"}, follow=True)
    assert "not available for this parcel" in page.content.decode()
    assert signed_in.post(reverse("storefront:place_order"), {}).status_code == 404
    no_delivery = signed_in.post(
        reverse("storefront:place_order"), {**fields, "method": "bank_transfer"}
    )
    assert no_delivery.status_code == 400
    assert "Choose a delivery for the parcel from Kopi Kemiren" in no_delivery.content.decode()
    assert not Order.objects.exists()
    unknown = "00000000-0000-0000-0000-000000000000"
    assert signed_in.get(f"/pembayaran/{unknown}/").status_code == 404
    assert signed_in.get(reverse("storefront:order", kwargs={"number": "PK-0"})).status_code == 404


@pytest.mark.parametrize(
    "country,language,button",
    [("DE", "de", "Zahlungspflichtig bestellen"), ("ID", "id", "Buat pesanan")],
)
def test_the_order_button_reads_as_the_law_and_the_buyer_expect(
    signed_in: Client,
    shop: Shop,
    sell: Any,
    fill_checkout: Callable[..., Any],
    country: str,
    language: str,
    button: str,
) -> None:
    coffee = sell(shop, eur="12.50", stock=5)
    signed_in.cookies["pasar_country"] = country
    add(signed_in, coffee, 1)
    address = JAKARTA if country == "ID" else AMSTERDAM | {"alamat-country": "NL"}
    fill_checkout(signed_in, address=address)
    signed_in.cookies["pasar_language"] = language
    page = signed_in.get(reverse("storefront:checkout")).content.decode()
    assert button in page
