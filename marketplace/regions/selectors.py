"""Reads about regions."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Region, RegionLevel


def regions(level: str | None = None, parent_code: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("code")


def villages_with_halls() -> QuerySet[Region]:
    return (
        Region.objects.filter(level=RegionLevel.VILLAGE, village_hall__isnull=False)
        .select_related("village_hall", "parent")
        .order_by("name")
    )
