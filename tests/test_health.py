"""/healthz tells operators which part is down."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy_parts_report_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"].startswith("ok")
    assert body["cache"].startswith("ok")
    assert body["search"] == "ok (database)"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_the_real_broker_is_checked_when_configured(client: Client, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get("/healthz").json()
    assert body["broker"] == "ok (redis)"
    assert body["cache"] == "ok (RedisCache)"


def test_a_dead_broker_gives_503_naming_it(client: Client, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error")
    assert body["database"].startswith("ok")


def test_an_unreachable_search_server_gives_503(client: Client, settings: Any) -> None:
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["search"].startswith("error")
