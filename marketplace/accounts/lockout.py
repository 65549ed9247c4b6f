"""What a locked-out sign-in gets back."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """Keep the page or API answer the view made: it already says, in the user's language, that
    there were too many attempts (``services.authenticate_login``), next to the login field for a
    form and as a typed ``locked_out`` error for GraphQL. django-axes would otherwise swap it for a
    bare 403 page."""
    if original_response is None:  # pragma: no cover - axes always passes it in the sync path
        return HttpResponse(status=429)
    return original_response
