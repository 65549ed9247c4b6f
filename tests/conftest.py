"""Shared fixtures: real database (PostgreSQL in CI, SQLite embedded), real Redis when configured."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.test import Client
from django.utils import translation

from marketplace.accounts.models import User
from marketplace.regions.models import Region, VillageHall
from sellers.models import FacilitatorConsent, MemberRole, Shop, ShopMembership, ShopStatus

PASSWORD = "kopi-osing-2026"


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    # Fast hashing: tests check who may sign in, not how slowly a hash is computed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in-process unless a test starts a real worker (see test_celery_redis.py): a
    # worker thread could not see the rows a test writes inside its transaction.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fresh cache namespace per test: lock-out counters and cached values never leak between
    # tests, nor between xdist workers sharing one Redis in CI.
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }
    # Tests write listings inside their transaction, so the catalog generation (bumped on commit)
    # does not move: the GraphQL response cache is on only in tests/graphql/test_response_cache.py.
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    # django-axes keeps the cache it found first; give it this test's namespace.
    AxesProxyHandler.get_implementation(force=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _celery_eager() -> Iterator[None]:
    from marketplace.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(**kw: Any) -> User:
    kw.setdefault("full_name", "Siti Aminah")
    if "email" not in kw and "phone" not in kw:
        kw["phone"] = "+6281234500001"
    return User.objects.create_user(password=kw.pop("password", PASSWORD), **kw)


@pytest.fixture
def user_factory(db: None) -> Callable[..., User]:
    return make_user


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    """A slice of Banyuwangi: province, regency, Glagah district, Kemiren and Kampunganyar."""
    prov = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
    regency = Region.objects.create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=prov
    )
    glagah = Region.objects.create(code="3510170", level="district", name="GLAGAH", parent=regency)
    kemiren = Region.objects.create(
        code="3510170012", level="village", name="KEMIREN", parent=glagah
    )
    kampunganyar = Region.objects.create(
        code="3510170018", level="village", name="KAMPUNGANYAR", parent=glagah
    )
    return {
        "province": prov,
        "regency": regency,
        "district": glagah,
        "kemiren": kemiren,
        "kampunganyar": kampunganyar,
    }


@pytest.fixture
def hall(regions: dict[str, Region]) -> VillageHall:
    return VillageHall.objects.create(
        village=regions["kampunganyar"], name="Balai Desa Kampunganyar"
    )


@pytest.fixture
def shop_factory(regions: dict[str, Region]) -> Callable[..., Shop]:
    counter = iter(range(1, 10_000))

    def make(owner: User | None = None, **kw: Any) -> Shop:
        n = next(counter)
        kw.setdefault("name", f"Kopi Osing {n}")
        kw.setdefault("slug", f"kopi-osing-{n}")
        kw.setdefault("village", regions["kemiren"])
        kw.setdefault("status", ShopStatus.APPROVED)
        shop = Shop.objects.create(**kw)
        if owner is not None:
            ShopMembership.objects.create(shop=shop, user=owner, role=MemberRole.OWNER)
        return shop

    return make


@pytest.fixture
def consent() -> Callable[[Shop, User], FacilitatorConsent]:
    def grant(shop: Shop, facilitator: User) -> FacilitatorConsent:
        owner = shop.memberships.filter(role=MemberRole.OWNER).order_by("pk").first().user  # type: ignore[union-attr]
        return FacilitatorConsent.objects.create(
            shop=shop, facilitator=facilitator, granted_by=owner
        )

    return grant


class GraphQLClient:
    """Posts to /graphql/ like an API client; returns the decoded JSON."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.headers: dict[str, str] = {}

    def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )
        assert response.status_code in (200, 400), response.content[:500]
        return response.json()


@pytest.fixture
def gql(client: Client, db: None) -> GraphQLClient:
    return GraphQLClient(client)
