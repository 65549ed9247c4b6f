"""Search backends: where a ``SearchQuery`` is answered and where documents are sent.

``database`` (PostgreSQL full text, or SQLite ``LIKE`` when embedded) answers from the
``ProductDocument`` table itself; ``elasticsearch`` answers from an index fed with those same
documents. ``settings.SEARCH_BACKEND`` chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

if TYPE_CHECKING:
    from ..models import ProductDocument
    from ..query import SearchQuery, SearchResult

Progress = Callable[[str, int, int], None]
Log = Callable[[str], None]


class SearchBackend(Protocol):
    def search(self, query: SearchQuery) -> SearchResult: ...

    def index(self, documents: Sequence[ProductDocument], removed: Sequence[int]) -> None:
        """Send fresh documents, and delete listings no market shows any more."""

    def rebuild(self, progress: Progress | None = None, log: Log | None = None) -> None:
        """Rebuild the whole index from the (already rebuilt) documents."""


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_BACKEND
    if name == "database":
        from .database import DatabaseBackend

        return DatabaseBackend()
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    raise ValueError(f"Unknown SEARCH_BACKEND {name!r}.")
