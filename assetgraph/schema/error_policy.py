"""The Schema with assetgraph's error policy: every error is logged as it happened, and shown as errors.for_client.

Strawberry's MaskErrors extension rewrites results when an operation ends normally, but an exception escaping a
validation rule or an extension skips it and reached the client raw. Rewriting what `execute` returns and what
`stream` yields (HTTP and WebSocket respectively) leaves no such path.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import aclosing
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.schema import StreamResult
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from assetgraph.schema.error_log import log_errors
from assetgraph.schema.errors import for_client


def _show_errors_for_client(result: object) -> None:
    errors = getattr(result, "errors", None)
    if errors:
        result.errors = [for_client(error) for error in errors]  # type: ignore[attr-defined]


async def _shown_for_client(source: StreamResult) -> StreamResult:
    async with aclosing(source):
        async for result in source:
            _show_errors_for_client(result)
            yield result


class ErrorPolicySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Strawberry calls this with the errors as raised, before anything rewrites them.
        log_errors(errors)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        result = await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )
        _show_errors_for_client(result)
        return result

    def execute_sync(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        result = super().execute_sync(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )
        _show_errors_for_client(result)
        return result

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> StreamResult:
        source = await super().stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types,
        )
        return _shown_for_client(source)
