"""Reads about training: courses, a learner's progress, cohorts, the funnel and programme figures.

Each function loads what its page shows in a fixed number of grouped queries, whatever the number
of learners, lessons or villages (the tests pin it). Every outcome figure derives from data the
marketplace recorded (enrolments, lessons read, task completions ticked by domain events, shops,
listings, paid orders), never from a number someone typed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.selectors import visible_products
from marketplace.core import permissions
from marketplace.regions.models import CODE_LENGTH, PARENT_LEVEL, Region, RegionLevel
from sellers.models import Shop, ShopStatus

from . import practical_tasks as tasks
from .models import (
    Attendance,
    Certificate,
    Choice,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    PracticalTask,
    Question,
    QuizAttempt,
    TaskCompletion,
    TaskKind,
)

# --- Courses and a learner's progress ----------------------------------------------------------


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(is_published=True).annotate(
        module_count=Count("modules", distinct=True)
    )


def course_structure(course: Course) -> list[Module]:
    """Modules with their lessons and quiz, in order: three queries for any course size."""
    return list(
        course.modules.select_related("quiz").prefetch_related("lessons").order_by("position", "pk")
    )


@dataclass
class LessonRow:
    lesson: Lesson
    done: bool


@dataclass
class ModuleRow:
    module: Module
    lessons: list[LessonRow]
    quiz: Any | None
    quiz_passed: bool = False
    quiz_best: int | None = None
    quiz_tries: int = 0


@dataclass
class TaskRow:
    kind: str
    label: str
    completion: TaskCompletion | None

    @property
    def done(self) -> bool:
        return self.completion is not None


@dataclass
class CourseProgress:
    course: Course
    enrolment: Enrolment | None
    modules: list[ModuleRow]
    tasks: list[TaskRow]
    certificate: Certificate | None
    lessons_finished_at: datetime | None = None

    @property
    def lessons_total(self) -> int:
        return sum(len(m.lessons) for m in self.modules)

    @property
    def lessons_done(self) -> int:
        return sum(row.done for m in self.modules for row in m.lessons)

    @property
    def quizzes_total(self) -> int:
        return sum(m.quiz is not None for m in self.modules)

    @property
    def quizzes_passed(self) -> int:
        return sum(m.quiz is not None and m.quiz_passed for m in self.modules)

    @property
    def tasks_total(self) -> int:
        return len(self.tasks)

    @property
    def tasks_done(self) -> int:
        return sum(t.done for t in self.tasks)

    @property
    def steps_total(self) -> int:
        return self.lessons_total + self.quizzes_total + self.tasks_total

    @property
    def steps_done(self) -> int:
        return self.lessons_done + self.quizzes_passed + self.tasks_done

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_complete(self) -> bool:
        return self.enrolment is not None and self.steps_done == self.steps_total


def course_progress(
    learner: Any, course: Course, *, enrolment: Enrolment | None = None
) -> CourseProgress:
    """Where ``learner`` stands in ``course``: lessons read, quizzes passed, tasks ticked."""
    modules = course_structure(course)
    if enrolment is None and getattr(learner, "is_authenticated", False):
        enrolment = Enrolment.objects.filter(learner=learner, course=course).first()
    done: dict[int, datetime] = {}
    attempts: dict[int, dict[str, Any]] = {}
    completions: dict[str, TaskCompletion] = {}
    certificate = None
    if enrolment is not None:
        done = dict(
            LessonProgress.objects.filter(
                learner=learner, lesson__module__course=course
            ).values_list("lesson_id", "completed_at")
        )
        for row in (
            QuizAttempt.objects.filter(learner=learner, quiz__module__course=course)
            .values("quiz_id")
            .annotate(
                best=Max("score"), tries=Count("pk"), passes=Count("pk", filter=Q(passed=True))
            )
        ):
            attempts[row["quiz_id"]] = row
        completions = {c.kind: c for c in TaskCompletion.objects.filter(learner=learner)}
        certificate = Certificate.objects.filter(learner=learner, course=course).first()
    rows: list[ModuleRow] = []
    for module in modules:
        quiz = getattr(module, "quiz", None) if _has_quiz(module) else None
        stats = attempts.get(quiz.pk, {}) if quiz else {}
        rows.append(
            ModuleRow(
                module=module,
                lessons=[LessonRow(lesson, lesson.pk in done) for lesson in module.lessons.all()],
                quiz=quiz,
                quiz_passed=bool(stats.get("passes")),
                quiz_best=stats.get("best"),
                quiz_tries=stats.get("tries", 0),
            )
        )
    task_rows = [
        TaskRow(t.kind, str(TaskKind(t.kind).label), completions.get(t.kind))
        for t in PracticalTask.objects.filter(course=course).order_by("position", "pk")
    ]
    lesson_ids = [row.lesson.pk for m in rows for row in m.lessons]
    finished = max((done[pk] for pk in lesson_ids if pk in done), default=None)
    return CourseProgress(course, enrolment, rows, task_rows, certificate, finished)


def _has_quiz(module: Module) -> bool:
    try:
        module.quiz  # noqa: B018 - reading the reverse one-to-one loaded by select_related
    except Module.quiz.RelatedObjectDoesNotExist:
        return False
    return True


def missed_questions(attempt: QuizAttempt) -> set[int]:
    """Ids of the questions answered wrongly in ``attempt`` (one query)."""
    right: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Choice.objects.filter(
        question__quiz_id=attempt.quiz_id, is_correct=True
    ).values_list("question_id", "pk"):
        right[question_id].add(choice_id)
    questions = Question.objects.filter(quiz_id=attempt.quiz_id).values_list("pk", flat=True)
    return {pk for pk in questions if set(attempt.answers.get(str(pk), [])) != right.get(pk, set())}


def next_lesson(lesson: Lesson) -> Lesson | None:
    """The lesson after ``lesson`` in reading order (module position, then lesson position)."""
    module = lesson.module
    after = (
        Q(module__position__gt=module.position)
        | Q(module__position=module.position, module__pk__gt=module.pk)
        | Q(module=module, position__gt=lesson.position)
        | Q(module=module, position=lesson.position, pk__gt=lesson.pk)
    )
    return (
        Lesson.objects.filter(module__course_id=module.course_id)
        .filter(after)
        .order_by("module__position", "module__pk", "position", "pk")
        .first()
    )


def upcoming_sessions(cohort: Cohort) -> list[CohortSession]:
    """The cohort's sessions from today on, for the learner's course page."""
    return list(cohort.sessions.filter(date__gte=timezone.localdate()).order_by("date", "pk")[:3])


def my_tasks(learner: Any) -> list[TaskRow]:
    """Every practical task, with the learner's completion and its evidence when ticked."""
    completions = {c.kind: c for c in TaskCompletion.objects.filter(learner=learner)}
    return [TaskRow(kind, str(label), completions.get(kind)) for kind, label in TaskKind.choices]


