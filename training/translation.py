"""Which training fields are stored per language (django-modeltranslation), as in the catalog.

Indonesian is required and the fallback: a lesson not yet translated is read in Indonesian.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Course, Lesson, Module, Question, Quiz


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("id",)


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("id",)


@register(Lesson)
class LessonTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("id",)


@register(Quiz)
class QuizTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("id",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("id",)


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("id",)
