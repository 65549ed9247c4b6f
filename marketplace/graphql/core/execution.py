"""The execution context: graphql-sync-dataloaders' deferred execution, fitted to graphql-core.

``DeferredExecutionContext`` resolves DataLoader futures in batches under the synchronous Django
ORM. It was written against graphql-core 3.2.3 and calls ``handle_field_error`` without the
``path`` argument that graphql-core 3.2.7+ requires, which turned every field error into a crash.
The override accepts both forms; without a path graphql-core still reports the error, it only
cannot drop duplicates under a nulled parent.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLOutputType
from graphql_sync_dataloaders import DeferredExecutionContext


class ExecutionContext(DeferredExecutionContext):
    def handle_field_error(
        self, error: GraphQLError, return_type: GraphQLOutputType, path: Any = None
    ) -> None:
        super().handle_field_error(error, return_type, path)
