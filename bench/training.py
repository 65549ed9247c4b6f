"""Benchmark: the operator's programme page for 10,000 learners in 200 villages.

Goal (issue 8): the page runs in a constant number of queries whatever the number of learners, so
its time grows with the database's grouped scans, not with Python loops over learners. Printed
against a baseline measured in the same run: the same page with 100 learners in the same 200
villages (ratio), with each run's query count.

Data are written in bulk (enrolments, task completions, shops, listings; paid orders when the
orders app has them): the page reads them, it does not care how they were made.

Runs on a fresh test database: SQLite (in memory) by default, PostgreSQL when DATABASE_URL is set.

    .venv/bin/python bench/training.py [--learners 10000] [--villages 200] [--baseline 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402


def build(learners: int, villages: int, offset: int) -> None:
    """``learners`` learners spread over the first ``villages`` villages of Banyuwangi."""
    from marketplace.accounts.models import User
    from marketplace.catalog.models import Category, Product, ProductStatus
    from marketplace.regions.models import Region, VillageHall
    from sellers.models import MemberRole, Shop, ShopMembership, ShopStatus
    from training.models import Cohort, Course, Enrolment, TaskCompletion, TaskKind
    from training.practical_tasks import order_model

    now = timezone.now()
    places = list(Region.objects.filter(level="village").order_by("code")[:villages])
    trainer, _ = User.objects.get_or_create(
        email="bench-trainer@example.org", defaults={"full_name": "Trainer", "is_trainer": True}
    )
    course, _ = Course.objects.get_or_create(slug="bench", defaults={"title_ind": "Bench"})
    hall, _ = VillageHall.objects.get_or_create(village=places[0], defaults={"name": "Balai"})
    cohort, _ = Cohort.objects.get_or_create(
        course=course,
        name="Bench",
        defaults={
            "trainer": trainer,
            "village_hall": hall,
            "starts_on": now.date(),
            "ends_on": now.date(),
        },
    )
    users = User.objects.bulk_create(
        [
            User(phone=f"+62813{offset + i:08d}", full_name=f"Peserta {offset + i}")
            for i in range(learners)
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                learner=u,
                course=course,
                cohort=cohort,
                village=places[i % len(places)],
                enrolled_at=now - timedelta(days=i % 300),
            )
            for i, u in enumerate(users)
        ]
    )
    sellers = users[::3]
    shops = Shop.objects.bulk_create(
        [
            Shop(
                name=f"Toko {offset + i}",
                slug=f"toko-{offset + i}",
                village=places[(i * 3) % len(places)],
                status=ShopStatus.APPROVED,
            )
            for i in range(len(sellers))
        ]
    )
    ShopMembership.objects.bulk_create(
        [
            ShopMembership(shop=s, user=u, role=MemberRole.OWNER)
            for s, u in zip(shops, sellers, strict=True)
        ]
    )
    TaskCompletion.objects.bulk_create(
        [
            TaskCompletion(
                learner=u,
                kind=kind,
                completed_at=now,
                evidence_type="sellers.shop",
                evidence_id=s.pk,
                evidence_label=s.name,
            )
            for s, u in zip(shops, sellers, strict=True)
            for kind in (TaskKind.OPEN_SHOP, TaskKind.SHOP_APPROVED)
        ]
    )
    category = Category.objects.get(slug="kopi")
    Product.objects.bulk_create(
        [
            Product(
                shop=s,
                category=category,
                title=f"Kopi {s.pk}",
                title_ind=f"Kopi {s.pk}",
                status=ProductStatus.PUBLISHED,
                published_at=now,
            )
            for s in shops
        ]
    )
    model = order_model()
    if model is not None:
        from djmoney.money import Money

        orders = []
        for i, s in enumerate(shops[::2]):
            eu = i % 4 == 0
            currency = "EUR" if eu else "IDR"
            amount = Money("12.50" if eu else "85000", currency)
            zero = Money(0, currency)
            orders.append(
                model(
                    number=f"BENCH-{offset + i:08d}",
                    shop=s,
                    market="EU" if eu else "ID",
                    currency=currency,
                    status="paid",
                    paid_at=now - timedelta(days=i % 300),
                    subtotal=amount,
                    shipping=zero,
                    vat=zero,
                    duty=zero,
                    total=amount,
                )
            )
        model._default_manager.bulk_create(orders)


def measure(client: Client, repeat: int) -> tuple[float, int]:
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get("/pelatihan/program/", {"wilayah": "3510"})
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(ctx)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = "test_pasar_bench_training"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from django.conf import settings

        from marketplace.accounts.models import User
        from marketplace.regions.importer import BANYUWANGI_CSV, import_regions_file

        settings.ALLOWED_HOSTS = ["*"]
        print(f"database: {connection.vendor}")
        with transaction.atomic():
            import_regions_file(BANYUWANGI_CSV)
            operator = User.objects.create_user(
                email="bench-operator@example.org", full_name="Operator", is_staff=True
            )
            build(args.baseline, args.villages, 0)
        client = Client()
        client.force_login(operator)
        client.cookies["pasar_language"] = "en"
        client.get("/pelatihan/program/", {"wilayah": "3510"})  # warm up templates and caches
        small, small_queries = measure(client, args.repeat)
        with transaction.atomic():
            build(args.learners - args.baseline, args.villages, args.baseline)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        large, large_queries = measure(client, args.repeat)
        print(
            f"programme page, {args.baseline} learners in {args.villages} villages: "
            f"{small * 1000:.0f} ms, {small_queries} queries"
        )
        print(
            f"programme page, {args.learners} learners in {args.villages} villages: "
            f"{large * 1000:.0f} ms, {large_queries} queries"
        )
        print(f"ratio: {large / small:.2f}x time for {args.learners / args.baseline:.0f}x learners")
        return 0 if small_queries == large_queries else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
