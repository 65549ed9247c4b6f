"""Benchmark: placing checkouts with many buyers at once, and the oversell count.

Goal (issue 6): at least 50 checkouts per second on 2 cores, and no unit sold twice. Each
checkout is the real ``complete_checkout``: two shops' parcels (two orders), the summary with
shipping, the stock rows locked in primary-key order and decremented, snapshot lines, one demo
payment, the events. Buyers are threads, each with its own database connection (the web
server's workers in production). The baseline is the same work done by one buyer after another in
this run; the concurrent rates are printed as ratios of it. A second concurrent run shares the
buyers between forked processes (``--processes``), as web server workers do: threads of one
process are bound by its interpreter lock.

Then the race the issue names: 100 buyers at once for the last 10 units of one variant. The
oversell count is how many units were sold beyond the stock (must be 0).

Tasks the checkout queues (search indexing after the stock change, the order e-mails) are sent
as in production: to the real broker when ``REDIS_URL`` (or ``CELERY_BROKER_URL``) is set, so the
cost of queueing them is in the figure; no worker is needed for the measurement (nor started: the
queue is purged at the end), since in production a worker runs them outside the request. Without
a broker, an in-memory one stands in (never eager: that would charge the indexing itself to the
checkout). Runs on a fresh test database; the concurrent parts need PostgreSQL (``DATABASE_URL``);
SQLite serialises writers and runs only the baseline.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/checkout.py \
        [--checkouts 600] [--threads 8] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from djmoney.money import Money  # noqa: E402

GOAL_PER_SECOND = 50.0
RACE_BUYERS = 100
RACE_UNITS = 10


def build_world(variants_per_shop: int) -> dict[str, Any]:
    """Two approved shops in Kemiren with listings, a courier with rates, one delivery address."""
    from marketplace.accounts.models import User
    from marketplace.addresses.services import AddressInput, create_address
    from marketplace.catalog import services as catalog
    from marketplace.catalog.models import Category
    from marketplace.regions.models import Region
    from marketplace.shipping.models import Courier, DomesticRate, ShippingSettings
    from sellers.models import MemberRole, Shop, ShopMembership, ShopStatus

    province, _ = Region.objects.get_or_create(code="35", level="province", name="JAWA TIMUR")
    regency, _ = Region.objects.get_or_create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=province
    )
    district, _ = Region.objects.get_or_create(
        code="3510170", level="district", name="GLAGAH", parent=regency
    )
    village, _ = Region.objects.get_or_create(
        code="3510170012", level="village", name="KEMIREN", parent=district
    )
    ShippingSettings.objects.get_or_create(valid_from=timezone.localdate())
    courier = Courier.objects.create(code="bench", name="Bench Kirim", domestic=True)
    DomesticRate.objects.create(
        courier=courier, service_code="reg", service="REG", origin_code="3510",
        province_code="31", first_price=Money(20000, "IDR"), step_price=Money(15000, "IDR"),
        source="bench",
    )  # fmt: skip
    seller = User.objects.create_user(phone="+6281299900001", password=None, full_name="Seller")
    kopi = Category.objects.get(slug="kopi")
    shops, variants = [], []
    for n in range(2):
        shop = Shop.objects.create(
            name=f"Bench shop {n}", slug=f"bench-{n}", village=village, status=ShopStatus.APPROVED
        )
        ShopMembership.objects.create(shop=shop, user=seller, role=MemberRole.OWNER)
        shops.append(shop)
        for m in range(variants_per_shop):
            product = catalog.create_product(
                seller, shop, catalog.ProductInput(category=kopi, title={"id": f"Kopi {n}-{m}"})
            )
            variant = catalog.save_variant(
                seller,
                product,
                catalog.VariantInput(sku=f"B{n}-{m}", price_idr=50_000 + m, weight_grams=250),
            )
            catalog.adjust_stock(seller, variant, 100_000)
            catalog.publish_product(seller, product)
            variant.refresh_from_db()
            variants.append(variant)
    address = create_address(
        None,
        AddressInput(
            country="ID", full_name="Rina", phone="081234500003", street="Jl. Kemang Raya 5",
            postal_code="12730", village_name="Bangka", district="Mampang Prapatan",
            regency="Kota Jakarta Selatan", province_code="31",
        ),
    )  # fmt: skip
    return {"shops": shops, "variants": variants, "address": address}


def make_carts(world: dict[str, Any], count: int, prefix: str, lines: list[Any] | None = None):  # type: ignore[no-untyped-def]
    """``count`` buyers, each with a cart ready to place: one line from each shop by default.

    Written in bulk: preparing carts is not what is measured.
    """
    from marketplace.accounts.models import User
    from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine

    rng = random.Random(count)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.com", full_name=f"Buyer {n}") for n in range(count)
    )
    carts = Checkout.objects.bulk_create(
        Checkout(user=user, country="ID", shipping_address=world["address"]) for user in users
    )
    by_shop: dict[int, list[Any]] = {}
    for variant in world["variants"]:
        by_shop.setdefault(variant.product.shop_id, []).append(variant)
    cart_lines, deliveries = [], []
    for cart in carts:
        chosen = lines or [rng.choice(vs) for vs in by_shop.values()]
        for variant in chosen:
            cart_lines.append(
                CheckoutLine(checkout=cart, variant=variant, quantity=1, price_seen=variant.price)
            )
        for shop_id in {v.product.shop_id for v in chosen}:
            deliveries.append(
                CheckoutDelivery(checkout=cart, shop_id=shop_id, option_code="bench-reg")
            )
    CheckoutLine.objects.bulk_create(cart_lines)
    CheckoutDelivery.objects.bulk_create(deliveries)
    return list(zip(carts, users, strict=True))


def free_connection_slots() -> int:
    """How many more connections the server accepts now (others may share the server)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
        (free,) = cursor.fetchone()
    return int(free)


