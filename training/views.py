"""Training pages: learners (courses, lessons, quizzes, tasks), trainers (cohorts, attendance,
certificates, outcomes), operators (the programme page) and the public certificate check.

Thin: forms parse, ``services`` decide, ``selectors`` read; every guard is a rule from
``marketplace.core.permissions``. Pages are server-rendered, light and work without JavaScript
(the attendance page's small script only keeps ticks through a dropped connection).
"""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.forms import add_service_errors
from marketplace.accounts.models import User
from marketplace.core import permissions
from marketplace.core.permissions import rule_required
from marketplace.regions.models import Region

from . import charts, selectors, services
from .certificates import certificate_pdf
from .forms import CohortForm, EnrolForm, ProgrammeForm, QuizForm, RevokeForm, SessionForm
from .models import Certificate, Cohort, CohortSession, Course, Enrolment, Lesson, Quiz
from .text import render_markdown


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- Learners ----------------------------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    enrolled: set[int] = set()
    if request.user.is_authenticated:
        enrolled = set(
            Enrolment.objects.filter(learner=_user(request)).values_list("course_id", flat=True)
        )
    return render(
        request,
        "training/course_list.html",
        {"courses": list(selectors.published_courses()), "enrolled": enrolled},
    )


def _course(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, is_published=True)


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The course with the learner's progress; enrolling online is one button."""
    course = _course(slug)
    if request.method == "POST":
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        try:
            services.enrol(_user(request), _user(request), course)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are enrolled. Start with the first lesson."))
        return redirect("training:course", slug=course.slug)
    progress = selectors.course_progress(request.user, course)
    cohort = progress.enrolment.cohort if progress.enrolment else None
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "progress": progress,
            "cohort": cohort,
            "sessions": selectors.upcoming_sessions(cohort) if cohort else [],
        },
    )


def _enrolment_or_redirect(request: HttpRequest, course: Course) -> Enrolment | None:
    if not request.user.is_authenticated:
        return None
    return Enrolment.objects.filter(learner=_user(request), course=course).first()


@login_required
def lesson_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(slug)
    lesson: Lesson = get_object_or_404(
        Lesson.objects.select_related("module"), pk=pk, module__course=course
    )
    enrolment = _enrolment_or_redirect(request, course)
    if enrolment is None:
        messages.info(request, _("Enrol in the course to read its lessons."))
        return redirect("training:course", slug=course.slug)
    if request.method == "POST":
        services.complete_lesson(_user(request), lesson)
        following = selectors.next_lesson(lesson)
        if following is not None:
            return redirect("training:lesson", slug=course.slug, pk=following.pk)
        return redirect("training:course", slug=course.slug)
    done = lesson.progress.filter(learner=_user(request)).exists()
    return render(
        request,
        "training/lesson.html",
        {"course": course, "lesson": lesson, "body": render_markdown(lesson.body), "done": done},
    )


