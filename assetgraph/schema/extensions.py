"""The schema's one extension: limits checked before execution, and caches. Errors are shown by error_policy.py.

One extension with a hook per stage instead of one extension per concern: Strawberry builds every extension, and a
context manager per hook of each, on every request (about a tenth of a trivial request's CPU with six of them).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    parse,
    visit,
)
from graphql.language import Visitor
from graphql.validation import ValidationContext
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from assetgraph.config import Limits
from assetgraph.resolvers.context import Context
from assetgraph.schema.document_cache import PerDocument
from assetgraph.schema.located_values_rule import located_rules
from assetgraph.schema.operation_facts import DocumentIndex
from assetgraph.schema.request_guard import guard_errors


def _named_by_request(ctx: ExecutionContext) -> bool:
    # Strawberry's `operation_name` falls back to the document's first operation, which hides whether the request
    # named one; the name as sent is kept on the context.
    return getattr(ctx, "_provided_operation_name", ctx.operation_name) is not None


class _FragmentSpreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.add(node.name.value)


def _spreads_unknown_fragment(document: DocumentNode) -> bool:
    defined = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    spreads = _FragmentSpreads()
    visit(document, spreads)
    return not spreads.names <= defined


def _skipping_unknown_fragments(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """`rule`, except on documents spreading a fragment they do not define.

    Strawberry's depth rule looks fragments up without checking that they exist, and its KeyError reached the
    client as an internal error; graphql-core's KnownFragmentNamesRule reports such documents properly.
    """

    class Rule(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            if _spreads_unknown_fragment(context.document):
                ASTValidationRule.__init__(self, context)
            else:
                super().__init__(context)

    return Rule


def _limit_rules(limits: Limits) -> tuple[type[ASTValidationRule], ...]:
    # The depth and alias limiters build a new validation-rule class each time they are constructed: build the
    # rules once per schema.
    return (
        *map(_skipping_unknown_fragments, QueryDepthLimiter(max_depth=limits.max_depth).validation_rules),
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    )


def operation_pipeline(limits: Limits, cache_size: int = 256) -> type[SchemaExtension]:
    """The extension of one schema: each stage of an operation, with what it needs kept across requests.

    - operation: the token limit for the parser, the depth and alias rules for validation, the context with loaders
      of the operation's own;
    - parse: the same DocumentNode for the same query text (bounded LRU), which the caches below and the compiled
      execution's plans (schema/compiled/plan_cache.py) key on;
    - validate: a document's validation errors, found once per document;
    - execute: the request guard (request_guard.py), refusing an ambiguous, unauthenticated, unstorable or
      oversized operation before a resolver runs, from facts found once per document (operation_facts.py).
    """
    limit_rules = _limit_rules(limits)
    parsed = lru_cache(maxsize=cache_size)(parse)
    validated: PerDocument[list[GraphQLError]] = PerDocument(cache_size)
    index = DocumentIndex(limits, cache_size)

    class OperationPipeline(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            ctx = self.execution_context
            ctx.parse_options["max_tokens"] = limits.max_tokens
            ctx.validation_rules = (*located_rules(ctx.validation_rules), *limit_rules)
            if isinstance(ctx.context, Context):
                # An HTTP context serves one operation, a WebSocket's every operation of its connection, several at
                # once: each operation gets loaders of its own.
                ctx.context = ctx.context.for_operation()
            yield

        def on_parse(self) -> Iterator[None]:
            ctx = self.execution_context
            ctx.graphql_document = parsed(ctx.query, **ctx.parse_options)
            yield

        def on_validate(self) -> Iterator[None]:
            ctx = self.execution_context
            document, rules, schema = ctx.graphql_document, ctx.validation_rules, ctx.schema._schema
            if document is not None:
                # The rules and the schema are this pipeline's own: the document alone keys the result.
                ctx.pre_execution_errors = validated.get(document, lambda: validate_document(schema, document, rules))
            yield

        def on_execute(self) -> Iterator[None]:
            ctx = self.execution_context
            if ctx.graphql_document is not None:
                has_viewer = getattr(ctx.context, "viewer", None) is not None
                errors = list(
                    guard_errors(
                        index.facts(ctx.graphql_document, ctx.schema._schema),
                        ctx.variables,
                        ctx.operation_name,
                        _named_by_request(ctx),
                        has_viewer,
                        limits,
                    )
                )
                if errors:
                    ctx.result = ExecutionResult(data=None, errors=errors)
            yield

    return OperationPipeline
