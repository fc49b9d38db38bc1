"""Malformed graphql-transport-ws messages over a real WebSocket: each closes the socket with 4400 and says why;
the server goes on serving other sockets."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.graphql_socket_client import graphql_socket
from tests.support import GraphQLClient, serving

SUBSCRIBE_NEEDS = "A 'subscribe' message needs a payload object with a string 'query'."
MALFORMED: dict[str, tuple[Any, str]] = {
    "a list": ([], "A message must be a JSON object with a string 'type'."),
    "a number type": ({"type": 3}, "A message must be a JSON object with a string 'type'."),
    "null payload": ({"id": "1", "type": "subscribe", "payload": None}, SUBSCRIBE_NEEDS),
    "string payload": ({"id": "1", "type": "subscribe", "payload": "{ viewer { email } }"}, SUBSCRIBE_NEEDS),
    "numeric query": ({"id": "1", "type": "subscribe", "payload": {"query": 1}}, SUBSCRIBE_NEEDS),
    "list variables": (
        {"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { email } }", "variables": [1]}},
        "A 'subscribe' payload's 'variables' and 'extensions' must be objects.",
    ),
    "numeric operation name": (
        {"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { email } }", "operationName": 5}},
        "A 'subscribe' payload's 'operationName' must be a string.",
    ),
    "no id": (
        {"type": "subscribe", "payload": {"query": "{ viewer { email } }"}},
        "A 'subscribe' message needs a non-empty string 'id'.",
    ),
    "numeric id on complete": ({"id": 1, "type": "complete"}, "A 'complete' message needs a non-empty string 'id'."),
    "string ping payload": ({"type": "ping", "payload": "x"}, "The payload of a 'ping' message must be an object."),
    # A lone surrogate cannot be sent back in a close reason: the socket used to drop with no close frame.
    "lone surrogate operation name": (
        {"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { email } }", "operationName": "\udc00"}},
        "A 'subscribe' payload's 'operationName' must be a string.",
    ),
    "lone surrogate id": (
        {"id": "\udc00", "type": "subscribe", "payload": {"query": "{ viewer { email } }"}},
        "A 'subscribe' message needs a non-empty string 'id'.",
    ),
}


@pytest.fixture
async def base_url(app: Starlette) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


@pytest.mark.parametrize("name", list(MALFORMED))
async def test_a_malformed_message_closes_the_socket_with_4400_and_the_server_serves_on(
    alice: tuple[int, GraphQLClient], base_url: str, name: str
) -> None:
    # given an acknowledged socket
    _, client = alice
    assert client.token is not None
    message, reason = MALFORMED[name]
    async with graphql_socket(base_url, client.token) as socket:
        # when it sends a message of the wrong shape
        await socket.ws.send(json.dumps(message))
        # then the server closes it as an invalid message, saying what was wrong
        with pytest.raises(ConnectionClosed) as closed:
            await socket.ws.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4400, reason)

    # and another socket is served as before
    async with graphql_socket(base_url, client.token) as socket:
        await socket.subscribe("q", "{ viewer { email } }")
        assert (await socket.receive("q"))["type"] == "next"


async def test_a_malformed_connection_init_is_refused_with_4400(base_url: str) -> None:
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": ["Bearer x"]}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (
        4400, "The payload of a 'connection_init' message must be an object.")  # fmt: skip


async def test_a_message_with_a_number_too_long_to_read_closes_the_socket_with_4400(
    alice: tuple[int, GraphQLClient], base_url: str
) -> None:
    # given an acknowledged socket
    _, client = alice
    assert client.token is not None
    async with graphql_socket(base_url, client.token) as socket:
        # when a message carries an integer of 5,000 digits (int() reads at most 4,300; this was a crash)
        await socket.ws.send('{"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }", "variables": '
                             '{"x": ' + "9" * 5000 + "}}}")  # fmt: skip
        # then the socket is closed as sent an invalid message
        with pytest.raises(ConnectionClosed) as closed:
            await socket.ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4400


async def test_a_token_that_is_not_text_is_refused_as_unauthenticated(base_url: str) -> None:
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        # a lone surrogate in the bearer token used to fail its hashing, and drop the socket with no close frame
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer \ud800"}}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
