"""GraphQL types of training: plain object types over ``training.selectors``' results.

The figures are the same objects the pages show, so an API client and a trainer's phone never
disagree.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphql_relay import to_global_id

from .. import selectors


class FunnelStep(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    count = graphene.Int(required=True)
    conversion = graphene.Decimal(description="Percent of the previous step.")
    of_enrolled = graphene.Decimal(description="Percent of everyone enrolled.")
    median_days = graphene.Float(description="Median days from the previous step reached.")


class StepDate(graphene.ObjectType):
    key = graphene.String(required=True)
    at = graphene.DateTime()


class CohortLearner(graphene.ObjectType):
    id = graphene.ID(required=True)
    full_name = graphene.String(required=True)
    lessons_done = graphene.Int(required=True)
    attended = graphene.Int(required=True)
    furthest_step = graphene.String(required=True)
    steps = graphene.List(graphene.NonNull(StepDate), required=True)
    certificate_number = graphene.String()

    @staticmethod
    def resolve_id(root: selectors.LearnerRow, info: graphene.ResolveInfo) -> str:
        return to_global_id("User", root.learner.pk)

    @staticmethod
    def resolve_full_name(root: selectors.LearnerRow, info: graphene.ResolveInfo) -> str:
        return str(root.learner.full_name)

    @staticmethod
    def resolve_furthest_step(root: selectors.LearnerRow, info: graphene.ResolveInfo) -> str:
        return root.furthest

    @staticmethod
    def resolve_steps(root: selectors.LearnerRow, info: graphene.ResolveInfo) -> list[Any]:
        return [StepDate(key=k, at=root.dates.get(k)) for k, _label in selectors.FUNNEL_STEPS]

    @staticmethod
    def resolve_certificate_number(
        root: selectors.LearnerRow, info: graphene.ResolveInfo
    ) -> str | None:
        return root.certificate.number if root.certificate else None


class Cohort(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    course_id = graphene.ID(required=True)
    course_title = graphene.String(required=True)
    village_hall = graphene.String(description="Empty for an online cohort.")
    trainer_name = graphene.String(required=True)
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True)
    funnel = graphene.List(graphene.NonNull(FunnelStep), required=True)
    learners = graphene.List(graphene.NonNull(CohortLearner), required=True)


class TaskProgress(graphene.ObjectType):
    kind = graphene.String(required=True)
    label = graphene.String(required=True)
    done = graphene.Boolean(required=True)
    completed_at = graphene.DateTime()
    evidence = graphene.String()
    evidence_url = graphene.String()


class CourseProgress(graphene.ObjectType):
    course_title = graphene.String(required=True)
    enrolled = graphene.Boolean(required=True)
    lessons_done = graphene.Int(required=True)
    lessons_total = graphene.Int(required=True)
    quizzes_passed = graphene.Int(required=True)
    quizzes_total = graphene.Int(required=True)
    tasks_done = graphene.Int(required=True)
    tasks_total = graphene.Int(required=True)
    percent = graphene.Int(required=True)
    completed = graphene.Boolean(required=True)
    certificate_number = graphene.String()
    certificate_valid = graphene.Boolean()
    tasks = graphene.List(graphene.NonNull(TaskProgress), required=True)


class AreaOutcomes(graphene.ObjectType):
    region_code = graphene.String(required=True)
    region_name = graphene.String(required=True)
    learners = graphene.Int(required=True)
    learners_selling = graphene.Int(required=True)
    sellers = graphene.Int(required=True)
    active_listings = graphene.Int(required=True)
    export_ready_listings = graphene.Int(required=True)
    orders = graphene.Int(required=True)
    eu_orders = graphene.Int(required=True)
    sales_idr = graphene.Decimal(required=True)
    sales_eur = graphene.Decimal(required=True)


class MonthOutcomes(graphene.ObjectType):
    month = graphene.Date(required=True)
    learners = graphene.Int(required=True)
    orders = graphene.Int(required=True)
    sales_idr = graphene.Decimal(required=True)
    sales_eur = graphene.Decimal(required=True)


class ProgrammeOutcomes(graphene.ObjectType):
    region_code = graphene.String(required=True)
    date_from = graphene.Date(required=True)
    date_to = graphene.Date(required=True)
    areas = graphene.List(graphene.NonNull(AreaOutcomes), required=True)
    total = graphene.Field(AreaOutcomes, required=True)
    months = graphene.List(graphene.NonNull(MonthOutcomes), required=True)
    has_orders = graphene.Boolean(required=True)
    has_export_ready = graphene.Boolean(required=True)


def area(figures: selectors.AreaFigures) -> AreaOutcomes:
    return AreaOutcomes(
        region_code=figures.region.code,
        region_name=figures.region.display_name,
        learners=figures.learners,
        learners_selling=figures.learners_selling,
        sellers=figures.sellers,
        active_listings=figures.active_listings,
        export_ready_listings=figures.export_ready_listings,
        orders=figures.orders,
        eu_orders=figures.eu_orders,
        sales_idr=figures.sales_idr,
        sales_eur=figures.sales_eur,
    )
