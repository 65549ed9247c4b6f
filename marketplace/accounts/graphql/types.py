from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoObjectType

from marketplace.core import permissions
from marketplace.regions.graphql.types import VillageHall

from ..models import User as UserModel


class Roles(graphene.ObjectType):
    """What the user may be besides a buyer (every user can buy)."""

    seller = graphene.Boolean(required=True)
    facilitator = graphene.Boolean(required=True)
    trainer = graphene.Boolean(required=True)
    operator = graphene.Boolean(required=True)


class User(DjangoObjectType):
    phone = graphene.String(description="E.164, e.g. +6281234567890.")
    roles = graphene.Field(Roles, required=True)
    facilitated_halls = graphene.List(graphene.NonNull(VillageHall), required=True)

    class Meta:
        model = UserModel
        interfaces = (graphene.relay.Node,)
        fields = ["id", "email", "full_name", "preferred_language", "date_joined"]

    @staticmethod
    def resolve_phone(root: UserModel, info: graphene.ResolveInfo) -> str | None:
        return root.phone.as_e164 if root.phone else None

    @staticmethod
    def resolve_roles(root: UserModel, info: graphene.ResolveInfo) -> dict[str, Any]:
        return {
            "seller": permissions.is_seller(root),
            "facilitator": permissions.is_facilitator(root),
            "trainer": permissions.is_trainer(root),
            "operator": permissions.is_operator(root),
        }

    @staticmethod
    def resolve_facilitated_halls(root: UserModel, info: graphene.ResolveInfo) -> Any:
        return root.facilitated_halls.select_related("village").all()
