"""A visitor on a phone: Indonesian home page, switch to English, register, sign out, sign in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marketplace.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_register_sign_out_and_sign_in_again(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("link", name="Daftar").first.is_visible()

    # Switch to English with the footer form (no JavaScript involved).
    page.select_option("#language", "en")
    page.get_by_role("button", name="Ganti", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Register").first.click()
    page.get_by_label("Full name").fill("Ibu Siti Rahayu")
    page.get_by_label("Phone number (WhatsApp)").fill("0812 3456 7890")
    page.get_by_label("Password").fill("kopi-osing-2026")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("Welcome to Pasar Kampung, Ibu Siti Rahayu!").is_visible()
    assert str(User.objects.get().phone) == "+6281234567890"

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").is_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Phone number or e-mail address").fill("+62 812-3456-7890")
    page.get_by_label("Password").fill("salah")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text(
        "The phone number, e-mail address or password is not correct."
    ).is_visible()

    page.get_by_label("Password").fill("kopi-osing-2026")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("link", name="My profile").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signed-in-phone.png"), full_page=True)
