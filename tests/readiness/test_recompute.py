"""Stored readiness: recomputed on the events that can change it, for every destination."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Product
from marketplace.catalog.selectors import products_for_market
from marketplace.core import events
from marketplace.readiness import selectors, services
from marketplace.readiness.models import ExportProfile, ReadinessResult
from marketplace.taxes.countries import EU_COUNTRIES
from sellers.models import Shop

from .conftest import TODAY, _listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_ready_events() -> list[tuple[int, str]]:
    seen: list[tuple[int, str]] = []

    def handler(product_id: int, country: str, **payload: Any) -> None:
        seen.append((product_id, country))

    events.subscribe("product.export_ready")(handler)
    yield seen  # type: ignore[misc]
    events._handlers["product.export_ready"].remove(handler)


def test_recompute_stores_every_destination(coffee: Product, batik: Product) -> None:
    assert services.recompute([coffee.pk, batik.pk], on=TODAY) == 2 * 28
    rows = ReadinessResult.objects.filter(product=coffee)
    assert sorted(rows.values_list("country", flat=True)) == sorted([*EU_COUNTRIES, "ID"])
    assert all(rows.values_list("ready", flat=True))
    assert selectors.is_ready(coffee, "DE") and selectors.is_ready(batik, "de")
    assert products_for_market("EU").filter(pk=coffee.pk).exists()


def test_stored_findings_are_read_back_in_the_readers_language(batik: Product) -> None:
    ExportProfile.objects.filter(product=batik).update(safety_warnings={"en": "Wash apart."})
    services.recompute([batik.pk], on=TODAY)
    german = ReadinessResult.objects.get(product=batik, country="DE")
    assert not german.ready and german.progress < 100
    (finding,) = selectors.findings_of(german)
    assert (finding.code, finding.field) == (
        "gpsr.warnings.missing",
        "export_profile.safety_warnings",
    )
    assert finding.message == "Write the safety warnings in German."
    assert ReadinessResult.objects.get(product=batik, country="IT").ready


def test_turning_ready_emits_export_ready_once_per_country(
    batik: Product,
    export_ready_events: list[tuple[int, str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ExportProfile.objects.filter(product=batik).update(safety_warnings={"en": "Wash apart."})
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute([batik.pk], on=TODAY)
    # Ready where English is accepted: not the six states with a language of their own, not ID.
    assert not {c for _, c in export_ready_events} & {"DE", "AT", "NL", "BE", "FR", "LU", "ID"}
    assert len(export_ready_events) == 21
    export_ready_events.clear()
    ExportProfile.objects.filter(product=batik).update(
        safety_warnings={"en": "Wash apart.", "de": "Getrennt waschen."}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute([batik.pk], on=TODAY)
        services.recompute([batik.pk], on=TODAY)  # nothing new the second time
    assert sorted(c for _, c in export_ready_events) == ["AT", "DE"]


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("product.changed", lambda p: {"product_id": p.pk}),
        ("product.published", lambda p: {"product_id": p.pk}),
        ("plot.changed", lambda p: {"plot_id": 1, "shop_id": p.shop_id, "product_ids": [p.pk]}),
        ("document.changed", lambda p: {"document_id": 1, "shop_id": p.shop_id,
                                        "product_ids": [p.pk]}),
        ("shop.changed", lambda p: {"shop_id": p.shop_id}),
    ],
)  # fmt: skip
def test_events_recompute_the_listing(
    batik: Product,
    event: str,
    payload: Callable[[Product], dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(event, **payload(batik))
    assert ReadinessResult.objects.filter(product=batik).count() == 28
    assert selectors.is_ready(batik, "NL")


def test_a_change_that_breaks_readiness_is_stored(
    batik: Product, django_capture_on_commit_callbacks: Any
) -> None:
    services.recompute([batik.pk], on=TODAY)
    batik.photos.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("product.changed", product_id=batik.pk)
    assert not selectors.is_ready(batik, "DE")
    assert not products_for_market("EU").filter(pk=batik.pk).exists()


def test_recompute_queries_do_not_grow_with_non_eudr_listings(shop: Shop, eu_partner: Any) -> None:
    def batch(n: int) -> list[int]:
        return [
            _listing(shop, "batik-tekstil", "520851", f"Batik {shop.pk}-{i}").pk for i in range(n)
        ]

    counts = []
    for ids in (batch(3), batch(20)):
        with CaptureQueriesContext(connection) as ctx:
            services.recompute(ids, on=TODAY)
        # The upsert is split by the database's parameter limit (SQLite); every read is once.
        counts.append(len([q for q in ctx.captured_queries if "INSERT" not in q["sql"]]))
    assert counts[0] == counts[1] <= 10


def test_a_learner_who_made_a_listing_export_ready_has_the_training_task_ticked(
    batik: Product, seller: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Before and after enrolment: the stored readiness is the evidence (training's rule)."""
    from training import practical_tasks

    assert practical_tasks.export_ready(seller) is None
    ExportProfile.objects.filter(product=batik).update(safety_warnings={"en": "Wash apart."})
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute([batik.pk], on=TODAY)
    evidence = practical_tasks.export_ready(seller)
    assert evidence is not None and evidence.obj == batik
