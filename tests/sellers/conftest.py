"""Fixtures for shops: the people around one shop, and signed-in English clients."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.regions.models import Region, VillageHall
from sellers.models import MemberRole, Shop, ShopBankAccount, ShopMembership


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed_in(db: None) -> Callable[[User | None], Client]:
    """A browser in English (messages are asserted in English), signed in as ``user``."""

    def make(user: User | None) -> Client:
        client = Client()
        client.cookies["pasar_language"] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def owner(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Bu Siti", phone="+6281234500001", email="siti@example.org")


@pytest.fixture
def staff(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Dewi", phone="+6281234500002")


@pytest.fixture
def buyer(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Anna Müller", email="anna@example.de")


@pytest.fixture
def operator(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Rina (Pasar Kampung)", email="rina@pasar.example", is_staff=True)


@pytest.fixture
def facilitator(user_factory: Callable[..., User], hall: VillageHall) -> User:
    user = user_factory(full_name="Mas Agus", phone="+6281234500009")
    hall.facilitators.add(user)
    return user


@pytest.fixture
def shop(shop_factory: Callable[..., Shop], owner: User, staff: User) -> Shop:
    """An approved shop with its owner, a staff member and a bank account."""
    shop = shop_factory(owner=owner, name="Kopi Osing Bu Siti", slug="kopi-osing-bu-siti")
    ShopMembership.objects.create(shop=shop, user=staff, role=MemberRole.STAFF)
    ShopBankAccount.objects.create(
        shop=shop, bank_code="002", account_number="012301000123563", holder_name="SITI AMINAH"
    )
    return shop


@pytest.fixture
def kemiren(regions: dict[str, Region]) -> Region:
    return regions["kemiren"]
