"""Types every domain's schema shares."""

from __future__ import annotations

from typing import Any

import graphene


class Error(graphene.ObjectType):
    """A typed, translated error: what went wrong, where, in the user's language."""

    field = graphene.String(
        description="The input field the error is about; null when it is about the whole input."
    )
    code = graphene.String(required=True, description="A stable, machine-readable code.")
    message = graphene.String(required=True, description="The message, in the user's language.")


class CountableConnection(graphene.relay.Connection):
    """A Relay connection with a total count; page size is capped (RELAY_CONNECTION_MAX_LIMIT)."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True)

    @staticmethod
    def resolve_total_count(root: Any, info: graphene.ResolveInfo) -> int:
        return int(root.length)


def enum_value(value: Any) -> Any:
    """Graphene 3 passes enum arguments as Python enum members; services take plain values."""
    return getattr(value, "value", value)


class DisplayPrice(graphene.ObjectType):
    """A price as the buyer of a market sees it: in the EU including the destination's VAT."""

    gross = graphene.Field(lambda: Money, required=True)
    net = graphene.Field(lambda: Money, required=True)
    vat_rate = graphene.Decimal(description="Percent; null for Indonesia (prices are final).")
    vat_amount = graphene.Field(lambda: Money)
    country = graphene.String(required=True)
    vat_label = graphene.String(required=True, description='e.g. "incl. 19% VAT, DE"')

    @staticmethod
    def resolve_vat_label(root: Any, info: graphene.ResolveInfo) -> str:
        return str(root.vat_label())


class Money(graphene.ObjectType):
    """An amount with its currency. Amounts are decimal strings: money is never a float."""

    amount = graphene.Decimal(required=True)
    currency = graphene.String(required=True)

    @staticmethod
    def resolve_amount(root: Any, info: graphene.ResolveInfo) -> Any:
        return root.amount

    @staticmethod
    def resolve_currency(root: Any, info: graphene.ResolveInfo) -> str:
        return str(root.currency)
