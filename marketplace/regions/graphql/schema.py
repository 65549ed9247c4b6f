from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoConnectionField

from .. import selectors
from .mutations import FacilitatorAssignment
from .types import Region, RegionLevel


class RegionQueries(graphene.ObjectType):
    regions = DjangoConnectionField(
        Region,
        level=RegionLevel(),
        parent_code=graphene.String(),
        description="Official regions, by level and parent (e.g. the villages of a district).",
    )
    region = graphene.Field(Region, code=graphene.String(required=True))

    @staticmethod
    def resolve_regions(
        root: Any,
        info: graphene.ResolveInfo,
        level: Any = None,
        parent_code: str | None = None,
        **kwargs: Any,
    ) -> Any:
        return selectors.regions(level=getattr(level, "value", level), parent_code=parent_code)

    @staticmethod
    def resolve_region(root: Any, info: graphene.ResolveInfo, code: str) -> Any:
        return selectors.regions().filter(code=code).first()


class RegionMutations(graphene.ObjectType):
    facilitator_assignment = FacilitatorAssignment.Field()
