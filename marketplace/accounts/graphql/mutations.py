from __future__ import annotations

from typing import Any

import graphene
from django.conf import settings

from marketplace.core import permissions
from marketplace.graphql.core.mutations import BaseMutation
from marketplace.graphql.core.types import enum_value

from .. import services
from .types import User

LanguageCode = graphene.Enum(
    "LanguageCode", [(code.upper(), code) for code, _ in settings.LANGUAGES]
)


class Register(BaseMutation):
    """Create a buyer account with a phone number, an e-mail address, or both."""

    user = graphene.Field(User)

    class Arguments:
        full_name = graphene.String(required=True)
        password = graphene.String(required=True)
        email = graphene.String()
        phone = graphene.String(description="Any common spelling: 0812…, +62 812…, 62812….")
        preferred_language = LanguageCode()

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> Register:
        user = services.register_user(
            services.Registration(
                full_name=data["full_name"],
                password=data["password"],
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                preferred_language=enum_value(data.get("preferred_language"))
                or settings.LANGUAGE_CODE,
            )
        )
        return cls(user=user)


class TokenCreate(BaseMutation):
    """Sign in an API client: returns a bearer token for the ``Authorization`` header."""

    token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        login = graphene.String(required=True, description="E-mail address or phone number.")
        password = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> TokenCreate:
        user, token = services.create_api_token(info.context, data["login"], data["password"])
        return cls(user=user, token=token)


class ProfileUpdate(BaseMutation):
    user = graphene.Field(User)

    class Arguments:
        full_name = graphene.String()
        email = graphene.String()
        phone = graphene.String()
        preferred_language = LanguageCode()

    class Meta:
        permission = permissions.is_authenticated

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> ProfileUpdate:
        if "preferred_language" in data:
            data["preferred_language"] = enum_value(data["preferred_language"])
        user = services.update_profile(info.context.user, **data)
        return cls(user=user)
