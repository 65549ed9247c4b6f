"""The ``/graphql/`` endpoint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView

from .core.execution import ExecutionContext
from .core.multipart import MultipartUploadMixin
from .core.validation import validation_rules


def _csrf_probe(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    """A view that is not CSRF-exempt, for asking the CSRF middleware about a request."""
    raise AssertionError


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(MultipartUploadMixin, BaseGraphQLView):
    """Session auth for the browser (with CSRF), bearer tokens for API clients (without);
    file uploads by the GraphQL multipart request spec.

    CSRF protects ambient credentials. An anonymous request or one with a bearer token carries none,
    so only requests authenticated by the session cookie are checked.
    """

    execution_context_class = ExecutionContext

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and not getattr(request, "auth_via_token", False)
        ):
            middleware = CsrfViewMiddleware(_csrf_probe)
            reason = middleware.process_view(request, _csrf_probe, (), {})
            if reason is not None:
                return reason
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Any,
        query: Any,
        variables: Any,
        operation_name: Any,
        show_graphiql: bool = False,
    ) -> Any:
        self.validation_rules = validation_rules(variables if isinstance(variables, dict) else None)
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, show_graphiql
        )
