from __future__ import annotations

from typing import Any

import graphene

from .mutations import ProfileUpdate, Register, TokenCreate
from .types import User


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="The signed-in user; null for anonymous requests.")

    @staticmethod
    def resolve_me(root: Any, info: graphene.ResolveInfo) -> Any:
        user = info.context.user
        return user if user.is_authenticated else None


class AccountMutations(graphene.ObjectType):
    register = Register.Field()
    token_create = TokenCreate.Field()
    profile_update = ProfileUpdate.Field()
