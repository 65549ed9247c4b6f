"""The training demo: the course with real lessons and quizzes, two cohorts of demo sellers."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from training.models import (
    Attendance,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    PracticalTask,
    Quiz,
    TaskCompletion,
)
from training.text import render_markdown

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Course, Lesson, Quiz, PracticalTask, Cohort, Enrolment, Attendance)
    }


def test_the_demo_course_and_cohorts_load_once(settings: Any) -> None:
    settings.DEBUG = True
    call_command("load_demo", "--shops", "2", stdout=StringIO())
    first = counts()
    course = Course.objects.get(slug="pemasaran-online-umkm-desa")
    assert course.title == "Pemasaran Online untuk UMKM Desa"
    assert course.modules.count() == 5 and first["Lesson"] == 9 and first["Quiz"] == 5
    assert first["PracticalTask"] == 7
    halls = sorted(c.village_hall.village.name for c in Cohort.objects.all())  # type: ignore[union-attr]
    assert halls == ["KAMPUNGANYAR", "TULUNGREJO"]
    # The demo seller of Kemiren is a learner at Kampunganyar; his approved shop ticked its tasks.
    slamet = Enrolment.objects.get(learner__phone="+6281100000004")
    assert "Kampunganyar" in slamet.cohort.name  # type: ignore[union-attr]
    assert {"open_shop", "shop_approved"} <= set(
        TaskCompletion.objects.filter(learner=slamet.learner).values_list("kind", flat=True)
    )
    assert first["Attendance"] > 0
    for lesson in Lesson.objects.all():
        assert len(lesson.body) > 300, lesson.title  # real lessons, not placeholders
    call_command("load_demo", "--shops", "2", stdout=StringIO())
    assert counts() == first


def test_lesson_markdown_is_rendered_and_sanitised() -> None:
    html = render_markdown(
        "**Tebal**\n\n- satu\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    )
    assert "<strong>Tebal</strong>" in html and "<li>satu</li>" in html
    assert "<script" not in html and "javascript:" not in html
