"""Writes about users: registration, profile, sign-in for API clients.

Web forms and GraphQL mutations both call these functions, so a rule about accounts (unique phone
numbers, password strength, lock-out) is enforced in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from marketplace.audit.services import record

from .models import ApiToken, User
from .phone import normalise_phone


@dataclass(frozen=True)
class Registration:
    full_name: str
    password: str
    email: str = ""
    phone: str = ""
    preferred_language: str = "id"


def clean_contact(
    email: str, phone: str, *, instance: User | None = None
) -> tuple[str | None, str | None]:
    """Validate and normalise an e-mail address and phone number; at least one is required.

    Raises ``ValidationError`` keyed by field, with messages in the active language.
    """
    errors: dict[str, list[ValidationError]] = {}
    email_n: str | None = email.strip().lower() or None
    phone_n: str | None = None
    if email_n:
        try:
            validate_email(email_n)
        except ValidationError:
            errors.setdefault("email", []).append(
                ValidationError(_("Enter a valid e-mail address."), code="invalid_email")
            )
        else:
            taken = User.objects.filter(email=email_n)
            if instance is not None:
                taken = taken.exclude(pk=instance.pk)
            if taken.exists():
                errors.setdefault("email", []).append(
                    ValidationError(
                        _("An account with this e-mail address already exists."), code="email_taken"
                    )
                )
    if phone.strip():
        try:
            phone_n = normalise_phone(phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).append(exc)
        else:
            taken = User.objects.filter(phone=phone_n)
            if instance is not None:
                taken = taken.exclude(pk=instance.pk)
            if taken.exists():
                errors.setdefault("phone", []).append(
                    ValidationError(
                        _("An account with this phone number already exists."), code="phone_taken"
                    )
                )
    if not email_n and not phone.strip():
        errors.setdefault("phone", []).append(
            ValidationError(
                _("Enter a phone number or an e-mail address (or both)."), code="contact_required"
            )
        )
    if errors:
        raise ValidationError(errors)
    return email_n, phone_n


@transaction.atomic
def register_user(data: Registration) -> User:
    """Create a buyer account. Every user can buy; other roles are granted later."""
    errors: dict[str, list[ValidationError]] = {}
    if not data.full_name.strip():
        errors["full_name"] = [ValidationError(_("Enter your name."), code="required")]
    try:
        email, phone = clean_contact(data.email, data.phone)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        email = phone = None
    candidate = User(email=email, phone=phone, full_name=data.full_name.strip())
    try:
        validate_password(data.password, user=candidate)
    except ValidationError as exc:
        errors["password"] = [ValidationError(m, code="weak_password") for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        email=email,
        phone=phone,
        password=data.password,
        full_name=data.full_name.strip(),
        preferred_language=data.preferred_language,
    )
    record(user, "account.registered", user)
    return user


@transaction.atomic
def update_profile(
    user: User,
    *,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    preferred_language: str | None = None,
) -> User:
    """Change what a user may change about themselves; ``None`` leaves a field as it is."""
    errors: dict[str, list[ValidationError]] = {}
    new_email = (user.email or "") if email is None else email
    new_phone = (user.phone.as_e164 if user.phone else "") if phone is None else phone
    clean_email = clean_phone = None
    try:
        clean_email, clean_phone = clean_contact(new_email, new_phone, instance=user)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if full_name is not None and not full_name.strip():
        errors["full_name"] = [ValidationError(_("Enter your name."), code="required")]
    if preferred_language is not None and preferred_language not in dict(settings.LANGUAGES):
        errors["preferred_language"] = [
            ValidationError(_("This language is not available."), code="invalid_language")
        ]
    if errors:
        raise ValidationError(errors)
    user.email, user.phone = clean_email, clean_phone
    if full_name is not None:
        user.full_name = full_name.strip()
    if preferred_language is not None:
        user.preferred_language = preferred_language
    user.save()
    record(user, "account.profile_updated", user)
    return user


def authenticate_login(request: HttpRequest | None, login: str, password: str) -> User:
    """Check a login and password, counting failures for django-axes' lock-out.

    Raises ``ValidationError`` with code ``invalid_login`` or ``locked_out``.
    """
    try:
        user = authenticate(request, username=login, password=password)
    except AxesBackendPermissionDenied as exc:
        raise ValidationError(
            _("Too many failed sign-in attempts. Please wait 15 minutes and try again."),
            code="locked_out",
        ) from exc
    if getattr(request, "axes_locked_out", False):
        raise ValidationError(
            _("Too many failed sign-in attempts. Please wait 15 minutes and try again."),
            code="locked_out",
        )
    if user is None:
        raise ValidationError(
            _("The phone number, e-mail address or password is not correct."),
            code="invalid_login",
        )
    assert isinstance(user, User)
    return user


def create_api_token(request: HttpRequest | None, login: str, password: str) -> tuple[User, str]:
    """Sign an API client in; returns the user and a new raw bearer token."""
    user = authenticate_login(request, login, password)
    _token, raw = ApiToken.issue(user, name="api")
    record(user, "account.token_created", user)
    return user, raw