def place(jobs: list[Any], threads: int, prefix: str) -> tuple[float, dict[str, int]]:
    """Place every cart with ``threads`` buyers at once; seconds taken and outcome counts.

    Buyers start together; each opens its connection when the server has a free one (a margin
    is left for other users of the server), so a full server slows the run instead of failing it.
    """
    from marketplace.checkout.services import OutOfStock, complete_checkout

    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(threads)
    queue = iter(range(len(jobs)))
    slots = threading.BoundedSemaphore(
        max(1, min(threads, free_connection_slots() - 5)) if threads > 1 else 1
    )

    def worker() -> None:
        barrier.wait()
        try:
            while True:
                with lock:
                    n = next(queue, None)
                if n is None:
                    return
                cart, user = jobs[n]
                slots.acquire()
                try:
                    complete_checkout(
                        cart, method="demo", idempotency_key=f"{prefix}-{n}", user=user,
                        accept_terms=False,
                    )  # fmt: skip
                    outcome = "ordered"
                except OutOfStock:
                    outcome = "sold out"
                except Exception as exc:  # an error is a result to report, not to hide
                    outcome = type(exc).__name__
                finally:
                    if threads == RACE_BUYERS:
                        connections.close_all()  # one checkout per buyer: give the slot back
                    slots.release()
                with lock:
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            if threads > 1:
                connections.close_all()

    started = time.perf_counter()
    cpu = time.process_time()
    if threads == 1:
        worker()
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for future in [pool.submit(worker) for _ in range(threads)]:
                future.result()
    outcomes["cpu_ms_per_checkout"] = round((time.process_time() - cpu) * 1000 / max(1, len(jobs)))
    return time.perf_counter() - started, outcomes


def _place_share(args: tuple[list[Any], int, str]) -> tuple[float, dict[str, int]]:
    jobs, threads, prefix = args
    try:
        return place(jobs, threads, prefix)
    finally:
        connections.close_all()


