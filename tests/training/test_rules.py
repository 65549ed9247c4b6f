"""The training rules, role by role, on a real cohort and enrolment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.accounts.models import User
from marketplace.core import permissions
from marketplace.regions.models import Region, VillageHall
from training import services
from training.models import Cohort

pytestmark = pytest.mark.django_db

EXPECTED = {
    "can_manage_cohort": {"trainer", "operator"},
    "can_enrol_in_cohort": {"trainer", "operator", "hall_facilitator"},
    "can_view_progress": {"trainer", "operator", "learner"},
}


def test_training_rules_allow_exactly_the_expected_roles(
    cohort: Cohort,
    trainer: User,
    other_trainer: User,
    operator: User,
    learner: User,
    hall: VillageHall,
    regions: dict[str, Region],
    user_factory: Callable[..., User],
) -> None:
    enrolment = services.enrol(trainer, learner, cohort.course, cohort)
    hall_facilitator = user_factory(full_name="Mas Agus", phone="+6281100000003")
    hall.facilitators.add(hall_facilitator)
    elsewhere = user_factory(full_name="Mbak Ani", phone="+6281100000013")
    VillageHall.objects.create(village=regions["kemiren"], name="Balai Kemiren").facilitators.add(
        elsewhere
    )
    other_learner = user_factory(full_name="Pak Joko", phone="+6281100000014")
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "trainer": trainer,
        "other_trainer": other_trainer,
        "operator": operator,
        "learner": learner,
        "other_learner": other_learner,
        "hall_facilitator": hall_facilitator,
        "other_facilitator": elsewhere,
    }
    objects = {"can_manage_cohort": cohort, "can_enrol_in_cohort": cohort}
    objects["can_view_progress"] = enrolment  # type: ignore[assignment]
    for rule_name, allowed in EXPECTED.items():
        rule = permissions.RULES[rule_name]
        got = {role for role, user in people.items() if rule(user, objects[rule_name])}
        assert got == allowed, rule_name
