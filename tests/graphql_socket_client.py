"""A graphql-transport-ws client for tests: a real WebSocket, the protocol's messages, nothing hidden."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


class GraphQLSocket:
    """One authenticated socket; operations are told apart by the ids the test gives them."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._pending: dict[str, asyncio.Queue[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message.get("type") == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))
                continue
            self._pending.setdefault(message.get("id", ""), asyncio.Queue()).put_nowait(message)

    async def subscribe(self, operation_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        self._pending.setdefault(operation_id, asyncio.Queue())
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send(json.dumps({"id": operation_id, "type": "subscribe", "payload": payload}))

    async def receive(self, operation_id: str, within: float = 15) -> dict[str, Any]:
        """The operation's next message (next, error or complete)."""
        async with asyncio.timeout(within):
            return await self._pending.setdefault(operation_id, asyncio.Queue()).get()

    async def until_complete(self, operation_id: str, within: float = 30) -> list[dict[str, Any]]:
        """Every `next` payload of the operation until its `complete`; fails on an `error` message."""
        payloads = []
        async with asyncio.timeout(within):
            while True:
                message = await self.receive(operation_id, within)
                if message["type"] == "complete":
                    return payloads
                assert message["type"] == "next", message
                payloads.append(message["payload"])

    def buffered(self, operation_id: str) -> int:
        """How many messages of the operation have arrived and not been received yet."""
        return self._pending.setdefault(operation_id, asyncio.Queue()).qsize()

    async def close(self) -> None:
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
        await self.ws.close()


@asynccontextmanager
async def graphql_socket(base_url: str, token: str) -> AsyncIterator[GraphQLSocket]:
    """A socket to `base_url`'s /graphql, acknowledged for `token`."""
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ack == {"type": "connection_ack"}, ack
        socket = GraphQLSocket(ws)
        try:
            yield socket
        finally:
            await socket.close()
