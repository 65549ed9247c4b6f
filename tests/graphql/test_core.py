"""The GraphQL core: typed errors, declared permissions, limits, auth, dataloaders."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from graphql_relay import to_global_id

from marketplace.accounts.models import ApiToken
from marketplace.audit.models import AuditEntry
from marketplace.regions.importer import BANYUWANGI_CSV, import_regions_file
from marketplace.regions.models import VillageHall
from tests.conftest import PASSWORD, GraphQLClient

pytestmark = pytest.mark.django_db

ME = "{ me { fullName phone email preferredLanguage roles { seller facilitator trainer operator } facilitatedHalls { name village { name parent { name } } } } }"
REGISTER = """
mutation($name: String!, $password: String!, $phone: String, $email: String) {
  register(fullName: $name, password: $password, phone: $phone, email: $email) {
    user { fullName phone }
    errors { field code message }
  }
}"""
TOKEN = """
mutation($login: String!, $password: String!) {
  tokenCreate(login: $login, password: $password) { token user { fullName } errors { field code message } }
}"""
ASSIGN = """
mutation($hall: ID!, $user: ID!, $assigned: Boolean!) {
  facilitatorAssignment(villageHallId: $hall, userId: $user, assigned: $assigned) {
    villageHall { name }
    errors { field code message }
  }
}"""


def test_me_is_null_for_anonymous_requests(gql: GraphQLClient) -> None:
    assert gql(ME) == {"data": {"me": None}}


def test_register_then_sign_in_with_another_spelling_of_the_phone(gql: GraphQLClient) -> None:
    result = gql(REGISTER, {"name": "Pak Slamet", "password": PASSWORD, "phone": "0812 3456 7890"})
    assert result["data"]["register"] == {
        "user": {"fullName": "Pak Slamet", "phone": "+6281234567890"},
        "errors": [],
    }
    token = gql(TOKEN, {"login": "6281234567890", "password": PASSWORD})["data"]["tokenCreate"]
    assert token["errors"] == [] and token["token"].startswith("pk_")
    me = gql(ME, headers={"Authorization": f"Bearer {token['token']}"})
    assert me["data"]["me"]["fullName"] == "Pak Slamet"


def test_register_errors_are_typed_translated_and_create_nothing(gql: GraphQLClient) -> None:
    result = gql(REGISTER, {"name": "", "password": "123", "phone": "12"})
    errors = result["data"]["register"]["errors"]
    by_field = {e["field"]: e for e in errors}
    assert by_field["fullName"]["code"] == "required"
    assert by_field["phone"] == {
        "field": "phone",
        "code": "invalid_phone",
        "message": "Masukkan nomor HP yang benar, misalnya 0812 3456 7890.",
    }
    assert by_field["password"]["code"] == "weak_password"
    assert result["data"]["register"]["user"] is None
    from marketplace.accounts.models import User

    assert not User.objects.exists()


def test_errors_follow_accept_language(gql: GraphQLClient) -> None:
    result = gql(
        REGISTER,
        {"name": "Anna", "password": PASSWORD, "phone": "12"},
        headers={"Accept-Language": "de-DE,de;q=0.9"},
    )
    [error] = result["data"]["register"]["errors"]
    assert error["message"].startswith("Geben Sie eine gültige Telefonnummer ein")


def test_token_create_with_a_wrong_password_is_a_typed_error(
    gql: GraphQLClient, user_factory: Callable[..., Any]
) -> None:
    user_factory(email="siti@example.id")
    result = gql(TOKEN, {"login": "siti@example.id", "password": "salah"})["data"]["tokenCreate"]
    assert result["token"] is None
    assert result["errors"][0]["code"] == "invalid_login"
    assert not ApiToken.objects.exists()


def test_token_create_is_locked_out_after_five_failures(
    gql: GraphQLClient, user_factory: Callable[..., Any]
) -> None:
    user_factory(email="siti@example.id")
    for _ in range(5):
        gql(TOKEN, {"login": "siti@example.id", "password": "salah"})
    result = gql(TOKEN, {"login": "SITI@example.id", "password": PASSWORD})["data"]["tokenCreate"]
    assert result["token"] is None
    assert result["errors"][0]["code"] == "locked_out"


def test_an_expired_or_unknown_token_is_anonymous(
    gql: GraphQLClient, user_factory: Callable[..., Any]
) -> None:
    from django.utils import timezone

    token, raw = ApiToken.issue(user_factory())
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert gql(ME, headers={"Authorization": f"Bearer {raw}"})["data"]["me"] is None
    assert gql(ME, headers={"Authorization": "Bearer pk_nonsense"})["data"]["me"] is None


def test_profile_update_needs_a_signed_in_user(gql: GraphQLClient) -> None:
    result = gql(
        'mutation { profileUpdate(fullName: "X") { user { fullName } errors { code message } } }'
    )
    assert result["data"]["profileUpdate"]["errors"] == [
        {"code": "unauthenticated", "message": "Silakan masuk terlebih dahulu."}
    ]


def test_profile_update_changes_the_language(
    client: Client, gql: GraphQLClient, user_factory: Callable[..., Any]
) -> None:
    user = user_factory()
    client.force_login(user)
    result = gql(
        "mutation { profileUpdate(preferredLanguage: DE) { user { preferredLanguage } errors { code } } }"
    )
    assert result["data"]["profileUpdate"] == {"user": {"preferredLanguage": "DE"}, "errors": []}


def test_a_mutation_without_the_rules_right_is_refused_with_a_typed_error(
    client: Client, gql: GraphQLClient, user_factory: Callable[..., Any], hall: VillageHall
) -> None:
    buyer = user_factory(phone="+6281234500001")
    facilitator = user_factory(phone="+6281234500002")
    variables = {
        "hall": to_global_id("VillageHall", hall.pk),
        "user": to_global_id("User", facilitator.pk),
        "assigned": True,
    }
    client.force_login(buyer)
    result = gql(ASSIGN, variables)["data"]["facilitatorAssignment"]
    assert result == {
        "villageHall": None,
        "errors": [
            {
                "field": None,
                "code": "permission_denied",
                "message": "Anda tidak punya izin untuk melakukan ini.",
            }
        ],
    }
    assert not hall.facilitators.exists()
    assert not AuditEntry.objects.filter(action__startswith="village_hall").exists()


def test_an_operator_assigns_a_facilitator_and_the_audit_log_says_so(
    client: Client, gql: GraphQLClient, user_factory: Callable[..., Any], hall: VillageHall
) -> None:
    operator = user_factory(phone="+6281234500001", is_staff=True)
    facilitator = user_factory(phone="+6281234500002")
    client.force_login(operator)
    variables = {
        "hall": to_global_id("VillageHall", hall.pk),
        "user": to_global_id("User", facilitator.pk),
        "assigned": True,
    }
    result = gql(ASSIGN, variables)["data"]["facilitatorAssignment"]
    assert result["errors"] == []
    assert list(hall.facilitators.all()) == [facilitator]
    entry = AuditEntry.objects.get(action="village_hall.facilitator_assigned")
    assert (entry.actor, entry.object) == (operator, hall)


def test_an_unknown_id_is_a_typed_not_found(
    client: Client, gql: GraphQLClient, user_factory: Callable[..., Any]
) -> None:
    client.force_login(user_factory(is_staff=True))
    result = gql(ASSIGN, {"hall": "bm9wZQ==", "user": "garbage", "assigned": True})
    assert result["data"]["facilitatorAssignment"]["errors"][0]["code"] == "not_found"


def test_me_runs_in_a_pinned_number_of_queries(
    client: Client,
    gql: GraphQLClient,
    user_factory: Callable[..., Any],
    django_assert_max_num_queries: Any,
    regions: Any,
) -> None:
    facilitator = user_factory()
    for village in (regions["kemiren"], regions["kampunganyar"]):
        VillageHall.objects.create(village=village, name=f"Balai Desa {village.display_name}")
        village.village_hall.facilitators.add(facilitator)
    _token, raw = ApiToken.issue(facilitator)
    # token lookup + last-used update, roles (4), halls, villages (1 batch), districts (1 batch)
    with django_assert_max_num_queries(9):
        result = gql(ME, headers={"Authorization": f"Bearer {raw}"})
    halls = result["data"]["me"]["facilitatedHalls"]
    assert sorted(h["village"]["name"] for h in halls) == ["KAMPUNGANYAR", "KEMIREN"]
    assert result["data"]["me"]["roles"]["facilitator"] is True


REGIONS = "query($n: Int) { regions(first: $n, level: VILLAGE) { totalCount edges { node { code parent { name parent { name } } } } } }"


def test_region_parents_are_batched_whatever_the_page_size(
    gql: GraphQLClient, django_assert_num_queries: Any
) -> None:
    import_regions_file(BANYUWANGI_CSV)
    counts = []
    for n in (5, 100):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            result = gql(REGIONS, {"n": n})
        assert len(result["data"]["regions"]["edges"]) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 4


def test_page_size_is_capped(gql: GraphQLClient) -> None:
    result = gql(REGIONS, {"n": 500})
    assert result["data"]["regions"] is None
    assert "exceeds the `first` limit of 100" in result["errors"][0]["message"]


def test_an_overly_deep_query_is_refused_before_it_runs(
    gql: GraphQLClient, django_assert_num_queries: Any
) -> None:
    nested = "name"
    for _ in range(12):
        nested = f"parent {{ {nested} }}"
    with django_assert_num_queries(0):
        result = gql(f'{{ region(code: "3510170012") {{ {nested} }} }}')
    assert "exceeds maximum operation depth" in result["errors"][0]["message"]


def test_an_overly_expensive_query_is_refused_before_it_runs(
    gql: GraphQLClient, django_assert_num_queries: Any
) -> None:
    page = "regions(first: 100) { edges { node { code name parent { name parent { name } } } } }"
    aliases = " ".join(f"a{i}: {page}" for i in range(60))
    with django_assert_num_queries(0):
        result = gql(f"{{ {aliases} }}")
    assert (
        "too expensive" in result["errors"][0]["message"]
        or "terlalu" in result["errors"][0]["message"]
    )


def test_a_session_user_needs_the_csrf_token(user_factory: Callable[..., Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_factory())
    body = json.dumps({"query": 'mutation { profileUpdate(fullName: "X") { errors { code } } }'})
    refused = client.post("/graphql/", body, content_type="application/json")
    assert refused.status_code == 403
    client.get("/")  # the page sets the CSRF cookie
    allowed = client.post(
        "/graphql/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert allowed.status_code == 200


def test_a_bearer_token_needs_no_csrf_token(user_factory: Callable[..., Any]) -> None:
    _token, raw = ApiToken.issue(user_factory())
    client = Client(enforce_csrf_checks=True)
    body = json.dumps(
        {
            "query": 'mutation { profileUpdate(fullName: "Siti B") { user { fullName } errors { code } } }'
        }
    )
    response = client.post(
        "/graphql/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.json()["data"]["profileUpdate"]["user"] == {"fullName": "Siti B"}


def test_graphiql_is_served_only_with_debug(client: Client, settings: Any) -> None:
    response = client.get("/graphql/", headers={"Accept": "text/html"})
    # The test settings run with DEBUG off, as production does.
    assert b"graphiql" not in response.content.lower()
