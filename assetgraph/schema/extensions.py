"""Schema extensions: limits checked before execution, and caches. Errors are shown by error_policy.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    visit,
)
from graphql.language import Visitor
from graphql.validation import ValidationContext
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from assetgraph.config import Limits
from assetgraph.resolvers.context import Context
from assetgraph.schema.operation_facts import DocumentIndex
from assetgraph.schema.request_guard import guard_errors


def _named_by_request(ctx: ExecutionContext) -> bool:
    # Strawberry's `operation_name` falls back to the document's first operation, which hides whether the request
    # named one; the name as sent is kept on the context.
    return getattr(ctx, "_provided_operation_name", ctx.operation_name) is not None


def request_guard(limits: Limits) -> type[SchemaExtension]:
    index = DocumentIndex(limits)

    class RequestGuard(SchemaExtension):
        """Refuses an ambiguous, unauthenticated, unstorable or oversized operation before a resolver runs."""

        def on_execute(self) -> Iterator[None]:
            ctx = self.execution_context
            if ctx.graphql_document is not None:
                has_viewer = getattr(ctx.context, "viewer", None) is not None
                errors = list(
                    guard_errors(
                        index.facts(ctx.graphql_document),
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

    return RequestGuard


class FreshLoaders(SchemaExtension):
    """Every operation starts with empty dataloaders, however long its context lives."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            context.reset_loaders()
        yield


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


def schema_extensions(limits: Limits) -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    # The depth and alias limiters build a new validation-rule class each time they are constructed, and the
    # validation cache is keyed by the rule classes: build the rules once, so that a repeated query is validated
    # once instead of on every request (which cost a third of a gallery page).
    limit_rules = [
        *map(_skipping_unknown_fragments, QueryDepthLimiter(max_depth=limits.max_depth).validation_rules),
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    extensions: list[Any] = [
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(limit_rules),
        lambda: ValidationCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        request_guard(limits),
        FreshLoaders,
    ]
    return extensions
