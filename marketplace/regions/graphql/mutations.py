from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.models import User as UserModel
from marketplace.core import permissions
from marketplace.graphql.core.ids import decode_id
from marketplace.graphql.core.mutations import BaseMutation

from .. import models, services
from .types import VillageHall


class FacilitatorAssignment(BaseMutation):
    village_hall = graphene.Field(VillageHall)

    class Arguments:
        village_hall_id = graphene.ID(required=True)
        user_id = graphene.ID(required=True)
        assigned = graphene.Boolean(
            required=True, description="True to assign the user to the hall, false to remove."
        )

    class Meta:
        permission = permissions.is_operator
        description = "Assign a facilitator to a village hall, or remove them (operators only)."

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, **data: Any
    ) -> FacilitatorAssignment:
        hall = models.VillageHall.objects.get(pk=decode_id(data["village_hall_id"], "VillageHall"))
        user = UserModel.objects.get(pk=decode_id(data["user_id"], "User"))
        if data["assigned"]:
            services.assign_facilitator(info.context.user, hall, user)
        else:
            services.unassign_facilitator(info.context.user, hall, user)
        return cls(village_hall=hall)
