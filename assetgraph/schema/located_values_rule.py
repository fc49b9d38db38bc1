"""graphql-core's check of literal values, with every error located at the literal it is about.

Where a literal object or list is written in place of a leaf (`providerStatus: [{a: 1}]`, `first: [1]`),
graphql-core 3.3 coerces a copy of it (variables replaced) and reports the error on that copy, which has no
location: the client's error had no `locations`, and input_position.py nothing to walk back from to name the
field. This rule reports such an error again on the literal itself, found from where graphql-core says it is inside
the value being checked. And an integer literal longer than Python reads (4,300 digits) is the client's error,
not an internal one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLInputType,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    ValuesOfCorrectTypeRule,
)
from graphql.language.visitor import SKIP, VisitorAction
from graphql.utilities.validate_input_value import validate_input_literal

_MAX_DIGITS = sys.get_int_max_str_digits()


def _unreadable_number(node: ValueNode) -> bool:
    """An integer literal longer than Python's int() reads."""
    return isinstance(node, IntValueNode) and len(node.value.lstrip("-")) > _MAX_DIGITS


def _node_at(value: ValueNode, path: Sequence[str | int]) -> ValueNode:
    """The literal at `path` (input field names and list indices) inside `value`; `value` itself when the path leads
    nowhere in it."""
    node = value
    for key in path:
        if isinstance(key, int) and isinstance(node, ListValueNode) and 0 <= key < len(node.values):
            node = node.values[key]
        elif isinstance(key, str) and isinstance(node, ObjectValueNode):
            found = next((field.value for field in node.fields if field.name.value == key), None)
            if found is None:
                return value
            node = found
        else:
            return value
    return node


class LocatedValuesOfCorrectTypeRule(ValuesOfCorrectTypeRule):
    def is_valid_value_node(self, node: ValueNode, input_type: GraphQLInputType | None) -> VisitorAction:
        if input_type:

            def on_error(error: GraphQLError, path: list[str | int]) -> None:
                at = _node_at(node, path)
                if _unreadable_number(at):
                    # graphql-core's error wraps Python's ValueError (and its advice about sys internals): an
                    # internal error to the client, for a number it merely wrote too long
                    error = GraphQLError(f"A number of more than {_MAX_DIGITS} digits cannot be read.", at)
                elif error.nodes and error.locations is None:
                    error = GraphQLError(
                        error.message, at, original_error=error.original_error, extensions=error.extensions
                    )
                self.report_error(error)

            validate_input_literal(node, input_type, on_error, None, None, self.context.hide_suggestions)
        return SKIP  # as graphql-core's: what is inside was checked with the value


def located_rules(rules: Iterable[type[ASTValidationRule]]) -> tuple[type[ASTValidationRule], ...]:
    """`rules` with graphql-core's ValuesOfCorrectTypeRule replaced by the located one."""
    return tuple(LocatedValuesOfCorrectTypeRule if rule is ValuesOfCorrectTypeRule else rule for rule in rules)
