"""Every GraphQL operation the test suite sends, found statically in the string constants of tests/**/*.py.

A test module spells most of its operations as plain strings, and many as f-strings over module-level constants
(`f"mutation($input: ...) {{ addAssetClip(input: $input) {{ clip {{ {CLIP} }} {ERRORS} }} }}"`). Both are
evaluated here without importing the test modules: a name is resolved through the module's own top-level string
assignments and its `from tests... import` lines. An f-string over a local variable (`{field}`, `{i}`) cannot be
known statically and is left out; what is kept must parse and validate against the schema.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)

TESTS_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SuiteOperation:
    """One operation of one document found in the suite, with the file it was found in."""

    source: str
    document: DocumentNode
    operation: OperationDefinitionNode
    found_in: str

    @property
    def name(self) -> str | None:
        return self.operation.name.value if self.operation.name else None

    @property
    def kind(self) -> OperationType:
        return self.operation.operation


@dataclass(frozen=True)
class Extraction:
    """What the suite's strings gave: the operations kept, and how many candidates were left out and why."""

    operations: list[SuiteOperation]
    invalid: int
    """Strings that parse as GraphQL documents but do not validate (tests of refusals)."""
    unresolved: int
    """f-strings over local variables, which cannot be evaluated statically."""


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "tests":
        return None
    path = TESTS_DIR.joinpath(*parts[1:])
    return path.with_suffix(".py") if path.with_suffix(".py").exists() else None


@cache
def _module_ast(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


class _Evaluator:
    """Evaluates string expressions of one module: constants, f-strings and `+` over resolvable names."""

    def __init__(self, path: Path, visiting: frozenset[Path] = frozenset()) -> None:
        self._path = path
        self._visiting = visiting | {path}
        self._assigned: dict[str, ast.expr] = {}
        self._imported: dict[str, tuple[Path, str]] = {}
        for statement in _module_ast(path).body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    self._assigned[target.id] = statement.value
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
                self._assigned[statement.target.id] = statement.value
            elif isinstance(statement, ast.ImportFrom) and statement.module:
                source = _module_file(statement.module)
                if source is not None:
                    for alias in statement.names:
                        self._imported[alias.asname or alias.name] = (source, alias.name)

    def name(self, name: str) -> str | None:
        if name in self._assigned:
            return self.value(self._assigned[name])
        if name in self._imported:
            source, original = self._imported[name]
            if source in self._visiting:
                return None
            return _Evaluator(source, self._visiting).name(original)
        return None

    def value(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            parts = [self._part(part) for part in node.values]
            return None if any(part is None for part in parts) else "".join(p for p in parts if p is not None)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left), self.value(node.right)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.Name):
            return self.name(node.id)
        return None

    def _part(self, part: ast.expr) -> str | None:
        if isinstance(part, ast.FormattedValue):
            if part.format_spec is not None or part.conversion not in (-1, ord("s")):
                return None
            return self.value(part.value)
        return self.value(part)


def _candidates(path: Path) -> tuple[list[str], int]:
    """The strings of the module that may be GraphQL, and how many f-strings could not be evaluated."""
    evaluator = _Evaluator(path)
    found: list[str] = []
    unresolved = 0
    for node in ast.walk(_module_ast(path)):
        if isinstance(node, ast.Constant | ast.JoinedStr):
            text = evaluator.value(node)
            if text is None:
                unresolved += isinstance(node, ast.JoinedStr) and "{{" in ast.unparse(node)
            elif "{" in text:
                found.append(text)
    return found, unresolved


def suite_operations(schema: GraphQLSchema, exclude: tuple[Path, ...] = ()) -> Extraction:
    """Every distinct operation of the suite's valid documents, in file order (one per operation of a document);
    none from the files or directories in `exclude`."""
    seen: set[str] = set()
    operations: list[SuiteOperation] = []
    invalid = unresolved = 0
    for path in sorted(TESTS_DIR.rglob("*.py")):
        if any(path == excluded or excluded in path.parents for excluded in exclude):
            continue
        texts, skipped = _candidates(path)
        unresolved += skipped
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            try:
                document = parse(text)
            except GraphQLError:
                continue
            if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
                continue
            if validate(schema, document):
                invalid += 1
                continue
            relative = str(path.relative_to(TESTS_DIR.parent))
            operations.extend(
                SuiteOperation(text, document, definition, relative)
                for definition in document.definitions
                if isinstance(definition, OperationDefinitionNode)
            )
    return Extraction(operations, invalid, unresolved)
