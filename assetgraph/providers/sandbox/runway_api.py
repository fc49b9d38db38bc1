"""Runway's two-step upload as the sandbox serves it: the shape providers/runway.py documents and speaks.

Step 1 (`POST /v1/uploads`) hands out a ticket: a presigned URL on this same server (`/_storage/<ticket>`) and its
form fields. Step 2 posts the file there, storage-style: 204, or an XML error. Account faults apply to step 1,
except `too_large`, which the storage step answers (where a real size limit would be enforced).
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePosixPath

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from assetgraph.providers.runway import API_VERSION, UPLOADS_PATH
from assetgraph.providers.sandbox.bodies import MalformedBodyError, read_form
from assetgraph.providers.sandbox.common import (
    Arrival,
    BadJsonError,
    bearer,
    drain,
    json_object,
    received_file,
)
from assetgraph.providers.sandbox.faults import Fault, FaultKind
from assetgraph.providers.sandbox.state import RunwayTicket, Sandbox

PROVIDER = "runway"
ACCEPTED_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".mov", ".webm", ".mp3", ".wav"})


def runway_error(status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None) -> Response:
    body = {"error": message} | ({"code": code} if code else {})
    return JSONResponse(body, status_code=status, headers=headers)


def storage_error(status: int, code: str, message: str) -> Response:
    xml = f"<?xml version='1.0'?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return Response(xml, status_code=status, media_type="application/xml")


def fault_response(fault: Fault, account: str | None) -> Response:
    """How Runway shows each fault (`too_large` excepted: the storage step answers it)."""
    who = f"for key {account}"
    if fault.kind is FaultKind.STATUS:
        return runway_error(fault.status, f"sandbox fault {fault.status} {who}")
    if fault.kind is FaultKind.RATE_LIMITED:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
        return runway_error(429, f"Too many requests {who}", headers=headers)
    if fault.kind is FaultKind.SAFETY:
        return runway_error(400, f"Input rejected by content moderation {who}", "SAFETY.INPUT.IMAGE")
    if fault.kind is FaultKind.UNSUPPORTED:
        return runway_error(400, f"Unsupported file type {who}", "INPUT.UNSUPPORTED_FORMAT")
    if fault.kind is FaultKind.SESSION_EXPIRED:
        return runway_error(401, f"Invalid API key {account}")
    return runway_error(504, "gateway timeout")


def runway_routes(sandbox: Sandbox) -> list[BaseRoute]:
    async def uploads(request: Request) -> Response:
        arrival = Arrival(sandbox, request, PROVIDER, "upload", bearer(request))
        if (refusal := arrival.misconfigured()) is not None:
            await drain(request)
            return refusal
        try:
            query = await json_object(request)
        except BadJsonError as error:
            return runway_error(400, str(error))
        fault = arrival.fault
        if fault is not None and fault.kind is not FaultKind.TOO_LARGE:
            if fault.kind is FaultKind.HANG:
                await arrival.hang()
            return fault_response(fault, arrival.account)
        if not arrival.account:
            return runway_error(401, "Missing API key")
        if request.headers.get("x-runway-version") != API_VERSION:
            return runway_error(400, f"X-Runway-Version must be {API_VERSION}")
        filename = query.get("filename")
        if not isinstance(filename, str) or not filename or query.get("type") != "ephemeral":
            return runway_error(400, "'filename' and 'type': 'ephemeral' are required")
        if PurePosixPath(filename).suffix.lower() not in ACCEPTED_EXTENSIONS:
            return runway_error(400, "Unsupported file type", "INPUT.UNSUPPORTED_FORMAT")
        ticket_id = secrets.token_urlsafe(16)
        ticket = RunwayTicket(arrival.account, filename, f"runway://uploads/{uuid.uuid4()}", fault is not None)
        sandbox.add_ticket(ticket_id, ticket)
        fields = {"key": f"uploads/{ticket_id}", "x-amz-signature": secrets.token_hex(16)}
        upload_url = str(request.url_for("runway_storage", ticket=ticket_id))
        return JSONResponse({"uploadUrl": upload_url, "fields": fields, "runwayUri": ticket.runway_uri})

    async def storage(request: Request) -> Response:
        ticket_id = request.path_params["ticket"]
        ticket = sandbox.runway_tickets.get(ticket_id)  # used up only by a stored file: a retry may come
        # Presigned: no credential arrives here, so only a header's or a queued fault applies.
        account = ticket.account if ticket else None
        arrival = Arrival(sandbox, request, PROVIDER, "storage", account, authenticated=False)
        if (refusal := arrival.misconfigured()) is not None:
            await drain(request)
            return refusal
        try:
            form = await read_form(request)
        except MalformedBodyError as error:
            return storage_error(400, "MalformedPOSTRequest", str(error))
        file = form.file("file")
        size = file.size_bytes if file else 0
        if ticket is None or form.fields().get("key") != f"uploads/{ticket_id}":
            return storage_error(403, "AccessDenied", "Invalid or used upload URL")
        accepted = arrival.fault is None and file is not None and not ticket.too_large
        accepted = accepted and size <= sandbox.max_upload_bytes
        sandbox.remember(received_file(PROVIDER, ticket.account, file, ticket.runway_uri if accepted else None))
        if arrival.fault is not None:
            if arrival.fault.kind is FaultKind.HANG:
                await arrival.hang()
            return fault_response(arrival.fault, None)
        if file is None:
            return storage_error(400, "InvalidArgument", "POST requires exactly one file upload per request")
        if not accepted:
            return storage_error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
        sandbox.runway_tickets.pop(ticket_id, None)
        return Response(status_code=204)

    return [
        Route(UPLOADS_PATH, uploads, methods=["POST"]),
        Route("/_storage/{ticket}", storage, methods=["POST"], name="runway_storage"),
    ]