@login_required
def quiz_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take a quiz; every try is kept, and the questions missed last time are marked (without the
    right answer, so a retry is still a test)."""
    course = _course(slug)
    quiz: Quiz = get_object_or_404(
        Quiz.objects.select_related("module"), pk=pk, module__course=course
    )
    if _enrolment_or_redirect(request, course) is None:
        messages.info(request, _("Enrol in the course to take its quizzes."))
        return redirect("training:course", slug=course.slug)
    form = QuizForm(quiz, request.POST or None)
    attempt = None
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.submit_quiz(_user(request), quiz, form.answers())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if attempt.passed:
                messages.success(
                    request,
                    _("Passed with %(score)s%%. Well done!") % {"score": attempt.score},
                )
            else:
                messages.warning(
                    request,
                    _("%(score)s%%: the pass mark is %(mark)s%%. Read the lessons again and retry.")
                    % {"score": attempt.score, "mark": quiz.pass_mark},
                )
            return redirect("training:quiz", slug=course.slug, pk=quiz.pk)
    attempts = list(quiz.attempts.filter(learner=_user(request))[:5])
    missed = selectors.missed_questions(attempts[0]) if attempts else set()
    return render(
        request,
        "training/quiz.html",
        {
            "course": course,
            "quiz": quiz,
            "form": form,
            "attempts": attempts,
            "missed": {f"question_{pk}" for pk in missed},
        },
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "training/my_tasks.html",
        {"tasks": selectors.my_tasks(user), "enrolments": list(selectors.my_enrolments(user))},
    )


def _certificate_enrolment(request: HttpRequest, pk: int, **kwargs: Any) -> Enrolment:
    certificate = get_object_or_404(Certificate, pk=pk)
    enrolment = (
        Enrolment.objects.select_related("cohort")
        .filter(learner_id=certificate.learner_id, course_id=certificate.course_id)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


@rule_required(permissions.can_view_progress, get_object=_certificate_enrolment)
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("learner", "course", "cohort"), pk=pk
    )
    if certificate.revoked_at is not None:
        raise Http404
    url = request.build_absolute_uri(
        reverse("training:verify", kwargs={"code": certificate.verification_code})
    )
    response = HttpResponse(certificate_pdf(certificate, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this certificate genuine and still valid? Names only what is printed on it."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("learner", "course"), verification_code=code
    )
    return render(request, "training/verify.html", {"certificate": certificate})


# --- Trainers ----------------------------------------------------------------------------------


@rule_required(permissions.can_view_programme_outcomes)
def cohort_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/cohort_list.html",
        {"cohorts": list(selectors.cohorts_for(_user(request)))},
    )


@rule_required(permissions.is_trainer)
def cohort_create(request: HttpRequest) -> HttpResponse:
    """A trainer sets up a new run of a course: at a village hall or online, with dates."""
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.create_cohort(
                _user(request),
                data["course"],
                data["name"],
                trainer=_user(request),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                village_hall=data["village_hall"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Cohort created. Add its sessions and enrol learners."))
            return redirect("training:cohort", pk=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form})


def cohort_from_url(request: HttpRequest, pk: int, **kwargs: Any) -> Cohort:
    cached: Cohort | None = getattr(request, "_training_cohort", None)
    if cached is not None and cached.pk == pk:
        return cached
    cohort = get_object_or_404(
        Cohort.objects.select_related("course", "village_hall__village", "trainer"), pk=pk
    )
    request._training_cohort = cohort  # type: ignore[attr-defined]
    return cohort


def _cohort_page(request: HttpRequest, cohort: Cohort, **forms: Any) -> HttpResponse:
    user = _user(request)
    manages = permissions.can_manage_cohort(user, cohort)
    result = selectors.funnel(cohort.enrolments.all(), sessions=cohort.sessions.all())
    labels = dict(selectors.FUNNEL_STEPS)
    learner_rows = [
        (
            row,
            request.build_absolute_uri(services.claim_path(row.learner))
            if manages and not row.learner.has_usable_password()
            else "",
            str(labels.get(row.furthest, "")),
        )
        for row in result.learners
    ]
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "manages": manages,
            "funnel": result,
            "learner_rows": learner_rows,
            "sessions": list(selectors.cohort_sessions(cohort)) if manages else [],
            "enrol_form": forms.get("enrol_form") or EnrolForm(),
            "session_form": forms.get("session_form") or SessionForm(),
        },
    )


@rule_required(permissions.can_enrol_in_cohort, get_object=cohort_from_url)
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort: funnel, learners, sessions; the enrol form for people at the hall."""
    return _cohort_page(request, cohort_from_url(request, pk))


