"""The base of every mutation: declared permission, typed errors, all or nothing.

A mutation names the rule it needs and writes only ``perform_mutation``::

    class ShopUpdate(BaseMutation):
        class Arguments: ...
        class Meta:
            permission = permissions.can_manage_shop

        @classmethod
        def get_permission_object(cls, info, **data): return the shop

        @classmethod
        def perform_mutation(cls, root, info, **data): call a service, return cls(...)

``BaseMutation.mutate`` checks the rule before anything else runs, turns ``ValidationError`` into
typed ``errors`` (``field``, ``code``, translated ``message``) and, when it returns errors, marks
the request so the surrounding atomic block (``ATOMIC_MUTATIONS``) rolls back.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from graphene.types.mutation import MutationOptions
from graphene_django.constants import MUTATION_ERRORS_FLAG

from marketplace.core.permissions import Rule

from .errors import errors_from_validation
from .types import Error


class BaseMutationOptions(MutationOptions):
    permission: Rule | None = None


class BaseMutation(graphene.Mutation):
    errors = graphene.List(graphene.NonNull(Error), required=True)

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        permission: Rule | None = None,
        _meta: BaseMutationOptions | None = None,
        **options: Any,
    ) -> None:
        if _meta is None:
            _meta = BaseMutationOptions(cls)
        _meta.permission = permission
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    @classmethod
    def get_permission_object(cls, info: graphene.ResolveInfo, **data: Any) -> Any:
        """The object the rule is about (a shop, a listing); ``None`` for rules about the user."""
        return None

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> BaseMutation:
        raise NotImplementedError

    @classmethod
    def failure(cls, info: graphene.ResolveInfo, errors: list[Error]) -> BaseMutation:
        setattr(info.context, MUTATION_ERRORS_FLAG, True)
        return cls(errors=errors)

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> BaseMutation:
        rule = cls._meta.permission
        try:
            if rule is not None:
                user = info.context.user
                obj = cls.get_permission_object(info, **data)
                if not rule(user, obj):
                    if not user.is_authenticated:
                        return cls.failure(
                            info,
                            [Error(code="unauthenticated", message=_("Please sign in first."))],
                        )
                    raise PermissionDenied(rule.__name__)
            result = cls.perform_mutation(root, info, **data)
        except PermissionDenied:
            return cls.failure(
                info,
                [
                    Error(
                        code="permission_denied",
                        message=_("You do not have permission to do this."),
                    )
                ],
            )
        except ObjectDoesNotExist:
            return cls.failure(
                info, [Error(code="not_found", message=_("What you asked for does not exist."))]
            )
        except ValidationError as exc:
            return cls.failure(info, errors_from_validation(exc))
        if result.errors is None:
            result.errors = []
        return result
