"""The seller's shop page, the bank account's visibility and the members of a shop."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from sellers.models import FacilitatorConsent, MemberRole, Shop, ShopBankAccount, ShopMembership

pytestmark = pytest.mark.django_db

ACCOUNT_NUMBER = "012301000123563"


def settings_url(shop: Shop) -> str:
    return f"/penjual/{shop.slug}/toko/"


def test_the_owner_sees_and_changes_the_bank_account(
    signed_in: Callable[[User], Client], owner: User, shop: Shop
) -> None:
    browser = signed_in(owner)
    assert ACCOUNT_NUMBER in browser.get(settings_url(shop)).content.decode()
    response = browser.post(
        f"/penjual/{shop.slug}/toko/rekening/",
        {"bank_code": "451", "account_number": "7123 456 789", "holder_name": "Siti Aminah"},
    )
    assert response.status_code == 302
    account = ShopBankAccount.objects.get(shop=shop)
    assert (account.bank_code, account.account_number) == ("451", "7123456789")
    entry = AuditEntry.objects.get(action="shop.bank_account_changed")
    # The log names the bank and the last digits, never the whole number.
    assert "7123456789" not in str(entry.data) + entry.object_repr
    assert entry.data["last_digits"] == "6789"


@pytest.mark.parametrize("who", ["staff", "facilitator"])
def test_staff_and_facilitators_manage_the_shop_but_never_see_the_bank_account(
    signed_in: Callable[[User], Client],
    shop: Shop,
    staff: User,
    facilitator: User,
    consent: Callable[..., FacilitatorConsent],
    who: str,
) -> None:
    consent(shop, facilitator)
    browser = signed_in(staff if who == "staff" else facilitator)
    page = browser.get(settings_url(shop))
    assert page.status_code == 200
    assert ACCOUNT_NUMBER not in page.content.decode()
    assert "rekening" not in page.content.decode()
    # Nor can they change it, directly or through onboarding's business step.
    response = browser.post(
        f"/penjual/{shop.slug}/toko/rekening/",
        {"bank_code": "014", "account_number": "99999999", "holder_name": "Penipu"},
    )
    assert response.status_code == 403
    assert ShopBankAccount.objects.get(shop=shop).account_number == ACCOUNT_NUMBER


def test_buyers_cannot_open_a_shops_settings(
    signed_in: Callable[[User], Client], buyer: User, shop: Shop
) -> None:
    response = signed_in(buyer).get(settings_url(shop))
    assert response.status_code == 403
    assert ACCOUNT_NUMBER not in response.content.decode()


def test_operators_see_the_bank_account_when_reviewing(
    signed_in: Callable[[User], Client], operator: User, shop: Shop
) -> None:
    page = signed_in(operator).get(f"/moderasi/toko/{shop.pk}/").content.decode()
    assert ACCOUNT_NUMBER in page
    assert "SITI AMINAH" in page


def test_saving_settings_keeps_everything_on_a_bad_value(
    signed_in: Callable[[User], Client], owner: User, shop: Shop
) -> None:
    response = signed_in(owner).post(
        settings_url(shop),
        {
            "name": "Nama Baru",
            "village": shop.village_id,
            "village_hall": "",
            "story": "Cerita baru",
            "whatsapp": "0812 3456 7890",
            "nib": "12",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "An NIB has exactly 13 digits; you entered 2." in page
    assert 'value="Nama Baru"' in page
    shop.refresh_from_db()
    assert shop.name == "Kopi Osing Bu Siti"


def test_saving_settings(
    signed_in: Callable[[User], Client], staff: User, shop: Shop, hall: object
) -> None:
    response = signed_in(staff).post(
        settings_url(shop),
        {
            "name": "Kopi Osing Kemiren",
            "village": shop.village_id,
            "village_hall": hall.pk,  # type: ignore[attr-defined]
            "story": "Kopi dari lereng Ijen.",
            "whatsapp": "+62 812 3456 7890",
            "nib": "9120001234567",
        },
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.name, shop.whatsapp, shop.village_hall) == (
        "Kopi Osing Kemiren",
        "+6281234567890",
        hall,
    )
    assert shop.slug == "kopi-osing-bu-siti"  # links keep working after a rename


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "A", "village": "abc", "village_hall": "zzz"},
        {"name": "A", "village": "1", "village_hall": "-1", "remove_logo": "maybe"},
    ],
)
def test_garbage_settings_never_cause_a_server_error(
    signed_in: Callable[[User], Client], owner: User, shop: Shop, data: dict[str, str]
) -> None:
    browser = signed_in(owner)
    assert browser.post(settings_url(shop), data).status_code == 200
    assert browser.post(f"/penjual/{shop.slug}/toko/rekening/", data).status_code == 200
    shop.refresh_from_db()
    assert shop.name == "Kopi Osing Bu Siti"


def test_the_seller_sees_the_status_of_the_shop(
    signed_in: Callable[[User], Client], owner: User, shop_factory: Callable[..., Shop]
) -> None:
    draft = shop_factory(owner=owner, status="draft", status_reason="Foto kurang jelas.")
    page = signed_in(owner).get(settings_url(draft)).content.decode()
    assert "Draft: buyers cannot see your shop yet." in page
    assert "Foto kurang jelas." in page


def test_unknown_shops_are_not_found(signed_in: Callable[[User], Client], owner: User) -> None:
    assert signed_in(owner).get("/penjual/tidak-ada/toko/").status_code == 404


# --- Members ------------------------------------------------------------------------------------


def members_url(shop: Shop) -> str:
    return f"/penjual/{shop.slug}/anggota/"


@pytest.mark.parametrize("login", ["0812-3456-0077", "+62 812 3456 0077", "WAYAN@example.org"])
def test_the_owner_adds_staff_by_phone_or_email(
    signed_in: Callable[[User], Client],
    user_factory: Callable[..., User],
    owner: User,
    shop: Shop,
    login: str,
) -> None:
    wayan = user_factory(full_name="Wayan", phone="+6281234560077", email="wayan@example.org")
    response = signed_in(owner).post(members_url(shop), {"login": login})
    assert response.status_code == 302
    assert ShopMembership.objects.get(shop=shop, user=wayan).role == MemberRole.STAFF


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("0899 0000 0000", "Nobody has an account with this phone number or e-mail address."),
        ("", "Enter their phone number or e-mail address."),
        ("+6281234500002", "Dewi is already a member of this shop."),
    ],
)
def test_adding_a_member_explains_what_is_wrong(
    signed_in: Callable[[User], Client], owner: User, shop: Shop, login: str, message: str
) -> None:
    response = signed_in(owner).post(members_url(shop), {"login": login})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert shop.memberships.count() == 2


def test_only_the_owner_adds_or_removes_members(
    signed_in: Callable[[User], Client],
    staff: User,
    owner: User,
    shop: Shop,
) -> None:
    browser = signed_in(staff)
    page = browser.get(members_url(shop))
    assert page.status_code == 200
    assert "Add a member" not in page.content.decode()
    assert browser.post(members_url(shop), {"login": "siti@example.org"}).status_code == 403
    membership = ShopMembership.objects.get(user=staff)
    assert browser.post(f"{members_url(shop)}{membership.pk}/hapus/").status_code == 403


def test_the_owner_removes_staff_but_not_an_owner(
    signed_in: Callable[[User], Client], owner: User, staff: User, shop: Shop
) -> None:
    browser = signed_in(owner)
    own = ShopMembership.objects.get(user=owner)
    browser.post(f"{members_url(shop)}{own.pk}/hapus/")
    assert ShopMembership.objects.filter(pk=own.pk).exists()
    staff_membership = ShopMembership.objects.get(user=staff)
    assert browser.post(f"{members_url(shop)}{staff_membership.pk}/hapus/").status_code == 302
    assert not ShopMembership.objects.filter(pk=staff_membership.pk).exists()
    assert AuditEntry.objects.filter(action="shop.member_removed", data__member="Dewi").exists()


def test_the_members_page_costs_the_same_for_many_members(
    signed_in: Callable[[User], Client],
    user_factory: Callable[..., User],
    owner: User,
    shop: Shop,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for n in range(15):
        ShopMembership.objects.create(
            shop=shop, user=user_factory(full_name=f"Staf {n}", email=f"s{n}@example.org")
        )
    browser = signed_in(owner)
    browser.get(members_url(shop))  # warm caches (content types, the session)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        page = browser.get(members_url(shop))
    assert page.content.decode().count("Remove</button>") == 16
