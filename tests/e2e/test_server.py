"""The real server, started as `make run` starts it, answering over HTTP and WebSocket on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from assetgraph.persistence.database import Database
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.support import REPO_ROOT, TOKEN_LINE, free_port, fresh_database_url, insert_assets, wait_until_ready


@dataclass
class RunningServer:
    base_url: str
    token: str
    database_url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # given a brand-new, empty database and the `assetgraph serve` command
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "stdout.log"
    database_url = fresh_database_url("e2e")
    env = {
        **os.environ,
        "ASSETGRAPH_DATABASE_URL": database_url,
        "ASSETGRAPH_PORT": str(port),
        # its own data dir: serve writes a credentials key there, never into the checkout
        "ASSETGRAPH_DATA_DIR": str(tmp_path_factory.mktemp("data")),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assetgraph.cli", "serve"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, base_url, log)
        # then the first start migrated, created the local user and printed its token once
        found = TOKEN_LINE.findall(log.read_text())
        assert len(found) == 1, log.read_text()
        yield RunningServer(base_url, found[0], database_url)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_http_query_answers_with_the_printed_token(server: RunningServer) -> None:
    response = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": "{ viewer { id email } }"},
        headers={"Authorization": f"Bearer {server.token}"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["email"] == "local@assetgraph.localhost"
    assert response.headers["x-request-id"]


async def test_websocket_authenticates_in_connection_init(server: RunningServer) -> None:
    ws_url = server.base_url.replace("http://", "ws://") + "/graphql"

    # a good token: acknowledged, and an operation is answered
    async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {server.token}"}}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { email } }"}}))
        message = json.loads(await ws.recv())
        assert message["type"] == "next"
        assert message["payload"]["data"] == {"viewer": {"email": "local@assetgraph.localhost"}}

    # a bad token: the connection is closed as forbidden
    async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer agt_nope"}}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_each_websocket_operation_reads_fresh_data(server: RunningServer) -> None:
    # given an asset of the local user, read once over a WebSocket
    db = Database.connect(server.database_url, pool_size=1)
    try:
        async with db.engine.begin() as conn:
            user_id = (await conn.execute(text("SELECT id FROM users LIMIT 1"))).scalar_one()
        (asset_id,) = await insert_assets(db, user_id, [{"description": "before"}])
        query = {"query": f'{{ asset(id: "{to_global_id(NodeType.ASSET, asset_id)}") {{ description }} }}'}
        ws_url = server.base_url.replace("http://", "ws://") + "/graphql"
        async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {server.token}"}}
            await ws.send(json.dumps(init))
            await ws.recv()
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
            first = json.loads(await ws.recv())
            await ws.recv()  # complete

            # when it changes, then the next operation on the same socket sees the change
            async with db.engine.begin() as conn:
                await conn.execute(text("UPDATE assets SET description = 'after' WHERE id = :id"), {"id": asset_id})
            await ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": query}))
            second = json.loads(await ws.recv())
    finally:
        await db.dispose()
    assert first["payload"]["data"] == {"asset": {"description": "before"}}
    assert second["payload"]["data"] == {"asset": {"description": "after"}}


async def test_websocket_errors_read_as_over_http(server: RunningServer) -> None:
    # given a signed-in WebSocket
    ws_url = server.base_url.replace("http://", "ws://") + "/graphql"
    async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {server.token}"}}))
        await ws.recv()

        async def answer(operation_id: str, payload: dict[str, object]) -> list[dict[str, object]]:
            await ws.send(json.dumps({"id": operation_id, "type": "subscribe", "payload": payload}))
            messages = [json.loads(await ws.recv())]
            while messages[-1]["type"] == "next":
                messages.append(json.loads(await ws.recv()))
            return messages

        # when it sends a null for a non-null variable, and a document of two operations without a name
        null_id = await answer("1", {"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}})
        ambiguous = await answer("2", {"query": "query A { viewer { id } } query B { viewer { email } }"})

    # then each reads as the client's mistake, exactly as over HTTP
    assert null_id == [
        {
            "id": "1",
            "type": "next",
            "payload": {
                "data": None,
                "errors": [
                    {
                        "message": "Variable '$id' has invalid value: "
                        "Expected value of non-null type 'ID!' not to be None.",
                        "locations": [{"line": 1, "column": 7}],
                        "extensions": {"code": "BAD_USER_INPUT", "field": "id"},
                    }
                ],
            },
        },
        {"id": "1", "type": "complete"},
    ]
    assert ambiguous == [
        {
            "id": "2",
            "type": "next",
            "payload": {
                "data": None,
                "errors": [
                    {
                        "message": "Must provide operation name if query contains multiple operations.",
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ],
            },
        },
        {"id": "2", "type": "complete"},
    ]
