"""Health of the parts the marketplace runs on, for ``/healthz`` and operators."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"ok ({connection.vendor})"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not return what was stored")
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"ok ({backend})"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (eager: tasks run in the web process)"
    from marketplace.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok (redis)"


def check_search() -> str:
    if settings.SEARCH_BACKEND != "elasticsearch":
        return "ok (database)"
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2)
    if not client.ping():
        raise RuntimeError("elasticsearch did not answer")
    return "ok (elasticsearch)"


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
}


def run_checks() -> tuple[bool, dict[str, str]]:
    results: dict[str, str] = {}
    healthy = True
    for name, fn in CHECKS.items():
        try:
            results[name] = fn()
        except Exception as exc:
            healthy = False
            results[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    return healthy, results
