"""Reads about users."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import ApiToken, User, hash_token
from .phone import looks_like_phone, normalise_phone


def canonical_login(login: str) -> str:
    """The one spelling of a login: a lower-case e-mail address or an E.164 phone number.

    Logins that are neither are returned stripped, so that a failed attempt is still counted.
    """
    text = login.strip()
    if looks_like_phone(text):
        try:
            return normalise_phone(text)
        except ValidationError:
            return text
    return text.lower()


def user_by_login(login: str) -> User | None:
    """The user who signs in with ``login`` (an e-mail address or a phone number in any form)."""
    key = canonical_login(login)
    if not key:
        return None
    field = "phone" if key.startswith("+") else "email"
    return User.objects.filter(**{field: key}).first()


def user_from_api_token(raw: str) -> User | None:
    """The active user owning the unexpired token ``raw``; marks the token as used."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
