from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoObjectType

from marketplace.graphql.core.types import CountableConnection

from .. import models
from .dataloaders import RegionByIdLoader

RegionLevel = graphene.Enum.from_enum(models.RegionLevel)


class Region(DjangoObjectType):
    level = RegionLevel(required=True)
    display_name = graphene.String(required=True)
    parent = graphene.Field(lambda: Region)

    class Meta:
        model = models.Region
        interfaces = (graphene.relay.Node,)
        fields = ["id", "code", "name"]
        connection_class = CountableConnection

    @staticmethod
    def resolve_level(root: models.Region, info: graphene.ResolveInfo) -> str:
        return root.level

    @staticmethod
    def resolve_parent(root: models.Region, info: graphene.ResolveInfo) -> Any:
        return RegionByIdLoader.of(info).load(root.parent_id) if root.parent_id else None


class VillageHall(DjangoObjectType):
    village = graphene.Field(Region, required=True)

    class Meta:
        model = models.VillageHall
        interfaces = (graphene.relay.Node,)
        fields = ["id", "name", "address"]

    @staticmethod
    def resolve_village(root: models.VillageHall, info: graphene.ResolveInfo) -> Any:
        return RegionByIdLoader.of(info).load(root.village_id)
