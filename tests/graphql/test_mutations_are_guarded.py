"""Every mutation declares the permission rule it needs; BaseMutation enforces it."""

from __future__ import annotations

from marketplace.graphql.api import schema
from marketplace.graphql.core.mutations import BaseMutation

#: Mutations anyone may call: they create or sign in the caller's own account.
PUBLIC = {"register", "tokenCreate"}


def test_every_mutation_is_a_base_mutation_with_a_declared_rule() -> None:
    fields = schema.graphql_schema.mutation_type.fields  # type: ignore[union-attr]
    unguarded = []
    for name, field in fields.items():
        mutation = field.resolve.__self__  # BaseMutation.mutate, bound to the mutation class
        assert issubclass(mutation, BaseMutation), name
        if mutation._meta.permission is None and name not in PUBLIC:
            unguarded.append(name)
    assert unguarded == []
    assert len(fields) >= 25
