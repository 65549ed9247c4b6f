"""Courses, cohorts, progress and certificates.

A course is modules of lessons (Markdown, a video link, a PDF handout) with a quiz per module and
practical tasks. Practical tasks are never self-reported: a ``TaskCompletion`` is written only by
``training.services`` from what the learner really did on the marketplace (a shop approved, a
listing published, an order paid), with a link to the evidence. Completions belong to the learner,
not to a course: opening a shop counts for every course that asks for it, and a shop opened before
the learner enrolled counts too.

A cohort is a run of a course at a village hall (or online) with a trainer, dates and sessions;
attendance is taken per session on the trainer's phone. Writes go through ``training.services``,
reads through ``training.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.regions.models import Region, RegionLevel, VillageHall


class Course(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    #: Per language (``translation.py``): Indonesian required, the fallback for the others.
    title = models.CharField(_("title"), max_length=150)
    summary = models.TextField(_("summary"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=150)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """A lesson light enough for a phone on 400 kbps: text first, video only as a link."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=150)
    #: Markdown, per language; rendered and sanitised by ``training.text.render_markdown``.
    body = models.TextField(_("text (Markdown)"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    handout = models.FileField(
        _("handout (PDF)"),
        upload_to="training/handouts/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=5)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Quiz(models.Model):
    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="quiz")
    title = models.CharField(_("title"), max_length=150)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("one answer")
    MULTIPLE = "multiple", _("several answers")


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("answer"), max_length=200)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    """One try at a quiz. Every try is kept, with the answers given: retries are allowed."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    #: ``{"<question id>": [<choice id>, …]}``.
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["learner", "quiz", "passed"])]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.score}%"


class TaskKind(models.TextChoices):
    """The practical tasks: each is a fact the marketplace records, never a learner's claim."""

    OPEN_SHOP = "open_shop", _("Open a shop")
    SHOP_APPROVED = "shop_approved", _("Have your shop approved")
    FIRST_LISTING = "first_listing", _("Publish a first listing with at least 3 photos")
    ENGLISH_DESCRIPTION = "english_description", _("Write an English description")
    EXPORT_READY = "export_ready", _("Make a listing export-ready")
    FIRST_ORDER = "first_order", _("Receive a first order")
    FIRST_EU_ORDER = "first_eu_order", _("Receive a first order from the EU")


class PracticalTask(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=24, choices=TaskKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("practical task")
        verbose_name_plural = _("practical tasks")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "kind"], name="training_task_once_per_course")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Cohort(models.Model):
    """A run of a course at a village hall (``village_hall`` empty: online) with a trainer."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=150)
    village_hall = models.ForeignKey(
        VillageHall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("village hall"),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cohorts_trained",
        verbose_name=_("trainer"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_cohort_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CohortSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"


class Enrolment(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments"
    )
    #: Where the learner is counted in the programme figures: the cohort's village, else the
    #: village of the learner's shop at enrolment (or of the shop an online learner opens later).
    #: Stored so that grouping thousands of learners by village is one grouped query, not a walk
    #: through cohorts and shops.
    village = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    enrolled_at = models.DateTimeField(_("enrolled"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lessons_completed_at = models.DateTimeField(_("lessons done"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="training_enrol_once")
        ]
        indexes = [models.Index(fields=["village", "enrolled_at"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.course}"


class LessonProgress(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="training_lesson_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson} ✓"


class TaskCompletion(models.Model):
    """A practical task the marketplace saw the learner do, with its evidence."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_completions"
    )
    kind = models.CharField(_("task"), max_length=24, choices=TaskKind.choices)
    #: When the learner did it (the shop's approval, the listing's publication, the order's
    #: payment), which may be before they enrolled; the funnel measures days between these.
    completed_at = models.DateTimeField(_("done"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    #: ``app_label.model`` and primary key of the evidence, and where to see it.
    evidence_type = models.CharField(max_length=60)
    evidence_id = models.PositiveBigIntegerField()
    evidence_label = models.CharField(_("evidence"), max_length=200)
    evidence_url = models.CharField(_("evidence link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("task completion")
        verbose_name_plural = _("task completions")
        constraints = [
            models.UniqueConstraint(fields=["learner", "kind"], name="training_task_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.evidence_label}"


class AttendanceSubmission(models.Model):
    """One save of a session's attendance page, by its client-generated token.

    A phone on a bad signal resubmits the same form; the token makes the second arrival a no-op.
    """

    token = models.UUIDField(unique=True)
    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    present = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.token)


class Attendance(models.Model):
    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendance")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "learner"], name="training_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.learner_id}"


class Certificate(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    number = models.CharField(_("number"), max_length=24, unique=True)
    #: Printed on the certificate (in the QR code); unguessable so the page cannot be enumerated.
    verification_code = models.CharField(max_length=24, unique=True)
    #: The village printed on the certificate, fixed when it is issued.
    village_name = models.CharField(_("village"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="training_certify_once")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
