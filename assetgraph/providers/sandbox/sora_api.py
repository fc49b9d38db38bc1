"""Sora's upload (OpenAI's Files API) as the sandbox serves it: the shape providers/sora.py documents and speaks."""

from __future__ import annotations

import secrets
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from assetgraph.providers.sandbox.bodies import MalformedBodyError, read_form
from assetgraph.providers.sandbox.common import Arrival, bearer, drain, received_file
from assetgraph.providers.sandbox.faults import Fault, FaultKind
from assetgraph.providers.sandbox.state import Sandbox
from assetgraph.providers.sora import UPLOAD_PATH

PROVIDER = "sora"
ACCEPTED_TYPES = ("image/", "video/")


def openai_error(
    status: int,
    message: str,
    code: str | None,
    *,
    kind: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def fault_response(fault: Fault, account: str | None) -> Response:
    """How OpenAI shows each fault; messages quote the key, as OpenAI's do (partly masked there, whole here)."""
    who = f"for key {account}"
    if fault.kind is FaultKind.STATUS:
        return openai_error(fault.status, f"sandbox fault {fault.status} {who}", None, kind="server_error")
    if fault.kind is FaultKind.RATE_LIMITED:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
        return openai_error(429, f"Rate limit reached {who}", "rate_limit_exceeded", kind="requests", headers=headers)
    if fault.kind is FaultKind.SAFETY:
        return openai_error(400, f"Your request was rejected by the safety system {who}", "content_policy_violation")
    if fault.kind is FaultKind.TOO_LARGE:
        return openai_error(413, f"File is too large {who}", "file_too_large")
    if fault.kind is FaultKind.UNSUPPORTED:
        return openai_error(400, f"Unsupported file format {who}", "unsupported_file")
    if fault.kind is FaultKind.SESSION_EXPIRED:
        return openai_error(401, f"Incorrect API key provided: {account}", "invalid_api_key")
    return openai_error(504, "gateway timeout", None, kind="server_error")


def sora_routes(sandbox: Sandbox) -> list[BaseRoute]:
    async def upload(request: Request) -> Response:
        arrival = Arrival(sandbox, request, PROVIDER, "upload", bearer(request))
        if (refusal := arrival.misconfigured()) is not None:
            await drain(request)
            return refusal
        try:
            form = await read_form(request)
        except MalformedBodyError as error:
            return openai_error(400, str(error), None)
        file = form.file("file")
        size = file.size_bytes if file else 0

        def received(upload_id: str | None) -> None:
            sandbox.remember(received_file(PROVIDER, arrival.account, file, upload_id))

        if arrival.fault is not None:
            received(None)
            if arrival.fault.kind is FaultKind.HANG:
                await arrival.hang()
            return fault_response(arrival.fault, arrival.account)
        if not arrival.account:
            return openai_error(401, "You didn't provide an API key.", None)
        purpose = form.fields().get("purpose")
        if file is None or not purpose:
            return openai_error(400, "'file' and 'purpose' are required", None)
        if size > sandbox.max_upload_bytes:
            received(None)
            return openai_error(413, f"File is larger than {sandbox.max_upload_bytes} bytes", "file_too_large")
        if not (file.content_type or "").startswith(ACCEPTED_TYPES):
            received(None)
            return openai_error(400, "Only images and videos are accepted", "unsupported_file")
        file_id = f"file-{secrets.token_hex(12)}"
        received(file_id)
        return JSONResponse(
            {
                "id": file_id,
                "object": "file",
                "bytes": size,
                "created_at": int(time.time()),
                "filename": file.filename,
                "purpose": purpose,
                "status": "processed",
            }
        )

    return [Route(UPLOAD_PATH, upload, methods=["POST"])]