def my_enrolments(learner: Any) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(learner=learner).select_related("course", "cohort")


# --- Cohorts -----------------------------------------------------------------------------------


def cohorts_for(user: Any) -> QuerySet[Cohort]:
    """The cohorts a user runs: a trainer's own, every cohort for operators."""
    qs = Cohort.objects.select_related("course", "village_hall__village", "trainer").annotate(
        learner_count=Count("enrolments", distinct=True)
    )
    if permissions.is_operator(user):
        return qs
    if not permissions.is_authenticated(user):
        return qs.none()
    return qs.filter(trainer_id=user.pk)


def cohort_sessions(cohort: Cohort) -> QuerySet[CohortSession]:
    return cohort.sessions.annotate(present=Count("attendance")).order_by("date", "pk")


def session_roll(session: CohortSession) -> list[tuple[Any, bool]]:
    """The cohort's learners for the attendance page, each with whether they are marked present."""
    present = set(Attendance.objects.filter(session=session).values_list("learner_id", flat=True))
    enrolments = (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .select_related("learner")
        .order_by("learner__full_name", "pk")
    )
    return [(e.learner, e.learner_id in present) for e in enrolments]


# --- The funnel --------------------------------------------------------------------------------

#: The funnel's steps: key, label, where the date comes from.
FUNNEL_STEPS: list[tuple[str, Any]] = [
    ("enrolled", _("Enrolled")),
    ("lessons_done", _("Lessons done")),
    ("shop_opened", _("Shop opened")),
    ("first_listing", _("First listing")),
    ("export_ready", _("Export-ready")),
    ("first_sale", _("First sale")),
    ("first_eu_sale", _("First EU sale")),
]
STEP_TASK = {
    "shop_opened": TaskKind.OPEN_SHOP,
    "first_listing": TaskKind.FIRST_LISTING,
    "export_ready": TaskKind.EXPORT_READY,
    "first_sale": TaskKind.FIRST_ORDER,
    "first_eu_sale": TaskKind.FIRST_EU_ORDER,
}


