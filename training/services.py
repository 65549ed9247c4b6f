"""Writes about training: enrolment, lessons, quizzes, practical tasks, attendance, certificates.

Web pages, GraphQL and the event handlers call these functions, so each rule is written once. Each
function checks its permission rule (``marketplace.core.permissions``), validates everything
before it writes, writes in one transaction and records an audit entry. Practical tasks are ticked
only by ``evaluate_tasks`` from the marketplace's own data (``training.practical_tasks``); there
is no "I did it" button.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.accounts.phone import normalise_phone
from marketplace.audit.services import record
from marketplace.core import events, permissions
from marketplace.regions.models import VillageHall
from sellers.models import Shop

from . import practical_tasks as tasks
from . import selectors
from .models import (
    Attendance,
    AttendanceSubmission,
    Certificate,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    QuestionKind,
    Quiz,
    QuizAttempt,
    TaskCompletion,
    TaskKind,
)

# --- Enrolment ---------------------------------------------------------------------------------


def _learner_village_id(learner: User, cohort: Cohort | None) -> int | None:
    if cohort is not None and cohort.village_hall_id is not None:
        return VillageHall.objects.values_list("village_id", flat=True).get(
            pk=cohort.village_hall_id
        )
    shop = Shop.objects.filter(memberships__user=learner).order_by("created_at", "pk").first()
    return shop.village_id if shop else None


@transaction.atomic
def enrol(actor: Any, learner: User, course: Course, cohort: Cohort | None = None) -> Enrolment:
    """Enrol ``learner`` in ``course`` (in ``cohort``, when given) and count the tasks already done.

    A learner enrols themself online; a cohort's trainer, an operator or the village hall's
    facilitator enrols people into the cohort. Enrolling again is harmless: an online learner who
    later joins a cohort is moved into it.
    """
    if cohort is not None:
        permissions.require(permissions.can_enrol_in_cohort, actor, cohort)
        if cohort.course_id != course.pk:
            raise ValidationError(
                {"course": _("This cohort runs another course.")}, code="wrong_course"
            )
    elif not (permissions.is_authenticated(actor) and actor.pk == learner.pk):
        permissions.require(permissions.is_operator, actor)
    if not course.is_published:
        raise ValidationError({"course": _("This course is not open yet.")}, code="closed")
    enrolment = Enrolment.objects.select_for_update().filter(learner=learner, course=course).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            learner=learner,
            course=course,
            cohort=cohort,
            village_id=_learner_village_id(learner, cohort),
            enrolled_at=timezone.now(),
            enrolled_by=actor if permissions.is_authenticated(actor) else None,
        )
        record(
            actor, "training.enrolled", enrolment, data={"cohort": cohort.pk if cohort else None}
        )
        events.emit("training.enrolled", enrolment_id=enrolment.pk)
    elif cohort is not None and enrolment.cohort_id != cohort.pk:
        if enrolment.cohort_id is not None:
            raise ValidationError(
                {"phone": _("This learner is already in another cohort of this course.")},
                code="other_cohort",
            )
        enrolment.cohort = cohort
        enrolment.village_id = _learner_village_id(learner, cohort)
        enrolment.save(update_fields=["cohort", "village"])
        record(actor, "training.moved_to_cohort", enrolment, data={"cohort": cohort.pk})
    evaluate_tasks(learner)
    return enrolment


@transaction.atomic
def enrol_by_phone(actor: Any, cohort: Cohort, full_name: str, phone: str) -> Enrolment:
    """Enrol someone on the spot at the village hall with a name and a phone number, no e-mail.

    A new person gets an account with that phone number and no usable password: nobody can sign
    in as them until they claim it (``claim_path``). Someone who already has an account (a seller
    who signs in by phone) is enrolled as they are; the name typed does not overwrite theirs.
    """
    permissions.require(permissions.can_enrol_in_cohort, actor, cohort)
    errors: dict[str, list[ValidationError]] = {}
    name = " ".join(full_name.split())
    if not name:
        errors["full_name"] = [ValidationError(_("Enter the learner's name."), code="required")]
    elif len(name) > 150:
        errors["full_name"] = [ValidationError(_("The name is too long."), code="too_long")]
    number = ""
    try:
        number = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = [exc]
    if errors:
        raise ValidationError(errors)
    learner = User.objects.filter(phone=number).first()
    if learner is None:
        learner = User.objects.create_user(phone=number, password=None, full_name=name)
        record(actor, "training.learner_created", learner, data={"cohort": cohort.pk})
    return enrol(actor, learner, cohort.course, cohort)


def claim_path(learner: User) -> str:
    """The address where a learner enrolled by phone sets a password and so claims the account.

    It is Django's password-reset confirmation page (``accounts:password_reset_confirm``): the
    token is tied to the current password hash, so it stops working once the password is set. The
    trainer sends it by WhatsApp, since there is no e-mail address and no SMS gateway yet.
    """
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(learner.pk)),
            "token": default_token_generator.make_token(learner),
        },
    )


# --- Practical tasks ---------------------------------------------------------------------------


def _label(evidence: tasks.Evidence) -> str:
    return evidence.label[:200]


def evaluate_tasks(learner: User, kinds: Iterable[str] | None = None) -> list[TaskCompletion]:
    """Tick the learner's tasks the marketplace data shows as done; return the new completions.

    Only learners (someone with an enrolment) get completions. Ticks are never taken back: a shop
    suspended later was still opened.
    """
    if not Enrolment.objects.filter(learner=learner).exists():
        return []
    wanted = set(kinds) if kinds is not None else set(tasks.RULES)
    done = set(
        TaskCompletion.objects.filter(learner=learner, kind__in=wanted).values_list(
            "kind", flat=True
        )
    )
    created: list[TaskCompletion] = []
    for kind in sorted(wanted - done):
        evidence = tasks.RULES[kind](learner)
        if evidence is not None:
            completion = _record_task(learner, kind, evidence)
            if completion is not None:
                created.append(completion)
    if created:
        update_completion(learner)
    return created


def record_task_evidence(
    learner: User, kind: str, evidence: tasks.Evidence
) -> TaskCompletion | None:
    """Tick ``kind`` with ``evidence`` handed over by an event (see ``training.handlers``)."""
    if not Enrolment.objects.filter(learner=learner).exists():
        return None
    if TaskCompletion.objects.filter(learner=learner, kind=kind).exists():
        return None
    completion = _record_task(learner, kind, evidence)
    if completion is not None:
        update_completion(learner)
    return completion


def _record_task(learner: User, kind: str, evidence: tasks.Evidence) -> TaskCompletion | None:
    try:
        with transaction.atomic():
            completion = TaskCompletion.objects.create(
                learner=learner,
                kind=kind,
                completed_at=evidence.at,
                evidence_type=evidence.obj._meta.label_lower,
                evidence_id=evidence.obj.pk,
                evidence_label=_label(evidence),
                evidence_url=evidence.url,
            )
            record(None, "training.task_completed", completion, data={"kind": kind})
            if kind == TaskKind.OPEN_SHOP and isinstance(evidence.obj, Shop):
                # An online learner with no village yet is counted, from now on, where they sell.
                Enrolment.objects.filter(learner=learner, village__isnull=True).update(
                    village_id=evidence.obj.village_id
                )
    except IntegrityError:
        # Two events for the same learner arrived together; the other one recorded it.
        return None
    return completion


# --- Lessons and quizzes -----------------------------------------------------------------------


def _enrolment_for(learner: User, course_id: int) -> Enrolment:
    enrolment = Enrolment.objects.filter(learner=learner, course_id=course_id).first()
    if enrolment is None:
        raise ValidationError(_("Enrol in the course first."), code="not_enrolled")
    return enrolment


@transaction.atomic
def complete_lesson(learner: User, lesson: Lesson) -> LessonProgress:
    """Mark a lesson read. Reading it again changes nothing."""
    _enrolment_for(learner, lesson.module.course_id)
    progress, created = LessonProgress.objects.get_or_create(
        learner=learner, lesson=lesson, defaults={"completed_at": timezone.now()}
    )
    if created:
        update_completion(learner, course_id=lesson.module.course_id)
    return progress


@transaction.atomic
def submit_quiz(learner: User, quiz: Quiz, answers: Mapping[int, Iterable[int]]) -> QuizAttempt:
    """Score a try at a quiz and keep it, answers included. Retries are always allowed.

    ``answers`` maps question ids to the chosen choice ids. Every question needs an answer, and a
    one-answer question exactly one; otherwise nothing is saved and each question is named.
    """
    _enrolment_for(learner, quiz.module.course_id)
    questions = list(quiz.questions.prefetch_related("choices"))
    errors: dict[str, list[ValidationError]] = {}
    kept: dict[str, list[int]] = {}
    correct = 0
    for question in questions:
        valid_ids = {c.pk for c in question.choices.all()}
        chosen = {int(c) for c in answers.get(question.pk, ())} & valid_ids
        field = f"question_{question.pk}"
        if not chosen:
            errors[field] = [ValidationError(_("Choose an answer."), code="required")]
            continue
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            errors[field] = [ValidationError(_("Choose only one answer."), code="one_answer")]
            continue
        kept[str(question.pk)] = sorted(chosen)
        right = {c.pk for c in question.choices.all() if c.is_correct}
        correct += chosen == right
    if errors:
        raise ValidationError(errors)
    score = round(100 * correct / len(questions)) if questions else 100
    attempt = QuizAttempt.objects.create(
        quiz=quiz, learner=learner, answers=kept, score=score, passed=score >= quiz.pass_mark
    )
    if attempt.passed:
        update_completion(learner, course_id=quiz.module.course_id)
    return attempt


# --- Completion and certificates ---------------------------------------------------------------


def update_completion(learner: User, course_id: int | None = None) -> list[Certificate]:
    """Mark finished enrolments complete and issue their certificates; return new certificates.

    A course is complete when every lesson is read, every quiz passed and every practical task
    ticked.
    """
    enrolments = Enrolment.objects.filter(learner=learner, completed_at__isnull=True)
    if course_id is not None:
        enrolments = enrolments.filter(course_id=course_id)
    issued: list[Certificate] = []
    for enrolment in enrolments.select_related("course", "cohort__village_hall__village"):
        progress = selectors.course_progress(learner, enrolment.course, enrolment=enrolment)
        now = timezone.now()
        if progress.lessons_done == progress.lessons_total and not enrolment.lessons_completed_at:
            enrolment.lessons_completed_at = progress.lessons_finished_at or now
            enrolment.save(update_fields=["lessons_completed_at"])
        if progress.is_complete:
            enrolment.completed_at = now
            enrolment.save(update_fields=["completed_at"])
            issued.append(issue_certificate(enrolment))
    return issued


def _certificate_number() -> str:
    year = timezone.now().year
    last = (
        Certificate.objects.filter(number__startswith=f"PK-SRT-{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"PK-SRT-{year}-{sequence:06d}"


@transaction.atomic
def issue_certificate(enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment (once; a second call returns the first)."""
    existing = Certificate.objects.filter(
        learner=enrolment.learner, course=enrolment.course
    ).first()
    if existing is not None:
        return existing
    village = ""
    if enrolment.cohort and enrolment.cohort.village_hall:
        village = enrolment.cohort.village_hall.village.display_name
    else:
        shop = (
            Shop.objects.filter(memberships__user=enrolment.learner)
            .select_related("village")
            .order_by("created_at", "pk")
            .first()
        )
        village = shop.village.display_name if shop else ""
    for attempt in range(5):
        try:
            # Numbers are sequential per year; two certificates issued at the same moment may
            # pick the same one, and the unique constraint sends the second round again.
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    learner=enrolment.learner,
                    course=enrolment.course,
                    cohort=enrolment.cohort,
                    number=_certificate_number(),
                    verification_code=secrets.token_urlsafe(12)[:16],
                    village_name=village,
                    issued_at=timezone.now(),
                )
            break
        except IntegrityError:
            existing = Certificate.objects.filter(
                learner=enrolment.learner, course=enrolment.course
            ).first()
            if existing is not None or attempt == 4:
                if existing is None:
                    raise
                return existing
    record(None, "training.certificate_issued", certificate)
    events.emit("training.certificate_issued", certificate_id=certificate.pk)
    return certificate


