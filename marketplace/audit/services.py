"""Writing the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    on_behalf_of: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj`` (for ``on_behalf_of``, when acting for one).

    ``actor`` is a user or ``None`` for the system (a scheduled task, an import). Call it inside the
    service's transaction.
    """
    entry = AuditEntry(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=data or {},
    )
    if obj is not None:
        entry.object_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    if on_behalf_of is not None:
        entry.on_behalf_of_type = ContentType.objects.get_for_model(on_behalf_of)
        entry.on_behalf_of_id = str(on_behalf_of.pk)
    entry.save()
    return entry
