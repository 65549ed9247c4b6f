"""Every permission rule, table-driven over the roles of Pasar Kampung."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from djmoney.money import Money

from marketplace.core import permissions
from marketplace.core.permissions import RULES
from marketplace.regions.models import VillageHall
from sellers.models import FacilitatorConsent, MemberRole, ShopMembership

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "buyer",
    "owner",
    "staff",
    "other_seller",
    "facilitator_with_consent",
    "facilitator_revoked",
    "facilitator_without_consent",
    "trainer",
    "operator",
    "inactive_owner",
]

#: rule -> the roles it allows (about the shop ``shop``); every other role is refused.
EXPECTED: dict[str, set[str]] = {
    "is_authenticated": set(ROLES) - {"anonymous", "inactive_owner"},
    "is_operator": {"operator"},
    "is_trainer": {"trainer"},
    "is_facilitator": {
        "facilitator_with_consent",
        "facilitator_revoked",
        "facilitator_without_consent",
    },
    "is_seller": {"owner", "staff", "other_seller"},
    "is_shop_member": {"owner", "staff"},
    "is_shop_owner": {"owner"},
    "can_act_for": {"facilitator_with_consent"},
    "can_manage_shop": {"owner", "staff", "facilitator_with_consent"},
    "can_manage_shop_members": {"owner"},
    "can_view_shop_bank_account": {"owner", "operator"},
    "can_moderate": {"operator"},
    "can_manage_payouts": {"operator"},
    "can_view_programme_outcomes": {"operator", "trainer"},
    "can_view_tax_reports": {"operator"},
    "can_manage_cohort": {"operator"},
    "can_enrol_in_cohort": {"operator"},
    "can_view_progress": {"operator"},
    # Order rules, about an unpaid EU order of ``shop`` bought by ``buyer`` (see ORDER_RULES).
    "can_view_order": {"buyer", "owner", "staff", "facilitator_with_consent", "operator"},
    "can_fulfil_order": {"owner", "staff", "facilitator_with_consent"},
    "can_cancel_order": {"buyer", "owner", "staff", "facilitator_with_consent", "operator"},
    "can_withdraw_order": {"buyer", "operator"},
    "can_confirm_bank_transfer": {"operator"},
    "can_refund": {"operator"},
    "can_mark_order_delivered": {"owner", "staff", "facilitator_with_consent", "operator"},
    # About a shop (not a cart): refused to all; carts are tested in tests/graphql_checkout.
    "can_use_checkout": set(),
}

#: Rules whose object is an order rather than a shop.
ORDER_RULES = {
    "can_view_order",
    "can_fulfil_order",
    "can_cancel_order",
    "can_withdraw_order",
    "can_mark_order_delivered",
}


@pytest.fixture
def world(
    user_factory: Callable[..., Any],
    shop_factory: Callable[..., Any],
    hall: VillageHall,
    consent: Callable[..., Any],
) -> dict[str, Any]:
    phone = iter(range(100, 200))

    def user(**kw: Any) -> Any:
        return user_factory(phone=f"+62812345{next(phone):05d}", **kw)

    people: dict[str, Any] = {"anonymous": AnonymousUser()}
    people["buyer"] = user()
    people["owner"] = user()
    people["staff"] = user()
    people["other_seller"] = user()
    people["trainer"] = user(is_trainer=True)
    people["operator"] = user(is_staff=True)
    people["inactive_owner"] = user(is_active=False)
    for name in ("facilitator_with_consent", "facilitator_revoked", "facilitator_without_consent"):
        people[name] = user()
        hall.facilitators.add(people[name])

    shop = shop_factory(owner=people["owner"])
    ShopMembership.objects.create(shop=shop, user=people["staff"], role=MemberRole.STAFF)
    ShopMembership.objects.create(shop=shop, user=people["inactive_owner"], role=MemberRole.OWNER)
    shop_factory(owner=people["other_seller"])
    consent(shop, people["facilitator_with_consent"])
    revoked = consent(shop, people["facilitator_revoked"])
    FacilitatorConsent.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    from marketplace.orders.models import Order

    order = Order.objects.create(
        shop=shop, buyer=people["buyer"], market="EU", country="DE", currency="EUR",
        subtotal=Money(10, "EUR"), shipping=Money(0, "EUR"), vat=Money(0, "EUR"),
        duty=Money(0, "EUR"), total=Money(10, "EUR"),
    )  # fmt: skip
    return {"people": people, "shop": shop, "order": order}


def test_every_rule_has_a_row_in_the_table() -> None:
    assert set(RULES) == set(EXPECTED)


@pytest.mark.parametrize("rule_name", sorted(EXPECTED))
def test_rule_allows_exactly_the_expected_roles(rule_name: str, world: dict[str, Any]) -> None:
    rule = RULES[rule_name]
    obj = world["order"] if rule_name in ORDER_RULES else world["shop"]
    allowed = {role for role in ROLES if rule(world["people"][role], obj)}
    assert allowed == EXPECTED[rule_name]


def test_revoking_consent_ends_access_at_once(world: dict[str, Any]) -> None:
    facilitator, shop = world["people"]["facilitator_with_consent"], world["shop"]
    assert permissions.can_manage_shop(facilitator, shop)
    FacilitatorConsent.objects.filter(facilitator=facilitator).update(revoked_at=timezone.now())
    assert not permissions.can_manage_shop(facilitator, shop)


def test_a_facilitator_removed_from_the_hall_can_no_longer_act(
    world: dict[str, Any], hall: VillageHall
) -> None:
    facilitator, shop = world["people"]["facilitator_with_consent"], world["shop"]
    hall.facilitators.remove(facilitator)
    assert not permissions.can_act_for(facilitator, shop)


def test_manageable_shops_agrees_with_can_manage_shop(world: dict[str, Any]) -> None:
    shop = world["shop"]
    for role in ROLES:
        user = world["people"][role]
        listed = shop in permissions.manageable_shops(user)
        assert listed == permissions.can_manage_shop(user, shop), role
