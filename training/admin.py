"""Operators write courses (text per language) and set up cohorts in the admin at /operator/.

Progress, task completions and certificates are read-only here: they are written only by
``training.services`` (task completions only from marketplace events).
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import (
    Certificate,
    Choice,
    Cohort,
    CohortSession,
    Course,
    Lesson,
    Module,
    PracticalTask,
    Question,
    Quiz,
    TaskCompletion,
)


class ModuleInline(TranslationTabularInline):
    model = Module
    extra = 0


class TaskInline(admin.TabularInline):
    model = PracticalTask
    extra = 0


@admin.register(Course)
class CourseAdmin(TranslationAdmin):
    list_display = ["title", "slug", "is_published"]
    prepopulated_fields = {"slug": ["title_ind"]}
    inlines = [ModuleInline, TaskInline]


@admin.register(Lesson)
class LessonAdmin(TranslationAdmin):
    list_display = ["title", "module", "position", "minutes"]
    list_filter = ["module__course"]


class ChoiceInline(TranslationTabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ["text", "quiz", "kind", "position"]
    inlines = [ChoiceInline]


@admin.register(Quiz)
class QuizAdmin(TranslationAdmin):
    list_display = ["title", "module", "pass_mark"]


class SessionInline(admin.TabularInline):
    model = CohortSession
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "village_hall", "trainer", "starts_on", "ends_on"]
    raw_id_fields = ["trainer"]
    inlines = [SessionInline]


@admin.register(TaskCompletion)
class TaskCompletionAdmin(admin.ModelAdmin):
    list_display = ["learner", "kind", "completed_at", "evidence_label"]
    list_filter = ["kind"]
    raw_id_fields = ["learner"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "learner", "course", "issued_at", "revoked_at"]
    readonly_fields = [f.name for f in Certificate._meta.fields]
    raw_id_fields = ["learner"]

    def has_add_permission(self, request: object) -> bool:
        return False
