from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoObjectType

from marketplace.graphql.core.types import CountableConnection
from marketplace.regions.graphql.dataloaders import RegionByIdLoader
from marketplace.regions.graphql.types import Region

from .. import models

ShopStatus = graphene.Enum.from_enum(models.ShopStatus)


class Shop(DjangoObjectType):
    village = graphene.Field(Region, required=True)
    status = ShopStatus(required=True)

    class Meta:
        model = models.Shop
        interfaces = (graphene.relay.Node,)
        fields = ["id", "name", "slug", "created_at"]
        connection_class = CountableConnection

    @staticmethod
    def resolve_village(root: models.Shop, info: graphene.ResolveInfo) -> Any:
        return RegionByIdLoader.of(info).load(root.village_id)

    @staticmethod
    def resolve_status(root: models.Shop, info: graphene.ResolveInfo) -> str:
        return root.status
