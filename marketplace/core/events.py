"""Domain events: one small mechanism, sent on commit.

A service announces that something happened (``emit("product.published", product_id=7)``); the
handlers subscribed to that name run after the surrounding transaction commits, never inside it, so
a handler never sees (or indexes, or e-mails about) a change that was rolled back. Handlers that
are slow enqueue a Celery task. Later domains (search indexing, course tasks) subscribe with
``@subscribe("…")`` in their ``handlers.py``, imported from their ``AppConfig.ready``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: defaultdict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str) -> Callable[[Handler], Handler]:
    def decorator(fn: Handler) -> Handler:
        if fn not in _handlers[event]:
            _handlers[event].append(fn)
        return fn

    return decorator


def emit(event: str, **payload: Any) -> None:
    """Run the event's handlers once the current transaction commits (at once outside one)."""
    for handler in list(_handlers.get(event, ())):
        transaction.on_commit(partial(_run, handler, event, payload), robust=True)


def _run(handler: Handler, event: str, payload: dict[str, Any]) -> None:
    try:
        handler(**payload)
    except Exception:
        # One failing subscriber must not stop the others nor the request that emitted.
        logger.exception("Handler %s for event %s failed", handler.__qualname__, event)
