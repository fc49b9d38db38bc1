"""Input values the database cannot hold, refused whatever their type or position: text with NUL or unpaired
surrogate characters, and lists longer than the configured cap. Checked on every variable's value (cheap: a walk
over the request's JSON) and on every literal of a document (once per document, see operation_facts.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import ArgumentNode, ListValueNode, ObjectFieldNode, StringValueNode, VariableDefinitionNode
from graphql.language import Visitor

from assetgraph.config import Limits
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.storable import TEXT_RULE, is_storable_text
from assetgraph.schema.errors import MAX_QUOTED_CHARS, clip

Path = tuple[str | int, ...]


def _printed(path: Path) -> str:
    """A path as graphql-core prints it in its own messages: ' at .tags[0]', or '' for the value itself."""
    if not path:
        return ""
    return " at " + "".join(f"[{key}]" if isinstance(key, int) else f".{clip(key, MAX_QUOTED_CHARS)}" for key in path)


def _list_rule(length: int, limits: Limits) -> str:
    return f"a list may hold at most {limits.max_list_length} items (got {length})"


def _first_problem(value: Any, limits: Limits) -> tuple[Path, str] | None:
    """Where in a JSON value the first unstorable text or overlong list is, and what is wrong there."""
    stack: list[tuple[Any, Path]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if not is_storable_text(item):
                return path, TEXT_RULE
        elif isinstance(item, list):
            if len(item) > limits.max_list_length:
                return path, _list_rule(len(item), limits)
            stack.extend((element, (*path, index)) for index, element in enumerate(item))
        elif isinstance(item, dict):
            for key, element in item.items():
                if isinstance(key, str) and not is_storable_text(key):
                    return path, TEXT_RULE
                stack.append((element, (*path, key)))
    return None


def variable_errors(
    names: tuple[str, ...], variables: Mapping[str, Any] | None, limits: Limits
) -> Iterator[BadUserInput]:
    """One error per variable of the operation whose value holds something the database cannot."""
    for name in names:
        if variables is None or name not in variables:
            continue
        problem = _first_problem(variables[name], limits)
        if problem is not None:
            path, rule = problem
            yield BadUserInput(f"Variable '${name}' has invalid value{_printed(path)}: {rule}.", field=name)


class LiteralProblems(Visitor):
    """Collects, over a whole document, the literals holding what the database cannot: each error names the
    argument (or the variable whose default value) it was written for."""

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self._limits = limits
        self._owner: tuple[str, str] | None = None  # ("Argument", name) or ("Variable", "$name")
        self._path: list[str] = []
        self.errors: list[BadUserInput] = []

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        self._owner, self._path = ("Argument", node.name.value), []

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
        self._owner, self._path = ("Variable", f"${node.variable.name.value}"), []

    def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
        self._path.append(node.name.value)

    def leave_object_field(self, *_: object) -> None:
        self._path.pop()

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if not is_storable_text(node.value):
            self._report(TEXT_RULE)

    def enter_list_value(self, node: ListValueNode, *_: object) -> None:
        if len(node.values) > self._limits.max_list_length:
            self._report(_list_rule(len(node.values), self._limits))

    def _report(self, rule: str) -> None:
        if self._owner is None:
            return  # a literal outside any argument or default value is not an input
        kind, name = self._owner
        field = name.removeprefix("$")
        value = "value" if kind == "Argument" else "default value"
        where = _printed(tuple(self._path))
        self.errors.append(
            BadUserInput(f"{kind} '{clip(name, MAX_QUOTED_CHARS)}' has invalid {value}{where}: {rule}.", field=field)
        )
