"""``cohort``, ``courseProgress`` and ``programmeOutcomes``: for trainers and operators only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from graphql_relay import to_global_id

from marketplace.accounts.models import User
from sellers.models import Shop
from training import services
from training.models import Cohort, Lesson

pytestmark = pytest.mark.django_db

COHORT = """query($id: ID!) { cohort(id: $id) { name courseId villageHall
  funnel { key count conversion ofEnrolled medianDays }
  learners { fullName lessonsDone furthestStep steps { key at } } } }"""
PROGRESS = """query($c: ID!, $l: ID) { courseProgress(courseId: $c, learnerId: $l) {
  enrolled lessonsDone lessonsTotal tasksDone tasksTotal percent completed
  tasks { kind done evidence evidenceUrl } } }"""
PROGRAMME = """query($r: String!, $from: Date, $to: Date) {
  programmeOutcomes(regionCode: $r, from: $from, to: $to) {
    regionCode dateFrom dateTo hasOrders hasExportReady
    areas { regionCode learners sellers activeListings salesIdr }
    total { learners sellers } months { month learners } } }"""


def code(result: dict[str, Any]) -> str:
    return str(result["errors"][0]["extensions"]["code"])


@pytest.fixture
def enrolled(cohort: Cohort, learner: User, shop_factory: Callable[..., Shop]) -> User:
    shop_factory(owner=learner, village=cohort.village_hall.village)  # type: ignore[union-attr]
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    services.complete_lesson(learner, Lesson.objects.filter(module__course=cohort.course)[0])
    return learner


def test_the_cohorts_trainer_reads_its_funnel(gql: Any, cohort: Cohort, enrolled: User) -> None:
    gql.client.force_login(cohort.trainer)
    data = gql(COHORT, {"id": to_global_id("Cohort", cohort.pk)})["data"]["cohort"]
    assert data["villageHall"] == "Balai Desa Kampunganyar"
    counts = {step["key"]: step["count"] for step in data["funnel"]}
    assert counts["enrolled"] == 1 and counts["shop_opened"] == 1 and counts["lessons_done"] == 0
    assert data["learners"][0]["fullName"] == "Bu Ratna"
    assert data["learners"][0]["lessonsDone"] == 1
    assert data["learners"][0]["furthestStep"] == "shop_opened"


@pytest.mark.parametrize("who", ["anonymous", "learner", "other_trainer"])
def test_others_get_a_typed_error_for_the_cohort(
    who: str, gql: Any, cohort: Cohort, enrolled: User, other_trainer: User
) -> None:
    if who == "learner":
        gql.client.force_login(enrolled)
    elif who == "other_trainer":
        gql.client.force_login(other_trainer)
    result = gql(COHORT, {"id": to_global_id("Cohort", cohort.pk)})
    assert result["data"]["cohort"] is None
    assert code(result) == ("unauthenticated" if who == "anonymous" else "permission_denied")


def test_course_progress_for_the_learner_and_their_trainer_only(
    gql: Any, cohort: Cohort, enrolled: User, other_trainer: User
) -> None:
    variables = {
        "c": to_global_id("Course", cohort.course_id),
        "l": to_global_id("User", enrolled.pk),
    }
    gql.client.force_login(enrolled)
    mine = gql(PROGRESS, {"c": variables["c"]})["data"]["courseProgress"]
    assert (mine["lessonsDone"], mine["lessonsTotal"], mine["tasksDone"]) == (1, 2, 1)
    assert mine["tasks"][0]["evidenceUrl"].startswith("/toko/")
    gql.client.force_login(cohort.trainer)
    assert gql(PROGRESS, variables)["data"]["courseProgress"]["percent"] == 50
    gql.client.force_login(other_trainer)
    assert code(gql(PROGRESS, variables)) == "permission_denied"


def test_programme_outcomes_for_trainers_and_operators(
    gql: Any, enrolled: User, operator: User, trainer: User
) -> None:
    variables = {"r": "3510170", "from": "2020-01-01", "to": "2030-12-31"}
    result = gql(PROGRAMME, variables)
    assert code(result) == "unauthenticated"
    gql.client.force_login(enrolled)
    assert code(gql(PROGRAMME, variables)) == "permission_denied"
    for user in (operator, trainer):
        gql.client.force_login(user)
        data = gql(PROGRAMME, variables)["data"]["programmeOutcomes"]
        areas = {a["regionCode"]: a for a in data["areas"]}
        assert areas["3510170018"]["learners"] == 1
        assert areas["3510170018"]["sellers"] == 1
        assert data["total"]["learners"] == 1
        assert data["hasExportReady"] is False
    assert code(gql(PROGRAMME, {"r": "99"})) == "not_found"


def test_cohort_and_programme_queries_cost_the_same_for_more_learners(
    gql: Any, cohort: Cohort, operator: User, user_factory: Callable[..., User]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gql.client.force_login(operator)

    def cost() -> tuple[int, int]:
        counts = []
        for query, variables in (
            (COHORT, {"id": to_global_id("Cohort", cohort.pk)}),
            (PROGRAMME, {"r": "3510170"}),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert "errors" not in gql(query, variables)
            counts.append(len(ctx))
        return counts[0], counts[1]

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            learner = user_factory(full_name=f"Peserta {i}", phone=f"+62812345{i:05d}")
            services.enrol(cohort.trainer, learner, cohort.course, cohort)

    add(2, 100)
    small = cost()
    add(12, 200)
    assert cost() == small
