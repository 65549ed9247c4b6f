"""The search interface: what a page asks (``SearchQuery``) and what it gets (``SearchResult``).

Kept free of model imports at module level so ``marketplace.search`` can re-export these while
Django is still loading apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from marketplace.catalog.models import Product

SORTS: tuple[str, ...] = ("relevance", "newest", "price_asc", "price_desc")
MAX_PAGE_SIZE = 60
FACETS: tuple[str, ...] = ("category", "district", "village", "price", "in_stock", "ships_to_eu")


class MarketLike(Protocol):
    """What search needs of a market (``marketplace.markets.Market`` satisfies it)."""

    @property
    def code(self) -> str: ...  # "ID" | "EU"

    @property
    def currency(self) -> str: ...  # "IDR" | "EUR"


@dataclass(frozen=True)
class SearchQuery:
    market: MarketLike
    text: str = ""
    #: Category slug; its child categories are included.
    category: str | None = None
    #: Official district code (kecamatan).
    district: str | None = None
    #: Official village code (desa/kelurahan).
    village: str | None = None
    #: In the market's currency, on the lowest net price (IDR price; EU: export price before VAT).
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    ships_to_eu: bool | None = None
    #: "relevance" | "newest" | "price_asc" | "price_desc"; relevance without text is newest.
    sort: str = "relevance"
    page: int = 1
    #: Capped at ``MAX_PAGE_SIZE``.
    page_size: int = 24
    #: The buyer's language, for query parsing and ranking.
    language: str = "id"
    #: The facets to count (a page that does not show one need not pay for it); the others may
    #: come back empty.
    facets: tuple[str, ...] = FACETS

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"Unknown sort {self.sort!r}; use one of {', '.join(SORTS)}.")

    @property
    def limit(self) -> int:
        return max(1, min(int(self.page_size), MAX_PAGE_SIZE))

    @property
    def offset(self) -> int:
        return (max(1, int(self.page)) - 1) * self.limit

    @property
    def effective_sort(self) -> str:
        """Relevance needs words to be relevant to; without them the newest come first."""
        return "newest" if self.sort == "relevance" and not self.text.strip() else self.sort


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    #: In order, with shop, village, district and category joined and variants and photos
    #: prefetched (a constant number of queries whatever the page size).
    products: list[Product]
    total: int
    page: int
    page_size: int
    #: "category", "district", "village", "price" (ranges), "in_stock", "ships_to_eu".
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
