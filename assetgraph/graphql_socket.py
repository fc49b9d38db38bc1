"""graphql-transport-ws with the caller checked at connection_init and again before every operation."""

from __future__ import annotations

from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    SubscribeMessage,
)

from assetgraph.resolvers.context import Context
from assetgraph.services.auth import DatabaseUnavailableError, authenticate

# 1013 "Try Again Later" (RFC 6455's registry): the server, not the token, is the problem. 4403 would read as a bad
# token to a client, which would then stop retrying.
TRY_AGAIN_LATER = 1013
_UNAVAILABLE = "The database is unavailable; try again shortly."


def _optional(value: object, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _is_text(value: object) -> bool:
    """A string that is valid Unicode text: a lone surrogate (JSON's \\udc00) cannot be encoded, and Strawberry
    quotes the id and the operationName back in close reasons, which then failed to send and dropped the socket."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def malformed_message(message: Any) -> str | None:
    """What is wrong with a graphql-transport-ws message's shape, or None when it can be handled.

    Strawberry indexes messages without checking them: a `subscribe` whose payload is null raised a TypeError
    inside the socket, which then died without a close frame. The protocol's answer to an invalid message is
    close code 4400, which `handle_invalid_message` gives.
    """
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return "A message must be a JSON object with a string 'type'."
    kind = message["type"]
    if kind in ("subscribe", "complete") and not (_is_text(message.get("id")) and message["id"]):
        return f"A '{kind}' message needs a non-empty string 'id'."
    payload = message.get("payload")
    if kind != "subscribe":
        return None if _optional(payload, dict) else f"The payload of a '{kind}' message must be an object."
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return "A 'subscribe' message needs a payload object with a string 'query'."
    if not (_optional(payload.get("variables"), dict) and _optional(payload.get("extensions"), dict)):
        return "A 'subscribe' payload's 'variables' and 'extensions' must be objects."
    if not (payload.get("operationName") is None or _is_text(payload["operationName"])):
        return "A 'subscribe' payload's 'operationName' must be a string."
    return None


class AuthenticatedSocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """A token revoked while the socket is open refuses the socket's next operation and closes it with 4403;
    a malformed message closes it with 4400, as the protocol says."""

    async def handle_message(self, message: Message) -> None:
        problem = malformed_message(message)
        if problem is not None:
            await self.handle_invalid_message(problem)
            return
        await super().handle_message(message)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except DatabaseUnavailableError:
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=_UNAVAILABLE)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not await self._caller_still_authenticated():
            return
        await super().handle_subscribe(message)

    async def _caller_still_authenticated(self) -> bool:
        # One indexed lookup per operation, exactly what every HTTP request costs; a cache would let a revoked
        # token run operations until it expired.
        context = self.context
        try:
            current = await authenticate(context.resources.database, context.credential)
        except DatabaseUnavailableError:
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=_UNAVAILABLE)
            return False
        if current is None or context.viewer is None or current.user_id != context.viewer.user_id:
            await self.websocket.close(code=4403, reason="Forbidden")
            return False
        return True