@dataclass
class FunnelStep:
    key: str
    label: str
    count: int
    #: Share of the learners at the previous (reachable) step who reached this one too.
    conversion: Decimal | None
    #: Share of everyone enrolled.
    of_enrolled: Decimal | None
    #: Median days from the previous step the learner reached, over learners who reached this
    #: one (a step done before the previous one, such as a shop opened before enrolling, counts
    #: as 0 days).
    median_days: float | None


@dataclass
class LearnerRow:
    enrolment: Enrolment
    learner: Any
    dates: dict[str, datetime | None]
    lessons_done: int
    attended: int
    certificate: Certificate | None = None

    @property
    def furthest(self) -> str:
        reached = [key for key, _label in FUNNEL_STEPS if self.dates.get(key)]
        return reached[-1] if reached else ""


@dataclass
class Funnel:
    steps: list[FunnelStep]
    learners: list[LearnerRow] = field(default_factory=list)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def funnel(
    enrolments: QuerySet[Enrolment], *, sessions: QuerySet[CohortSession] | None = None
) -> Funnel:
    """The funnel over ``enrolments``: five queries whatever their number."""
    rows_by_learner: dict[int, Enrolment] = {
        e.learner_id: e
        for e in enrolments.select_related("learner").order_by("learner__full_name", "pk")
    }
    learner_ids = list(rows_by_learner)
    completions: dict[int, dict[str, datetime]] = defaultdict(dict)
    for learner_id, kind, at in TaskCompletion.objects.filter(
        learner_id__in=enrolments.values("learner_id")
    ).values_list("learner_id", "kind", "completed_at"):
        completions[learner_id][kind] = at
    lessons = dict(
        LessonProgress.objects.filter(
            learner_id__in=enrolments.values("learner_id"),
            lesson__module__course_id__in=enrolments.values("course_id"),
        )
        .values("learner_id")
        .annotate(n=Count("pk"))
        .values_list("learner_id", "n")
    )
    attended: dict[int, int] = {}
    if sessions is not None:
        attended = dict(
            Attendance.objects.filter(session__in=sessions)
            .values("learner_id")
            .annotate(n=Count("pk"))
            .values_list("learner_id", "n")
        )
    certificates = {
        c.learner_id: c
        for c in Certificate.objects.filter(
            learner_id__in=enrolments.values("learner_id"),
            course_id__in=enrolments.values("course_id"),
        )
    }
    learners: list[LearnerRow] = []
    for learner_id in learner_ids:
        enrolment = rows_by_learner[learner_id]
        done = completions.get(learner_id, {})
        dates: dict[str, datetime | None] = {
            "enrolled": enrolment.enrolled_at,
            "lessons_done": enrolment.lessons_completed_at,
        }
        for key, kind in STEP_TASK.items():
            dates[key] = done.get(kind)
        learners.append(
            LearnerRow(
                enrolment,
                enrolment.learner,
                dates,
                lessons.get(learner_id, 0),
                attended.get(learner_id, 0),
                certificates.get(learner_id),
            )
        )
    return Funnel(funnel_steps([row.dates for row in learners]), learners)


