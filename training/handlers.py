"""Practical tasks ticked by marketplace events.

Each handler finds the learners behind the event (the members of the shop concerned) and asks the
task's one rule in ``training.practical_tasks`` whether it now holds (``services.evaluate_tasks``).
Handlers run after the emitting transaction commits (``marketplace.core.events``), so a rolled-back
publication never ticks a task.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.core.events import subscribe
from storefront.links import product_url

from . import practical_tasks as tasks
from . import services
from .models import Enrolment, TaskKind


def _learners_of_shop(shop_id: int) -> list[User]:
    """Members of the shop who are learners (anyone else has no tasks to tick)."""
    learner_ids = Enrolment.objects.filter(learner__shop_memberships__shop_id=shop_id).values(
        "learner_id"
    )
    return list(User.objects.filter(pk__in=learner_ids))


def _evaluate(shop_id: int | None, kinds: list[str]) -> None:
    if shop_id is None:
        return
    for learner in _learners_of_shop(shop_id):
        services.evaluate_tasks(learner, kinds)


@subscribe("shop.submitted")
def shop_submitted(shop_id: int, **payload: Any) -> None:
    _evaluate(shop_id, [TaskKind.OPEN_SHOP])


@subscribe("shop.approved")
def shop_approved(shop_id: int, **payload: Any) -> None:
    _evaluate(shop_id, [TaskKind.OPEN_SHOP, TaskKind.SHOP_APPROVED])


def _shop_of_product(product_id: int) -> int | None:
    return Product.objects.filter(pk=product_id).values_list("shop_id", flat=True).first()


@subscribe("product.published")
@subscribe("product.changed")
def product_changed(product_id: int, **payload: Any) -> None:
    # A photo added after publishing, or an English text written later, completes a task too.
    _evaluate(_shop_of_product(product_id), [TaskKind.FIRST_LISTING, TaskKind.ENGLISH_DESCRIPTION])


@subscribe("product.export_ready")
def product_export_ready(product_id: int, **payload: Any) -> None:
    """The export-readiness check (issue 7) passed for a listing: that listing is the evidence.

    Emitted by ``marketplace.readiness`` when a listing turns ready for an EU country. The event
    itself is the proof: the readiness rules live there, not here.
    """
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return
    evidence = tasks.Evidence(product, product.title, product_url(product), timezone.now())
    for learner in _learners_of_shop(product.shop_id):
        services.record_task_evidence(learner, TaskKind.EXPORT_READY, evidence)


@subscribe("order.paid")
def order_paid(order_id: int, shop_id: int, market: str = "", **payload: Any) -> None:
    kinds: list[str] = [TaskKind.FIRST_ORDER]
    if market == "EU":
        kinds.append(TaskKind.FIRST_EU_ORDER)
    _evaluate(shop_id, kinds)
