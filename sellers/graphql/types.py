from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoObjectType

from marketplace.core import permissions
from marketplace.graphql.core.types import CountableConnection
from marketplace.regions.graphql.dataloaders import RegionByIdLoader
from marketplace.regions.graphql.types import Region

from .. import models, selectors

ShopStatus = graphene.Enum.from_enum(models.ShopStatus)
MemberRole = graphene.Enum.from_enum(models.MemberRole)


class BankAccount(graphene.ObjectType):
    """Where payouts go: only the shop's owner and operators can read it."""

    bank_code = graphene.String(required=True)
    bank_name = graphene.String(required=True)
    account_number = graphene.String(required=True)
    holder_name = graphene.String(required=True)

    @staticmethod
    def resolve_bank_name(root: models.ShopBankAccount, info: graphene.ResolveInfo) -> str:
        return root.bank_label


class ShopMember(graphene.ObjectType):
    id = graphene.ID(required=True)
    full_name = graphene.String(required=True)
    role = MemberRole(required=True)

    @staticmethod
    def resolve_id(root: models.ShopMembership, info: graphene.ResolveInfo) -> str:
        from graphql_relay import to_global_id

        return to_global_id("ShopMember", root.pk)

    @staticmethod
    def resolve_full_name(root: models.ShopMembership, info: graphene.ResolveInfo) -> str:
        return root.user.full_name


class FacilitatorConsent(graphene.ObjectType):
    id = graphene.ID(required=True)
    facilitator_name = graphene.String(required=True)
    granted_at = graphene.DateTime(required=True)
    revoked_at = graphene.DateTime()

    @staticmethod
    def resolve_id(root: models.FacilitatorConsent, info: graphene.ResolveInfo) -> str:
        from graphql_relay import to_global_id

        return to_global_id("FacilitatorConsent", root.pk)

    @staticmethod
    def resolve_facilitator_name(
        root: models.FacilitatorConsent, info: graphene.ResolveInfo
    ) -> str:
        return root.facilitator.full_name


class Shop(DjangoObjectType):
    village = graphene.Field(Region, required=True)
    status = ShopStatus(required=True)
    status_reason = graphene.String(description="The operator's reason; for the shop's people.")
    whatsapp = graphene.String()
    nib = graphene.String(description="Business identification number; for the shop's people.")
    bank_account = graphene.Field(BankAccount, description="Owner and operators only.")
    members = graphene.List(
        graphene.NonNull(ShopMember), description="For the shop's people and operators."
    )
    facilitator_consents = graphene.List(graphene.NonNull(FacilitatorConsent))

    class Meta:
        model = models.Shop
        interfaces = (graphene.relay.Node,)
        fields = ["id", "name", "slug", "story", "created_at"]
        connection_class = CountableConnection

    @classmethod
    def get_queryset(cls, queryset: Any, info: graphene.ResolveInfo) -> Any:
        return queryset.filter(pk__in=selectors.shops_readable_by(info.context.user).values("pk"))

    @staticmethod
    def _insider(root: models.Shop, info: graphene.ResolveInfo) -> bool:
        user = info.context.user
        return permissions.can_manage_shop(user, root) or permissions.is_operator(user)

    @staticmethod
    def resolve_village(root: models.Shop, info: graphene.ResolveInfo) -> Any:
        return RegionByIdLoader.of(info).load(root.village_id)

    @staticmethod
    def resolve_status(root: models.Shop, info: graphene.ResolveInfo) -> str:
        return root.status

    @classmethod
    def resolve_status_reason(cls, root: models.Shop, info: graphene.ResolveInfo) -> str | None:
        return root.status_reason if cls._insider(root, info) else None

    @staticmethod
    def resolve_whatsapp(root: models.Shop, info: graphene.ResolveInfo) -> str | None:
        return root.whatsapp or None

    @classmethod
    def resolve_nib(cls, root: models.Shop, info: graphene.ResolveInfo) -> str | None:
        return root.nib if cls._insider(root, info) else None

    @staticmethod
    def resolve_bank_account(root: models.Shop, info: graphene.ResolveInfo) -> Any:
        return selectors.bank_account_for(info.context.user, root)

    @classmethod
    def resolve_members(cls, root: models.Shop, info: graphene.ResolveInfo) -> Any:
        return selectors.members(root) if cls._insider(root, info) else None

    @classmethod
    def resolve_facilitator_consents(cls, root: models.Shop, info: graphene.ResolveInfo) -> Any:
        return selectors.consents(root) if cls._insider(root, info) else None