@require_POST
@rule_required(permissions.can_enrol_in_cohort, get_object=cohort_from_url)
def cohort_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_from_url(request, pk)
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrol_by_phone(
                _user(request), cohort, form.cleaned_data["full_name"], form.cleaned_data["phone"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is enrolled.") % {"name": enrolment.learner.full_name}
            )
            return redirect("training:cohort", pk=cohort.pk)
    return _cohort_page(request, cohort, enrol_form=form)


@require_POST
@rule_required(permissions.can_manage_cohort, get_object=cohort_from_url)
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_from_url(request, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.add_session(
                _user(request), cohort, form.cleaned_data["date"], form.cleaned_data["topic"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("training:attendance", pk=cohort.pk, session_pk=session.pk)
    return _cohort_page(request, cohort, session_form=form)


@rule_required(permissions.can_manage_cohort, get_object=cohort_from_url)
def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """One page per session: tick the names, save. A resubmitted form records once (its token)."""
    cohort = cohort_from_url(request, pk)
    session = get_object_or_404(CohortSession, pk=session_pk, cohort=cohort)
    if request.method == "POST":
        try:
            present = [int(v) for v in request.POST.getlist("present")]
            _submission, saved = services.save_attendance(
                _user(request), session, present, request.POST.get("token", "")
            )
        except (ValueError, ValidationError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else ""
            messages.error(request, text or _("The form could not be read: please try again."))
        else:
            if saved:
                messages.success(
                    request, _("Attendance saved: %(n)s present.") % {"n": len(set(present))}
                )
            else:
                messages.info(request, _("This attendance was already saved."))
            return redirect("training:attendance", pk=cohort.pk, session_pk=session.pk)
    return render(
        request,
        "training/attendance.html",
        {
            "cohort": cohort,
            "session": session,
            "roll": selectors.session_roll(session),
            "token": uuid.uuid4(),
        },
    )


@rule_required(permissions.can_manage_cohort, get_object=cohort_from_url)
def cohort_csv(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_from_url(request, pk)
    result = selectors.funnel(cohort.enrolments.all(), sessions=cohort.sessions.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kelas-{cohort.pk}.csv"'
    writer = csv.writer(response)
    keys = [key for key, _label in selectors.FUNNEL_STEPS]
    writer.writerow(
        [_("Name"), _("Phone number"), _("Lessons read"), _("Sessions attended")]
        + [str(label) for _key, label in selectors.FUNNEL_STEPS]
        + [_("Certificate")]
    )
    for row in result.learners:
        writer.writerow(
            [row.learner.full_name, str(row.learner.phone or ""), row.lessons_done, row.attended]
            + [row.dates[k].date().isoformat() if row.dates.get(k) else "" for k in keys]  # type: ignore[union-attr]
            + [row.certificate.number if row.certificate else ""]
        )
    return response


def _enrolment_from_url(request: HttpRequest, pk: int, learner_pk: int, **kw: Any) -> Enrolment:
    cohort = cohort_from_url(request, pk)
    return get_object_or_404(
        Enrolment.objects.select_related("cohort"), cohort=cohort, learner_id=learner_pk
    )


@rule_required(permissions.can_view_progress, get_object=_enrolment_from_url)
def learner_progress(request: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    enrolment = _enrolment_from_url(request, pk, learner_pk)
    learner = User.objects.get(pk=learner_pk)
    progress = selectors.course_progress(learner, enrolment.course, enrolment=enrolment)
    return render(
        request,
        "training/learner_progress.html",
        {
            "cohort": enrolment.cohort,
            "learner": learner,
            "progress": progress,
            "revoke_form": RevokeForm(),
        },
    )


@require_POST
@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("cohort"), pk=pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the certificate is revoked."))
        services.revoke_certificate(_user(request), certificate, form.cleaned_data["reason"])
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Certificate %(n)s revoked.") % {"n": certificate.number})
    if certificate.cohort_id:
        return redirect(
            "training:learner", pk=certificate.cohort_id, learner_pk=certificate.learner_id
        )
    return redirect("training:verify", code=certificate.verification_code)


# --- Operators: the programme page -------------------------------------------------------------


def _programme(request: HttpRequest) -> tuple[ProgrammeForm, selectors.Programme | None]:
    regions = selectors.programme_regions()
    form = ProgrammeForm(request.GET or None, regions=regions)
    region: Region | None = None
    start = end = None
    if form.is_bound and form.is_valid():
        region = form.cleaned_data.get("wilayah")
        start, end = form.cleaned_data.get("dari"), form.cleaned_data.get("sampai")
    elif form.is_bound:
        return form, None
    if region is None:
        region = regions.filter(level="regency").first() or regions.first()
    if region is None:
        return form, None
    return form, selectors.programme_outcomes(region, start, end)


@rule_required(permissions.can_view_programme_outcomes)
def programme(request: HttpRequest) -> HttpResponse:
    """Per district and village: learners, sellers, listings, orders, sales; charts with tables."""
    form, data = _programme(request)
    context: dict[str, Any] = {"form": form, "data": data}
    if data is not None:
        context["month_bars"] = charts.columns(
            [f"{m.month:%m/%y}" for m in data.months], [m.learners for m in data.months]
        )
        context["month_order_bars"] = charts.columns(
            [f"{m.month:%m/%y}" for m in data.months], [m.orders for m in data.months], height=60
        )
        context["area_bars"] = charts.rows(
            [a.region.display_name for a in data.areas], [a.learners for a in data.areas]
        )
        context["area_chart_height"] = 16 * len(data.areas)
        context["csv_query"] = request.GET.urlencode()
    return render(request, "training/programme.html", context)


@rule_required(permissions.can_view_programme_outcomes)
def programme_csv(request: HttpRequest) -> HttpResponse:
    _form, data = _programme(request)
    if data is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-{data.region.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Code"),
            _("Region"),
            _("Learners"),
            _("Learners selling"),
            _("Sellers"),
            _("Active listings"),
            _("Export-ready listings"),
            _("Orders"),
            _("EU orders"),
            _("Sales (IDR)"),
            _("Sales (EUR)"),
        ]
    )
    for area in [*data.areas, data.total]:
        writer.writerow(
            [
                area.region.code,
                area.region.display_name,
                area.learners,
                area.learners_selling,
                area.sellers,
                area.active_listings,
                area.export_ready_listings,
                area.orders,
                area.eu_orders,
                area.sales_idr,
                area.sales_eur,
            ]
        )
    return response
