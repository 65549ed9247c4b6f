"""Query depth and cost limits: refuse abusive queries before they touch the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from graphene.validation import depth_limit_validator
from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    specified_rules,
)


def _page_size(node: FieldNode, variables: Mapping[str, Any]) -> int:
    """How many items a list field may return: its ``first``/``last``, else 1."""
    max_page: int = settings.GRAPHQL_MAX_PAGE_SIZE
    for arg in node.arguments or ():
        if arg.name.value not in ("first", "last"):
            continue
        value = arg.value
        if isinstance(value, IntValueNode):
            return max(1, min(int(value.value), max_page))
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(1, min(int(given), max_page)) if isinstance(given, int) else max_page
    return 1


def query_cost(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    seen: frozenset[str] = frozenset(),
) -> int:
    """Each field costs 1 plus its children's cost, times its page size for lists."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            children = query_cost(selection.selection_set, fragments, variables, seen)
            total += _page_size(selection, variables) * (1 + children)
        elif isinstance(selection, InlineFragmentNode):
            total += query_cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                total += query_cost(fragment.selection_set, fragments, variables, seen | {name})
    return total


def cost_limit_validator(max_cost: int, variables: Mapping[str, Any]) -> type[ASTValidationRule]:
    class CostLimitRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            for definition in document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                cost = query_cost(definition.selection_set, fragments, variables)
                if cost > max_cost:
                    context.report_error(
                        GraphQLError(
                            _(
                                "This query is too expensive (cost %(cost)d, limit %(limit)d). "
                                "Ask for fewer items or fewer fields."
                            )
                            % {"cost": cost, "limit": max_cost},
                            definition,
                        )
                    )

    return CostLimitRule


def validation_rules(variables: Mapping[str, Any] | None) -> list[type[ASTValidationRule]]:
    return [
        *specified_rules,
        depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH),
        cost_limit_validator(settings.GRAPHQL_MAX_COST, variables or {}),
    ]
