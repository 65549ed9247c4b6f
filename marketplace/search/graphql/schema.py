"""``search``: the storefront's search over GraphQL, answered by ``marketplace.search.search``."""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import translation
from graphql import GraphQLError

from marketplace.catalog.graphql.types import Product
from marketplace.graphql.core.types import enum_value
from marketplace.markets.markets import HOME_COUNTRY, market_for_country

from ..query import FACETS, MAX_PAGE_SIZE, SearchQuery, SearchResult
from .types import Facet, FacetValue, SearchFilter, SearchSort


class SearchResults(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    page = graphene.Int(required=True)
    page_size = graphene.Int(required=True)
    facets = graphene.List(graphene.NonNull(Facet), required=True)
    products = graphene.List(graphene.NonNull(Product), required=True)

    @staticmethod
    def resolve_total_count(root: SearchResult, info: graphene.ResolveInfo) -> int:
        return root.total

    @staticmethod
    def resolve_facets(root: SearchResult, info: graphene.ResolveInfo) -> list[Facet]:
        return [
            Facet(
                name=name,
                values=[FacetValue(value=v.value, label=v.label, count=v.count) for v in values],
            )
            for name in FACETS
            if (values := root.facets.get(name)) is not None
        ]


class SearchQueries(graphene.ObjectType):
    search = graphene.Field(
        SearchResults,
        required=True,
        query=graphene.String(description="Words, in any of the listing languages."),
        filter=SearchFilter(),
        sort=SearchSort(default_value="relevance"),
        first=graphene.Int(default_value=24, description=f"Page size, at most {MAX_PAGE_SIZE}."),
        page=graphene.Int(default_value=1),
        country=graphene.String(
            description="Destination country (ISO code); decides market and currency. Default ID."
        ),
        description="Published listings the destination's market shows, with facets.",
    )

    @staticmethod
    def resolve_search(
        root: Any,
        info: graphene.ResolveInfo,
        query: str | None = None,
        filter: Any = None,
        sort: Any = "relevance",
        first: int = 24,
        page: int = 1,
        country: str | None = None,
    ) -> SearchResult:
        from marketplace.search import search

        try:
            market = market_for_country(country or HOME_COUNTRY)
        except ValueError:
            raise GraphQLError(
                f"We do not ship to {country!r}.", extensions={"code": "invalid_country"}
            ) from None
        if first < 1 or page < 1:
            raise GraphQLError("first and page start at 1.", extensions={"code": "invalid_page"})
        values: dict[str, Any] = {}
        if filter is not None:
            for name in (
                "category",
                "district",
                "village",
                "price_min",
                "price_max",
                "in_stock",
                "ships_to_eu",
            ):
                if getattr(filter, name, None) is not None:
                    values[name] = getattr(filter, name)
        return search(
            SearchQuery(
                market=market,
                text=(query or "")[:200],
                sort=str(enum_value(sort) or "relevance"),
                page=page,
                page_size=min(first, MAX_PAGE_SIZE),
                language=translation.get_language() or "id",
                **values,
            )
        )
