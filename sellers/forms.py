"""Seller, facilitator and operator forms. They collect input; ``services`` decides.

Fields are plain text where the service validates (phone numbers, NIB, account numbers), so every
message a seller reads comes from one place and says what to type, not "invalid value".
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from marketplace.regions.models import Region

from . import selectors, services
from .banks import BANK_CHOICES

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z]")
_SIMPLE_HTML = re.compile(r"^(?:[^<]|<\s*/?\s*(?:p|br)\s*/?\s*>)*$", re.IGNORECASE)


def text_to_story(text: str) -> str:
    """A seller types plain text (blank line = new paragraph); HTML from an API client stays HTML.

    Either way the service sanitises what is stored.
    """
    if _TAG.search(text or ""):
        return text
    return linebreaks((text or "").strip(), autoescape=True)


def story_to_text(story: str) -> str:
    """Show a stored story for editing: paragraphs back to blank lines, when that loses nothing."""
    if not story or not _SIMPLE_HTML.match(story):
        return story
    text = re.sub(r"</p>\s*<p>", "\n\n", story, flags=re.IGNORECASE)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?p>", "", text, flags=re.IGNORECASE)
    return html.unescape(text).strip()


def _check(fn: Callable[[str], str], field: str, value: str) -> str:
    """Run a service's validator in the form, so every error of a page shows at once."""
    try:
        return fn(value)
    except ValidationError as exc:
        raise ValidationError(exc.error_dict[field]) from exc


def _village_choices() -> list[Any]:
    return [("", _("— choose your village —")), *selectors.village_choices()]


class VillageField(forms.ChoiceField):
    """A ``<select>`` of villages grouped by district (``<optgroup>``), cleaned to a ``Region``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Village"))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Choose your village."),
                "invalid_choice": _("Choose your village from the list."),
            },
        )
        # A callable: read from the database when the form is used, never at import.
        super().__init__(choices=_village_choices, **kwargs)

    def clean(self, value: Any) -> Region | None:
        value = super().clean(value)
        return selectors.village(value) if value else None


class ShopNameForm(forms.Form):
    """Onboarding step 1."""

    name = forms.CharField(
        label=_("Shop name"),
        max_length=120,
        help_text=_("The name buyers will see, for example “Kopi Osing Bu Siti”."),
        error_messages={"required": _("Enter the name of your shop.")},
    )
    village = VillageField(
        help_text=_("Where your goods are made. Villages are grouped by district.")
    )


class ShopStoryForm(forms.Form):
    """Onboarding step 2."""

    story = forms.CharField(
        label=_("Your story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Who you are, what you make and how. A few sentences are enough; leave an empty "
            "line between paragraphs."
        ),
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Buyers and operators write to you here, for example 0812 3456 7890."),
    )
    logo = forms.FileField(
        label=_("Logo or photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("A JPEG, PNG or WebP picture up to 5 MB."),
    )

    def clean_story(self) -> str:
        return text_to_story(self.cleaned_data.get("story") or "")

    def clean_whatsapp(self) -> str:
        return _check(services.clean_whatsapp, "whatsapp", self.cleaned_data.get("whatsapp") or "")


class ShopNibForm(forms.Form):
    """Onboarding step 3 (and the bank account form, for the owner)."""

    nib = forms.CharField(
        label=_("NIB (business identification number)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("13 digits, from your OSS registration (oss.go.id)."),
    )

    def clean_nib(self) -> str:
        return _check(services.clean_nib, "nib", self.cleaned_data.get("nib") or "")


class BankAccountForm(forms.Form):
    bank_code = forms.ChoiceField(
        label=_("Bank"),
        choices=[("", _("— choose your bank —")), *BANK_CHOICES],
        error_messages={
            "required": _("Choose your bank from the list."),
            "invalid_choice": _("Choose your bank from the list."),
        },
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter the account number.")},
    )
    holder_name = forms.CharField(
        label=_("Account holder"),
        max_length=120,
        help_text=_("The name on the account, as the bank writes it."),
        error_messages={"required": _("Enter the name of the account holder.")},
    )

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        """``optional``: during onboarding the owner may leave all three empty for now."""
        super().__init__(*args, **kwargs)
        if optional:
            for field in self.fields.values():
                field.required = False

    def is_blank(self) -> bool:
        return not any(str(self.data.get(name) or "").strip() for name in self.fields)

    def clean(self) -> dict[str, Any]:
        """Optional means all three or none: a half-typed account gets told what is missing."""
        cleaned = super().clean() or {}
        if not self.is_blank():
            for name, field in self.fields.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, field.error_messages["required"])
        return cleaned


class ShopSettingsForm(forms.Form):
    """Everything on the shop's settings page except the bank account."""

    name = ShopNameForm.base_fields["name"]
    village = VillageField()
    village_hall = forms.ChoiceField(
        label=_("Village hall (optional)"),
        required=False,
        help_text=_("The balai desa that helps you, if any."),
    )
    story = ShopStoryForm.base_fields["story"]
    whatsapp = ShopStoryForm.base_fields["whatsapp"]
    nib = ShopNibForm.base_fields["nib"]
    logo = ShopStoryForm.base_fields["logo"]
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.halls = {str(hall.pk): hall for hall in selectors.village_halls()}
        self.fields["village_hall"].choices = [  # type: ignore[attr-defined]
            ("", _("— none —")),
            *((pk, hall.name) for pk, hall in self.halls.items()),
        ]

    def clean_story(self) -> str:
        return text_to_story(self.cleaned_data.get("story") or "")

    def clean_whatsapp(self) -> str:
        return _check(services.clean_whatsapp, "whatsapp", self.cleaned_data.get("whatsapp") or "")

    def clean_nib(self) -> str:
        return _check(services.clean_nib, "nib", self.cleaned_data.get("nib") or "")

    def clean_village_hall(self) -> Any:
        value = self.cleaned_data.get("village_hall") or ""
        return self.halls.get(value)


class AddMemberForm(forms.Form):
    login = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        help_text=_("They must already have a Pasar Kampung account."),
        error_messages={"required": _("Enter their phone number or e-mail address.")},
    )


class ConsentForm(forms.Form):
    phone = forms.CharField(
        label=_("Facilitator's phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text=_("Ask the facilitator at your village hall for the number they signed up with."),
        error_messages={"required": _("Enter the facilitator's phone number.")},
    )


class ShopDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("draft", _("Send back to draft")),
            ("suspend", _("Suspend")),
        ],
        error_messages={
            "required": _("Choose what to do with this shop."),
            "invalid_choice": _("Choose what to do with this shop."),
        },
    )
    reason = forms.CharField(
        label=_("Reason (shown to the seller)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when sending back or suspending: say what to fix."),
    )


class RemoveProductForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the seller)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tell the seller why.")},
    )


class ProhibitedTermForm(forms.Form):
    term = forms.CharField(
        label=_("Word or phrase"),
        max_length=100,
        error_messages={"required": _("Enter a word or phrase.")},
    )
    reason = forms.CharField(
        label=_("Why it is prohibited"),
        max_length=200,
        error_messages={"required": _("Say why it is prohibited; sellers will read it.")},
    )
