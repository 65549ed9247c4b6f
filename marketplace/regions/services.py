"""Writes about village halls."""

from __future__ import annotations

from django.db import transaction

from marketplace.accounts.models import User
from marketplace.audit.services import record

from .models import VillageHall


@transaction.atomic
def assign_facilitator(actor: User, hall: VillageHall, facilitator: User) -> None:
    """Make ``facilitator`` a facilitator of ``hall`` (an operator's decision)."""
    hall.facilitators.add(facilitator)
    record(actor, "village_hall.facilitator_assigned", hall, data={"user": facilitator.pk})


@transaction.atomic
def unassign_facilitator(actor: User, hall: VillageHall, facilitator: User) -> None:
    """End the assignment; the facilitator's consents stop working with it (see permissions)."""
    hall.facilitators.remove(facilitator)
    record(actor, "village_hall.facilitator_unassigned", hall, data={"user": facilitator.pk})
