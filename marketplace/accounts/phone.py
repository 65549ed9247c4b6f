"""Phone numbers as villagers write them.

Many sellers have no e-mail address; their phone number is their login. ``0812…``, ``+62 812…``
and ``62812…`` are the same Indonesian number, so every phone number is stored and compared in
E.164 form (``+62812…``).
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "ID"


def normalise_phone(raw: str) -> str:
    """Return ``raw`` in E.164 form, or raise ``ValidationError`` if it is not a phone number."""
    text = raw.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    # "62812…" without the plus is how numbers are often copied from WhatsApp links.
    if not text.startswith("+") and digits.startswith("62") and len(digits) >= 10:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Enter a valid phone number, for example 0812 3456 7890."), code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example 0812 3456 7890."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(login: str) -> bool:
    """True when a login field holds a phone number rather than an e-mail address."""
    return "@" not in login and sum(ch.isdigit() for ch in login) >= 6
