"""The HTTP surface around GraphQL: health, readiness, request ids, and masked internal errors."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.domain.identity import Viewer
from assetgraph.logging_setup import JsonFormatter
from assetgraph.persistence.credential_cipher import credential_cipher
from assetgraph.persistence.database import Database
from assetgraph.resolvers.context import Context
from assetgraph.schema.schema import build_schema
from assetgraph.services.resources import Resources
from assetgraph.storage.blobs import LocalBlobStore

UNREACHABLE = "postgresql+asyncpg://postgres@/nowhere?host=/nonexistent-socket-dir"


async def test_healthz_and_readyz(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_readyz_reports_an_unreachable_database(settings: Settings) -> None:
    # given the app pointed at a database that cannot be reached
    down = create_app(settings, database_url=UNREACHABLE)
    async with down.router.lifespan_context(down):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=down), base_url="http://t") as client:
            # when a load balancer asks whether it is ready, and whether it is alive
            ready = await client.get("/readyz")
            alive = await client.get("/healthz")
    # then it is alive but not ready
    assert (ready.status_code, ready.json()) == (503, {"status": "database unavailable"})
    assert alive.status_code == 200


@pytest.fixture
async def second_app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Another app over the same database, with its own job worker; its shutdown must end within 10 s."""
    app = create_app(settings)
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client
    async with asyncio.timeout(10):
        await lifespan.__aexit__(None, None, None)


@pytest.mark.parametrize("attempt", range(3))
async def test_an_app_shut_down_right_after_it_started_stops_promptly(
    http: httpx.AsyncClient, second_app: httpx.AsyncClient, attempt: int
) -> None:
    # given the suite's app running (its job worker too), and a second app started just now
    # when the second app answers one request and is shut down (by the fixture, with a time limit)
    response = await second_app.post("/graphql", json={"query": "{ __typename }"})
    # then it answered, and (a worker cancelled during its start-up used to run on, and the shutdown waited for it
    # forever) its shutdown ends in time
    assert response.json() == {"data": {"__typename": "Query"}}
    assert (await http.get("/healthz")).status_code == 200


async def test_request_id_is_echoed_or_made(http: httpx.AsyncClient) -> None:
    given = await http.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await http.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert made.headers["x-request-id"] != "bad id with spaces"
    assert len(made.headers["x-request-id"]) == 32


async def test_internal_errors_are_masked(settings: Settings) -> None:
    # given a resolver whose database is unreachable
    db = Database.connect(UNREACHABLE, pool_size=1)
    context = Context(
        settings=settings,
        resources=Resources(db, credential_cipher(settings), LocalBlobStore(settings.resolved_data_dir / "blobs")),
        viewer=Viewer(user_id=1, email="x@example.test"),
    )
    try:
        # when it fails
        result = await build_schema().execute("{ assets { totalCount } }", context_value=context)
    finally:
        await db.dispose()

    # then the client sees a generic message: no exception text, no SQL, no stack
    assert result.errors is not None
    assert [e.formatted["message"] for e in result.errors] == ["Internal server error."]
    assert "extensions" not in result.errors[0].formatted


def test_logs_are_json_with_request_id_and_extra_fields(caplog: pytest.LogCaptureFixture) -> None:
    from assetgraph.logging_setup import request_id_var

    token = request_id_var.set("req-1")
    try:
        record = logging.makeLogRecord({"msg": "record_upload_attempt_failed", "levelname": "WARNING", "asset_id": 7})
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert entry["event"] == "record_upload_attempt_failed"
    assert entry["request_id"] == "req-1"
    assert entry["asset_id"] == 7


async def test_database_down_is_a_clear_503_not_a_stack_trace(settings: Settings) -> None:
    # given the app pointed at a database that cannot be reached
    down = create_app(settings, database_url=UNREACHABLE)
    async with down.router.lifespan_context(down):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=down), base_url="http://t") as client:
            # when a client queries with a token
            response = await client.post(
                "/graphql", json={"query": "{ viewer { id } }"}, headers={"Authorization": "Bearer agt_x"}
            )
    # then it is told, in GraphQL's shape, to come back later
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert "Traceback" not in response.text and "asyncpg" not in response.text
