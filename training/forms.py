"""Training forms: they only parse; ``training.services`` decides."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.regions.models import Region, VillageHall

from .models import Course, Quiz


class EnrolForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("WhatsApp number, for example 0812 3456 7890. No e-mail needed."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class CohortForm(forms.Form):
    course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    village_hall = forms.ModelChoiceField(
        label=_("Village hall"),
        queryset=VillageHall.objects.none(),
        required=False,
        empty_label=_("Online (no village hall)"),
    )
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course_field = self.fields["course"]
        hall_field = self.fields["village_hall"]
        assert isinstance(course_field, forms.ModelChoiceField)
        assert isinstance(hall_field, forms.ModelChoiceField)
        course_field.queryset = Course.objects.filter(is_published=True)
        hall_field.queryset = VillageHall.objects.select_related("village").order_by("name")


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label=_("Topic"), max_length=200)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class QuizForm(forms.Form):
    """One field per question: radio buttons for one answer, check boxes for several."""

    def __init__(self, quiz: Quiz, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quiz = quiz
        for question in quiz.questions.prefetch_related("choices"):
            choices = [(c.pk, c.text) for c in question.choices.all()]
            name = f"question_{question.pk}"
            if question.kind == "multiple":
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=question.text,
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose every right answer."),
                )
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text, choices=choices, coerce=int, widget=forms.RadioSelect
                )

    def answers(self) -> dict[int, list[int]]:
        result: dict[int, list[int]] = {}
        for name, value in self.cleaned_data.items():
            question_id = int(name.removeprefix("question_"))
            result[question_id] = list(value) if isinstance(value, list) else [value]
        return result


def _region_label(region: Region) -> str:
    return f"{region.display_name} ({region.get_level_display()})"


class ProgrammeForm(forms.Form):
    wilayah = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["wilayah"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = regions
        field.label_from_instance = _region_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("dari")
        end: date | None = data.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("The end is before the start."))
        return data
