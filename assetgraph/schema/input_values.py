"""Input values the database cannot hold, refused whatever their type or position: text with NUL or unpaired
surrogate characters, and lists longer than the configured cap. Checked on every variable's value (cheap: a walk
over the request's JSON) and on every literal of a document (once per document, see operation_facts.py).

A few arguments take longer lists than the common cap (`LIST_CAPS`): only the argument's own list, given as a
literal or as a variable used nowhere else, gets the higher cap; lists nested in it keep the common one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    ListValueNode,
    ObjectFieldNode,
    StringValueNode,
    TypeInfo,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
)
from graphql.language import Visitor
from graphql.type import is_input_type
from graphql.utilities import type_from_ast

from assetgraph.config import Limits
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.hashes import MAX_HASHES_PER_CHECK
from assetgraph.domain.storable import TEXT_RULE, is_storable_text
from assetgraph.schema.errors import MAX_QUOTED_CHARS, clip, shown_field
from assetgraph.schema.input_position import InputPosition

Path = tuple[str | int, ...]

LIST_CAPS: Mapping[tuple[str, str], int] = {
    ("checkByHashes", "sha256s"): MAX_HASHES_PER_CHECK,
}
"""The arguments whose list may hold more items than `limits.max_list_length`, by (field name, argument name),
and how many: the one place a list is allowed to be longer."""


@dataclass(frozen=True)
class ListCap:
    """An argument's own list cap, as LIST_CAPS gives it."""

    argument: str
    items: int


def within_inputs(input_type: GraphQLInputType | None, path: Path) -> Path:
    """The part of `path` that names input fields and list items of `input_type`: what follows a leaf (the keys
    inside a JSON value) is the value's own, not an input the schema names. Unknown type: the whole path. A name
    met at a list stands for a field of its items (a literal's path counts no list items)."""
    if input_type is None:
        return path
    kept: list[str | int] = []
    current: Any = input_type
    for key in path:
        named = current.of_type if isinstance(current, GraphQLNonNull) else current
        if isinstance(key, int) and isinstance(named, GraphQLList):
            current = named.of_type
        else:
            while isinstance(named, GraphQLList | GraphQLNonNull):
                named = named.of_type
            if not isinstance(key, str) or not isinstance(named, GraphQLInputObjectType) or key not in named.fields:
                break
            current = named.fields[key].type
        kept.append(key)
    return tuple(kept)


def _capped_argument(fields: list[str], argument: str) -> ListCap | None:
    items = LIST_CAPS.get((fields[-1], argument)) if fields else None
    return ListCap(argument, items) if items is not None else None


def _printed(path: Path) -> str:
    """A path as graphql-core prints it in its own messages: ' at .tags[0]', or '' for the value itself."""
    if not path:
        return ""
    return " at " + "".join(f"[{key}]" if isinstance(key, int) else f".{clip(key, MAX_QUOTED_CHARS)}" for key in path)


def _list_rule(length: int, limits: Limits, cap: ListCap | None = None) -> str:
    if cap is not None:
        return f"'{cap.argument}' takes at most {cap.items} items (got {length})"
    return f"a list may hold at most {limits.max_list_length} items (got {length})"


