"""Anonymous catalog reads over GraphQL are answered from a cache retired by catalog events;
signed-in users, mutations, other fields and errors never are."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from marketplace.graphql.views import cacheable_document
from sellers.models import Shop
from tests.conftest import PASSWORD, GraphQLClient

pytestmark = pytest.mark.django_db

PRODUCTS = "query($first: Int!) { products(first: $first) { totalCount edges { node { title } } } }"
REGISTER = """
mutation($name: String!, $password: String!, $phone: String) {
  register(fullName: $name, password: $password, phone: $phone) { errors { code } }
}"""


@pytest.fixture(autouse=True)
def _response_cache_on(settings: Any) -> None:
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 300


@pytest.fixture
def publish(
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Iterator[Callable[[str], Product]]:
    """Publish a listing and commit, as a seller's request would (its events run)."""
    owner = user_factory(phone="+6281234500077")
    shop = shop_factory(owner=owner)
    kopi = Category.objects.get(slug="kopi")
    counter = iter(range(1, 1000))

    def make(title: str) -> Product:
        n = next(counter)
        with django_capture_on_commit_callbacks(execute=True):
            product = services.create_product(
                owner,
                shop,
                services.ProductInput(category=kopi, title={"id": title, "en": f"{title} (en)"}),
            )
            services.save_variant(
                owner, product, services.VariantInput(sku=f"K-{n}", price_idr=85_000)
            )
            return services.publish_product(owner, product)

    yield make


def titles(result: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in result["data"]["products"]["edges"]]


def test_the_same_anonymous_query_is_answered_from_the_cache(
    gql: GraphQLClient,
    publish: Callable[[str], Product],
    django_assert_num_queries: Callable[..., AbstractContextManager[Any]],
    django_assert_max_num_queries: Callable[..., AbstractContextManager[Any]],
) -> None:
    publish("Kopi Osing")
    first = gql(PRODUCTS, {"first": 24})
    assert titles(first) == ["Kopi Osing"]
    with django_assert_num_queries(0):
        again = gql(PRODUCTS, {"first": 24})
    assert again == first
    # Other variables are another answer.
    with django_assert_max_num_queries(20):
        assert gql(PRODUCTS, {"first": 1})["data"]["products"]["totalCount"] == 1


def test_a_catalog_event_retires_the_cached_answer(
    gql: GraphQLClient,
    publish: Callable[[str], Product],
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> None:
    publish("Kopi Osing")
    assert gql(PRODUCTS, {"first": 24})["data"]["products"]["totalCount"] == 1
    product = publish("Gula Aren")
    fresh = gql(PRODUCTS, {"first": 24})
    assert fresh["data"]["products"]["totalCount"] == 2
    assert titles(fresh)[0] == "Gula Aren"
    with django_capture_on_commit_callbacks(execute=True):
        services.archive_product(product.shop.memberships.get().user, product)
    assert titles(gql(PRODUCTS, {"first": 24})) == ["Kopi Osing"]


def test_each_language_gets_its_own_answer(
    gql: GraphQLClient, publish: Callable[[str], Product]
) -> None:
    publish("Kopi Osing")
    assert titles(gql(PRODUCTS, {"first": 24})) == ["Kopi Osing"]
    english = gql(PRODUCTS, {"first": 24}, headers={"Accept-Language": "en"})
    assert titles(english) == ["Kopi Osing (en)"]


def test_a_signed_in_user_is_never_served_from_the_cache(
    client: Client,
    gql: GraphQLClient,
    publish: Callable[[str], Product],
    user_factory: Callable[..., User],
    django_assert_max_num_queries: Callable[..., AbstractContextManager[Any]],
) -> None:
    publish("Kopi Osing")
    gql(PRODUCTS, {"first": 24})  # an anonymous answer is cached
    client.force_login(user_factory(phone="+6281234500078"))
    gql(PRODUCTS, {"first": 24})
    queries: Any
    with django_assert_max_num_queries(20) as queries:
        assert titles(gql(PRODUCTS, {"first": 24})) == ["Kopi Osing"]
    assert len(queries.captured_queries) > 0  # resolved again, not read from the cache


def test_a_bearer_token_request_is_never_served_from_the_cache(
    gql: GraphQLClient,
    publish: Callable[[str], Product],
    django_assert_max_num_queries: Callable[..., AbstractContextManager[Any]],
) -> None:
    publish("Kopi Osing")
    gql(PRODUCTS, {"first": 24})
    queries: Any
    with django_assert_max_num_queries(20) as queries:
        gql(PRODUCTS, {"first": 24}, headers={"Authorization": "Bearer pk_not-a-real-token"})
    assert len(queries.captured_queries) > 0


def test_a_mutation_is_never_cached(gql: GraphQLClient) -> None:
    variables = {"name": "Pak Slamet", "password": PASSWORD, "phone": "081234567890"}
    assert gql(REGISTER, variables)["data"]["register"]["errors"] == []
    again = gql(REGISTER, variables)["data"]["register"]["errors"]
    assert again, "the second registration must be refused, not answered from a cache"
    assert User.objects.filter(phone="+6281234567890").count() == 1


def test_errors_are_not_cached(
    gql: GraphQLClient,
    django_assert_max_num_queries: Callable[..., AbstractContextManager[Any]],
) -> None:
    query = '{ search(country: "XX") { totalCount } }'
    assert gql(query)["errors"][0]["extensions"]["code"] == "invalid_country"
    from django.core.cache import cache

    calls: list[str] = []
    original = cache.set

    def spy(key: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(key)
        return original(key, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "set", spy)
        assert gql(query)["errors"][0]["extensions"]["code"] == "invalid_country"
    assert not [key for key in calls if key.startswith("graphql:")]


@pytest.mark.parametrize(
    ("document", "cacheable"),
    [
        ("{ products(first: 3) { totalCount } }", True),
        ('query Q { search(query: "kopi") { totalCount } categories { slug } }', True),
        ('mutation { register(fullName: "x", password: "y") { errors { code } } }', False),
        (
            'query { products(first: 1) { totalCount } } mutation M { tokenCreate(login: "a", password: "b") { token } }',
            False,
        ),
        ("subscription { products }", False),
        ("{ me { fullName } }", False),
        ("{ products(first: 1) { totalCount } me { fullName } }", False),
        ("{ ...Root } fragment Root on Query { me { fullName } }", False),
        ("{ ... on Query { me { fullName } } }", False),
        ("{ orders(first: 1) { totalCount } }", False),
        ("{ products(first: ", False),
        ("fragment F on Query { products { totalCount } }", False),
    ],
)
def test_only_allow_listed_reads_are_cacheable(document: str, cacheable: bool) -> None:
    assert cacheable_document(document) is cacheable


def test_a_very_long_document_is_not_cached() -> None:
    padding = " " * 20_000
    assert cacheable_document("{ products(first: 3) { totalCount } }" + padding) is False
