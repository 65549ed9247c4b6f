"""Opening a shop on a phone: four small steps, each saved at once, bad input refused whole."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.regions.models import Region
from sellers import services
from sellers.models import MemberRole, Shop, ShopBankAccount, ShopStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Pak Hadi", phone="+6281234500021")


@pytest.fixture
def browser(signed_in: Callable[[User], Client], seller: User) -> Client:
    return signed_in(seller)


@pytest.fixture
def draft(seller: User, kemiren: Region) -> Shop:
    return services.create_shop(seller, "Gula Aren Pak Hadi", kemiren)


def step(slug: str, n: int) -> str:
    return f"/penjual/{slug}/buka-toko/{n}/"


def test_a_signed_in_user_without_a_shop_is_invited_to_open_one(browser: Client) -> None:
    page = browser.get("/penjual/").content.decode()
    assert "Open your shop" in page
    assert 'href="/penjual/buka-toko/"' in page
    # The header says it on every page, too.
    assert 'href="/penjual/buka-toko/"' in browser.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/penjual/buka-toko/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_villages_are_grouped_by_district_without_javascript(
    browser: Client, kemiren: Region
) -> None:
    page = browser.get("/penjual/buka-toko/").content.decode()
    assert '<optgroup label="Glagah">' in page
    assert f'<option value="{kemiren.pk}">Kemiren</option>' in page
    assert "<script" not in page


def test_onboarding_happy_path(browser: Client, seller: User, kemiren: Region) -> None:
    response = browser.post(
        "/penjual/buka-toko/", {"name": "  Gula Aren   Pak Hadi ", "village": kemiren.pk}
    )
    shop = Shop.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step(shop.slug, 2)
    assert (shop.name, shop.slug, shop.status) == (
        "Gula Aren Pak Hadi",
        "gula-aren-pak-hadi",
        ShopStatus.DRAFT,
    )
    assert shop.memberships.get().user == seller
    assert shop.memberships.get().role == MemberRole.OWNER

    response = browser.post(
        step(shop.slug, 2),
        {
            "story": "Kami menyadap aren.\n\nGula dimasak di tungku kayu.",
            "whatsapp": "0812-3456-7890",
        },
    )
    assert response["Location"] == step(shop.slug, 3)
    shop.refresh_from_db()
    assert shop.whatsapp == "+6281234567890"
    assert shop.story == "<p>Kami menyadap aren.</p>\n\n<p>Gula dimasak di tungku kayu.</p>"

    response = browser.post(
        step(shop.slug, 3),
        {
            "nib": "9120 0012 3456 7",
            "bank_code": "114",
            "account_number": "0012-345-678",
            "holder_name": "Hadi Susanto",
        },
    )
    assert response["Location"] == step(shop.slug, 4)
    shop.refresh_from_db()
    assert shop.nib == "9120001234567"
    account = ShopBankAccount.objects.get(shop=shop)
    assert (account.bank_code, account.account_number, account.holder_name) == (
        "114",
        "0012345678",
        "Hadi Susanto",
    )

    review = browser.get(step(shop.slug, 4)).content.decode()
    assert "Bank Jatim" in review and "Submit my shop" in review

    response = browser.post(step(shop.slug, 4))
    assert response["Location"] == f"/penjual/{shop.slug}/toko/"
    shop.refresh_from_db()
    assert shop.status == ShopStatus.SUBMITTED
    assert shop.submitted_at is not None
    assert "Waiting for review." in browser.get(response["Location"]).content.decode()
    assert list(
        AuditEntry.objects.filter(actor=seller).order_by("pk").values_list("action", flat=True)
    ) == [
        "shop.created",
        "shop.changed",
        "shop.changed",
        "shop.bank_account_changed",
        "shop.submitted",
    ]


def test_editing_a_step_again_shows_what_was_saved(browser: Client, draft: Shop) -> None:
    services.update_shop(draft.memberships.get().user, draft, story="<p>Satu</p><p>Dua</p>")
    page = browser.get(step(draft.slug, 2)).content.decode()
    assert "Satu\n\nDua</textarea>" in page


def test_a_bad_nib_is_refused_and_nothing_is_saved(browser: Client, draft: Shop) -> None:
    response = browser.post(
        step(draft.slug, 3),
        {
            "nib": "12345",
            "bank_code": "002",
            "account_number": "012301000123563",
            "holder_name": "Hadi",
        },
    )
    assert response.status_code == 200
    assert "An NIB has exactly 13 digits; you entered 5." in response.content.decode()
    draft.refresh_from_db()
    assert draft.nib == ""
    # The bank account typed on the same step is not saved either, and is shown again.
    assert not ShopBankAccount.objects.exists()
    assert 'value="012301000123563"' in response.content.decode()


@pytest.mark.parametrize(
    "nib",
    ["12345678901ab", "\uff11" * 13, "12345678901234"],  # fullwidth digits too
)
def test_an_nib_is_exactly_13_ascii_digits(seller: User, draft: Shop, nib: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.update_shop(seller, draft, nib=nib)
    assert exc.value.error_dict["nib"][0].code == "invalid_nib"


def test_a_bad_whatsapp_number_is_refused_and_the_story_is_kept_unsaved(
    browser: Client, draft: Shop
) -> None:
    response = browser.post(step(draft.slug, 2), {"story": "Cerita kami", "whatsapp": "12-ab"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid WhatsApp number, for example 0812 3456 7890." in page
    assert "Cerita kami</textarea>" in page  # what was typed comes back
    draft.refresh_from_db()
    assert (draft.story, draft.whatsapp) == ("", "")


def test_an_unknown_bank_is_refused_and_nothing_is_saved(browser: Client, draft: Shop) -> None:
    response = browser.post(
        step(draft.slug, 3),
        {
            "nib": "9120001234567",
            "bank_code": "999",
            "account_number": "1234567",
            "holder_name": "Hadi",
        },
    )
    assert response.status_code == 200
    assert "Choose your bank from the list." in response.content.decode()
    draft.refresh_from_db()
    assert draft.nib == ""
    assert not ShopBankAccount.objects.exists()


def test_the_service_refuses_an_unknown_bank_and_a_bad_account_number(
    seller: User, draft: Shop
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.set_bank_account(
            seller, draft, bank_code="XYZ", account_number="12ab", holder_name=""
        )
    codes = {key: errors[0].code for key, errors in exc.value.error_dict.items()}
    assert codes == {
        "bank_code": "unknown_bank",
        "account_number": "invalid_account_number",
        "holder_name": "required",
    }
    assert not ShopBankAccount.objects.exists()


def test_the_owner_may_leave_the_bank_account_for_later(browser: Client, draft: Shop) -> None:
    response = browser.post(
        step(draft.slug, 3),
        {"nib": "9120001234567", "bank_code": "", "account_number": "", "holder_name": ""},
    )
    assert response.status_code == 302
    review = browser.get(step(draft.slug, 4)).content.decode()
    assert "The owner adds the bank account for payouts." in review
    assert "Submit my shop" not in review
    # Submitting anyway is refused with the same explanation.
    response = browser.post(step(draft.slug, 4))
    assert response.status_code == 200
    assert "The owner adds the bank account for payouts." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ShopStatus.DRAFT


@pytest.mark.parametrize(
    ("n", "data"),
    [
        (1, {}),
        (1, {"name": "x" * 500, "village": "not-a-number"}),
        (1, {"name": "Toko", "village": "999999"}),
        (2, {"story": "\x00" * 3, "whatsapp": "+" * 40}),
        (2, {"whatsapp": "08123", "logo": "not a file"}),
        (3, {"nib": "😀" * 13, "bank_code": ["002", "009"], "account_number": "x" * 100}),
        (3, {"bank_code": "002"}),
        (4, {"garbage": "1"}),
        (9, {}),
    ],
)
def test_garbage_never_causes_a_server_error(
    browser: Client, draft: Shop, n: int, data: dict[str, Any]
) -> None:
    response = browser.post(step(draft.slug, n), data)
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.status == ShopStatus.DRAFT
    assert draft.name == "Gula Aren Pak Hadi"


@pytest.mark.parametrize(
    "data", [{}, {"name": "", "village": ""}, {"name": "Toko", "village": "x"}]
)
def test_a_first_step_with_missing_values_creates_nothing(
    browser: Client, data: dict[str, str]
) -> None:
    response = browser.post("/penjual/buka-toko/", data)
    assert response.status_code == 200
    assert not Shop.objects.exists()


def test_the_story_is_sanitised(browser: Client, draft: Shop) -> None:
    browser.post(
        step(draft.slug, 2),
        {
            "story": '<p onclick="steal()">Kopi <strong>robusta</strong></p>'
            '<script>alert("x")</script><img src=x onerror="alert(1)">',
            "whatsapp": "",
        },
    )
    draft.refresh_from_db()
    assert draft.story == "<p>Kopi <strong>robusta</strong></p>"


def test_story_links_cannot_run_javascript(seller: User, draft: Shop) -> None:
    services.update_shop(
        seller, draft, story='<a href="javascript:alert(1)" onmouseover="x()">klik</a>'
    )
    assert "javascript" not in draft.story and "onmouseover" not in draft.story


def test_a_double_tap_on_the_first_step_opens_one_shop(browser: Client, kemiren: Region) -> None:
    for _ in range(2):
        response = browser.post(
            "/penjual/buka-toko/", {"name": "Kopi Osing", "village": kemiren.pk}
        )
        assert response["Location"] == step("kopi-osing", 2)
    assert Shop.objects.count() == 1


def test_slugs_are_unique_and_never_a_seller_page(seller: User, kemiren: Region) -> None:
    first = services.create_shop(seller, "Kopi Osing", kemiren)
    second = services.create_shop(seller, "Kopi  Osing!", kemiren)
    reserved = services.create_shop(seller, "Buka Toko", kemiren)
    unicode_only = services.create_shop(seller, "☕☕", kemiren)
    assert (first.slug, second.slug) == ("kopi-osing", "kopi-osing-2")
    assert reserved.slug == "toko-buka-toko"
    assert unicode_only.slug == "toko"


def test_a_submitted_shop_leaves_onboarding(browser: Client, draft: Shop) -> None:
    Shop.objects.filter(pk=draft.pk).update(status=ShopStatus.SUBMITTED)
    response = browser.get(step(draft.slug, 2))
    assert response["Location"] == f"/penjual/{draft.slug}/toko/"


def test_other_users_cannot_open_someone_elses_onboarding(
    signed_in: Callable[[User], Client], user_factory: Callable[..., User], draft: Shop
) -> None:
    stranger = user_factory(full_name="Orang Lain", phone="+6281234500099")
    assert signed_in(stranger).post(step(draft.slug, 2), {"story": "x"}).status_code == 403


# --- Logo ---------------------------------------------------------------------------------------


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (1200, 800), (120, 60, 20))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "secret-software"  # Software
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_logo_is_re_encoded_small_and_without_exif(browser: Client, draft: Shop) -> None:
    raw = jpeg_with_exif()
    assert b"secret-software" in raw
    response = browser.post(
        step(draft.slug, 2),
        {
            "story": "",
            "whatsapp": "",
            "logo": SimpleUploadedFile("foto.jpg", raw, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    stored = draft.logo.read()
    assert b"secret-software" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert max(img.size) == services.LOGO_SIZE
        assert not img.getexif()
    assert AuditEntry.objects.filter(action="shop.logo_changed").exists()


def test_a_file_that_is_not_a_picture_is_refused(browser: Client, draft: Shop) -> None:
    response = browser.post(
        step(draft.slug, 2),
        {
            "story": "Cerita",
            "whatsapp": "081234567890",
            "logo": SimpleUploadedFile("logo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "Upload a photo or picture (JPEG, PNG or WebP)." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.logo.name, draft.story, draft.whatsapp) == ("", "", "")


def test_every_error_of_a_step_shows_at_once(browser: Client, draft: Shop) -> None:
    response = browser.post(
        step(draft.slug, 3),
        {"nib": "12", "bank_code": "999", "account_number": "", "holder_name": ""},
    )
    page = response.content.decode()
    assert "An NIB has exactly 13 digits; you entered 2." in page
    assert "Choose your bank from the list." in page
    assert "Enter the account number." in page
