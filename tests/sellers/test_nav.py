"""The header links to a user's shop, facilitator dashboard or moderation, at little cost."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from marketplace.accounts.models import User
from sellers.context_processors import seller_nav
from sellers.models import Shop

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_cost_no_query(
    django_assert_num_queries: Callable[..., object],
) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert seller_nav(request) == {}


def test_a_signed_in_user_costs_one_query_and_only_when_shown(
    owner: User, shop: Shop, django_assert_num_queries: Callable[..., object]
) -> None:
    request = RequestFactory().get("/")
    request.user = owner
    with django_assert_num_queries(0):  # type: ignore[operator]
        context = seller_nav(request)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert context["seller_nav"].has_shop is True
        assert context["seller_nav"].is_facilitator is False


def test_the_header_shows_each_role_its_link(
    signed_in: Callable[[User | None], Client], owner: User, operator: User, shop: Shop
) -> None:
    seller_page = signed_in(owner).get("/").content.decode()
    assert 'href="/penjual/"' in seller_page and "My shop" in seller_page
    assert 'href="/moderasi/"' not in seller_page
    operator_page = signed_in(operator).get("/").content.decode()
    assert 'href="/moderasi/"' in operator_page and "Open your shop" in operator_page
    anonymous = signed_in(None).get("/").content.decode()
    assert "/penjual/" not in anonymous and "/moderasi/" not in anonymous
