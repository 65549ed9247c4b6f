"""Turning Django's exceptions into the API's typed errors."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphql import GraphQLError

from .types import Error


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def errors_from_validation(exc: ValidationError) -> list[Error]:
    """One ``Error`` per message; field names in the API's camelCase."""
    errors: list[Error] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            for error in field_errors:
                for message in error.messages:
                    errors.append(
                        Error(
                            field=None if field == NON_FIELD_ERRORS else to_camel(field),
                            code=error.code or "invalid",
                            message=message,
                        )
                    )
    else:
        for error in exc.error_list:
            for message in error.messages:
                errors.append(Error(field=None, code=error.code or "invalid", message=message))
    return errors


class PermissionDeniedError(GraphQLError):
    """Raised by a query field whose rule refuses the user; shows as ``extensions.code``."""

    def __init__(self, message: str, code: str = "permission_denied") -> None:
        super().__init__(message, extensions={"code": code})
