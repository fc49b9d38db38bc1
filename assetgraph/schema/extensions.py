"""Schema extensions: limits checked before execution, caches, and error masking."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import ExecutionResult
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from assetgraph.config import Limits
from assetgraph.resolvers.context import Context
from assetgraph.schema.errors import is_internal
from assetgraph.schema.request_guard import PageSizeIndex, guard_errors


def request_guard(limits: Limits) -> type[SchemaExtension]:
    page_sizes = PageSizeIndex()

    class RequestGuard(SchemaExtension):
        """Refuses an unauthenticated or oversized operation before a single resolver runs."""

        def on_execute(self) -> Iterator[None]:
            ctx = self.execution_context
            if ctx.graphql_document is not None:
                has_viewer = getattr(ctx.context, "viewer", None) is not None
                errors = list(
                    guard_errors(
                        ctx.graphql_document, ctx.variables, ctx.operation_name, has_viewer, limits, page_sizes
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


def schema_extensions(limits: Limits) -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    # The depth and alias limiters build a new validation-rule class each time they are constructed, and the
    # validation cache is keyed by the rule classes: build the rules once, so that a repeated query is validated
    # once instead of on every request (which cost a third of a gallery page).
    limit_rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    extensions: list[Any] = [
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(limit_rules),
        lambda: ValidationCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        request_guard(limits),
        FreshLoaders,
        lambda: MaskErrors(should_mask_error=is_internal, error_message="Internal server error."),
    ]
    return extensions
