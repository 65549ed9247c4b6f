"""Facilitator mode: the owner's revocable consent, the facilitator's dashboard and the history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.regions.models import VillageHall
from sellers import services
from sellers.models import FacilitatorConsent, Shop

pytestmark = pytest.mark.django_db


def consent_url(shop: Shop) -> str:
    return f"/penjual/{shop.slug}/fasilitator/"


def test_the_owner_grants_and_revokes_consent_on_the_web(
    signed_in: Callable[[User], Client], owner: User, facilitator: User, shop: Shop
) -> None:
    browser = signed_in(owner)
    response = browser.post(consent_url(shop), {"phone": "0812 3450 0009"})
    assert response.status_code == 302
    granted = FacilitatorConsent.objects.get(shop=shop, facilitator=facilitator)
    assert granted.granted_by == owner and granted.revoked_at is None
    assert (
        "Mas Agus can now help you manage this shop."
        in browser.get(consent_url(shop)).content.decode()
    )

    response = browser.post(f"{consent_url(shop)}{granted.pk}/cabut/")
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.revoked_at is not None  # kept, for the history
    page = browser.get(consent_url(shop)).content.decode()
    assert "Allowed from" in page
    assert {e.action for e in AuditEntry.objects.filter(actor=owner)} == {
        "shop.consent_granted",
        "shop.consent_revoked",
    }


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("0812 3450 0002", "No facilitator of a village hall has this phone number."),  # staff
        ("0899 1111 2222", "No facilitator of a village hall has this phone number."),
        ("abc", "Enter a valid phone number, for example 0812 3456 7890."),
        ("", "Enter the facilitator&#x27;s phone number."),
    ],
)
def test_consent_goes_only_to_a_facilitator(
    signed_in: Callable[[User], Client],
    owner: User,
    facilitator: User,
    shop: Shop,
    phone: str,
    message: str,
) -> None:
    response = signed_in(owner).post(consent_url(shop), {"phone": phone})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FacilitatorConsent.objects.exists()


def test_granting_twice_is_refused_plainly(
    signed_in: Callable[[User], Client], owner: User, facilitator: User, shop: Shop
) -> None:
    browser = signed_in(owner)
    browser.post(consent_url(shop), {"phone": "081234500009"})
    response = browser.post(consent_url(shop), {"phone": "081234500009"})
    assert "Mas Agus can already act for your shop." in response.content.decode()
    assert FacilitatorConsent.objects.count() == 1


def test_only_the_owner_grants_or_revokes(
    signed_in: Callable[[User], Client],
    staff: User,
    facilitator: User,
    shop: Shop,
    consent: Callable[..., FacilitatorConsent],
) -> None:
    granted = consent(shop, facilitator)
    for user in (staff, facilitator):
        browser = signed_in(user)
        assert browser.post(consent_url(shop), {"phone": "081234500009"}).status_code == 403
        assert browser.post(f"{consent_url(shop)}{granted.pk}/cabut/").status_code == 403
    granted.refresh_from_db()
    assert granted.revoked_at is None


def test_a_facilitator_acts_only_while_the_consent_stands(
    signed_in: Callable[[User], Client], owner: User, facilitator: User, shop: Shop
) -> None:
    browser = signed_in(facilitator)
    settings_url = f"/penjual/{shop.slug}/toko/"
    assert browser.get(settings_url).status_code == 403

    granted = services.grant_consent(owner, shop, "081234500009")
    assert browser.get(settings_url).status_code == 200

    services.revoke_consent(owner, shop, granted)
    assert browser.get(settings_url).status_code == 403
    assert browser.post(settings_url, {"name": "Diambil alih"}).status_code == 403


def test_the_history_shows_the_facilitator_acting_for_the_shop(
    signed_in: Callable[[User], Client], owner: User, facilitator: User, shop: Shop
) -> None:
    services.grant_consent(owner, shop, "081234500009")
    response = signed_in(facilitator).post(
        f"/penjual/{shop.slug}/toko/",
        {
            "name": "Kopi Osing Bu Siti",
            "village": shop.village_id,
            "story": "Ditulis bersama fasilitator.",
            "whatsapp": "081234567890",
            "nib": "",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="shop.changed")
    assert entry.actor == facilitator and entry.on_behalf_of == shop

    page = signed_in(owner).get(f"/penjual/{shop.slug}/riwayat/").content.decode()
    assert "<strong>Mas Agus</strong> (facilitator) changed the shop details" in page
    assert "<strong>Bu Siti</strong> (owner) let a facilitator help: Mas Agus" in page


def test_the_history_is_paginated_at_a_constant_cost(
    signed_in: Callable[[User], Client],
    owner: User,
    staff: User,
    facilitator: User,
    shop: Shop,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    services.grant_consent(owner, shop, "081234500009")
    for n in range(40):
        actor = (owner, staff, facilitator)[n % 3]
        services.update_shop(actor, shop, story=f"<p>Versi {n}</p>")
    browser = signed_in(owner)
    browser.get(f"/penjual/{shop.slug}/riwayat/")
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        first = browser.get(f"/penjual/{shop.slug}/riwayat/")
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        second = browser.get(f"/penjual/{shop.slug}/riwayat/?page=2")
    assert first.content.decode().count("changed the shop details") == 25
    assert "Page 2 of 2" in second.content.decode()
    # A garbage page number shows a page, not an error.
    assert browser.get(f"/penjual/{shop.slug}/riwayat/?page=abc").status_code == 200


def test_the_facilitator_dashboard_lists_the_shops_that_consented(
    signed_in: Callable[[User], Client],
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    facilitator: User,
    consent: Callable[..., FacilitatorConsent],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    shops = []
    for n in range(12):
        owner = user_factory(full_name=f"Pemilik {n}", email=f"owner{n}@example.org")
        shops.append(shop_factory(owner=owner, name=f"Toko Bambu {n:02d}", slug=f"bambu-{n}"))
        consent(shops[-1], facilitator)
    revoked = FacilitatorConsent.objects.get(shop=shops[0])
    services.revoke_consent(revoked.granted_by, shops[0], revoked)
    shop_factory(name="Toko Lain", slug="toko-lain")  # never consented

    browser = signed_in(facilitator)
    browser.get("/fasilitator/")
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        page = browser.get("/fasilitator/").content.decode()
    assert page.count('class="button primary" href="/penjual/bambu-') == 11
    assert "Toko Bambu 00" not in page and "Toko Lain" not in page
    assert 'href="/penjual/bambu-5/toko/"' in page  # switching = following another shop's link


def test_the_facilitator_dashboard_is_for_facilitators(
    signed_in: Callable[[User], Client], buyer: User, owner: User
) -> None:
    assert signed_in(buyer).get("/fasilitator/").status_code == 403
    assert signed_in(owner).get("/fasilitator/").status_code == 403


def test_the_header_links_to_the_facilitator_dashboard(
    signed_in: Callable[[User], Client], facilitator: User, hall: VillageHall
) -> None:
    page = signed_in(facilitator).get("/").content.decode()
    assert 'href="/fasilitator/"' in page
