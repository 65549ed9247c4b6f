"""Authentication by e-mail address or Indonesian phone number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User
from .selectors import canonical_login, user_by_login


class EmailOrPhoneBackend(ModelBackend):
    """Accepts ``username`` as an e-mail address or a phone number in any common spelling."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get("email") or kwargs.get("phone")
        if not username or not password:
            return None
        user = user_by_login(username)
        if user is None:
            # Run the hasher anyway so that timing does not reveal which logins exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login django-axes counts failures against, in canonical form.

    Without this, ``0812…`` and ``+62812…`` would be counted as two logins and an attacker would get
    several times the allowed attempts.
    """
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return canonical_login(str(raw))
