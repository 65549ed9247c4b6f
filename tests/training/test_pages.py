"""Learner and trainer pages: progress, quizzes, attendance, certificates, who sees what."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from marketplace.accounts.models import User
from marketplace.regions.models import VillageHall
from sellers.models import Shop
from training import services
from training.models import (
    Attendance,
    AttendanceSubmission,
    Certificate,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    Lesson,
    QuizAttempt,
)

from .conftest import correct_answers, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cohort: Cohort) -> CohortSession:
    return CohortSession.objects.create(cohort=cohort, date=cohort.starts_on, topic="Foto produk")


def finish_course(learner: User, course: Course) -> None:
    for lesson in Lesson.objects.filter(module__course=course):
        services.complete_lesson(learner, lesson)
    for module in course.modules.all():
        services.submit_quiz(learner, module.quiz, correct_answers(module.quiz))


def test_a_trainer_enrols_a_learner_by_phone_without_email(cohort: Cohort, trainer: User) -> None:
    client = signed_in(trainer)
    response = client.post(
        reverse("training:enrol", args=[cohort.pk]),
        {"full_name": "Bu Sumiati", "phone": "0812 3456 0099"},
    )
    assert response.status_code == 302
    learner = User.objects.get(phone="+6281234560099")
    assert learner.email is None and not learner.has_usable_password()
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.cohort == cohort and enrolment.village == cohort.village_hall.village  # type: ignore[union-attr]
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "Bu Sumiati" in page and "Send the claim link by WhatsApp" in page
    # The claim link is the password-reset confirmation: the learner sets a password there.
    claim = client.get(services.claim_path(learner))
    assert claim.status_code == 302  # Django moves the token into the session, then asks
    follow = client.get(claim["Location"])
    assert follow.status_code == 200 and b"new_password1" in follow.content


def test_a_bad_phone_number_is_refused_with_its_message(cohort: Cohort, trainer: User) -> None:
    response = signed_in(trainer).post(
        reverse("training:enrol", args=[cohort.pk]), {"full_name": "Bu Sum", "phone": "12"}
    )
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_attendance_saved_twice_records_once(
    cohort: Cohort, trainer: User, learner: User, session: CohortSession
) -> None:
    services.enrol(trainer, learner, cohort.course, cohort)
    client = signed_in(trainer)
    url = reverse("training:attendance", args=[cohort.pk, session.pk])
    page = client.get(url).content.decode()
    assert "Bu Ratna" in page and 'name="token"' in page
    token = str(uuid.uuid4())
    first = client.post(url, {"token": token, "present": [learner.pk]})
    again = client.post(url, {"token": token, "present": [learner.pk]})
    assert first.status_code == again.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 1
    assert AttendanceSubmission.objects.count() == 1
    # A late duplicate of an older form never undoes a newer save (here: unticking).
    client.post(url, {"token": str(uuid.uuid4()), "present": []})
    client.post(url, {"token": token, "present": [learner.pk]})
    assert not Attendance.objects.filter(session=session).exists()


def test_attendance_refuses_people_outside_the_cohort(
    cohort: Cohort, trainer: User, learner: User, session: CohortSession
) -> None:
    response = signed_in(trainer).post(
        reverse("training:attendance", args=[cohort.pk, session.pk]),
        {"token": str(uuid.uuid4()), "present": [learner.pk]},
    )
    assert response.status_code == 200
    assert "Only learners of this cohort can be marked." in response.content.decode()
    assert not Attendance.objects.exists() and not AttendanceSubmission.objects.exists()


def test_a_trainer_cannot_see_another_trainers_cohort(
    cohort: Cohort, other_trainer: User, session: CohortSession, learner: User
) -> None:
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    client = signed_in(other_trainer)
    for url in (
        reverse("training:cohort", args=[cohort.pk]),
        reverse("training:attendance", args=[cohort.pk, session.pk]),
        reverse("training:cohort_csv", args=[cohort.pk]),
        reverse("training:learner", args=[cohort.pk, learner.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("training:enrol", args=[cohort.pk]), {"full_name": "X", "phone": "081234560011"}
        ).status_code
        == 403
    )
    assert "Kampunganyar 2026" not in client.get(reverse("training:cohorts")).content.decode()
    assert (
        "Kampunganyar 2026"
        in signed_in(cohort.trainer).get(reverse("training:cohorts")).content.decode()
    )


def test_the_hall_facilitator_may_enrol_but_not_see_the_figures(
    cohort: Cohort, hall: VillageHall, user_factory: Callable[..., User]
) -> None:
    facilitator = user_factory(full_name="Mas Agus", phone="+6281100000003")
    hall.facilitators.add(facilitator)
    client = signed_in(facilitator)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "Enrol a learner" in page and "median days" not in page
    assert client.get(reverse("training:cohort_csv", args=[cohort.pk])).status_code == 403


def test_a_learner_sees_only_their_own_progress(
    cohort: Cohort, learner: User, user_factory: Callable[..., User]
) -> None:
    other = user_factory(full_name="Pak Joko", phone="+6281234500088")
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    services.enrol(cohort.trainer, other, cohort.course, cohort)
    services.complete_lesson(other, Lesson.objects.filter(module__course=cohort.course).first())  # type: ignore[arg-type]
    client = signed_in(learner)
    assert client.get(reverse("training:learner", args=[cohort.pk, other.pk])).status_code == 403
    assert client.get(reverse("training:learner", args=[cohort.pk, learner.pk])).status_code == 200
    assert client.get(reverse("training:cohort", args=[cohort.pk])).status_code == 403
    course_page = client.get(reverse("training:course", args=[cohort.course.slug]))
    assert "Lessons 0/2" in course_page.content.decode()


def test_a_learner_retries_a_quiz_and_every_try_is_kept(learner: User, course: Course) -> None:
    services.enrol(learner, learner, course)
    quiz = course.modules.get().quiz
    client = signed_in(learner)
    url = reverse("training:quiz", args=[course.slug, quiz.pk])
    q1, q2 = quiz.questions.all()
    wrong = {f"question_{q1.pk}": q1.choices.get(is_correct=False).pk}
    wrong[f"question_{q2.pk}"] = q2.choices.get(position=3).pk
    assert client.post(url, wrong).status_code == 302
    assert client.get(url).content.decode().count("Your last answer to this question") == 2
    right = {
        f"question_{q.pk}": [c.pk for c in q.choices.filter(is_correct=True)] for q in (q1, q2)
    }
    client.post(url, right)
    attempts = list(QuizAttempt.objects.filter(learner=learner).order_by("pk"))
    assert [(a.score, a.passed) for a in attempts] == [(0, False), (100, True)]
    assert attempts[0].answers[str(q2.pk)] == [q2.choices.get(position=3).pk]
    assert "not passed" not in client.get(url).content.decode()


def test_an_unanswered_question_saves_nothing(learner: User, course: Course) -> None:
    services.enrol(learner, learner, course)
    quiz = course.modules.get().quiz
    response = signed_in(learner).post(reverse("training:quiz", args=[course.slug, quiz.pk]), {})
    assert response.status_code == 200
    assert not QuizAttempt.objects.exists()


def test_completing_everything_issues_a_certificate_whose_pdf_reads_back(
    cohort: Cohort, learner: User, shop_factory: Callable[..., Shop]
) -> None:
    shop_factory(owner=learner)  # the course's task: open a shop
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    assert not Certificate.objects.exists()
    finish_course(learner, cohort.course)
    certificate = Certificate.objects.get(learner=learner)
    assert Enrolment.objects.get(learner=learner).completed_at is not None
    response = signed_in(learner).get(reverse("training:certificate", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in ("Bu Ratna", "Pemasaran Online", "Kampunganyar", certificate.number):
        assert expected in text, expected
    assert f"/sertifikat/{certificate.verification_code}/" in text
    # Someone else may not download it.
    stranger = User.objects.create_user(phone="+6281234500099", full_name="X", password="x")
    assert (
        signed_in(stranger).get(reverse("training:certificate", args=[certificate.pk])).status_code
        == 403
    )


def test_the_verification_page_shows_valid_then_revoked(
    cohort: Cohort, learner: User, shop_factory: Callable[..., Shop], client: Any
) -> None:
    shop_factory(owner=learner)
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    finish_course(learner, cohort.course)
    certificate = Certificate.objects.get(learner=learner)
    url = reverse("training:verify", args=[certificate.verification_code])
    client.cookies["pasar_language"] = "en"
    page = client.get(url).content.decode()
    assert "Valid certificate" in page and "Bu Ratna" in page
    # The learner cannot revoke; the trainer can, with a reason.
    assert (
        signed_in(learner)
        .post(reverse("training:revoke", args=[certificate.pk]), {"reason": "x"})
        .status_code
        == 403
    )
    signed_in(cohort.trainer).post(
        reverse("training:revoke", args=[certificate.pk]), {"reason": "Data peserta salah"}
    )
    page = client.get(url).content.decode()
    assert "This certificate was revoked" in page and "Valid certificate" not in page
    assert client.get(reverse("training:verify", args=["tidak-ada"])).status_code == 404


def test_pages_need_the_right_role(client: Any, learner: User, cohort: Cohort) -> None:
    for name in ("training:cohorts", "training:programme"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
        assert signed_in(learner).get(reverse(name)).status_code == 403
    assert client.get(reverse("training:courses")).status_code == 200


def test_a_lesson_page_is_light_enough_for_a_slow_phone_connection(
    learner: User, course: Course
) -> None:
    """At 400 kbps, 10 KB of gzip is a fifth of a second; the page carries no image or script."""
    import gzip

    services.enrol(learner, learner, course)
    lesson = Lesson.objects.filter(module__course=course).first()
    assert lesson is not None
    lesson.body_ind = "Teks pelajaran yang panjang. " * 200
    lesson.save()
    client = signed_in(learner)
    for url in (
        reverse("training:lesson", args=[course.slug, lesson.pk]),
        reverse("training:course", args=[course.slug]),
    ):
        body = client.get(url).content
        assert len(gzip.compress(body)) < 10_000, url
        assert b"<img" not in body and b"<script" not in body


def test_a_trainer_creates_a_cohort_and_its_session(
    trainer: User, course: Course, hall: VillageHall, learner: User
) -> None:
    client = signed_in(trainer)
    bad = client.post(
        reverse("training:cohort_create"),
        {
            "course": course.pk,
            "name": "Kampunganyar",
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
            "village_hall": hall.pk,
        },
    )
    assert bad.status_code == 200 and "The end is before the start." in bad.content.decode()
    assert not Cohort.objects.exists()
    response = client.post(
        reverse("training:cohort_create"),
        {
            "course": course.pk,
            "name": "Kampunganyar",
            "starts_on": "2026-05-01",
            "ends_on": "2026-06-30",
            "village_hall": hall.pk,
        },
    )
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("training:cohort", args=[cohort.pk])
    assert cohort.trainer == trainer and cohort.village_hall == hall
    response = client.post(
        reverse("training:session_add", args=[cohort.pk]), {"date": "2026-05-01", "topic": "Foto"}
    )
    session = CohortSession.objects.get(cohort=cohort)
    assert response["Location"] == reverse("training:attendance", args=[cohort.pk, session.pk])
    assert signed_in(learner).get(reverse("training:cohort_create")).status_code == 403


def test_reading_a_lesson_moves_on_to_the_next_and_counts(cohort: Cohort, learner: User) -> None:
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    first, second = Lesson.objects.filter(module__course=cohort.course).order_by("position")
    client = signed_in(learner)
    slug = cohort.course.slug
    page = client.get(reverse("training:lesson", args=[slug, first.pk])).content.decode()
    assert "<strong>Tebal</strong> 1" in page
    response = client.post(reverse("training:lesson", args=[slug, first.pk]))
    assert response["Location"] == reverse("training:lesson", args=[slug, second.pk])
    response = client.post(reverse("training:lesson", args=[slug, second.pk]))
    assert response["Location"] == reverse("training:course", args=[slug])
    course_page = client.get(reverse("training:course", args=[slug])).content.decode()
    assert "Lessons 2/2" in course_page and "Your cohort: Kampunganyar 2026" in course_page
    assert Enrolment.objects.get(learner=learner).lessons_completed_at is not None


def test_a_lesson_needs_an_enrolment(course: Course, learner: User) -> None:
    lesson = Lesson.objects.filter(module__course=course).first()
    assert lesson is not None
    response = signed_in(learner).post(reverse("training:lesson", args=[course.slug, lesson.pk]))
    assert response["Location"] == reverse("training:course", args=[course.slug])
    assert not lesson.progress.exists()


@pytest.mark.parametrize("language", ["id", "en", "de"])
def test_every_page_renders_in_every_shipped_language(
    language: str, cohort: Cohort, learner: User, operator: User, session: CohortSession
) -> None:
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    slug = cohort.course.slug
    lesson = Lesson.objects.filter(module__course=cohort.course).first()
    quiz = cohort.course.modules.get().quiz
    as_learner = signed_in(learner, language)
    for url in (
        reverse("training:courses"),
        reverse("training:course", args=[slug]),
        reverse("training:lesson", args=[slug, lesson.pk]),  # type: ignore[union-attr]
        reverse("training:quiz", args=[slug, quiz.pk]),
        reverse("training:my_tasks"),
    ):
        assert as_learner.get(url).status_code == 200, url
    as_operator = signed_in(operator, language)
    for url in (
        reverse("training:cohorts"),
        reverse("training:cohort", args=[cohort.pk]),
        reverse("training:attendance", args=[cohort.pk, session.pk]),
        reverse("training:learner", args=[cohort.pk, learner.pk]),
        reverse("training:programme"),
    ):
        assert as_operator.get(url).status_code == 200, url
