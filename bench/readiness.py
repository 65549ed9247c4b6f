"""Benchmark: export-readiness recomputation for 10,000 listings, and one listing's check.

Times ``marketplace.readiness.services.recompute`` (every listing x 28 destinations, stored in
bulk) for all listings, against a baseline of 100 listings recomputed in the same run (the ratio
of seconds per listing shows whether the cost stays linear), and the per-listing latency of
``services.check(product, "DE")`` (p50/p95) on a sample of listings of every category.

Runs on a fresh test database: SQLite (in memory) by default, PostgreSQL when DATABASE_URL is set.

    .venv/bin/python bench/readiness.py [--listings 10000] [--sample 300]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="pasar-bench-media-"))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()

    from bench.generate import generate_listings
    from marketplace.catalog.models import Product
    from marketplace.readiness import services
    from marketplace.readiness.models import ReadinessResult

    setup_test_environment()
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = "test_pasar_bench_readiness"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor}")
        generate_listings(args.listings, progress=lambda message: None)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        print(f"listings: {len(ids):,}")

        start = time.perf_counter()
        services.recompute(ids[: args.baseline])
        baseline = time.perf_counter() - start
        ReadinessResult.objects.all().delete()

        start = time.perf_counter()
        rows = services.recompute(ids)
        full = time.perf_counter() - start
        per_base = baseline / min(args.baseline, len(ids)) * 1000
        per_full = full / len(ids) * 1000
        print(f"baseline: {args.baseline} listings in {baseline:.2f} s ({per_base:.2f} ms each)")
        print(
            f"recompute: {len(ids):,} listings ({rows:,} results) in {full:.2f} s "
            f"({per_full:.2f} ms each); ratio per listing {per_full / per_base:.2f}"
        )

        rng = random.Random(7)
        sample = rng.sample(ids, min(args.sample, len(ids)))
        products = {p.pk: p for p in Product.objects.filter(pk__in=sample)}
        services.check(products[sample[0]], "DE")  # warm
        latencies = []
        for pk in sample:
            started = time.perf_counter()
            services.check(products[pk], "DE")
            latencies.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(latencies)
        print(f"check(product, 'DE'): p50 {p50:.2f} ms, p95 {p95:.2f} ms ({len(sample)} listings)")
        ready = ReadinessResult.objects.filter(ready=True).exclude(country="ID").count()
        print(f"ready (listing x EU state): {ready:,}")
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
