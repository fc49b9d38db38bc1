"""The Schema with assetgraph's error policy: every error is logged as it happened, and shown as errors.for_client.

Strawberry's MaskErrors extension rewrites results when an operation ends normally, but an exception escaping a
validation rule or an extension skips it and reached the client raw. Rewriting what `execute` returns and what
`stream` yields (HTTP and WebSocket respectively), and turning a crash out of `stream` into a masked error, leaves
no such path.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES, StreamResult
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from assetgraph.schema.error_log import log_errors
from assetgraph.schema.errors import for_client


def _show_errors_for_client(result: object) -> None:
    errors = getattr(result, "errors", None)
    if errors:
        result.errors = [for_client(error) for error in errors]  # type: ignore[attr-defined]


async def _shown_for_client(source: StreamResult) -> StreamResult:
    async with aclosing(source):
        try:
            async for result in source:
                _show_errors_for_client(result)
                yield result
        except Exception as exc:
            # Unlike `execute`, `stream` lets a crash before execution escape; the WebSocket would only complete.
            error = GraphQLError(str(exc), original_error=exc)
            log_errors([error])
            yield PreExecutionError(data=None, errors=[for_client(error)])


class ErrorPolicySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Strawberry calls this with the errors as raised, before anything rewrites them.
        log_errors(errors)

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        # `execute` gives one response (HTTP); a subscription runs through `stream`, over a WebSocket. Left in, an
        # HTTP subscription resolved to an async generator and failed as an internal error.
        allowed = kwargs.get("allowed_operation_types") or DEFAULT_ALLOWED_OPERATION_TYPES
        kwargs["allowed_operation_types"] = set(allowed) - {OperationType.SUBSCRIPTION}
        result = await super().execute(*args, **kwargs)
        _show_errors_for_client(result)
        return result

    def execute_sync(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = super().execute_sync(*args, **kwargs)
        _show_errors_for_client(result)
        return result

    async def stream(self, *args: Any, **kwargs: Any) -> StreamResult:
        return _shown_for_client(await super().stream(*args, **kwargs))