def funnel_steps(dates: Sequence[dict[str, datetime | None]]) -> list[FunnelStep]:
    """Counts, conversions and median days from each learner's step dates (pure: unit-testable).

    A step's count is everyone who reached it, in whatever order (a seller who joins a course
    already has a shop). Its conversion is the share of the learners at the previous step who
    reached it too, so it never exceeds 100 %; a previous step nobody can reach yet (export-ready,
    before issue 7) is skipped rather than blanking every later conversion.
    """
    steps: list[FunnelStep] = []
    enrolled = sum(1 for d in dates if d.get("enrolled"))
    earlier: list[str] = []
    for key, label in FUNNEL_STEPS:
        count = sum(1 for d in dates if d.get(key))
        previous = next((k for k in reversed(earlier) if any(d.get(k) for d in dates)), None)
        conversion = None
        if previous is not None:
            at_previous = [d for d in dates if d.get(previous)]
            conversion = _share(sum(1 for d in at_previous if d.get(key)), len(at_previous))
        gaps: list[float] = []
        for d in dates:
            end = d.get(key)
            # From the learner's last earlier step reached.
            start = next((d[k] for k in reversed(earlier) if d.get(k)), None)
            if start and end:
                gaps.append(max(0.0, (end - start).total_seconds() / 86400))
        steps.append(
            FunnelStep(
                key=key,
                label=str(label),
                count=count,
                conversion=conversion,
                of_enrolled=_share(count, enrolled),
                median_days=round(statistics.median(gaps), 1) if gaps else None,
            )
        )
        earlier.append(key)
    return steps


# --- Programme outcomes per region -------------------------------------------------------------


@dataclass
class AreaFigures:
    region: Region
    learners: int = 0
    learners_selling: int = 0
    sellers: int = 0
    active_listings: int = 0
    export_ready_listings: int = 0
    orders: int = 0
    eu_orders: int = 0
    sales_idr: Decimal = Decimal(0)
    sales_eur: Decimal = Decimal(0)


@dataclass
class MonthFigures:
    month: date
    learners: int = 0
    orders: int = 0
    sales_idr: Decimal = Decimal(0)
    sales_eur: Decimal = Decimal(0)


@dataclass
class Programme:
    region: Region
    date_from: date
    date_to: date
    areas: list[AreaFigures]
    total: AreaFigures
    months: list[MonthFigures]
    #: False until the checkout's orders exist: order figures are then 0, and the page says so.
    has_orders: bool
    #: False until the export-readiness check exists (issue 7): export-ready listings are 0.
    has_export_ready: bool


def _child_level(level: str) -> str | None:
    for child, parent in PARENT_LEVEL.items():
        if parent == level:
            return child
    return None


