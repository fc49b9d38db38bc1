"""Whatever path an error takes out of the schema, the client reads it through the one rule."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import strawberry
from strawberry.extensions import SchemaExtension

from assetgraph.schema.error_policy import ErrorPolicySchema


@strawberry.type
class Query:
    hello: str = "world"


class CrashingValidation(SchemaExtension):
    """An extension failing the way a buggy validation rule or limiter does: an exception out of a hook."""

    def on_validate(self) -> Iterator[None]:
        raise RuntimeError("connection string postgres://secret@db")
        yield  # pragma: no cover


@pytest.fixture
def schema() -> ErrorPolicySchema:
    return ErrorPolicySchema(query=Query, extensions=[CrashingValidation])


async def test_a_crash_outside_any_resolver_is_masked_over_http(
    schema: ErrorPolicySchema, caplog: pytest.LogCaptureFixture
) -> None:
    # when an extension crashes before execution (Strawberry's MaskErrors never sees this path)
    result = await schema.execute("{ hello }")
    # then the client reads the fixed message, and the log has the crash at error level
    assert result.errors is not None
    assert [e.formatted for e in result.errors] == [{"message": "Internal server error."}]
    (logged,) = [r for r in caplog.records if r.name == "assetgraph.graphql"]
    assert (logged.levelno, getattr(logged, "exc_type", None)) == (logging.ERROR, "RuntimeError")


async def test_a_crash_outside_any_resolver_is_masked_over_a_websocket(schema: ErrorPolicySchema) -> None:
    # the WebSocket transport reads results from `stream`
    results = [result async for result in await schema.stream("{ hello }")]
    assert [[e.formatted for e in result.errors or ()] for result in results] == [
        [{"message": "Internal server error."}]
    ]
