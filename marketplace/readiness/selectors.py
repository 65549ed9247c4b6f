"""Reads of the stored readiness (``ReadinessResult``), for checkout, listing selectors and pages.

Readers never run the rules: they read what ``services.recompute`` stored after the last relevant
change, so a page or a checkout of many lines costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, JSONField, OuterRef, QuerySet, Subquery

from marketplace.catalog.models import Product

from .models import ReadinessResult
from .services import Finding, Readiness, message_for


def is_ready(product: Product | int, country: str) -> bool:
    """Whether the listing is stored as ready for ``country`` (no result yet: not ready)."""
    product_id = product if isinstance(product, int) else product.pk
    return ReadinessResult.objects.filter(
        product_id=product_id, country=country.upper(), ready=True
    ).exists()


def results_for(product_ids: Iterable[int], country: str) -> dict[int, ReadinessResult]:
    """The stored results of these listings for one country, by product id, in one query."""
    return {
        row.product_id: row
        for row in ReadinessResult.objects.filter(
            product_id__in=list(product_ids), country=country.upper()
        )
    }


def ready_product_ids(country: str) -> QuerySet[ReadinessResult, int]:
    """Ids of the listings ready for ``country`` (a subquery for ``pk__in``)."""
    return ReadinessResult.objects.filter(country=country.upper(), ready=True).values_list(
        "product_id", flat=True
    )


def ready_anywhere() -> Exists:
    """For ``Product`` querysets: the listing is ready for at least one EU state (not Indonesia)."""
    return Exists(
        ReadinessResult.objects.filter(product=OuterRef("pk"), ready=True).exclude(country="ID")
    )


def findings_of(result: ReadinessResult) -> list[Finding]:
    """A stored result's findings with their messages in the active language."""
    return [
        Finding(
            code=item["code"],
            message=message_for(item["code"], item.get("params") or {}),
            field=item.get("field", ""),
            blocking=bool(item.get("blocking", True)),
            params=item.get("params") or {},
        )
        for item in result.findings
    ]


def readiness_of(result: ReadinessResult) -> Readiness:
    return Readiness(
        country=result.country,
        ready=result.ready,
        findings=findings_of(result),
        progress=result.progress,
    )


def readiness_annotations(product_path: str, country: str) -> dict[str, Any]:
    """Annotations for a queryset whose rows lead to a listing by ``product_path`` (for checkout
    lines: ``"variant__product"``): ``export_ready`` (bool) and ``export_findings`` (the stored
    findings for ``country``, ``None`` when never computed). Added to the caller's own query, so
    reading readiness for every line costs no query of its own."""
    rows = ReadinessResult.objects.filter(product=OuterRef(product_path), country=country.upper())
    return {
        "export_ready": Exists(rows.filter(ready=True)),
        "export_findings": Subquery(rows.values("findings")[:1], output_field=JSONField()),
    }


def blocking_messages(findings: list[dict[str, Any]] | None) -> list[str]:
    """The blocking findings of a stored result, as messages in the active language."""
    return [
        message_for(item["code"], item.get("params") or {})
        for item in findings or []
        if item.get("blocking", True)
    ]
