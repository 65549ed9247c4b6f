"""Training's GraphQL queries: ``cohort``, ``courseProgress``, ``programmeOutcomes``.

Read-only, for the people the rules allow (``can_manage_cohort``, ``can_view_progress``,
``can_view_programme_outcomes``); anyone else gets a typed ``unauthenticated`` or
``permission_denied`` error, never a figure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from graphql_relay import to_global_id

from marketplace.accounts.models import User
from marketplace.core import permissions
from marketplace.graphql.core.errors import PermissionDeniedError
from marketplace.graphql.core.ids import decode_id
from marketplace.regions.models import Region

from .. import models, selectors
from . import types


def _require(rule: permissions.Rule, user: Any, obj: Any = None) -> None:
    if not permissions.is_authenticated(user):
        raise PermissionDeniedError(_("Sign in first."), code="unauthenticated")
    if not rule(user, obj):
        raise PermissionDeniedError(_("You may not see this."))


def _decode(global_id: str, type_name: str) -> int:
    try:
        return int(decode_id(global_id, type_name))
    except (ObjectDoesNotExist, ValueError) as exc:
        raise PermissionDeniedError(_("Not found."), code="not_found") from exc


class TrainingQueries(graphene.ObjectType):
    cohort = graphene.Field(types.Cohort, id=graphene.ID(required=True))
    course_progress = graphene.Field(
        types.CourseProgress,
        course_id=graphene.ID(required=True),
        learner_id=graphene.ID(description="Another learner (trainers, operators); default: you."),
    )
    programme_outcomes = graphene.Field(
        types.ProgrammeOutcomes,
        region_code=graphene.String(required=True),
        from_=graphene.Date(name="from"),
        to=graphene.Date(),
    )

    @staticmethod
    def resolve_cohort(root: Any, info: graphene.ResolveInfo, id: str) -> types.Cohort:
        user = info.context.user
        _require(permissions.can_view_programme_outcomes, user)
        cohort = (
            models.Cohort.objects.select_related("course", "village_hall", "trainer")
            .filter(pk=_decode(id, "Cohort"))
            .first()
        )
        if cohort is None:
            raise PermissionDeniedError(_("Not found."), code="not_found")
        _require(permissions.can_manage_cohort, user, cohort)
        result = selectors.funnel(cohort.enrolments.all(), sessions=cohort.sessions.all())
        return types.Cohort(
            id=to_global_id("Cohort", cohort.pk),
            name=cohort.name,
            course_id=to_global_id("Course", cohort.course_id),
            course_title=cohort.course.title,
            village_hall=cohort.village_hall.name if cohort.village_hall else None,
            trainer_name=cohort.trainer.full_name,
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            funnel=[types.FunnelStep(**vars(step)) for step in result.steps],
            learners=result.learners,
        )

    @staticmethod
    def resolve_course_progress(
        root: Any, info: graphene.ResolveInfo, course_id: str, learner_id: str | None = None
    ) -> types.CourseProgress:
        user = info.context.user
        if not permissions.is_authenticated(user):
            raise PermissionDeniedError(_("Sign in first."), code="unauthenticated")
        course = models.Course.objects.filter(pk=_decode(course_id, "Course")).first()
        if course is None:
            raise PermissionDeniedError(_("Not found."), code="not_found")
        learner = user
        if learner_id is not None:
            learner = User.objects.filter(pk=_decode(learner_id, "User")).first()
        enrolment = (
            models.Enrolment.objects.select_related("cohort")
            .filter(learner=learner, course=course)
            .first()
            if learner is not None
            else None
        )
        if learner is None or (enrolment is None and learner.pk != user.pk):
            raise PermissionDeniedError(_("Not found."), code="not_found")
        if enrolment is not None:
            _require(permissions.can_view_progress, user, enrolment)
        progress = selectors.course_progress(learner, course, enrolment=enrolment)
        return types.CourseProgress(
            course_title=course.title,
            enrolled=enrolment is not None,
            lessons_done=progress.lessons_done,
            lessons_total=progress.lessons_total,
            quizzes_passed=progress.quizzes_passed,
            quizzes_total=progress.quizzes_total,
            tasks_done=progress.tasks_done,
            tasks_total=progress.tasks_total,
            percent=progress.percent,
            completed=progress.is_complete,
            certificate_number=progress.certificate.number if progress.certificate else None,
            certificate_valid=progress.certificate.is_valid if progress.certificate else None,
            tasks=[
                types.TaskProgress(
                    kind=t.kind,
                    label=t.label,
                    done=t.done,
                    completed_at=t.completion.completed_at if t.completion else None,
                    evidence=t.completion.evidence_label if t.completion else None,
                    evidence_url=t.completion.evidence_url if t.completion else None,
                )
                for t in progress.tasks
            ],
        )

    @staticmethod
    def resolve_programme_outcomes(
        root: Any,
        info: graphene.ResolveInfo,
        region_code: str,
        from_: date | None = None,
        to: date | None = None,
    ) -> types.ProgrammeOutcomes:
        _require(permissions.can_view_programme_outcomes, info.context.user)
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise PermissionDeniedError(_("No region has this code."), code="not_found")
        if from_ and to and to < from_:
            raise PermissionDeniedError(_("The end is before the start."), code="invalid")
        data = selectors.programme_outcomes(region, from_, to)
        return types.ProgrammeOutcomes(
            region_code=region.code,
            date_from=data.date_from,
            date_to=data.date_to,
            areas=[types.area(a) for a in data.areas],
            total=types.area(data.total),
            months=[
                types.MonthOutcomes(
                    month=m.month,
                    learners=m.learners,
                    orders=m.orders,
                    sales_idr=m.sales_idr,
                    sales_eur=m.sales_eur,
                )
                for m in data.months
            ],
            has_orders=data.has_orders,
            has_export_ready=data.has_export_ready,
        )
