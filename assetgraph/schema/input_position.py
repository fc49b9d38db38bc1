"""Which input an error about a value is about: the argument or variable the value belongs to, and the input
fields and list items inside it down to the value (`input` -> `branchFrame`, `relationTypes` -> 0).

graphql-core locates such an error at the value itself (a literal), at the object missing a field, or, for a
variable, at the variable's definition with the path inside its value printed in the message. A value node has no
link to its parent, but its tokens are linked to the ones before them: walking back from a literal's first token
to the argument (`name: ...` inside parentheses) or variable default (`$name: Type = ...`) finds every field name
and list index on the way, in time bounded by the tokens in between, without parsing the document again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    GraphQLError,
    NameNode,
    Node,
    ObjectFieldNode,
    ObjectValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
)
from graphql.language import Token, TokenKind

Key = str | int


@dataclass(frozen=True)
class InputPosition:
    """An argument or variable (`root`), and the input field names and list indices inside it (`keys`)."""

    root: str
    keys: tuple[Key, ...] = ()

    def within(self, *keys: Key) -> InputPosition:
        return InputPosition(self.root, (*self.keys, *keys))


_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
# graphql-core's coercion of a variable: "Variable '$i' has invalid value at .children[0].assetId: <reason>"
# (print_path_list: the keys are the schema's input field names and list indices, never the client's text).
_VARIABLE = re.compile(rf"Variable '\$({_NAME})' has invalid (?:default )?value((?: at (?:\.{_NAME}|\[\d+\])+)?): ")
_PATH_KEY = re.compile(rf"\.({_NAME})|\[(\d+)\]")
# A reason naming a field of the object at fault: one missing, or one its type does not have (the client's text,
# quoted as sent).
_OBJECT_FIELD = re.compile(
    rf"Expected value of type '{_NAME}' (?:to include required field '({_NAME})'"
    r"|not to include unknown field '(.*?)'(?:, found: |\. Did you mean ))",
    re.DOTALL,
)
# A required argument left out: "Argument 'Query.lineage(assetId:)' of type 'ID!' is required, but it was not
# provided." (validation) and "Argument 'assetId' of required type 'ID!' was not provided." (execution).
_MISSING_ARGUMENT = re.compile(
    rf"Argument '(?:[^']*\(({_NAME}):\)' of type '.*' is required|({_NAME})' of required type '.*' was not provided)"
)

_VALUE_TOKENS = frozenset({TokenKind.NAME, TokenKind.INT, TokenKind.FLOAT, TokenKind.STRING, TokenKind.BLOCK_STRING})
_CLOSERS = {TokenKind.BRACKET_R, TokenKind.BRACE_R, TokenKind.PAREN_R}
_UNMATCHED = {TokenKind.BRACKET_L, TokenKind.BRACE_L, TokenKind.PAREN_L}


def _before_group(closer: Token) -> Token | None:
    """The token before the bracketed group that `closer` ends."""
    depth = 0
    token: Token | None = closer
    while token is not None:
        if token.kind in _CLOSERS:
            depth += 1
        elif token.kind in _UNMATCHED:
            depth -= 1
            if depth == 0:
                return token.prev
        token = token.prev
    return None


def _back_to_opener(token: Token) -> Token | None:
    """The first bracket before `token` that is not closed before it: the one `token` sits inside."""
    before = token.prev
    while before is not None and before.kind not in _UNMATCHED:
        before = _before_group(before) if before.kind in _CLOSERS else before.prev
    return before


def _siblings_back(first: Token) -> tuple[Token | None, int]:
    """The token before the values preceding the value that starts at `first`, and how many values those are (the
    items before it when it is an item of a list)."""
    count = 0
    before = first.prev
    while before is not None:
        if before.kind in _CLOSERS:
            count, before = count + 1, _before_group(before)
        elif before.kind in _VALUE_TOKENS:
            count, before = count + 1, before.prev
        elif before.kind in (TokenKind.DOLLAR, TokenKind.COMMENT):
            before = before.prev  # a variable is `$` and a name, counted at its name
        else:
            return before, count
    return None, count


def _defined_variable(equals: Token) -> str | None:
    """The variable whose default value follows `equals` (`$name: Type = ...`)."""
    before = equals.prev
    while before is not None and before.kind != TokenKind.COLON:
        before = _before_group(before) if before.kind in _CLOSERS else before.prev
    name = before.prev if before is not None else None
    if name is None or name.kind != TokenKind.NAME or name.prev is None or name.prev.kind != TokenKind.DOLLAR:
        return None
    return name.value


def _literal_position(token: Token, is_field_name: bool) -> InputPosition | None:
    """Where the literal value starting at `token` sits (or, when `is_field_name`, the argument or input field
    that `token` names); None when it is not inside an argument or a variable's default value."""
    keys: list[Key] = []  # innermost first
    while True:
        if is_field_name:
            keys.append(token.value or "")
            opener = _back_to_opener(token)
            if opener is None or opener.kind == TokenKind.BRACKET_L:
                return None
            if opener.kind == TokenKind.PAREN_L:  # an argument of a field or directive
                return InputPosition(str(keys[-1]), tuple(reversed(keys[:-1])))
            token, is_field_name = opener, False  # an object: a value itself
            continue
        before, index = _siblings_back(token)
        if before is None:
            return None
        if before.kind == TokenKind.BRACKET_L:
            keys.append(index)
            token = before
        elif before.kind == TokenKind.COLON and before.prev is not None and before.prev.kind == TokenKind.NAME:
            token, is_field_name = before.prev, True
        elif before.kind == TokenKind.EQUALS:
            variable = _defined_variable(before)
            return InputPosition(variable, tuple(reversed(keys))) if variable is not None else None
        else:
            return None


