"""Checks made on a whole operation before anything executes: authentication and page sizes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLInt,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor

from assetgraph.config import Limits
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.identity import Unauthenticated
from assetgraph.schema.errors import to_graphql_error

PAGE_SIZE_ARGUMENTS = frozenset({"first", "last"})
PUBLIC_ROOT_FIELDS = frozenset({"__typename", "__schema", "__type"})


def page_size_error(argument: str, value: int | None, limits: Limits) -> BadUserInput | None:
    """The one rule for page sizes: an integer between 0 and the configured maximum."""
    if value is not None and not 0 <= value <= limits.max_page_size:
        return BadUserInput(f"'{argument}' must be between 0 and {limits.max_page_size} (got {value})", field=argument)
    return None


def _as_int(value: object) -> int | None:
    """`value` as GraphQL's Int would coerce it; None for what it refuses (variable coercion then reports that)."""
    try:
        coerced: int = GraphQLInt.parse_value(value)
    except GraphQLError:
        return None
    return coerced


@dataclass(frozen=True)
class PageSizeArgument:
    """A `first`/`last` argument in a document: a literal value, or the name of the variable that supplies it."""

    name: str
    literal: int | None
    variable: str | None


class _PageSizeCollector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[PageSizeArgument] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_SIZE_ARGUMENTS:
                continue
            raw = argument.value
            if isinstance(raw, IntValueNode):
                self.found.append(PageSizeArgument(argument.name.value, int(raw.value), None))
            elif isinstance(raw, VariableNode):
                self.found.append(PageSizeArgument(argument.name.value, None, raw.name.value))
            # other literal kinds fail validation on their own


class PageSizeIndex:
    """The page-size arguments of each document, found once per document (a bounded LRU).

    The parser cache hands back the same DocumentNode for the same query text, so documents are keyed by identity;
    each entry holds its document, which keeps that identity from being reused while the entry lives.
    """

    def __init__(self, maxsize: int = 256) -> None:
        self._maxsize = maxsize
        self._entries: OrderedDict[int, tuple[DocumentNode, tuple[PageSizeArgument, ...]]] = OrderedDict()

    def arguments(self, document: DocumentNode) -> tuple[PageSizeArgument, ...]:
        entry = self._entries.get(id(document))
        if entry is not None and entry[0] is document:
            self._entries.move_to_end(id(document))
            return entry[1]
        collector = _PageSizeCollector()
        visit(document, collector)
        found = tuple(collector.found)
        self._entries[id(document)] = (document, found)
        if len(self._entries) > self._maxsize:
            self._entries.popitem(last=False)
        return found


def page_size_errors(
    arguments: tuple[PageSizeArgument, ...], variables: dict[str, Any] | None, limits: Limits
) -> list[GraphQLError]:
    errors: list[GraphQLError] = []
    for argument in arguments:
        value = argument.literal if argument.variable is None else _as_int((variables or {}).get(argument.variable))
        error = page_size_error(argument.name, value, limits)
        if error is not None:
            errors.append(to_graphql_error(error))
    return errors


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
    index: PageSizeIndex,
) -> Iterator[GraphQLError]:
    if not has_viewer and needs_viewer(document, operation_name):
        yield to_graphql_error(Unauthenticated())
        return
    yield from page_size_errors(index.arguments(document), variables, limits)
