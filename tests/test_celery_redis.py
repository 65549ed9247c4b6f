"""A Celery task travels through the real Redis broker to a real worker (CI's production path)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from marketplace.celery import app
from marketplace.core.tasks import send_email

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (embedded run)"
    ),
]


@pytest.fixture
def redis_worker(worker_id: str) -> Iterator[str]:
    """A worker thread consuming this xdist worker's own queue on the configured broker."""
    queue = f"pasar-test-{worker_id}-{os.getpid()}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"
    ):
        yield queue
    app.conf.task_default_queue = "pasar"


def test_a_task_runs_through_redis(redis_worker: str) -> None:
    assert app.conf.broker_url.startswith("redis://")
    result = send_email.delay("Pesanan baru", "Ada pesanan kopi dari Jerman.", ["siti@example.id"])
    assert result.get(timeout=20) == 1
    assert [m.subject for m in mail.outbox] == ["Pesanan baru"]
