"""What placing an order costs, pinned: statements, cache reads, queued tasks, events (issue 6).

``bench/checkout.py`` measures checkouts per second; these tests keep the cuts behind that figure
from quietly coming back: a fixed number of statements for a two-shop checkout, no e-mail
rendered inside the transaction, the shipping tables read once per summary, no search/cache
churn for a sale that leaves stock, and an order-number clash retried instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.template import loader

from marketplace.accounts.models import User
from marketplace.addresses.models import Address
from marketplace.checkout import services
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import complete_checkout
from marketplace.checkout.totals import summarise
from marketplace.core import events
from marketplace.orders import models as order_models
from marketplace.orders.models import Order
from marketplace.orders.tasks import send_order_email
from marketplace.payments.models import Payment
from marketplace.shipping import selectors as shipping_selectors
from sellers.models import Shop

from .conftest import DOMESTIC_OPTION

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_shop_cart(
    cart: Checkout,
    shop: Shop,
    shop_factory: Callable[..., Shop],
    seller: User,
    sell: Any,
    jakarta: Address,
) -> Checkout:
    second = shop_factory(seller, name="Batik Temenggungan")
    services.set_address(cart, jakarta)
    for where in (shop, second):
        services.add_line(cart, sell(where, price=50_000, stock=5), 1)
        services.add_line(cart, sell(where, price=20_000, stock=5), 2)
        services.set_delivery(cart, where, DOMESTIC_OPTION)
    return cart


@pytest.fixture
def emitted() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    names = ("product.changed", "product.stock_out")
    handlers = {}
    for name in names:

        def handler(__name: str = name, **payload: Any) -> None:
            seen.append((__name, payload))

        handlers[name] = events.subscribe(name)(handler)
    yield seen
    for name, handler in handlers.items():
        events._handlers[name].remove(handler)


def test_a_two_shop_checkout_costs_a_fixed_number_of_statements(
    two_shop_cart: Checkout,
    buyer: User,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ContentType.objects.get_for_model(Payment)  # the audit's look-up, cached in a process
    # Lock the cart, lock the stock, 3 reads for the summary, payment look-up + savepoint + row +
    # audit + release, stock update + movements, orders, lines, history, cart: 16 (+ savepoint
    # pair of the outer atomic block inside the test's transaction). Before issue 6's cuts: 22.
    with django_assert_max_num_queries(18), django_capture_on_commit_callbacks() as callbacks:
        payment = complete_checkout(
            two_shop_cart, method="demo", idempotency_key="budget", user=buyer, accept_terms=False
        )
    assert payment.orders.count() == 2
    # The buyer's two e-mails are one task; nothing runs per stock change (stock remains). Only
    # ``order.placed`` handlers (whoever subscribes, e.g. other tests' spies) may add theirs.
    mails = [c for c in callbacks if getattr(c, "func", None) == send_order_email.delay]
    handled = {c.args[1] for c in callbacks if getattr(c, "func", None) is events._run}
    assert len(mails) == 1 and mails[0].args[0] == sorted(
        payment.orders.values_list("pk", flat=True)
    )
    assert handled <= {"order.placed"}


def test_no_email_is_rendered_inside_the_transaction(
    two_shop_cart: Checkout,
    buyer: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    rendered: list[str] = []
    original = loader.render_to_string

    def spy(name: Any, *args: Any, **kwargs: Any) -> str:
        rendered.append(str(name))
        return original(name, *args, **kwargs)

    monkeypatch.setattr(loader, "render_to_string", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        payment = complete_checkout(
            two_shop_cart, method="demo", idempotency_key="mail", user=buyer, accept_terms=False
        )
    assert rendered == []  # placing the order rendered nothing
    for callback in callbacks:
        callback()  # the commit: now the task renders both e-mails, in the buyer's language
    numbers = sorted(payment.orders.values_list("number", flat=True))
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2
    assert all(number in subject for number, subject in zip(numbers, subjects, strict=True))


def test_shipping_tables_are_read_once_per_summary(
    two_shop_cart: Checkout, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[list[str]] = []

    class Counting:
        """The cache as the shipping module sees it, counting round trips."""

        def __getattr__(self, name: str) -> Any:
            return getattr(cache, name)

        def get(self, key: str, *args: Any, **kw: Any) -> Any:
            reads.append([key])
            return cache.get(key, *args, **kw)

        def get_many(self, keys: list[str], *args: Any, **kw: Any) -> Any:
            reads.append(list(keys))
            return cache.get_many(keys, *args, **kw)

    monkeypatch.setattr(shipping_selectors, "cache", Counting())
    summary = summarise(two_shop_cart)
    assert len(summary.parcels) == 2 and summary.problems == []
    # The version, the packaging and the origin's tables (district and regency, in one read):
    # three round trips for the whole summary, not three per parcel.
    assert len(reads) == 3, reads


def test_a_sale_announces_only_the_variants_it_empties(
    cart: Checkout,
    shop: Shop,
    sell: Any,
    jakarta: Address,
    buyer: User,
    emitted: list[tuple[str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    plenty, last = sell(shop, stock=5), sell(shop, stock=2)
    services.set_address(cart, jakarta)
    services.add_line(cart, plenty, 1)
    services.add_line(cart, last, 2)
    services.set_delivery(cart, shop, DOMESTIC_OPTION)
    with django_capture_on_commit_callbacks(execute=True):
        payment = complete_checkout(
            cart, method="demo", idempotency_key="ev", user=buyer, accept_terms=False
        )
    # The listing that still has stock looks the same to search and cached pages: no event.
    assert sorted(emitted, key=lambda e: e[0]) == [
        ("product.changed", {"product_id": last.product_id}),
        ("product.stock_out", {"product_id": last.product_id, "variant_id": last.pk}),
    ]
    # Cancelling puts the sold-out listing back on sale: search and the pages hear of it.
    emitted.clear()
    from marketplace.orders import services as orders

    with django_capture_on_commit_callbacks(execute=True):
        orders.cancel_unpaid(payment.orders.get(), actor=buyer)
    assert emitted == [("product.changed", {"product_id": last.product_id})]


def test_an_order_number_clash_places_the_cart_again(
    two_shop_cart: Checkout,
    buyer: User,
    shop: Shop,
    sell: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken = Order.objects.create(
        shop=shop,
        number="PK-2611-00000001",
        subtotal=0,
        shipping=0,
        vat=0,
        duty=0,
        total=0,
    )
    # The first placement draws a taken number (and one for the second order): it is rolled
    # back whole and placed again with the next two.
    drawn = iter([f"PK-2611-0000000{n}" for n in (1, 2, 3, 4)])
    monkeypatch.setattr(order_models, "generate_order_number", lambda: next(drawn))
    monkeypatch.setattr(services, "generate_order_number", lambda: next(drawn))

    payment = complete_checkout(
        two_shop_cart, method="demo", idempotency_key="clash", user=buyer, accept_terms=False
    )
    numbers = set(payment.orders.values_list("number", flat=True))
    assert numbers == {"PK-2611-00000003", "PK-2611-00000004"}
    assert taken.number not in numbers
    assert Order.objects.count() == 3
