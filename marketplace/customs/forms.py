"""Forms for the operator's customs pages: they only parse; ``reports``/``services`` decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportMonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Enter the month as YYYY-MM, for example 2026-10.")},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )

    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)

    @staticmethod
    def last_month() -> str:
        today = timezone.localdate()
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return f"{year:04d}-{month:02d}"


class EuBlockForm(forms.Form):
    product = forms.IntegerField(label=_("Listing number"), min_value=1)
    reason = forms.CharField(
        label=_("Reason (the seller reads it)"), widget=forms.Textarea(attrs={"rows": 3})
    )