def place_in_processes(
    jobs: list[Any], processes: int, threads: int, prefix: str
) -> tuple[float, dict[str, int]]:
    """The same work shared by ``processes`` forked processes of ``threads`` buyers each, as a
    web server's workers would share it (threads of one process share one interpreter lock)."""
    import multiprocessing

    connections.close_all()  # never hand an open connection to a child
    shares = [(jobs[n::processes], threads, f"{prefix}{n}") for n in range(processes)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_place_share, shares)
    seconds = time.perf_counter() - started
    outcomes: dict[str, int] = {}
    for _seconds, counts in results:
        for key, value in counts.items():
            if key != "cpu_ms_per_checkout":
                outcomes[key] = outcomes.get(key, 0) + value
    return seconds, outcomes


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkouts", type=int, default=600)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2, help="for the second concurrent run")
    parser.add_argument("--variants", type=int, default=25, help="listings per shop")
    args = parser.parse_args()

    # Tasks (search indexing after a stock change, e-mails) are queued, as in production, where
    # a worker runs them: to the configured broker (Redis), else an in-memory one.
    from marketplace.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    broker = settings.CELERY_BROKER_URL or "memory://"
    app.conf.broker_url = broker
    settings.DEBUG = False
    settings.PAYMENT_GATEWAY = "demo"
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = "test_pasar_bench_checkout"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    ok = True
    try:
        from marketplace.catalog.models import ProductVariant, StockMovement
        from marketplace.orders.models import Order, OrderLine

        concurrent = connection.vendor == "postgresql"
        print(f"database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND']}; "
              f"broker: {broker.split('://')[0]} (tasks only queued, no worker)")  # fmt: skip
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{os.cpu_count()} cores, load average {load:.1f} at the start (others' work counts)")
        world = build_world(args.variants)
        print(
            f"{len(world['variants'])} listings in 2 shops; each checkout: 2 parcels (2 orders), "
            "demo payment"
        )
        jobs = make_carts(world, args.baseline, "base")
        seconds, outcomes = place(jobs, 1, "base")
        baseline = outcomes.get("ordered", 0) / seconds
        print(f"\nbaseline, 1 buyer at a time: {args.baseline} checkouts in {seconds:.2f} s = "
              f"{baseline:.1f}/s  {outcomes}")  # fmt: skip
        if concurrent:
            jobs = make_carts(world, args.checkouts, "many")
            seconds, outcomes = place(jobs, args.threads, "many")
            rate = outcomes.get("ordered", 0) / seconds
            verdict = "ok" if rate >= GOAL_PER_SECOND else "MISSED"
            ok &= rate >= GOAL_PER_SECOND and outcomes["ordered"] == args.checkouts
            print(
                f"{args.threads} buyers at once: {args.checkouts} checkouts in {seconds:.2f} s = "
                f"{rate:.1f}/s ({rate / baseline:.2f}x baseline; goal ≥ {GOAL_PER_SECOND:.0f}/s): "
                f"{verdict}  {outcomes}"
            )

            jobs = make_carts(world, args.checkouts, "proc")
            seconds, outcomes = place_in_processes(
                jobs, args.processes, max(1, args.threads // args.processes), "proc"
            )
            rate = outcomes.get("ordered", 0) / seconds
            print(
                f"{args.processes} processes x {max(1, args.threads // args.processes)} buyers: "
                f"{args.checkouts} checkouts in {seconds:.2f} s = {rate:.1f}/s "
                f"({rate / baseline:.2f}x baseline; goal ≥ {GOAL_PER_SECOND:.0f}/s): "
                f"{'ok' if rate >= GOAL_PER_SECOND else 'MISSED'}  {outcomes}"
            )

            scarce = world["variants"][0]
            ProductVariant.objects.filter(pk=scarce.pk).update(stock_quantity=RACE_UNITS)
            before = Order.objects.count()
            movements_before = StockMovement.objects.filter(variant=scarce).count()
            jobs = make_carts(world, RACE_BUYERS, "race", lines=[scarce])
            seconds, outcomes = place(jobs, RACE_BUYERS, "race")
            sold = sum(
                OrderLine.objects.filter(
                    order__payment__idempotency_key__startswith="race-"
                ).values_list("quantity", flat=True)
            )
            scarce.refresh_from_db()
            oversold = max(0, sold - RACE_UNITS) + max(0, -scarce.stock_quantity)
            movements = StockMovement.objects.filter(variant=scarce).count() - movements_before
            ok &= oversold == 0 and scarce.stock_quantity == 0
            print(
                f"\nrace: {RACE_BUYERS} buyers at once for the last {RACE_UNITS} units: "
                f"{Order.objects.count() - before} orders, {sold} units sold, stock now "
                f"{scarce.stock_quantity}, {movements} sale movements; "
                f"{outcomes} in {seconds:.2f} s"
            )
            print(f"oversell count: {oversold} (must be 0): {'ok' if oversold == 0 else 'FAILED'}")
        else:
            print("(SQLite serialises writers: run with DATABASE_URL=postgres://… for the "
                  "concurrent rate and the race)")  # fmt: skip
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average {load:.1f} at the end")
        print(json.dumps({"ok": bool(ok)}))
    finally:
        if broker != "memory://":
            app.control.purge()  # the bench's tasks are not for any worker
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
