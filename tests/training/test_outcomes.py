"""The funnel and the programme figures equal counts computed from the marketplace's own tables,
and their pages cost the same number of queries whatever the number of learners."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product
from marketplace.catalog.selectors import visible_products
from marketplace.regions.models import Region
from sellers.models import Shop, ShopStatus
from training import practical_tasks as tasks
from training import selectors, services
from training.models import Cohort, Lesson, TaskKind

from .conftest import add_listing, paid_order, signed_in

pytestmark = pytest.mark.django_db

counter = iter(range(1000, 100_000))


def new_learner(user_factory: Callable[..., User]) -> User:
    n = next(counter)
    return user_factory(full_name=f"Peserta {n}", phone=f"+62812345{n:05d}")


@pytest.fixture
def world(
    cohort: Cohort,
    regions: dict[str, Region],
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    coffee: Category,
    django_capture_on_commit_callbacks: Any,
) -> dict[str, Any]:
    """Eight learners of the Kampunganyar cohort, two online learners selling in Kemiren, and a
    seller who never trained: shops, listings and orders made through the real services."""
    if tasks.order_model() is None:
        pytest.skip("orders.Order is not built yet")
    lessons = list(Lesson.objects.filter(module__course=cohort.course))
    learners = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(8):
            learner = new_learner(user_factory)
            services.enrol(cohort.trainer, learner, cohort.course, cohort)
            learners.append(learner)
            if i % 3 == 0:
                for lesson in lessons:
                    services.complete_lesson(learner, lesson)
            if i % 2 == 0:
                shop = shop_factory(owner=learner, village=regions["kampunganyar"])
                services.evaluate_tasks(learner)  # the fixture's shop skipped the events
                if i in (0, 4):
                    add_listing(learner, shop, coffee, i, photos=3)
                if i == 0:
                    paid_order(shop, "ID", Decimal(85_000))
                    paid_order(shop, "EU", Decimal("12.50"))
                if i == 2:
                    add_listing(learner, shop, coffee, i, photos=1)
                    paid_order(shop, "ID", Decimal(40_000))
        online = []
        for _ in range(2):
            learner = new_learner(user_factory)
            shop_factory(owner=learner, village=regions["kemiren"])
            services.enrol(learner, learner, cohort.course)
            online.append(learner)
        outsider = new_learner(user_factory)
        other_shop = shop_factory(owner=outsider, village=regions["kemiren"])
        add_listing(outsider, other_shop, coffee, 99)
        paid_order(other_shop, "EU", Decimal("20.00"))
    return {"cohort": cohort, "learners": learners, "online": online}


def test_the_funnel_equals_counts_from_the_marketplace_tables(world: dict[str, Any]) -> None:
    cohort, learners = world["cohort"], world["learners"]
    lesson_count = Lesson.objects.filter(module__course=cohort.course).count()

    def members(qs: Any) -> set[int]:
        return set(qs.values_list("memberships__user_id", flat=True)) & {u.pk for u in learners}

    orders = tasks.paid_orders()
    assert orders is not None
    expected = {
        "enrolled": len(learners),
        "lessons_done": sum(1 for u in learners if u.lesson_progress.count() == lesson_count),
        "shop_opened": len(members(Shop.objects.exclude(status=ShopStatus.DRAFT))),
        "first_listing": len(
            {
                uid
                for p in Product.objects.filter(status="published")
                if p.photos.count() >= 3
                for uid in p.shop.memberships.values_list("user_id", flat=True)
            }
            & {u.pk for u in learners}
        ),
        "export_ready": 0,
        "first_sale": len(members(Shop.objects.filter(pk__in=orders.values("shop_id")))),
        "first_eu_sale": len(
            members(Shop.objects.filter(pk__in=orders.filter(market="EU").values("shop_id")))
        ),
    }
    assert expected == {
        "enrolled": 8,
        "lessons_done": 3,
        "shop_opened": 4,
        "first_listing": 2,
        "export_ready": 0,
        "first_sale": 2,
        "first_eu_sale": 1,
    }
    result = selectors.funnel(cohort.enrolments.all())
    assert {s.key: s.count for s in result.steps} == expected
    steps = {s.key: s for s in result.steps}
    # Of the 3 who finished the lessons (learners 0, 3, 6), 2 opened a shop (0 and 6).
    assert steps["shop_opened"].conversion == Decimal("66.7")
    assert steps["first_listing"].conversion == Decimal("50.0")
    assert steps["first_listing"].of_enrolled == Decimal("25.0")
    # Export-ready is reached by nobody yet: first sale converts from first listing (0 and 4).
    assert steps["export_ready"].conversion == Decimal("0.0")
    assert steps["first_sale"].conversion == Decimal("50.0")
    assert steps["first_sale"].median_days is not None


def test_funnel_steps_median_days() -> None:
    base = timezone.now()
    dates = [
        {"enrolled": base, "lessons_done": base + timedelta(days=4)},
        {"enrolled": base, "lessons_done": base + timedelta(days=10)},
        {"enrolled": base, "lessons_done": base + timedelta(days=6)},
        {"enrolled": base, "shop_opened": base - timedelta(days=30)},
    ]
    steps = {s.key: s for s in selectors.funnel_steps(dates)}
    assert steps["lessons_done"].median_days == 6.0
    assert steps["shop_opened"].median_days == 0.0  # opened before enrolling: 0 days
    assert steps["lessons_done"].conversion == Decimal("75.0")


def test_programme_figures_equal_independent_counts(
    world: dict[str, Any], regions: dict[str, Region]
) -> None:
    data = selectors.programme_outcomes(regions["district"])
    rows = {a.region.code: a for a in data.areas}
    kampunganyar, kemiren = rows["3510170018"], rows["3510170012"]
    for area, village in ((kampunganyar, regions["kampunganyar"]), (kemiren, regions["kemiren"])):
        orders = tasks.paid_orders(shop__village=village)
        assert orders is not None
        assert area.sellers == Shop.objects.filter(village=village, status="approved").count()
        assert area.active_listings == visible_products().filter(shop__village=village).count()
        assert area.orders == orders.count()
        assert area.eu_orders == orders.filter(market="EU").count()
        assert area.sales_idr == sum(o.subtotal.amount for o in orders if o.currency == "IDR")
        assert area.sales_eur == sum(o.subtotal.amount for o in orders if o.currency == "EUR")
        assert area.export_ready_listings == 0
    assert kampunganyar.learners == 8 and kemiren.learners == 2
    assert kampunganyar.learners_selling == 4 and kemiren.learners_selling == 2
    assert (kampunganyar.orders, kampunganyar.eu_orders) == (3, 1)
    assert kampunganyar.sales_idr == Decimal(125_000) and kemiren.sales_eur == Decimal("20.00")
    assert data.total.learners == 10 and data.total.orders == 4
    this_month = data.months[-1]
    assert this_month.learners == 10 and this_month.orders == 4


def test_programme_page_and_csv(world: dict[str, Any], operator: User) -> None:
    client = signed_in(operator)
    page = client.get(reverse("training:programme"), {"wilayah": "3510170"}).content.decode()
    assert 'data-code="3510170018"' in page and "<svg" in page
    assert "export-readiness check is not built yet" in page
    csv_text = client.get(reverse("training:programme_csv"), {"wilayah": "3510170"}).content
    lines = csv_text.decode().strip().splitlines()
    assert lines[1].startswith("3510170012,Kemiren,2,2,")
    assert lines[-1].startswith("3510170,Glagah,10,6,")
    bad = client.get(reverse("training:programme"), {"dari": "2026-05-01", "sampai": "2026-01-01"})
    assert bad.status_code == 200 and "The end is before the start." in bad.content.decode()


def _queries(client: Any, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx)


def test_pages_cost_the_same_queries_for_3_or_30_learners(
    cohort: Cohort,
    operator: User,
    regions: dict[str, Region],
    user_factory: Callable[..., User],
    shop_factory: Callable[..., Shop],
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in(operator)
    programme = reverse("training:programme")
    cohort_page = reverse("training:cohort", args=[cohort.pk])
    lessons = list(Lesson.objects.filter(module__course=cohort.course))

    def add(n: int) -> None:
        for i in range(n):
            learner = new_learner(user_factory)
            if i % 2:
                shop_factory(owner=learner, village=regions["kampunganyar"])
            services.enrol(cohort.trainer, learner, cohort.course, cohort)
            services.complete_lesson(learner, lessons[0])

    add(3)
    small = (_queries(client, programme, {"wilayah": "3510170"}), _queries(client, cohort_page))
    add(27)
    with django_assert_max_num_queries(16):
        client.get(programme, {"wilayah": "3510170"})
    large = (_queries(client, programme, {"wilayah": "3510170"}), _queries(client, cohort_page))
    assert small == large
    assert selectors.funnel(cohort.enrolments.all()).steps[0].count == 30
    assert TaskKind.OPEN_SHOP in dict(selectors.STEP_TASK.items()).values()
