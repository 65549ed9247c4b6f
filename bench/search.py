"""Benchmark: product search on a few thousand listings (the database backend).

Times ``marketplace.search.search`` for a mix of buyer queries (words, typos, filters, sorts, an
empty query with facets), a 24-listing page with every facet, and prints p50/p95 per query and
over all. Printed against a baseline measured in the same run: the catalog's plain listing page
(``products_for_market`` + ``title_ind`` ``icontains``, newest first, the same joins and
prefetches, no facets, no ranking). Rebuilding every document (``reindex``) is timed too.

Runs on a fresh test database: SQLite (in memory) by default, PostgreSQL when DATABASE_URL is set.

    .venv/bin/python bench/search.py [--listings 5000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def measure(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm caches and plans
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    from bench.generate import generate_listings
    from marketplace.catalog.models import Product
    from marketplace.catalog.selectors import products_for_market
    from marketplace.markets.markets import market_for_country
    from marketplace.search import SearchQuery, search, services
    from marketplace.search.selectors import with_result_relations

    setup_test_environment()
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = "test_pasar_bench_search"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor}")
        generate_listings(args.listings, progress=lambda message: None)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would after a bulk load
                cursor.execute("ANALYZE")
        start = time.perf_counter()
        documents = services.rebuild_documents()
        print(f"reindex: {documents:,} documents in {time.perf_counter() - start:.2f} s")

        home, eu = market_for_country("ID"), market_for_country("DE")
        queries: list[tuple[str, SearchQuery]] = [
            ("empty, newest, facets", SearchQuery(home)),
            ("kopi", SearchQuery(home, "kopi")),
            ("kopi osing", SearchQuery(home, "kopi osing")),
            ("cokelat, price_asc", SearchQuery(home, "cokelat", sort="price_asc")),
            ("anyaman bambu in stock", SearchQuery(home, "anyaman bambu", in_stock=True)),
            ("typo: robustta", SearchQuery(home, "robustta")),
            ("EU de: Kaffee", SearchQuery(eu, "Kaffee", language="de")),
            ("category + price, page 3", SearchQuery(home, category="kopi", page=3)),
        ]

        def baseline() -> list[Product]:
            qs = products_for_market("ID").filter(title_ind__icontains="kopi")
            qs = with_result_relations(qs).order_by("-published_at", "-pk")
            return list(qs[:24])

        base_p50, base_p95 = percentiles(measure(baseline, args.repeat))
        label = "baseline: icontains page, no facets"
        print(f"{label:<40} p50 {base_p50:7.1f} ms  p95 {base_p95:7.1f} ms")
        everything: list[float] = []
        for label, query in queries:
            samples = measure(lambda q=query: search(q), args.repeat)
            everything += samples
            p50, p95 = percentiles(samples)
            total = search(query).total
            print(
                f"{label:<40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({total:,} found, "
                f"{p50 / base_p50:4.1f}x baseline)"
            )
        p50, p95 = percentiles(everything)
        print(
            f"{'all queries':<40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
            f"({p50 / base_p50:4.1f}x / {p95 / base_p95:4.1f}x baseline)"
        )
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
