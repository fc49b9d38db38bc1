"""Checks made on a whole operation before anything executes: which operation, authentication, input values the
database cannot hold, page sizes and query cost. Each limit applies to the value in effect: a literal, a
variable's value, or the variable's default."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import GraphQLError, GraphQLInt

from assetgraph.config import Limits
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.identity import Unauthenticated
from assetgraph.schema.errors import to_graphql_error
from assetgraph.schema.input_values import variable_errors
from assetgraph.schema.operation_facts import DocumentFacts, OperationFacts
from assetgraph.schema.query_cost import PAGED_FIELDS, PageSize, cost_of, cost_rule

MULTIPLE_OPERATIONS = "Must provide operation name if query contains multiple operations."


def page_size_error(field: str, argument: str, value: int | None, limits: Limits) -> BadUserInput | None:
    """The one rule for page sizes: an integer within the field's bounds (by default 0 to the configured maximum)."""
    low, high = PAGED_FIELDS[field].bounds(limits)
    if value is not None and not low <= value <= high:
        return BadUserInput(f"'{argument}' must be between {low} and {high} (got {value})", field=argument)
    return None


def _as_int(value: object) -> int | None:
    """`value` as GraphQL's Int would coerce it; None for what it refuses (variable coercion then reports that)."""
    try:
        coerced: int = GraphQLInt.parse_value(value)
    except GraphQLError:
        return None
    return coerced


def _item_count(value: object) -> int | None:
    """How many items a list argument gets from `value`: GraphQL coerces a single non-null item into a list of one."""
    if value is None:
        return None
    return len(value) if isinstance(value, list) else 1


def effective_size(page_size: PageSize, operation: OperationFacts, variables: Mapping[str, Any]) -> int | None:
    """The size the resolver will get: the literal, else the variable's value, else its default; None if null."""
    if page_size.variable is None:
        return page_size.literal
    value = (
        variables[page_size.variable] if page_size.variable in variables else operation.defaults.get(page_size.variable)
    )
    return _item_count(value) if page_size.per_item else _as_int(value)


def _limit_errors(operation: OperationFacts, variables: Mapping[str, Any], limits: Limits) -> Iterator[BadUserInput]:
    sizes: list[int] = []
    refused = False
    for page_size in operation.page_sizes:
        value = effective_size(page_size, operation, variables)
        # A list's length is bounded by the list caps (input_values.py), not by the page size.
        error = None if page_size.per_item else page_size_error(page_size.field, page_size.argument, value, limits)
        if error is not None:
            refused = True
            yield error
        sizes.append(PAGED_FIELDS[page_size.field].size_when_omitted(limits) if value is None else value)
    if refused:
        return
    cost = cost_of(operation.cost_terms, sizes)
    if cost > limits.max_cost:
        yield BadUserInput(f"The query's cost is {cost}, over the limit of {limits.max_cost}: {cost_rule(limits)}.")


def guard_errors(
    facts: DocumentFacts,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    named_by_request: bool,
    has_viewer: bool,
    limits: Limits,
) -> Iterator[GraphQLError]:
    """Why the operation must not run, if it must not: one reason at a time, the caller's identity first."""
    if not named_by_request and facts.operation_count > 1:
        # Strawberry would run the first operation; GraphQL says the request is ambiguous.
        yield GraphQLError(MULTIPLE_OPERATIONS)
        return
    operation = facts.operations.get(operation_name)
    if operation is None:
        return  # an unknown operation name: Strawberry refuses the request itself
    if not has_viewer and operation.needs_viewer:
        yield to_graphql_error(Unauthenticated())
        return
    values = variables or {}
    input_errors = [
        *facts.literal_errors,
        *variable_errors(operation.variables, values, limits, facts.variable_list_caps, operation.variable_types),
    ]
    if input_errors:
        yield from map(to_graphql_error, input_errors)
        return
    yield from map(to_graphql_error, _limit_errors(operation, values, limits))
