"""What every emulated provider does the same way: who is calling, which fault applies, hanging, small JSON."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from assetgraph.providers.sandbox.bodies import ReceivedPart
from assetgraph.providers.sandbox.faults import FAULT_HEADER, Fault, UnknownFaultError
from assetgraph.providers.sandbox.state import ReceivedFile, Sandbox

MAX_JSON_BODY_BYTES = 64 * 1024
HANG_POLL_SECONDS = 0.05


class BadJsonError(ValueError):
    """The body is not the small JSON object the endpoint takes."""


def bearer(request: Request) -> str | None:
    """The API key of `Authorization: Bearer <key>`, None without one."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    return (key.strip() or None) if scheme.lower() == "bearer" else None


async def drain(request: Request) -> None:
    """Read the rest of the body, so that a client still sending sees the answer rather than a reset."""
    async for _ in request.stream():
        pass


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object (at most MAX_JSON_BODY_BYTES); BadJsonError otherwise."""
    body = bytearray()
    async for chunk in request.stream():
        if len(body) + len(chunk) > MAX_JSON_BODY_BYTES:
            await drain(request)
            raise BadJsonError("body too large")
        body += chunk
    try:
        value = json.loads(body)
    except ValueError:
        raise BadJsonError("body is not JSON") from None
    if not isinstance(value, dict):
        raise BadJsonError("body is not a JSON object")
    return value


def received_file(provider: str, account: str | None, part: ReceivedPart | None, upload_id: str | None) -> ReceivedFile:
    """What the sandbox remembers of a file part (no part: an upload without its file, counted as 0 bytes)."""
    if part is None:
        return ReceivedFile(provider, account, None, None, 0, upload_id)
    return ReceivedFile(provider, account, part.filename, part.content_type, part.size_bytes, upload_id)


class Arrival:
    """A request as it arrives: counted at once (a hung or refused call counts too), its fault chosen."""

    def __init__(
        self,
        sandbox: Sandbox,
        request: Request,
        provider: str,
        endpoint: str,
        account: str | None,
        *,
        authenticated: bool = True,
    ) -> None:
        """`authenticated`: the request carries the account's credential, so the account's fault applies."""
        self.sandbox = sandbox
        self.request = request
        self.account = account
        sandbox.calls.record(provider, endpoint, account)
        self.bad_fault: str | None = None
        try:
            self.fault: Fault | None = sandbox.fault_for(
                provider, endpoint, account if authenticated else None, request.headers.get(FAULT_HEADER)
            )
        except UnknownFaultError as error:
            self.fault, self.bad_fault = None, str(error)

    def misconfigured(self) -> Response | None:
        """A 400 naming a misspelt fault, so that a test with a typo fails loudly instead of passing."""
        return PlainTextResponse(self.bad_fault, status_code=400) if self.bad_fault else None

    async def hang(self) -> None:
        """Answer nothing until the client gives up (disconnects) or the sandbox's hang_seconds pass."""
        # Polled: nothing wakes a handler when its client goes away.
        for _ in range(max(1, round(self.sandbox.hang_seconds / HANG_POLL_SECONDS))):
            if await self.request.is_disconnected():
                return
            await asyncio.sleep(HANG_POLL_SECONDS)
