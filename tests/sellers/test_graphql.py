"""Shops over GraphQL: the same services and rules as the web pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from graphql_relay import to_global_id

from marketplace.audit.models import AuditEntry
from sellers.models import FacilitatorConsent, Shop, ShopBankAccount, ShopMembership, ShopStatus
from tests.conftest import GraphQLClient

pytestmark = pytest.mark.django_db

SHOP = """query($id: ID!) { shop(id: $id) { name status nib statusReason
  bankAccount { bankName accountNumber holderName } members { fullName role } } }"""


def as_user(client: Client, user: Any) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize(
    ("who", "sees_bank"),
    [
        ("owner", True),
        ("operator", True),
        ("staff", False),
        ("facilitator", False),
        ("buyer", False),
        (None, False),
    ],
)
def test_bank_account_only_for_owner_and_operators(
    client: Client,
    gql: GraphQLClient,
    shop: Shop,
    request: Any,
    who: str | None,
    sees_bank: bool,
    consent: Any,
) -> None:
    user = request.getfixturevalue(who) if who else None
    if who == "facilitator":
        consent(shop, user)
    as_user(client, user)
    data = gql(SHOP, {"id": to_global_id("Shop", shop.pk)})["data"]["shop"]
    assert data["name"] == "Kopi Osing Bu Siti"
    assert (data["bankAccount"] is not None) == sees_bank
    if sees_bank:
        assert data["bankAccount"]["accountNumber"] == "012301000123563"
    insider = who in ("owner", "operator", "staff", "facilitator")
    assert (data["members"] is not None) == insider


def test_a_draft_shop_is_invisible_to_others(
    client: Client, gql: GraphQLClient, shop: Shop, buyer: Any
) -> None:
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.DRAFT)
    as_user(client, buyer)
    assert gql(SHOP, {"id": to_global_id("Shop", shop.pk)})["data"]["shop"] is None
    listed = gql("{ shops(first: 10) { totalCount } }")["data"]["shops"]["totalCount"]
    assert listed == 0


def test_open_a_shop_and_submit_it(
    client: Client, gql: GraphQLClient, buyer: Any, regions: Any
) -> None:
    as_user(client, buyer)
    created = gql(
        'mutation { shopCreate(name: "Anyaman Bu Rini", villageCode: "3510170012") { shop { id slug status } errors { field code } } }'
    )["data"]["shopCreate"]
    assert created["errors"] == [] and created["shop"]["status"] == "DRAFT"
    shop_id = created["shop"]["id"]
    refused = gql(
        "mutation($id: ID!) { shopSubmit(id: $id) { errors { field code } } }", {"id": shop_id}
    )
    assert refused["data"]["shopSubmit"]["errors"], "an incomplete shop cannot be submitted"
    updated = gql(
        'mutation($id: ID!) { shopUpdate(id: $id, whatsapp: "0812 3456 7890", nib: "1234567890123", story: "<p>Anyaman<script>x()</script></p>") { shop { story } errors { field code } } }',
        {"id": shop_id},
    )["data"]["shopUpdate"]
    assert updated["errors"] == [] and "script" not in updated["shop"]["story"]
    bank = gql(
        'mutation($id: ID!) { shopBankAccountSet(id: $id, bankCode: "002", accountNumber: "0123456789", holderName: "RINI") { errors { field code } } }',
        {"id": shop_id},
    )
    assert bank["data"]["shopBankAccountSet"]["errors"] == []
    submitted = gql(
        "mutation($id: ID!) { shopSubmit(id: $id) { shop { status } errors { field code } } }",
        {"id": shop_id},
    )
    assert submitted["data"]["shopSubmit"] == {"shop": {"status": "SUBMITTED"}, "errors": []}


def test_an_operator_approves_with_a_typed_error_for_a_missing_reason(
    client: Client, gql: GraphQLClient, shop: Shop, operator: Any
) -> None:
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.SUBMITTED)
    as_user(client, operator)
    sid = to_global_id("Shop", shop.pk)
    no_reason = gql(
        "mutation($id: ID!) { shopDecide(id: $id, decision: SUSPEND) { errors { field code } } }",
        {"id": sid},
    )
    assert no_reason["data"]["shopDecide"]["errors"][0]["field"] == "reason"
    ok = gql(
        'mutation($id: ID!) { shopDecide(id: $id, decision: APPROVE, reason: "Lengkap") { shop { status } errors { code } } }',
        {"id": sid},
    )
    assert ok["data"]["shopDecide"] == {"shop": {"status": "APPROVED"}, "errors": []}


def test_the_owner_grants_and_revokes_consent(
    client: Client, gql: GraphQLClient, shop: Shop, owner: Any, facilitator: Any
) -> None:
    as_user(client, owner)
    granted = gql(
        'mutation($s: ID!) { facilitatorConsentGrant(shopId: $s, phone: "0812 3450 0009") { consent { id facilitatorName revokedAt } errors { code } } }',
        {"s": to_global_id("Shop", shop.pk)},
    )["data"]["facilitatorConsentGrant"]
    assert granted["errors"] == [] and granted["consent"]["facilitatorName"] == "Mas Agus"
    revoked = gql(
        "mutation($c: ID!) { facilitatorConsentRevoke(id: $c) { consent { revokedAt } errors { code } } }",
        {"c": granted["consent"]["id"]},
    )["data"]["facilitatorConsentRevoke"]
    assert revoked["errors"] == [] and revoked["consent"]["revokedAt"] is not None


SHOP_MUTATIONS = {
    "shopUpdate": (
        'mutation($s: ID!) { shopUpdate(id: $s, name: "Dibajak") { errors { code } } }',
        "s",
    ),
    "shopBankAccountSet": (
        'mutation($s: ID!) { shopBankAccountSet(id: $s, bankCode: "014", accountNumber: "99999999", holderName: "PENCURI") { errors { code } } }',
        "s",
    ),
    "shopSubmit": ("mutation($s: ID!) { shopSubmit(id: $s) { errors { code } } }", "s"),
    "shopDecide": (
        'mutation($s: ID!) { shopDecide(id: $s, decision: SUSPEND, reason: "x") { errors { code } } }',
        "s",
    ),
    "shopMemberAdd": (
        'mutation($s: ID!) { shopMemberAdd(shopId: $s, login: "0812 3450 0077") { errors { code } } }',
        "s",
    ),
    "shopMemberRemove": ("mutation($m: ID!) { shopMemberRemove(id: $m) { errors { code } } }", "m"),
    "facilitatorConsentGrant": (
        'mutation($s: ID!) { facilitatorConsentGrant(shopId: $s, phone: "0812 3450 0009") { errors { code } } }',
        "s",
    ),
}


#: Staff and consented facilitators may manage the shop's profile (can_manage_shop), so those two
#: mutations are not intrusions for them.
INTRUSIONS = [
    (who, mutation)
    for who in ("anonymous", "buyer", "staff", "facilitator_with_consent", "other_owner")
    for mutation in sorted(SHOP_MUTATIONS)
    if not (
        who in ("staff", "facilitator_with_consent") and mutation in ("shopUpdate", "shopSubmit")
    )
]


@pytest.mark.parametrize(("who", "mutation"), INTRUSIONS)
def test_no_one_else_changes_a_shop(
    client: Client,
    gql: GraphQLClient,
    shop: Shop,
    who: str,
    mutation: str,
    buyer: Any,
    staff: Any,
    facilitator: Any,
    consent: Any,
    shop_factory: Any,
    user_factory: Any,
) -> None:
    user_factory(phone="+6281234500077", full_name="Calon staf")
    users = {
        "anonymous": None,
        "buyer": buyer,
        "staff": staff,
        "facilitator_with_consent": facilitator,
    }
    if who == "facilitator_with_consent":
        consent(shop, facilitator)
    if who == "other_owner":
        users["other_owner"] = user_factory(phone="+6281234500088")
        shop_factory(owner=users["other_owner"])
    before = (
        Shop.objects.values_list("name", "status").get(pk=shop.pk),
        list(ShopBankAccount.objects.values_list("account_number", flat=True)),
        ShopMembership.objects.filter(shop=shop).count(),
        FacilitatorConsent.objects.filter(shop=shop, revoked_at__isnull=True).count(),
    )
    audit_before = AuditEntry.objects.count()
    as_user(client, users[who])
    query, var = SHOP_MUTATIONS[mutation]
    target = (
        to_global_id("Shop", shop.pk)
        if var == "s"
        else to_global_id("ShopMember", ShopMembership.objects.get(user=staff).pk)
    )
    result = gql(query, {var: target})
    assert "errors" not in result, result
    [error] = result["data"][mutation]["errors"]
    assert error["code"] == ("unauthenticated" if who == "anonymous" else "permission_denied")
    after = (
        Shop.objects.values_list("name", "status").get(pk=shop.pk),
        list(ShopBankAccount.objects.values_list("account_number", flat=True)),
        ShopMembership.objects.filter(shop=shop).count(),
        FacilitatorConsent.objects.filter(shop=shop, revoked_at__isnull=True).count(),
    )
    assert after == before
    assert AuditEntry.objects.count() == audit_before
