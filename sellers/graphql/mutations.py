"""Shop mutations: thin wrappers around ``sellers.services``."""

from __future__ import annotations

from typing import Any

import graphene

from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation
from marketplace.graphql.core.types import enum_value
from marketplace.regions.models import Region, RegionLevel

from .. import models, services
from .types import FacilitatorConsent, Shop, ShopMember


def _shop(global_id: str) -> models.Shop:
    return models.Shop.objects.get(pk=decode_id(global_id, "Shop"))


def _village(code: str | None) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code, level=RegionLevel.VILLAGE).first()


class ShopPayload(BaseMutation):
    shop = graphene.Field(Shop)

    class Meta:
        abstract = True


class ShopMutation(ShopPayload):
    class Meta:
        abstract = True

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> models.Shop:
        return _shop(data["id"])


class ShopCreate(ShopPayload):
    """Open a draft shop owned by the signed-in user (onboarding, step 1)."""

    class Arguments:
        name = graphene.String(required=True)
        village_code = graphene.String(required=True)

    class Meta:
        permission = permissions.is_authenticated

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ShopCreate:
        shop = services.create_shop(info.context.user, data["name"], _village(data["village_code"]))
        return cls(shop=shop)


class ShopUpdate(ShopMutation):
    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String()
        village_code = graphene.String()
        story = graphene.String(description="Simple HTML; sanitised.")
        whatsapp = graphene.String()
        nib = graphene.String()

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ShopUpdate:
        changes: dict[str, Any] = {
            key: data[key] for key in ("name", "story", "whatsapp", "nib") if key in data
        }
        if "village_code" in data:
            changes["village"] = _village(data["village_code"])
        shop = services.update_shop(info.context.user, _shop(data["id"]), **changes)
        return cls(shop=shop)


class ShopBankAccountSet(ShopMutation):
    class Arguments:
        id = graphene.ID(required=True)
        bank_code = graphene.String(required=True)
        account_number = graphene.String(required=True)
        holder_name = graphene.String(required=True)

    class Meta:
        permission = permissions.is_shop_owner

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ShopBankAccountSet:
        shop = _shop(data["id"])
        services.set_bank_account(
            info.context.user,
            shop,
            bank_code=data["bank_code"],
            account_number=data["account_number"],
            holder_name=data["holder_name"],
        )
        return cls(shop=shop)


class ShopSubmit(ShopMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ShopSubmit:
        return cls(shop=services.submit_shop(info.context.user, _shop(data["id"])))


ShopDecision = graphene.Enum("ShopDecision", [(name.upper(), name) for name in services.DECISIONS])


class ShopDecide(ShopMutation):
    """Operators: approve a shop, send it back to draft or suspend it, with a reason."""

    class Arguments:
        id = graphene.ID(required=True)
        decision = ShopDecision(required=True)
        reason = graphene.String()

    class Meta:
        permission = permissions.can_moderate

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ShopDecide:
        shop = services.decide_shop(
            info.context.user,
            _shop(data["id"]),
            enum_value(data["decision"]),
            data.get("reason") or "",
        )
        return cls(shop=shop)


class ShopMemberAdd(BaseMutation):
    member = graphene.Field(ShopMember)

    class Arguments:
        shop_id = graphene.ID(required=True)
        login = graphene.String(required=True, description="Phone number or e-mail address.")

    class Meta:
        permission = permissions.can_manage_shop_members

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> models.Shop:
        return _shop(data["shop_id"])

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ShopMemberAdd:
        member = services.add_staff(info.context.user, _shop(data["shop_id"]), data["login"])
        return cls(member=member)


def _membership(global_id: str) -> models.ShopMembership:
    return models.ShopMembership.objects.select_related("shop", "user").get(
        pk=decode_id(global_id, "ShopMember")
    )


class ShopMemberRemove(BaseMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop_members

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> models.Shop:
        return _membership(data["id"]).shop

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> ShopMemberRemove:
        membership = _membership(data["id"])
        services.remove_member(info.context.user, membership.shop, membership)
        return cls()


class FacilitatorConsentGrant(BaseMutation):
    consent = graphene.Field(FacilitatorConsent)

    class Arguments:
        shop_id = graphene.ID(required=True)
        phone = graphene.String(required=True, description="The facilitator's phone number.")

    class Meta:
        permission = permissions.can_manage_shop_members

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> models.Shop:
        return _shop(data["shop_id"])

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> FacilitatorConsentGrant:
        consent = services.grant_consent(info.context.user, _shop(data["shop_id"]), data["phone"])
        return cls(consent=consent)


def _consent(global_id: str) -> models.FacilitatorConsent:
    return models.FacilitatorConsent.objects.select_related("shop", "facilitator").get(
        pk=decode_id(global_id, "FacilitatorConsent")
    )


class FacilitatorConsentRevoke(BaseMutation):
    consent = graphene.Field(FacilitatorConsent)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permission = permissions.can_manage_shop_members

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> models.Shop:
        return _consent(data["id"]).shop

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> FacilitatorConsentRevoke:
        consent = _consent(data["id"])
        return cls(consent=services.revoke_consent(info.context.user, consent.shop, consent))
