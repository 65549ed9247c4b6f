"""Reading the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEntry


def entries_about(obj: models.Model) -> QuerySet[AuditEntry]:
    """Everything done to ``obj`` or on its behalf (a shop sees what its facilitator did)."""
    ct = ContentType.objects.get_for_model(obj)
    key = str(obj.pk)
    return AuditEntry.objects.select_related("actor").filter(
        Q(object_type=ct, object_id=key) | Q(on_behalf_of_type=ct, on_behalf_of_id=key)
    )
