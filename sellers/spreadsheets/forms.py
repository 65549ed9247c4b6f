"""The upload form. It only collects the file; the import service decides what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("Excel workbook (.xlsx) or CSV (.csv), at most 5 MB and 20,000 rows."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv"
            }
        ),
    )
