"""Practical tasks are ticked by the marketplace's own events, never by a self-report."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from djmoney.money import Money

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category
from marketplace.core import events
from marketplace.photos import services as photo_services
from sellers import services as shops
from sellers.models import Shop, ShopStatus
from training import practical_tasks as tasks
from training import services
from training.models import Course, Enrolment, TaskCompletion, TaskKind

from .conftest import add_listing, jpeg, paid_order

pytestmark = pytest.mark.django_db

LONG_ENGLISH = (
    "Red-picked robusta from the slopes of Mount Ijen, sun-dried and roasted by the family "
    "in small batches."
)


def ticked(user: User) -> set[str]:
    return set(TaskCompletion.objects.filter(learner=user).values_list("kind", flat=True))


@pytest.fixture
def seller(learner: User, shop_factory: Callable[..., Shop], course: Course) -> Shop:
    """An approved shop (made directly: no event) whose owner then enrols."""
    shop = shop_factory(owner=learner, name="Kopi Bu Ratna", slug="kopi-bu-ratna")
    services.enrol(learner, learner, course)
    return shop


def test_publishing_a_listing_with_three_photos_ticks_the_first_listing(
    learner: User, seller: Shop, coffee: Category, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = add_listing(learner, seller, coffee, photos=3)
    completion = TaskCompletion.objects.get(learner=learner, kind=TaskKind.FIRST_LISTING)
    assert completion.evidence_id == product.pk
    assert completion.evidence_url == f"/produk/{product.pk}-kopi-osing-1/"
    assert completion.completed_at == product.published_at


def test_two_photos_do_not_tick_it_and_a_third_added_later_does(
    learner: User, seller: Shop, coffee: Category, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = add_listing(learner, seller, coffee, photos=2)
    assert TaskKind.FIRST_LISTING not in ticked(learner)
    with django_capture_on_commit_callbacks(execute=True):
        photo_services.add_photo(learner, product, jpeg("3.jpg"))
    assert TaskKind.FIRST_LISTING in ticked(learner)


def test_an_unpublished_listing_ticks_nothing(
    learner: User, seller: Shop, coffee: Category, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        add_listing(learner, seller, coffee, photos=3, english=LONG_ENGLISH, publish=False)
    # Only the shop, counted at enrolment.
    assert ticked(learner) == {TaskKind.OPEN_SHOP, TaskKind.SHOP_APPROVED}


def test_an_english_description_of_reasonable_length_ticks_its_task(
    learner: User, seller: Shop, coffee: Category, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = add_listing(learner, seller, coffee, english="Good coffee.")
    assert TaskKind.ENGLISH_DESCRIPTION not in ticked(learner)
    with django_capture_on_commit_callbacks(execute=True):
        catalog.update_product(
            learner,
            product,
            catalog.ProductInput(
                category=coffee,
                title={"id": "Kopi Osing 1"},
                description={"id": "Robusta petik merah.", "en": LONG_ENGLISH},
            ),
        )
    assert TaskKind.ENGLISH_DESCRIPTION in ticked(learner)


def test_opening_and_approval_tick_from_the_shop_events(
    learner: User,
    course: Course,
    operator: User,
    regions: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    services.enrol(learner, learner, course)
    assert Enrolment.objects.get(learner=learner).village is None
    with django_capture_on_commit_callbacks(execute=True):
        shop = shops.create_shop(learner, "Kopi Bu Ratna", regions["kemiren"])
    assert ticked(learner) == set()  # a draft is not an open shop
    shops.update_shop(learner, shop, whatsapp="081234500077", nib="1234567890123")
    shops.set_bank_account(
        learner, shop, bank_code="002", account_number="1234567890", holder_name="Ratna"
    )
    with django_capture_on_commit_callbacks(execute=True):
        shops.submit_shop(learner, shop)
    assert ticked(learner) == {TaskKind.OPEN_SHOP}
    # Enrolled online with no shop, the learner had no village; the shop gives them one.
    assert Enrolment.objects.get(learner=learner).village == regions["kemiren"]
    with django_capture_on_commit_callbacks(execute=True):
        shops.decide_shop(operator, shop, "approve", "")
    assert ticked(learner) == {TaskKind.OPEN_SHOP, TaskKind.SHOP_APPROVED}
    evidence = TaskCompletion.objects.get(learner=learner, kind=TaskKind.SHOP_APPROVED)
    assert evidence.evidence_url == "/toko/kopi-bu-ratna/"


def test_tasks_done_before_enrolment_count_when_the_learner_enrols(
    learner: User,
    course: Course,
    shop_factory: Callable[..., Shop],
    coffee: Category,
    django_capture_on_commit_callbacks: Any,
) -> None:
    shop = shop_factory(owner=learner)
    with django_capture_on_commit_callbacks(execute=True):
        add_listing(learner, shop, coffee, photos=3, english=LONG_ENGLISH)
    assert ticked(learner) == set()  # not a learner yet: nothing recorded
    services.enrol(learner, learner, course)
    assert ticked(learner) == {
        TaskKind.OPEN_SHOP,
        TaskKind.SHOP_APPROVED,
        TaskKind.FIRST_LISTING,
        TaskKind.ENGLISH_DESCRIPTION,
    }


def test_export_ready_ticks_only_from_its_event(
    learner: User, seller: Shop, coffee: Category, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = add_listing(learner, seller, coffee, photos=0)
    assert TaskKind.EXPORT_READY not in ticked(learner)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("product.export_ready", product_id=product.pk)
    completion = TaskCompletion.objects.get(learner=learner, kind=TaskKind.EXPORT_READY)
    assert completion.evidence_id == product.pk


def test_paid_orders_tick_first_order_and_first_eu_order(
    learner: User, seller: Shop, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(seller, "ID", Decimal(85_000))
    assert TaskKind.FIRST_ORDER in ticked(learner)
    assert TaskKind.FIRST_EU_ORDER not in ticked(learner)
    with django_capture_on_commit_callbacks(execute=True):
        eu = paid_order(seller, "EU", Decimal("12.50"))
    completion = TaskCompletion.objects.get(learner=learner, kind=TaskKind.FIRST_EU_ORDER)
    assert completion.evidence_id == eu.pk
    assert completion.evidence_label == eu.number


def test_an_unpaid_order_ticks_nothing(
    learner: User, seller: Shop, django_capture_on_commit_callbacks: Any
) -> None:
    model = tasks.order_model()
    if model is None:
        pytest.skip("orders.Order is not built yet")
    with django_capture_on_commit_callbacks(execute=True):
        order = model.objects.create(  # type: ignore[attr-defined]
            shop=seller,
            subtotal=Money(85_000, "IDR"),
            shipping=Money(0, "IDR"),
            vat=Money(0, "IDR"),
            duty=Money(0, "IDR"),
            total=Money(85_000, "IDR"),
        )
        events.emit("order.placed", order_id=order.pk, shop_id=seller.pk, market="ID")
    assert TaskKind.FIRST_ORDER not in ticked(learner)


def test_a_suspended_shop_keeps_its_ticks(
    learner: User, seller: Shop, operator: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert TaskKind.SHOP_APPROVED in ticked(learner)
    with django_capture_on_commit_callbacks(execute=True):
        shops.decide_shop(operator, seller, "suspend", "Foto palsu")
    assert Shop.objects.get(pk=seller.pk).status == ShopStatus.SUSPENDED
    assert TaskKind.SHOP_APPROVED in ticked(learner)
