"""Forms of the payout pages: they only parse; ``ledger.services`` decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class BuildBatchForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in settings.CURRENCIES])


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("File"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])


class FailPayoutForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong (shown to the seller)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the payout failed.")},
    )
