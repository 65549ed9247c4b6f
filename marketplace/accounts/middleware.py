"""Request middleware for accounts: API tokens and the user's preferred language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .selectors import user_from_api_token


class ApiTokenMiddleware:
    """Authenticates ``Authorization: Bearer <token>`` requests (API clients).

    A token is not ambient authority like a session cookie, so token requests skip the CSRF check.
    A request with a bad token is treated as anonymous; the API then refuses what needs a user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            user = user_from_api_token(header.removeprefix("Bearer ").strip())
            if user is not None:
                request.user = user
                request.auth_via_token = True  # type: ignore[attr-defined]
                request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """Speaks to a signed-in user in the language of their profile.

    An explicit choice in this browser (the language cookie) still wins, so a seller helped by a
    facilitator can switch the page for a moment without changing their profile.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
