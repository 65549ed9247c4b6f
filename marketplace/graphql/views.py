"""The ``/graphql/`` endpoint."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

from marketplace.core.cache import catalog_generation
from marketplace.markets.markets import current_market

from .core.execution import ExecutionContext
from .core.multipart import MultipartUploadMixin
from .core.validation import validation_rules


def _csrf_probe(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    """A view that is not CSRF-exempt, for asking the CSRF middleware about a request."""
    raise AssertionError


#: Root fields whose answer, for an anonymous buyer, depends only on the query, its variables, the
#: market and the language, and changes only with the catalog generation.
CACHEABLE_ROOT_FIELDS = frozenset({"products", "product", "search", "categories", "__typename"})
#: Cached answers also expire on their own: category names change without a catalog event.
#: ``settings.GRAPHQL_RESPONSE_CACHE_SECONDS`` overrides it; 0 switches the cache off.
RESPONSE_CACHE_SECONDS = 300


def response_cache_seconds() -> int:
    return int(getattr(settings, "GRAPHQL_RESPONSE_CACHE_SECONDS", RESPONSE_CACHE_SECONDS))


#: Longer documents are not cached (nor is the verdict on them kept in memory).
MAX_CACHEABLE_QUERY_LENGTH = 10_000


def cacheable_document(query: str) -> bool:
    """Whether every operation in ``query`` is a query whose root fields are all allow-listed.

    The document is parsed, not matched as text, so a mutation, a subscription, a fragment at the
    root (which could hide any field) or any field outside ``CACHEABLE_ROOT_FIELDS`` refuses it.
    """
    return len(query) <= MAX_CACHEABLE_QUERY_LENGTH and _only_allowed_reads(query)


@functools.lru_cache(maxsize=512)
def _only_allowed_reads(query: str) -> bool:
    """``cacheable_document``'s verdict, remembered: apps send the same few documents."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        return False
    for operation in operations:
        if operation.operation is not OperationType.QUERY:
            return False
        for selection in operation.selection_set.selections:
            if not isinstance(selection, FieldNode):
                return False
            if selection.name.value not in CACHEABLE_ROOT_FIELDS:
                return False
    return True


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
        result = super().execute_graphql_request(
            request, data, query, variables, operation_name, show_graphiql
        )
        self.failed = result is None or bool(result.errors)
        return result

    def get_response(
        self, request: HttpRequest, data: Any, show_graphiql: bool = False
    ) -> tuple[str | None, int]:
        """Answer anonymous catalog reads from the cache (the hot path of buyers' apps).

        Resolving 24 product nodes costs more than the SQL behind them, and every anonymous buyer
        of a market and language asking the same query gets the same answer until the catalog
        generation moves (``marketplace.core.cache``). Signed-in users (by session or token) are
        never served from it: ``product``/``products`` show them their own drafts. Answers with
        errors are not kept.
        """
        key = None if show_graphiql else self.response_cache_key(request, data)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached, 200
        self.failed = True
        result, status_code = super().get_response(request, data, show_graphiql)
        if key is not None and result is not None and status_code == 200 and not self.failed:
            cache.set(key, result, response_cache_seconds())
        return result, status_code

    def response_cache_key(self, request: HttpRequest, data: Any) -> str | None:
        """The cache key of an anonymous, allow-listed read; ``None`` when it must not be cached."""
        if (
            response_cache_seconds() <= 0
            or self.batch
            or request.user.is_authenticated
            or getattr(request, "auth_via_token", False)
            or "authorization" in request.headers
            or not isinstance(data, dict)
        ):
            return None
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        if not isinstance(query, str) or not cacheable_document(query):
            return None
        try:
            spec = json.dumps(
                [query, variables, operation_name, request.GET.get("pretty")], sort_keys=True
            )
        except (TypeError, ValueError):
            return None
        digest = hashlib.sha256(spec.encode()).hexdigest()[:40]
        country = current_market(request).country
        return f"graphql:{catalog_generation()}:{get_language()}:{country}:{digest}"