def _first_problem(value: Any, limits: Limits, cap: ListCap | None = None) -> tuple[Path, str] | None:
    """Where in a JSON value the first unstorable text or overlong list is, and what is wrong there; `cap`, if
    any, bounds the value itself when it is a list."""
    stack: list[tuple[Any, Path]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if not is_storable_text(item):
                return path, TEXT_RULE
        elif isinstance(item, list):
            own_cap = cap if not path else None
            if len(item) > (own_cap.items if own_cap is not None else limits.max_list_length):
                return path, _list_rule(len(item), limits, own_cap)
            stack.extend((element, (*path, index)) for index, element in enumerate(item))
        elif isinstance(item, dict):
            for key, element in item.items():
                if isinstance(key, str) and not is_storable_text(key):
                    return path, TEXT_RULE
                stack.append((element, (*path, key)))
    return None


def variable_errors(
    names: tuple[str, ...],
    variables: Mapping[str, Any] | None,
    limits: Limits,
    caps: Mapping[str, ListCap] | None = None,
    types: Mapping[str, GraphQLInputType | None] | None = None,
) -> Iterator[BadUserInput]:
    """One error per variable of the operation whose value holds something the database cannot; `caps` are the
    list caps of the variables that are the whole value of a capped argument (see VariableListCaps), `types` their
    declared types (the field an error names is an input of the type, never a key inside a JSON value)."""
    for name in names:
        if variables is None or name not in variables:
            continue
        problem = _first_problem(variables[name], limits, (caps or {}).get(name))
        if problem is not None:
            path, rule = problem
            field = shown_field(InputPosition(name, within_inputs((types or {}).get(name), path)))
            yield BadUserInput(f"Variable '${name}' has invalid value{_printed(path)}: {rule}.", field=field)


class LiteralProblems(Visitor):
    """Collects, over a whole document, the literals holding what the database cannot: each error names the
    argument (or the variable whose default value) it was written for."""

    def __init__(self, limits: Limits, schema: GraphQLSchema | None = None) -> None:
        super().__init__()
        self._limits = limits
        self._schema = schema
        # With a schema, visited through TypeInfoVisitor(type_info, self): the owner's type bounds the field named.
        self.type_info = TypeInfo(schema) if schema is not None else None
        self._owner_type: GraphQLInputType | None = None
        self._owner: tuple[str, str] | None = None  # ("Argument", name) or ("Variable", "$name")
        self._path: list[str] = []
        self._fields: list[str] = []
        self._capped: tuple[ValueNode, ListCap] | None = None  # the current argument's own list, if capped
        self.errors: list[BadUserInput] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        self._fields.append(node.name.value)

    def leave_field(self, *_: object) -> None:
        self._fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        self._owner, self._path = ("Argument", node.name.value), []
        argument = self.type_info.get_argument() if self.type_info is not None else None
        self._owner_type = argument.type if argument is not None else None
        cap = _capped_argument(self._fields, node.name.value)
        self._capped = (node.value, cap) if cap is not None else None

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        self._owner, self._path = ("Variable", f"${node.variable.name.value}"), []
        found = type_from_ast(self._schema, node.type) if self._schema is not None else None
        self._owner_type = found if is_input_type(found) else None
        self._capped = None

    def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
        self._path.append(node.name.value)

    def leave_object_field(self, *_: object) -> None:
        self._path.pop()

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if not is_storable_text(node.value):
            self._report(TEXT_RULE)

    def enter_list_value(self, node: ListValueNode, *_: object) -> None:
        cap = self._capped[1] if self._capped is not None and self._capped[0] is node else None
        if len(node.values) > (cap.items if cap is not None else self._limits.max_list_length):
            self._report(_list_rule(len(node.values), self._limits, cap))

    def _report(self, rule: str) -> None:
        if self._owner is None:
            return  # a literal outside any argument or default value is not an input
        kind, name = self._owner
        field = shown_field(InputPosition(name.removeprefix("$"), within_inputs(self._owner_type, tuple(self._path))))
        value = "value" if kind == "Argument" else "default value"
        where = _printed(tuple(self._path))
        self.errors.append(
            BadUserInput(f"{kind} '{clip(name, MAX_QUOTED_CHARS)}' has invalid {value}{where}: {rule}.", field=field)
        )


class VariableListCaps(Visitor):
    """Finds, over a whole document, the variables used only as the whole value of a capped argument
    (`checkByHashes(sha256s: $hashes)`): their lists get that argument's cap. A variable used anywhere else too
    keeps the common cap."""

    def __init__(self) -> None:
        super().__init__()
        self._fields: list[str] = []
        self._direct: dict[int, ListCap] = {}  # id(VariableNode) -> the cap of the argument it is the value of
        self._uses: dict[str, list[ListCap | None]] = {}

    def enter_field(self, node: FieldNode, *_: object) -> None:
        self._fields.append(node.name.value)

    def leave_field(self, *_: object) -> None:
        self._fields.pop()

    def enter_variable_definition(self, *_: object) -> bool:
        return False  # the variable named by a definition is not a use of it

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        cap = _capped_argument(self._fields, node.name.value)
        if cap is not None and isinstance(node.value, VariableNode):
            self._direct[id(node.value)] = cap

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self._uses.setdefault(node.name.value, []).append(self._direct.get(id(node)))

    @property
    def caps(self) -> dict[str, ListCap]:
        found: dict[str, ListCap] = {}
        for name, uses in self._uses.items():
            capped = [cap for cap in uses if cap is not None]
            if len(capped) == len(uses):
                found[name] = min(capped, key=lambda cap: cap.items)
        return found
