"""Per-request DataLoaders: batch the lookups of one request into one query per kind.

Resolvers call ``SomeLoader.of(info).load(key)``; the loader lives as long as the request, so two
resolvers asking for the same key share one lookup. Execution uses graphql-sync-dataloaders'
``DeferredExecutionContext`` (see ``marketplace.graphql.views``) so batching works with the
synchronous Django ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

import graphene
from graphql_sync_dataloaders import SyncDataLoader, SyncFuture

K = TypeVar("K")
V = TypeVar("V")


class DataLoader(Generic[K, V]):
    def __init__(self, context: Any) -> None:
        self.context = context
        self._loader = SyncDataLoader(self._batch)

    @classmethod
    def of(cls, info: graphene.ResolveInfo) -> DataLoader[K, V]:
        """The request's instance of this loader."""
        loaders: dict[type, DataLoader[Any, Any]] = info.context.__dict__.setdefault(
            "_dataloaders", {}
        )
        if cls not in loaders:
            loaders[cls] = cls(info.context)
        return loaders[cls]

    def load(self, key: K) -> SyncFuture:
        return self._loader.load(key)

    def _batch(self, keys: list[K]) -> list[V | None]:
        return list(self.batch_load(keys))

    def batch_load(self, keys: Sequence[K]) -> Iterable[V | None]:
        """Return one value (or ``None``) per key, in the order of ``keys``."""
        raise NotImplementedError
