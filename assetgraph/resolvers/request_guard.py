"""Checks made on a whole operation before anything executes: authentication and page sizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor

from assetgraph.config import Limits
from assetgraph.resolvers.errors import BadUserInput, Unauthenticated

PAGE_SIZE_ARGUMENTS = frozenset({"first", "last"})
PUBLIC_ROOT_FIELDS = frozenset({"__typename", "__schema", "__type"})


def page_size_error(argument: str, value: object, limits: Limits) -> BadUserInput | None:
    """The one rule for page sizes: an integer between 0 and the configured maximum."""
    if value is None:
        return None
    if not isinstance(value, int) or not 0 <= value <= limits.max_page_size:
        return BadUserInput(f"'{argument}' must be between 0 and {limits.max_page_size} (got {value})", field=argument)
    return None


class _PageSizeVisitor(Visitor):
    def __init__(self, variables: dict[str, Any], limits: Limits) -> None:
        super().__init__()
        self.variables = variables
        self.limits = limits
        self.errors: list[GraphQLError] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_SIZE_ARGUMENTS:
                continue
            raw = argument.value
            value: object
            if isinstance(raw, IntValueNode):
                value = int(raw.value)
            elif isinstance(raw, VariableNode):
                value = self.variables.get(raw.name.value)
            else:
                continue  # other literal kinds fail validation on their own
            error = page_size_error(argument.name.value, value, self.limits)
            if error is not None:
                self.errors.append(error)


def page_size_errors(document: DocumentNode, variables: dict[str, Any] | None, limits: Limits) -> list[GraphQLError]:
    visitor = _PageSizeVisitor(variables or {}, limits)
    visit(document, visitor)
    return visitor.errors


def needs_viewer(document: DocumentNode, operation_name: str | None) -> bool:
    """True unless the operation asks only for introspection."""
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name is not None and (definition.name is None or definition.name.value != operation_name):
            continue
        for selection in definition.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.name.value not in PUBLIC_ROOT_FIELDS:
                return True
    return False


def guard_errors(
    document: DocumentNode,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    has_viewer: bool,
    limits: Limits,
) -> Iterator[GraphQLError]:
    if not has_viewer and needs_viewer(document, operation_name):
        yield Unauthenticated()
        return
    yield from page_size_errors(document, variables, limits)
