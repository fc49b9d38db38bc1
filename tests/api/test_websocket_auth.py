"""Authentication over a real WebSocket: revocation reaches open sockets; a database outage is not a bad token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.auth import revoke_token
from tests.support import GraphQLClient, serving

UNREACHABLE = "postgresql+asyncpg://postgres@/nowhere?host=/nonexistent-socket-dir"
VIEWER = {"query": "{ viewer { email } }"}


async def _init(ws: ClientConnection, token: str) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
    message: dict[str, Any] = json.loads(await ws.recv())
    return message


async def _subscribe(ws: ClientConnection, operation_id: str) -> dict[str, Any]:
    await ws.send(json.dumps({"id": operation_id, "type": "subscribe", "payload": VIEWER}))
    message: dict[str, Any] = json.loads(await ws.recv())
    return message


def _ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://") + "/graphql"


async def test_a_token_revoked_while_the_socket_is_open_refuses_its_next_operation(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given a socket authenticated with alice's token, which has answered an operation
    _, client = alice
    assert client.token is not None
    async with serving(app) as base_url, connect(_ws_url(base_url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        assert await _init(ws, client.token) == {"type": "connection_ack"}
        assert (await _subscribe(ws, "1"))["type"] == "next"
        assert json.loads(await ws.recv()) == {"id": "1", "type": "complete"}

        # when the token is revoked
        assert await revoke_token(UnitOfWork(db), client.token)

        # then the next operation is refused and the socket closed as forbidden
        with pytest.raises(ConnectionClosed) as closed:
            await _subscribe(ws, "2")
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "Forbidden")


async def test_a_socket_refused_because_the_database_is_down_says_so(
    settings: Settings, alice: tuple[int, GraphQLClient]
) -> None:
    # given the app pointed at a database that cannot be reached
    _, client = alice
    assert client.token is not None
    down = create_app(settings, database_url=UNREACHABLE)
    async with down.router.lifespan_context(down), serving(down) as base_url:
        async with connect(_ws_url(base_url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            # when a client authenticates
            with pytest.raises(ConnectionClosed) as closed:
                await _init(ws, client.token)
    # then it is told to try again later, not that its token is bad
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1013
    assert closed.value.rcvd.reason == "The database is unavailable; try again shortly."
