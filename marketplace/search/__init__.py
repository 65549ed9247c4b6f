"""Product search: one interface, two backends (PostgreSQL/SQLite documents or Elasticsearch).

``search(SearchQuery(...))`` answers on ``settings.SEARCH_BACKEND``; the listings it can return are
always ``catalog.selectors.products_for_market(market.code)``, filtered further.
"""

from __future__ import annotations

from .query import FacetValue, MarketLike, SearchQuery, SearchResult

__all__ = ["FacetValue", "MarketLike", "SearchQuery", "SearchResult", "search"]


def search(query: SearchQuery) -> SearchResult:
    """Run ``query`` on the configured backend (imported here: models load after this package)."""
    from .services import search as run

    return run(query)
