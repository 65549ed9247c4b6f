from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist
from graphene_django import DjangoConnectionField

from marketplace.graphql.core.ids import decode_id

from .. import selectors
from .mutations import (
    FacilitatorConsentGrant,
    FacilitatorConsentRevoke,
    ShopBankAccountSet,
    ShopCreate,
    ShopDecide,
    ShopMemberAdd,
    ShopMemberRemove,
    ShopSubmit,
    ShopUpdate,
)
from .types import Shop, ShopStatus


class ShopQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, id=graphene.ID(), slug=graphene.String())
    shops = DjangoConnectionField(
        Shop, district=graphene.String(), village=graphene.String(), status=ShopStatus()
    )

    @staticmethod
    def resolve_shop(
        root: Any, info: graphene.ResolveInfo, id: str | None = None, slug: str | None = None
    ) -> Any:
        qs = selectors.shops_readable_by(info.context.user)
        if id:
            try:
                return qs.filter(pk=decode_id(id, "Shop")).first()
            except ObjectDoesNotExist:
                return None
        return qs.filter(slug=slug).first() if slug else None

    @staticmethod
    def resolve_shops(
        root: Any,
        info: graphene.ResolveInfo,
        district: str | None = None,
        village: str | None = None,
        status: Any = None,
        **kwargs: Any,
    ) -> Any:
        qs = selectors.shops_readable_by(info.context.user)
        if district:
            qs = qs.filter(village__parent__code=district)
        if village:
            qs = qs.filter(village__code=village)
        if status is not None:
            qs = qs.filter(status=getattr(status, "value", status))
        return qs.order_by("name", "pk")


class ShopMutations(graphene.ObjectType):
    shop_create = ShopCreate.Field()
    shop_update = ShopUpdate.Field()
    shop_bank_account_set = ShopBankAccountSet.Field()
    shop_submit = ShopSubmit.Field()
    shop_decide = ShopDecide.Field()
    shop_member_add = ShopMemberAdd.Field()
    shop_member_remove = ShopMemberRemove.Field()
    facilitator_consent_grant = FacilitatorConsentGrant.Field()
    facilitator_consent_revoke = FacilitatorConsentRevoke.Field()
