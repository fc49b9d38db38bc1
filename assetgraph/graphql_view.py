"""The GraphQL endpoint: Strawberry's view with our context, authentication and request-body rules.

Every refusal a client can cause is answered in GraphQL's shape, `{"data": null, "errors": [{message, extensions:
{code}}]}`, with a 4xx status: a body that is not a GraphQL request object, not UTF-8, nested too deeply, too large,
or of a content type this endpoint does not take.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from assetgraph.config import Settings
from assetgraph.domain import json_text
from assetgraph.graphql_socket import AuthenticatedSocketHandler
from assetgraph.resolvers.context import Context
from assetgraph.schema.schema import build_schema
from assetgraph.services.auth import authenticate
from assetgraph.services.resources import Resources

_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}
# Strawberry's reasons, where a client needs more to go on.
_OVER_WEBSOCKET = (
    "Subscriptions are served over a WebSocket only: connect to /graphql with the graphql-transport-ws protocol."
)
_CLEARER = {
    "subscriptions are not allowed when using POST": _OVER_WEBSOCKET,
    "subscriptions are not allowed when using GET": _OVER_WEBSOCKET,
    "Unsupported content type": (
        "Unsupported content type: send a GraphQL request as application/json with POST, or as query parameters "
        "with GET."
    ),
}
_NOT_A_REQUEST = (
    'Expected a JSON object, a GraphQL request such as {"query": "...", "variables": {...}, "operationName": "..."}.'
)


class _BodyTooLargeError(Exception):
    pass


def _receive_at_most(receive: Receive, limit: int) -> Receive:
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLargeError
        return message

    return receive_within_limit


PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"graphql-preflight", b"x-apollo-operation-name")
"""Headers a browser cannot add to a cross-site form post: one of them must accompany a multipart request."""
_MISSING_PREFLIGHT = (
    "A multipart request must carry an 'Apollo-Require-Preflight: true' (or 'GraphQL-Preflight: 1') header: without "
    "one, a browser form on another site could post it with your cookies."
)
_BAD_MAP = (
    "The multipart 'map' must be an object of lists of paths such as 'variables.file', each naming a null in "
    "'operations'."
)
# Room for the multipart framing and the operations/map parts around the file itself.
_MULTIPART_OVERHEAD = 1024 * 1024


def bearer_token(value: object) -> str | None:
    """The token of an 'Authorization: Bearer <token>' value, else None."""
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    # Issued tokens are ASCII (domain/tokens.py); anything else is no token, not text to hash.
    return token if token and token.isascii() and scheme.lower() == "bearer" else None


def graphql_error_response(
    status_code: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """A request-level refusal in GraphQL's response shape."""
    error = {"message": message, "extensions": {"code": code or _CODES.get(status_code, "BAD_REQUEST")}}
    # The message may quote the request (an unknown operationName): encoded by json_text, whose fallback escapes a
    # lone surrogate that Starlette's JSONResponse (raw UTF-8) could not encode, and failed the request instead.
    return Response(
        json_text.dumps({"data": None, "errors": [error]}),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def _too_large(limit: int) -> Response:
    # Built only when a body is refused: every request used to build (and encode) it in advance.
    return graphql_error_response(413, f"The request body is larger than {limit} bytes.")


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = AuthenticatedSocketHandler

    def __init__(self, app: Starlette, settings: Settings) -> None:
        super().__init__(
            build_schema(settings.limits, settings.executor),
            graphql_ide=None,  # the app serves its own, offline GraphiQL
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            allowed_origins=settings.allowed_origins,
            # Files are spooled to disk by the multipart parser and read in chunks by the upload resolver.
            multipart_uploads_enabled=True,
        )
        self._app = app
        self._settings = settings

    @property
    def _resources(self) -> Resources:
        resources: Resources = self._app.state.resources  # built in the app's lifespan
        return resources

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/")
        if multipart and not any(name in headers for name in PREFLIGHT_HEADERS):
            # Refused before the body is read: a browser sends a cross-site form as multipart without such a header.
            await graphql_error_response(400, _MISSING_PREFLIGHT)(scope, receive, send)
            return
        limits = self._settings.limits
        limit = limits.max_upload_bytes + _MULTIPART_OVERHEAD if multipart else limits.max_body_bytes
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, _receive_at_most(receive, limit)))
        except HTTPException as exc:  # Strawberry's refusals are plain text; clients expect GraphQL's shape
            response = graphql_error_response(exc.status_code, _CLEARER.get(exc.reason, exc.reason))
        except StarletteHTTPException as exc:  # the multipart parser's (too many files or fields)
            response = graphql_error_response(exc.status_code, exc.detail)
        except _BodyTooLargeError:  # a chunked body that declared no length
            response = _too_large(limit)
        await response(scope, receive, send)

    def encode_json(self, data: object) -> str:
        """Responses and WebSocket messages through orjson (json_text.py): same content as json.dumps, faster.

        A str, not bytes: Strawberry sends bytes over a WebSocket as a binary frame, which clients do not expect.
        """
        return json_text.dumps(data)

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        """Strawberry's, with a `map` that names a path `operations` does not have (`variables.f.9` where `f` is
        null, an index into a string) refused as a bad request: Strawberry walks the path unchecked and raised a
        TypeError, an internal error, for anything but a missing key."""
        try:
            return await super().parse_multipart(request)
        except (TypeError, IndexError, AttributeError, ValueError) as exc:
            raise HTTPException(400, _BAD_MAP) from exc

    def decode_json(self, data: str | bytes) -> object:
        """JSON from UTF-8 only (json.loads would guess UTF-16/32 from bytes), with nesting bounded by the parser.

        Read through orjson where it reads what json.loads reads (json_text.py); what it refuses, and so every
        error's message, is the standard library's.
        """
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            return json_text.loads(text)
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError("the body is not UTF-8", "", exc.start) from exc
        except RecursionError as exc:
            raise json.JSONDecodeError("the JSON is nested too deeply", "", 0) from exc

    def parse_json(self, data: str | bytes) -> Any:
        """A request body, a GET request's `variables`, or a multipart part: always a JSON object (or a batch)."""
        try:
            value = self.decode_json(data)
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"Unable to parse the request as JSON: {exc.msg}.") from exc
        if not isinstance(value, (dict, list)):
            raise HTTPException(400, _NOT_A_REQUEST)
        return value

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        viewer = None
        if isinstance(request, Request):
            token = bearer_token(request.headers.get("authorization"))
            viewer = await authenticate(self._resources.database, token)
        return Context(
            settings=self._settings, resources=self._resources, viewer=viewer, request=request, response=response
        )

    async def on_ws_connect(self, context: Context) -> Any:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        context.credential = bearer_token(params.get("authorization"))
        # DatabaseUnavailableError propagates: AuthenticatedSocketHandler closes with "try again later".
        context.viewer = await authenticate(context.resources.database, context.credential)
        if context.viewer is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED", "message": "a valid bearer token is required"})
        return UNSET
