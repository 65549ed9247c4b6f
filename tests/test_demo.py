"""The Banyuwangi demo loads, names its logins, and a second run adds nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from marketplace.core import permissions
from marketplace.core.management.commands.load_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


APPS = {
    "accounts",
    "regions",
    "sellers",
    "audit",
    "catalog",
    "photos",
    "plots",
    "documents",
    "readiness",
}


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in APPS
    }


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_demo_loads_once_and_again_adds_nothing(settings: Any) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", "--shops", "2", stdout=out)
    first = row_counts()
    assert first["regions.Region"] == 243
    assert first["sellers.Shop"] == 2
    assert first["catalog.Product"] == 20
    # One drawn photo per listing, and two more for each of Kemiren's 8 coffees made export-ready
    # (``core.demo.export``: three photos at least).
    assert first["photos.ProductPhoto"] == 20 + 8 * 2
    assert "operator@demo.pasarkampung.id" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    call_command("load_demo", "--shops", "2", stdout=StringIO())
    assert row_counts() == first


def test_demo_has_one_user_for_each_role(settings: Any) -> None:
    settings.DEBUG = True
    call_command("load_demo", "--shops", "1", stdout=StringIO())
    from marketplace.accounts.models import User
    from sellers.models import Shop

    shop = Shop.objects.get(name="Kopi Osing Kemiren")
    assert shop.status == "approved"
    from marketplace.catalog.selectors import visible_products

    assert visible_products().filter(shop=shop).count() >= 8
    operator = User.objects.get(email="operator@demo.pasarkampung.id")
    trainer = User.objects.get(email="pelatih@demo.pasarkampung.id")
    facilitator = User.objects.get(phone="+6281100000003")
    seller = User.objects.get(phone="+6281100000004")
    assert permissions.is_operator(operator)
    assert permissions.is_trainer(trainer)
    assert permissions.can_act_for(facilitator, shop)
    assert permissions.is_shop_owner(seller, shop)
    assert facilitator.facilitated_halls.get().village.name == "KAMPUNGANYAR"
    # The printed logins work, by phone in the local spelling too.
    client = Client()
    response = client.post(
        "/akun/masuk/", {"username": "0811 0000 0004", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_refuses_to_run_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
