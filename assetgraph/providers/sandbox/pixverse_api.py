"""Pixverse's web API as the sandbox serves it: the shape providers/pixverse.py documents and speaks."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from assetgraph.providers.pixverse import UPLOAD_PATH, PixverseErrCode
from assetgraph.providers.sandbox.bodies import MalformedBodyError, read_form
from assetgraph.providers.sandbox.common import Arrival, BadJsonError, drain, json_object, received_file
from assetgraph.providers.sandbox.faults import Fault, FaultKind
from assetgraph.providers.sandbox.generated_library import UnknownLibraryError
from assetgraph.providers.sandbox.library import MEDIA_HOST
from assetgraph.providers.sandbox.state import Sandbox

PROVIDER = "pixverse"
INVALID_PARAMETER = 400017
MAX_PAGE = 500
UPLOADED_ID_BASE = 390_000_000_000


def envelope(
    code: int, message: str, resp: Any = None, *, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"ErrCode": int(code), "ErrMsg": message, "Resp": resp}, status_code=status, headers=headers)


def fault_response(fault: Fault, account: str | None) -> Response:
    """How Pixverse shows each fault. Messages name the account, as some providers echo what they refused: the
    adapter must never pass that on."""
    who = f"for token {account}"
    if fault.kind is FaultKind.STATUS:
        return envelope(fault.status, f"sandbox fault {fault.status} {who}", status=fault.status)
    if fault.kind is FaultKind.RATE_LIMITED:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
        return envelope(PixverseErrCode.RATE_LIMITED, f"too many requests {who}", status=429, headers=headers)
    if fault.kind is FaultKind.SAFETY:
        return envelope(PixverseErrCode.SAFETY_REJECTED, f"content moderation failed {who}")
    if fault.kind is FaultKind.TOO_LARGE:
        return envelope(PixverseErrCode.FILE_TOO_LARGE, f"file size exceeds the limit {who}")
    if fault.kind is FaultKind.UNSUPPORTED:
        return envelope(PixverseErrCode.UNSUPPORTED_FORMAT, f"unsupported file format {who}")
    if fault.kind is FaultKind.SESSION_EXPIRED:
        return envelope(PixverseErrCode.SESSION_EXPIRED, f"user token expired {who}")
    return envelope(504, "gateway timeout", status=504)  # a hang the client outlasted


def pixverse_routes(sandbox: Sandbox) -> list[BaseRoute]:
    async def upload(request: Request) -> Response:
        arrival = Arrival(sandbox, request, PROVIDER, "upload", request.headers.get("token"))
        if (refusal := arrival.misconfigured()) is not None:
            await drain(request)
            return refusal
        try:
            form = await read_form(request)
        except MalformedBodyError as error:
            return envelope(INVALID_PARAMETER, str(error))
        file = form.file("image")
        size = file.size_bytes if file else 0

        def refused() -> None:
            sandbox.remember(received_file(PROVIDER, arrival.account, file, None))

        if arrival.fault is not None:
            refused()
        if (early := await _refusal(arrival)) is not None:
            return early
        if file is None:
            return envelope(INVALID_PARAMETER, "the file field 'image' is required")
        if size > sandbox.max_upload_bytes:
            refused()
            return envelope(PixverseErrCode.FILE_TOO_LARGE, f"file size exceeds {sandbox.max_upload_bytes} bytes")
        if not (file.content_type or "").startswith("image/"):
            refused()
            return envelope(PixverseErrCode.UNSUPPORTED_FORMAT, "only images can be uploaded")
        img_id = UPLOADED_ID_BASE + sandbox.next_id()
        sandbox.remember(received_file(PROVIDER, arrival.account, file, str(img_id)))
        return envelope(0, "success", {"img_id": img_id, "img_url": f"{MEDIA_HOST}/upload/{img_id}"})

    def listing(kind: str) -> Route:
        async def handler(request: Request) -> Response:
            arrival = Arrival(sandbox, request, PROVIDER, f"{kind}_list", request.headers.get("token"))
            if (refusal := arrival.misconfigured()) is not None:
                await drain(request)
                return refusal
            try:
                query = await json_object(request)
            except BadJsonError as error:
                return envelope(INVALID_PARAMETER, str(error))
            if (early := await _refusal(arrival)) is not None:
                return early
            assert arrival.account is not None
            offset, limit = _whole(query.get("offset")), _whole(query.get("limit"))
            if offset is None or limit is None or offset < 0 or not 1 <= limit <= MAX_PAGE:
                return envelope(INVALID_PARAMETER, f"offset >= 0 and 1 <= limit <= {MAX_PAGE} are required")
            try:
                library = sandbox.library_for(arrival.account)
            except UnknownLibraryError as error:
                return PlainTextResponse(str(error), status_code=400)
            items = library.videos if kind == "video" else library.images
            if sandbox.list_delay_seconds > 0:
                await asyncio.sleep(sandbox.list_delay_seconds)
            return envelope(0, "success", {"data": items[offset : offset + limit], "total": len(items)})

        return Route(f"/creative_platform/{kind}/list/personal", handler, methods=["POST"])

    def detail(kind: str) -> Route:
        async def handler(request: Request) -> Response:
            arrival = Arrival(sandbox, request, PROVIDER, f"{kind}_detail", request.headers.get("token"))
            if (refusal := arrival.misconfigured()) is not None:
                return refusal
            if (early := await _refusal(arrival)) is not None:
                return early
            assert arrival.account is not None
            item_id = request.query_params.get(f"{kind}_id", "")
            try:
                item = sandbox.library_for(arrival.account).find(kind, item_id)
            except UnknownLibraryError as error:
                return PlainTextResponse(str(error), status_code=400)
            if item is None:
                return envelope(PixverseErrCode.ITEM_NOT_FOUND, f"{kind} not found")
            return envelope(0, "success", item)

        return Route(f"/creative_platform/{kind}/detail", handler, methods=["GET"])

    return [
        Route(UPLOAD_PATH, upload, methods=["POST"]),
        listing("video"),
        listing("image"),
        detail("video"),
        detail("image"),
    ]


async def _refusal(arrival: Arrival) -> Response | None:
    """The answer when a fault applies or nobody is signed in; None when the call may go ahead."""
    if arrival.fault is not None:
        if arrival.fault.kind is FaultKind.HANG:
            await arrival.hang()
        return fault_response(arrival.fault, arrival.account)
    if not arrival.account:
        return envelope(PixverseErrCode.SESSION_EXPIRED, "user is not logged in")
    return None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
