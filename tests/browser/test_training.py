"""A trainer on a phone takes attendance for a session; a learner passes a quiz on theirs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from marketplace.regions.models import Region, VillageHall
from tests.conftest import make_user
from tests.training.conftest import make_course
from training import services
from training.models import Attendance, Cohort, CohortSession, QuizAttempt

from .test_seller_opens_a_shop import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort() -> Cohort:
    province = Region.objects.create(code="35", level="province", name="JAWA TIMUR")
    regency = Region.objects.create(
        code="3510", level="regency", name="KABUPATEN BANYUWANGI", parent=province
    )
    glagah = Region.objects.create(code="3510170", level="district", name="GLAGAH", parent=regency)
    village = Region.objects.create(
        code="3510170018", level="village", name="KAMPUNGANYAR", parent=glagah
    )
    hall = VillageHall.objects.create(village=village, name="Balai Desa Kampunganyar")
    trainer = make_user(full_name="Ibu Sri", phone="+6281100000002", is_trainer=True)
    return Cohort.objects.create(
        course=make_course(),
        name="Kampunganyar 2026",
        village_hall=hall,
        trainer=trainer,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 30),
    )


def english(page: Any, url: str) -> None:
    page.context.add_cookies([{"name": "pasar_language", "value": "en", "url": url}])


def test_a_trainer_takes_attendance_on_a_phone(page: Any, live_server: Any, cohort: Cohort) -> None:
    learners = [
        make_user(full_name=name, phone=f"+628123450{n:04d}")
        for n, name in enumerate(["Bu Ratna", "Pak Joko", "Mbak Wulan"], start=1)
    ]
    for learner in learners:
        services.enrol(cohort.trainer, learner, cohort.course, cohort)
    session = CohortSession.objects.create(cohort=cohort, date=cohort.starts_on, topic="Foto")
    english(page, live_server.url)
    sign_in(page, live_server.url, "0811 0000 0002")
    page.goto(f"{live_server.url}/pelatihan/kelas/")
    page.get_by_role("link", name="Kampunganyar 2026").click()
    page.get_by_role("link", name="Foto").click()
    page.get_by_label("Bu Ratna").check()
    page.get_by_label("Mbak Wulan").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved: 2 present.").wait_for()
    present = set(
        Attendance.objects.filter(session=session).values_list("learner__full_name", flat=True)
    )
    assert present == {"Bu Ratna", "Mbak Wulan"}
    # The ticks stay ticked on the reloaded page.
    assert page.get_by_label("Bu Ratna").is_checked()
    assert not page.get_by_label("Pak Joko").is_checked()


def test_a_learner_passes_a_quiz_on_a_phone(page: Any, live_server: Any, cohort: Cohort) -> None:
    learner = make_user(full_name="Bu Ratna", phone="+6281234500077")
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    english(page, live_server.url)
    sign_in(page, live_server.url, "0812 3450 0077")
    page.goto(f"{live_server.url}/pelatihan/kursus/{cohort.course.slug}/")
    page.get_by_role("link", name="Quiz: Kuis foto").click()
    page.get_by_label("Cahaya jendela").check()
    page.get_by_label("Depan").check()
    page.get_by_label("Detail").check()
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("Passed with 100%. Well done!").wait_for()
    attempt = QuizAttempt.objects.get(learner=learner)
    assert attempt.passed and attempt.score == 100


def test_attendance_survives_a_dropped_connection(
    page: Any, live_server: Any, cohort: Cohort
) -> None:
    """Saved with no signal: the ticks wait on the phone and go once the signal is back."""
    learner = make_user(full_name="Bu Ratna", phone="+6281234500077")
    services.enrol(cohort.trainer, learner, cohort.course, cohort)
    session = CohortSession.objects.create(cohort=cohort, date=cohort.starts_on, topic="Foto")
    english(page, live_server.url)
    sign_in(page, live_server.url, "0811 0000 0002")
    page.goto(f"{live_server.url}/pelatihan/kelas/{cohort.pk}/sesi/{session.pk}/")
    page.get_by_label("Bu Ratna").check()
    page.context.set_offline(True)
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("No signal: your ticks are kept on this phone").wait_for()
    assert not Attendance.objects.exists()
    page.context.set_offline(False)
    page.get_by_text("Attendance saved: 1 present.").wait_for()
    assert Attendance.objects.get().learner == learner