def _months(start: date, end: date) -> list[date]:
    months: list[date] = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def programme_outcomes(
    region: Region, date_from: date | None = None, date_to: date | None = None
) -> Programme:
    """Figures for ``region`` broken down by its child regions (districts of a regency, villages of
    a district), plus a monthly series: a fixed number of grouped queries whatever the number of
    learners, villages or orders.

    Learners and orders count within [date_from, date_to] (enrolment and payment dates); sellers
    and listings are what stands today. A learner is placed at their enrolment's village.
    """
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or (date_to.replace(day=1) - timedelta(days=335)).replace(day=1)
    start = timezone.make_aware(datetime.combine(date_from, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), datetime.min.time()))
    child_level = _child_level(region.level)
    if child_level is None:
        children = [region]
        key_length = CODE_LENGTH[region.level]
    else:
        children = list(Region.objects.filter(parent=region).order_by("code"))
        key_length = CODE_LENGTH[child_level]
    areas = {child.code: AreaFigures(child) for child in children}
    prefix = region.code
    # village id -> the code of the row it belongs to.
    row_of = {
        pk: code[:key_length]
        for pk, code in Region.objects.filter(
            level=RegionLevel.VILLAGE, code__startswith=prefix
        ).values_list("pk", "code")
    }

    def add(pairs: Iterable[tuple[int | None, Any]], attr: str) -> None:
        for village_id, value in pairs:
            code = row_of.get(village_id) if village_id is not None else None
            if code in areas:
                setattr(areas[code], attr, getattr(areas[code], attr) + (value or 0))

    enrolments = Enrolment.objects.filter(
        village__code__startswith=prefix, enrolled_at__gte=start, enrolled_at__lt=end
    )
    add(
        enrolments.values("village_id")
        .annotate(n=Count("learner_id", distinct=True))
        .values_list("village_id", "n"),
        "learners",
    )
    add(
        enrolments.filter(learner__task_completions__kind=TaskKind.SHOP_APPROVED)
        .values("village_id")
        .annotate(n=Count("learner_id", distinct=True))
        .values_list("village_id", "n"),
        "learners_selling",
    )
    add(
        Shop.objects.filter(status=ShopStatus.APPROVED, village__code__startswith=prefix)
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n"),
        "sellers",
    )
    add(
        visible_products()
        .filter(shop__village__code__startswith=prefix)
        .values("shop__village_id")
        .annotate(n=Count("pk"))
        .values_list("shop__village_id", "n"),
        "active_listings",
    )
    from marketplace.catalog import selectors as catalog_selectors

    ready = getattr(catalog_selectors, "export_ready_products", None)
    if ready is not None:
        add(
            ready()
            .filter(shop__village__code__startswith=prefix)
            .values("shop__village_id")
            .annotate(n=Count("pk"))
            .values_list("shop__village_id", "n"),
            "export_ready_listings",
        )
    months = {m: MonthFigures(m) for m in _months(date_from, date_to)}
    for month, n in (
        enrolments.annotate(month=TruncMonth("enrolled_at"))
        .values("month")
        .annotate(n=Count("learner_id", distinct=True))
        .values_list("month", "n")
    ):
        if _as_date(month) in months:
            months[_as_date(month)].learners = n
    orders = tasks.paid_orders(
        shop__village__code__startswith=prefix, paid_at__gte=start, paid_at__lt=end
    )
    if orders is not None:
        amount = "subtotal" if _has_field(orders.model, "subtotal") else "total"
        for village_id, market, currency, n, total in (
            orders.values("shop__village_id", "market", f"{amount}_currency")
            .annotate(n=Count("pk"), amount=Sum(amount))
            .values_list("shop__village_id", "market", f"{amount}_currency", "n", "amount")
        ):
            add([(village_id, n)], "orders")
            if market == "EU":
                add([(village_id, n)], "eu_orders")
            attr = {"IDR": "sales_idr", "EUR": "sales_eur"}.get(currency)
            if attr:
                add([(village_id, Decimal(total or 0))], attr)
        for month, currency, n, total in (
            orders.annotate(month=TruncMonth("paid_at"))
            .values("month", f"{amount}_currency")
            .annotate(n=Count("pk"), amount=Sum(amount))
            .values_list("month", f"{amount}_currency", "n", "amount")
        ):
            row = months.get(_as_date(month))
            if row is None:
                continue
            row.orders += n
            if currency == "IDR":
                row.sales_idr += Decimal(total or 0)
            elif currency == "EUR":
                row.sales_eur += Decimal(total or 0)
    rows = list(areas.values())
    total = AreaFigures(region)
    for attr in (
        "learners_selling",
        "sellers",
        "active_listings",
        "export_ready_listings",
        "orders",
        "eu_orders",
        "sales_idr",
        "sales_eur",
    ):
        setattr(
            total, attr, sum((getattr(r, attr) for r in rows), start=type(getattr(total, attr))())
        )
    # A learner enrolled in two courses in two villages is one learner in the total.
    total.learners = enrolments.values("learner_id").distinct().count()
    return Programme(
        region=region,
        date_from=date_from,
        date_to=date_to,
        areas=rows,
        total=total,
        months=list(months.values()),
        has_orders=orders is not None,
        has_export_ready=ready is not None,
    )


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def programme_regions() -> QuerySet[Region]:
    """Regions an operator can pick on the programme page: regencies and districts."""
    return Region.objects.filter(
        level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT]
    ).order_by("code")