def _of_node(node: Node) -> InputPosition | None:
    if isinstance(node, ArgumentNode | VariableNode):
        return InputPosition(node.name.value)  # a variable's value is at fault wherever the variable is used
    if isinstance(node, VariableDefinitionNode):
        return InputPosition(node.variable.name.value)
    token = node.loc.start_token if node.loc is not None else None
    if token is None:
        return None
    if isinstance(node, ObjectFieldNode):
        return _literal_position(token, is_field_name=True)
    if isinstance(node, NameNode):  # a repeated argument or input field name
        following = token.next
        return _literal_position(token, True) if following and following.kind == TokenKind.COLON else None
    if isinstance(node, ValueNode):
        return _literal_position(token, is_field_name=False)
    return None


def _with_field_named(position: InputPosition, message: str, reason_at: int) -> InputPosition:
    """`position`, or the field of the object there that the reason starting at `reason_at` names."""
    named = _OBJECT_FIELD.match(message, reason_at)
    if named is None:
        return position
    if named.group(1) is not None:
        return position.within(named.group(1))
    # An unknown field is the client's text, quoted as sent: one holding the words that follow it (`zz', found: `)
    # could end at either, so it is named only when the message can be read one way.
    if message.count("', found: ", reason_at) + message.count("'. Did you mean ", reason_at) > 1:
        return position
    return position.within(named.group(2))


def input_position(error: GraphQLError) -> InputPosition | None:
    """The input `error` is about, if it is about one: for a variable's value, the variable and the path its
    message prints; else the first of its nodes that is a value, an argument or variable, or an argument or input
    field by its name; else the required argument its message says is missing. When the value at fault is an
    object missing a required field or holding an unknown one, that field."""
    variable = _VARIABLE.match(error.message)
    if variable is not None:
        keys = [name if name else int(index) for name, index in _PATH_KEY.findall(variable.group(2))]
        return _with_field_named(InputPosition(variable.group(1), tuple(keys)), error.message, variable.end())
    for node in error.nodes or ():
        position = _of_node(node)
        if position is not None:
            return _with_field_named(position, error.message, 0) if isinstance(node, ObjectValueNode) else position
    argument = _MISSING_ARGUMENT.match(error.message)
    return InputPosition(argument.group(1) or argument.group(2)) if argument is not None else None
