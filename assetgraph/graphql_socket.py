"""graphql-transport-ws with the caller checked at connection_init and again before every operation."""

from __future__ import annotations

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage, SubscribeMessage

from assetgraph.resolvers.context import Context
from assetgraph.services.auth import DatabaseUnavailableError, authenticate

# 1013 "Try Again Later" (RFC 6455's registry): the server, not the token, is the problem. 4403 would read as a bad
# token to a client, which would then stop retrying.
TRY_AGAIN_LATER = 1013
_UNAVAILABLE = "The database is unavailable; try again shortly."


class AuthenticatedSocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """A token revoked while the socket is open refuses the socket's next operation and closes it with 4403."""

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
            current = await authenticate(context.resources.unit_of_work(), context.credential)
        except DatabaseUnavailableError:
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=_UNAVAILABLE)
            return False
        if current is None or context.viewer is None or current.user_id != context.viewer.user_id:
            await self.websocket.close(code=4403, reason="Forbidden")
            return False
        return True
