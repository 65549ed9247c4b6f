from __future__ import annotations

import graphene

from ..query import SORTS

SearchSort = graphene.Enum(
    "SearchSort",
    [(name.upper(), name) for name in SORTS],
    description="RELEVANCE without words means NEWEST.",
)


class SearchFilter(graphene.InputObjectType):
    category = graphene.String(description="Category slug; its child categories are included.")
    district = graphene.String(description="Official district code, e.g. 3510170.")
    village = graphene.String(description="Official village code, e.g. 3510170012.")
    price_min = graphene.Decimal(
        description="In the market's currency, on the lowest price before VAT."
    )
    price_max = graphene.Decimal()
    in_stock = graphene.Boolean()
    ships_to_eu = graphene.Boolean()


class FacetValue(graphene.ObjectType):
    value = graphene.String(required=True, description="What to filter by (for price: MIN-MAX).")
    label = graphene.String(required=True, description="In the request's language.")
    count = graphene.Int(required=True)


class Facet(graphene.ObjectType):
    name = graphene.String(
        required=True,
        description="category, district, village, price, in_stock or ships_to_eu.",
    )
    values = graphene.List(graphene.NonNull(FacetValue), required=True)
