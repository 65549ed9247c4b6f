from __future__ import annotations

from typing import Any

import graphene
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from graphene_django import DjangoObjectType

from .. import models, selectors
from ..processing import CARD_WIDTH


class PhotoFormat(graphene.Enum):
    AVIF = "avif"
    WEBP = "webp"


def _format(value: Any) -> str:
    return str(getattr(value, "value", value) or "webp")


class ProductPhoto(DjangoObjectType):
    """A photo of a listing. Only derivatives are offered (WebP/AVIF); the master never is."""

    placeholder = graphene.String(
        required=True, description="Dominant colour, #rrggbb: paint the box with it first."
    )
    placeholder_data_uri = graphene.String(
        required=True, description="A ~16 px WebP as a data: URI, to show blurred while loading."
    )
    ready = graphene.Boolean(
        required=True, description="False until the resized copies exist (seconds after upload)."
    )
    srcset = graphene.String(
        format=PhotoFormat(default_value="webp"),
        description="`url width` pairs for <img srcset>; null until ready.",
    )
    url = graphene.String(
        width=graphene.Int(default_value=CARD_WIDTH),
        format=PhotoFormat(default_value="webp"),
        description="The smallest copy at least `width` px wide (else the largest); null until "
        "ready.",
    )

    class Meta:
        model = models.ProductPhoto
        interfaces = (graphene.relay.Node,)
        fields = ["id", "position", "alt_text", "width", "height"]

    @classmethod
    def get_queryset(
        cls, queryset: QuerySet[models.ProductPhoto], info: graphene.ResolveInfo
    ) -> QuerySet[models.ProductPhoto]:
        # `node(id:)` must not reveal photos of drafts: buyers see visible listings only.
        return queryset.filter(pk__in=selectors.visible_photos().values("pk"))

    @staticmethod
    def resolve_placeholder(root: models.ProductPhoto, info: graphene.ResolveInfo) -> str:
        return root.placeholder_color

    @staticmethod
    def resolve_placeholder_data_uri(root: models.ProductPhoto, info: graphene.ResolveInfo) -> str:
        return root.placeholder_uri

    @staticmethod
    def resolve_ready(root: models.ProductPhoto, info: graphene.ResolveInfo) -> bool:
        return root.is_ready

    @staticmethod
    def resolve_srcset(
        root: models.ProductPhoto, info: graphene.ResolveInfo, format: Any = None
    ) -> str | None:
        return root.srcset(_format(format)) or None

    @staticmethod
    def resolve_url(
        root: models.ProductPhoto,
        info: graphene.ResolveInfo,
        width: int = CARD_WIDTH,
        format: Any = None,
    ) -> str | None:
        chosen = root.rendition_for(width, _format(format))
        return default_storage.url(chosen["name"]) if chosen else None
