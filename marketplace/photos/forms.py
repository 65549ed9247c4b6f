"""Form pieces the seller dashboard reuses: the photo field and the small photo forms.

``PhotoField`` runs ``validation.validate_photo``, so a web form refuses exactly what GraphQL and
the services refuse, with the same translated messages, before anything is stored. The form that
holds it needs ``enctype="multipart/form-data"``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import ALT_TEXT_MAX_LENGTH
from .validation import MAX_BYTES, MAX_PIXELS, validate_photo


class PhotoInput(forms.FileInput):
    """``<input type="file" accept="image/*" capture>``: phones offer the camera at once."""

    def __init__(self, attrs: dict[str, Any] | None = None, capture: bool | str = True) -> None:
        defaults: dict[str, Any] = {"accept": "image/*"}
        if capture:
            defaults["capture"] = capture
        super().__init__({**defaults, **(attrs or {})})


class PhotoField(forms.FileField):
    """An uploaded photo, checked by content: JPEG, PNG, WebP or HEIC, size and pixel limits."""

    widget = PhotoInput
    default_error_messages = {
        "required": _("Choose a photo to upload."),
        "empty": _("The file is empty."),
        "invalid": _("No file was sent. Check the form's encoding type."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Photo"))
        kwargs.setdefault(
            "help_text",
            _("JPEG, PNG, WebP or HEIC; at most %(mb)d MB and %(mp)d megapixels.")
            % {"mb": MAX_BYTES // (1024 * 1024), "mp": MAX_PIXELS // 1_000_000},
        )
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        file = super().to_python(data)
        if file is None:
            return None
        validate_photo(file)
        return file


class PhotoUploadForm(forms.Form):
    photo = PhotoField()
    alt_text = forms.CharField(
        label=_("What the photo shows"),
        max_length=ALT_TEXT_MAX_LENGTH,
        required=False,
        help_text=_(
            "For buyers who cannot see the photo, e.g. “250 g bag of ground Osing robusta”."
        ),
    )


class AltTextForm(forms.Form):
    alt_text = forms.CharField(
        label=_("What the photo shows"), max_length=ALT_TEXT_MAX_LENGTH, required=False
    )


class PhotoOrderForm(forms.Form):
    """The new order as photo ids, comma-separated (a no-JavaScript form sends one hidden field,
    or up/down buttons build it)."""

    order = forms.CharField(widget=forms.HiddenInput)

    def clean_order(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["order"].split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("The order is not valid."), code="invalid") from exc
