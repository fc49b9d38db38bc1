"""What the request guard needs to know of a document, found once per document: for each operation, whether it
needs a signed-in caller, its variables and their defaults, its page sizes and cost terms; for the whole document,
the literals the database could not hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLInputType,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfoVisitor,
    is_input_type,
    type_from_ast,
    value_from_ast_untyped,
    visit,
)

from assetgraph.config import Limits
from assetgraph.domain.errors import BadUserInput
from assetgraph.schema.document_cache import PerDocument
from assetgraph.schema.input_values import ListCap, LiteralProblems, VariableListCaps
from assetgraph.schema.query_cost import CostPlan, CostTerms, PageSize

PUBLIC_ROOT_FIELDS = frozenset({"__typename", "__schema", "__type"})


@dataclass(frozen=True)
class OperationFacts:
    needs_viewer: bool
    """False when the operation asks only for introspection."""
    variables: tuple[str, ...]
    defaults: Mapping[str, Any]
    """Default values of the variables that have one, as plain Python values."""
    page_sizes: tuple[PageSize, ...]
    cost_terms: CostTerms
    variable_types: Mapping[str, GraphQLInputType | None] = field(default_factory=dict)
    """The variables' declared types (None: unknown to the schema, or none given)."""


@dataclass(frozen=True)
class DocumentFacts:
    operations: Mapping[str | None, OperationFacts]
    """By operation name; an anonymous operation under None."""
    operation_count: int
    literal_errors: tuple[BadUserInput, ...]
    variable_list_caps: Mapping[str, ListCap]
    """The variables whose list has its argument's own cap instead of the common one, by name."""


def _needs_viewer(operation: OperationDefinitionNode) -> bool:
    return any(
        not isinstance(selection, FieldNode) or selection.name.value not in PUBLIC_ROOT_FIELDS
        for selection in operation.selection_set.selections
    )


def _input_type(schema: GraphQLSchema | None, node: Any) -> GraphQLInputType | None:
    found = type_from_ast(schema, node) if schema is not None else None
    return found if is_input_type(found) else None


def _operation_facts(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    schema: GraphQLSchema | None = None,
) -> OperationFacts:
    plan = CostPlan(fragments)
    terms = plan.terms(operation.selection_set)
    definitions = operation.variable_definitions or ()
    return OperationFacts(
        needs_viewer=_needs_viewer(operation),
        variables=tuple(d.variable.name.value for d in definitions),
        defaults={
            d.variable.name.value: value_from_ast_untyped(d.default_value)
            for d in definitions
            if d.default_value is not None
        },
        page_sizes=tuple(plan.page_sizes),
        cost_terms=terms,
        variable_types={d.variable.name.value: _input_type(schema, d.type) for d in definitions},
    )


def document_facts(document: DocumentNode, limits: Limits, schema: GraphQLSchema | None = None) -> DocumentFacts:
    """The document's facts; with `schema`, an error about a value names the input the schema declares, never a
    key inside a JSON value."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    literals = LiteralProblems(limits, schema)
    visit(document, literals if literals.type_info is None else TypeInfoVisitor(literals.type_info, literals))
    capped_variables = VariableListCaps()
    visit(document, capped_variables)
    return DocumentFacts(
        operations={(op.name.value if op.name else None): _operation_facts(op, fragments, schema) for op in operations},
        operation_count=len(operations),
        literal_errors=tuple(literals.errors),
        variable_list_caps=capped_variables.caps,
    )


class DocumentIndex:
    """The facts of each document, found once per document (see document_cache.py)."""

    def __init__(self, limits: Limits, maxsize: int = 256) -> None:
        self._limits = limits
        self._found: PerDocument[DocumentFacts] = PerDocument(maxsize)

    def facts(self, document: DocumentNode, schema: GraphQLSchema | None = None) -> DocumentFacts:
        """`schema` is the same on every call of one index (the app's): the document alone keys its facts."""
        return self._found.get(document, lambda: document_facts(document, self._limits, schema))
