"""Relay global IDs."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from graphql_relay import from_global_id


def decode_id(global_id: str, type_name: str) -> str:
    """The primary key inside ``global_id``; ``ObjectDoesNotExist`` if it is not a ``type_name``.

    ``BaseMutation`` turns that into a typed ``not_found`` error.
    """
    try:
        kind, pk = from_global_id(global_id)
    except Exception as exc:  # malformed base64 or text
        raise ObjectDoesNotExist(global_id) from exc
    if kind != type_name or not pk:
        raise ObjectDoesNotExist(global_id)
    return pk