@transaction.atomic
def revoke_certificate(actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate; the public verification page says so from then on."""
    cohort = certificate.cohort
    if cohort is not None:
        permissions.require(permissions.can_manage_cohort, actor, cohort)
    else:
        permissions.require(permissions.is_operator, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")}, code="required")
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(actor, "training.certificate_revoked", certificate, data={"reason": reason})
    return certificate


# --- Cohorts, sessions, attendance -------------------------------------------------------------


@transaction.atomic
def create_cohort(
    actor: Any,
    course: Course,
    name: str,
    *,
    trainer: User,
    starts_on: date,
    ends_on: date,
    village_hall: VillageHall | None = None,
) -> Cohort:
    """A new run of a course. Trainers create their own cohorts; operators any trainer's."""
    if not permissions.is_operator(actor):
        permissions.require(permissions.is_trainer, actor)
        if trainer.pk != actor.pk:
            raise ValidationError({"trainer": _("You can only create your own cohorts.")})
    errors: dict[str, list[ValidationError]] = {}
    if not name.strip():
        errors["name"] = [ValidationError(_("Name the cohort."), code="required")]
    if ends_on < starts_on:
        errors["ends_on"] = [ValidationError(_("The end is before the start."), code="dates")]
    if not trainer.is_trainer:
        errors["trainer"] = [ValidationError(_("Choose a trainer."), code="not_trainer")]
    if errors:
        raise ValidationError(errors)
    cohort = Cohort.objects.create(
        course=course,
        name=name.strip(),
        trainer=trainer,
        starts_on=starts_on,
        ends_on=ends_on,
        village_hall=village_hall,
    )
    record(actor, "training.cohort_created", cohort)
    return cohort


@transaction.atomic
def add_session(actor: Any, cohort: Cohort, on: date, topic: str) -> CohortSession:
    permissions.require(permissions.can_manage_cohort, actor, cohort)
    if not topic.strip():
        raise ValidationError({"topic": _("Give the session a topic.")}, code="required")
    session = CohortSession.objects.create(cohort=cohort, date=on, topic=topic.strip()[:200])
    record(actor, "training.session_added", session)
    return session


@transaction.atomic
def save_attendance(
    actor: Any, session: CohortSession, present: Iterable[int], token: uuid.UUID | str
) -> tuple[AttendanceSubmission, bool]:
    """Save who was at ``session``: exactly the ticked learners; return (submission, saved now).

    ``token`` is generated by the page when it is opened. A phone that lost signal resubmits the
    same form with the same token; that second arrival (or a late duplicate after a newer save)
    changes nothing, so nobody is recorded twice and a newer save is never undone.
    """
    permissions.require(permissions.can_manage_cohort, actor, session.cohort)
    try:
        token = uuid.UUID(str(token))
    except ValueError as exc:
        raise ValidationError(
            _("The form is out of date: open the page again."), code="bad_token"
        ) from exc
    previous = AttendanceSubmission.objects.filter(token=token).first()
    if previous is not None:
        return previous, False
    learner_ids = set(
        Enrolment.objects.filter(cohort=session.cohort_id).values_list("learner_id", flat=True)
    )
    chosen = {int(pk) for pk in present}
    if not chosen <= learner_ids:
        raise ValidationError(_("Only learners of this cohort can be marked."), code="not_learner")
    # Lock the session so two saves of the page do not interleave.
    CohortSession.objects.select_for_update().filter(pk=session.pk).first()
    try:
        with transaction.atomic():
            submission = AttendanceSubmission.objects.create(
                token=token, session=session, submitted_by=actor, present=len(chosen)
            )
    except IntegrityError:
        return AttendanceSubmission.objects.get(token=token), False
    already = set(Attendance.objects.filter(session=session).values_list("learner_id", flat=True))
    Attendance.objects.filter(session=session, learner_id__in=already - chosen).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, learner_id=pk, marked_by=actor) for pk in chosen - already],
        ignore_conflicts=True,
    )
    record(actor, "training.attendance_saved", session, data={"present": len(chosen)})
    return submission, True
