"""A villager on a phone opens a shop; an operator approves it; the seller sees it approved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marketplace.regions.models import Region
from sellers.models import Shop, ShopStatus
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def banyuwangi_slice() -> None:
    province = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
    regency = Region.objects.create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=province
    )
    glagah = Region.objects.create(code="3510170", level="district", name="GLAGAH", parent=regency)
    Region.objects.create(code="3510170012", level="village", name="KEMIREN", parent=glagah)


def sign_in(page: Any, url: str, login: str) -> None:
    page.goto(f"{url}/akun/masuk/")
    page.get_by_label("Phone number or e-mail address").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_villager_opens_a_shop_and_an_operator_approves_it(
    page: Any, browser: Any, live_server: Any
) -> None:
    banyuwangi_slice()
    make_user(full_name="Bu Rini", phone="+6281234500456")
    make_user(full_name="Rina (operator)", email="rina@pasar.example", is_staff=True)
    page.context.add_cookies([{"name": "pasar_language", "value": "en", "url": live_server.url}])
    ARTIFACTS.mkdir(exist_ok=True)

    sign_in(page, live_server.url, "0812 3450 0456")
    page.get_by_role("link", name="Open your shop").first.click()

    # Step 1: name and village (a plain select grouped by district: no JavaScript needed).
    page.get_by_label("Shop name").fill("Anyaman Bu Rini")
    page.get_by_label("Village").select_option(label="Kemiren")
    page.get_by_role("button", name="Save and continue").click()

    # Step 2: story and WhatsApp, written the way villagers write numbers.
    page.get_by_label("Your story").fill("Anyaman bambu dari Kemiren.")
    page.get_by_label("WhatsApp number").fill("0812-3450-0456")
    page.get_by_role("button", name="Save and continue").click()

    # Step 3: NIB and the bank account for payouts.
    page.get_by_label("NIB (business identification number)").fill("1234567890123")
    page.get_by_label("Bank").select_option(index=1)
    page.get_by_label("Account number").fill("0123456789")
    page.get_by_label("Account holder").fill("RINI")
    page.get_by_role("button", name="Save and continue").click()

    # Step 4: review and submit.
    assert page.get_by_role("heading", name="Check and submit").is_visible()
    page.screenshot(path=str(ARTIFACTS / "onboarding-review.png"), full_page=True)
    page.get_by_role("button", name="Submit my shop").click()
    shop = Shop.objects.get(name="Anyaman Bu Rini")
    assert shop.status == ShopStatus.SUBMITTED
    assert shop.whatsapp == "+6281234500456"

    # An operator, on another phone, approves it with a note.
    operator = browser.new_context(viewport={"width": 390, "height": 844})
    operator.add_cookies([{"name": "pasar_language", "value": "en", "url": live_server.url}])
    op_page = operator.new_page()
    sign_in(op_page, live_server.url, "rina@pasar.example")
    op_page.goto(f"{live_server.url}/moderasi/toko/{shop.pk}/")
    op_page.get_by_label("Reason (shown to the seller)").fill("Lengkap, selamat berjualan!")
    op_page.get_by_role("button", name="Approve").click()
    operator.close()
    shop.refresh_from_db()
    assert shop.status == ShopStatus.APPROVED

    # The seller sees the decision and the operator's note.
    page.goto(f"{live_server.url}/penjual/{shop.slug}/toko/")
    assert page.get_by_text("Lengkap, selamat berjualan!").is_visible()
    page.screenshot(path=str(ARTIFACTS / "onboarding-approved.png"), full_page=True)
