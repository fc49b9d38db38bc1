"""Pixverse, spoken in the shape of its web API.

Assumed wire shape (the sandbox in providers/sandbox/ serves exactly this):
- Every call carries the account's session JWT in a `Token: <jwt>` header (credentials `{"jwt": ...}`) and a fresh
  `Ai-Trace-Id`.
- Every answer is HTTP 200 with the envelope `{"ErrCode": int, "ErrMsg": str, "Resp": ...}`; ErrCode 0 is success.
  Other statuses (429, 5xx, 401/403, 413, 415) are classified by status and retried where that helps.
- Upload: `POST /openapi/v2/image/upload`, multipart with the file in field `image`;
  Resp `{"img_id": int, "img_url": str}`. The id is kept as a string.
- List: `POST /creative_platform/video/list/personal` and `POST /creative_platform/image/list/personal` with the JSON
  body `{"offset": int, "limit": int}`; Resp `{"data": [item, ...], "total": int}`.
- Fetch one: `GET /creative_platform/video/detail?video_id=<id>` and
  `GET /creative_platform/image/detail?image_id=<id>`; Resp is the item; ErrCode ITEM_NOT_FOUND when there is none.
Items are returned raw, as Pixverse sent them; numeric ids are read as strings (`item_id`).
"""

from __future__ import annotations

import uuid
from enum import IntEnum
from typing import Any

from assetgraph.domain import pixverse_items
from assetgraph.domain.enums import MediaType
from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.base import (
    Credentials,
    MediaKind,
    ProviderError,
    ProviderPage,
    ProviderUpload,
    SessionExpiredError,
    UploadSource,
)
from assetgraph.providers.http import ProviderHttp, ProviderResponse, redact
from assetgraph.providers.multipart import multipart_body

UPLOAD_PATH = "/openapi/v2/image/upload"


class PixverseErrCode(IntEnum):
    """The envelope's ErrCodes this adapter tells apart (10005 is Pixverse's; the others are our assumption)."""

    OK = 0
    SESSION_EXPIRED = 10005
    FILE_TOO_LARGE = 400018
    UNSUPPORTED_FORMAT = 400019
    ITEM_NOT_FOUND = 400032
    RATE_LIMITED = 500069
    SAFETY_REJECTED = 500054


_CLASSIFIED: dict[int, UploadErrorCode] = {
    PixverseErrCode.FILE_TOO_LARGE: UploadErrorCode.FILE_TOO_LARGE,
    PixverseErrCode.UNSUPPORTED_FORMAT: UploadErrorCode.UNSUPPORTED_FORMAT,
    PixverseErrCode.RATE_LIMITED: UploadErrorCode.RATE_LIMITED,
    PixverseErrCode.SAFETY_REJECTED: UploadErrorCode.SAFETY_REJECTED,
}


class PixverseError(ProviderError):
    """A refusal in Pixverse's envelope; `err_code` is its ErrCode, `code` the classification it implies."""

    def __init__(self, err_code: int, message: str) -> None:
        super().__init__(_CLASSIFIED.get(err_code, UploadErrorCode.UNKNOWN), message)
        self.err_code = err_code


_ID_FIELDS = {MediaKind.VIDEO: "video_id", MediaKind.IMAGE: "image_id"}


def item_id(kind: MediaKind, item: dict[str, Any]) -> str | None:
    """A library item's Pixverse id as a string (Pixverse sends numbers), None when it has none."""
    return pixverse_items.item_id(MediaType(kind.value), item)


class PixverseAdapter:
    """Upload, list and fetch against Pixverse's web API (see the module's docstring for the shape assumed)."""

    def __init__(self, http: ProviderHttp) -> None:
        self._http = http

    @property
    def provider_id(self) -> str:
        return "pixverse"

    async def upload(self, credentials: Credentials, source: UploadSource) -> ProviderUpload:
        jwt = self._jwt(credentials)
        response = await self._http.request(
            "POST",
            UPLOAD_PATH,
            headers=self._headers(jwt),
            body=lambda: multipart_body(source, file_field="image"),
            secrets=[jwt],
        )
        resp = self._resp(response, jwt)
        if not isinstance(resp, dict) or resp.get("img_id") is None:
            raise ProviderError(UploadErrorCode.UNKNOWN, "Pixverse accepted the upload but sent no image id.")
        url = resp.get("img_url")
        return ProviderUpload(provider_asset_id=str(resp["img_id"]), url=url if isinstance(url, str) else None)

    async def list_page(self, credentials: Credentials, kind: MediaKind, offset: int, limit: int) -> ProviderPage:
        jwt = self._jwt(credentials)
        response = await self._http.request(
            "POST",
            f"/creative_platform/{kind.value}/list/personal",
            headers=self._headers(jwt),
            json_body={"offset": offset, "limit": limit},
            secrets=[jwt],
        )
        resp = self._resp(response, jwt)
        items = resp.get("data") if isinstance(resp, dict) else None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ProviderError(UploadErrorCode.UNKNOWN, f"Pixverse sent a {kind.value} list of an unknown shape.")
        assert isinstance(resp, dict)
        total = resp.get("total")
        return ProviderPage(
            items=items,
            total=total if isinstance(total, int) and not isinstance(total, bool) else None,
            extra={key: value for key, value in resp.items() if key not in ("data", "total")},
        )

    async def fetch_item(self, credentials: Credentials, kind: MediaKind, item_id: str) -> dict[str, Any] | None:
        jwt = self._jwt(credentials)
        response = await self._http.request(
            "GET",
            f"/creative_platform/{kind.value}/detail",
            headers=self._headers(jwt),
            params={_ID_FIELDS[kind]: item_id},
            secrets=[jwt],
        )
        try:
            resp = self._resp(response, jwt)
        except PixverseError as error:
            if error.err_code == PixverseErrCode.ITEM_NOT_FOUND:
                return None
            raise
        return resp if isinstance(resp, dict) else None

    @staticmethod
    def _jwt(credentials: Credentials) -> str:
        jwt = credentials.get("jwt")
        if not jwt:
            raise ProviderError(UploadErrorCode.AUTH_FAILED, "The Pixverse account has no session token (jwt).")
        return jwt

    @staticmethod
    def _headers(jwt: str) -> dict[str, str]:
        return {"Token": jwt, "Ai-Trace-Id": str(uuid.uuid4())}

    def _resp(self, response: ProviderResponse, jwt: str) -> Any:
        """The envelope's Resp; raises the ProviderError its ErrCode (or the HTTP status) means."""
        body = response.json()
        envelope = body if isinstance(body, dict) and "ErrCode" in body else None
        if not response.ok:
            detail = str(envelope.get("ErrMsg") or "") if envelope else None
            raise response.error("Pixverse", detail, [jwt])
        if envelope is None:
            raise ProviderError(UploadErrorCode.UNKNOWN, "Pixverse answered without its {ErrCode, ErrMsg} envelope.")
        try:
            code = int(envelope["ErrCode"])
        except (TypeError, ValueError):
            raise ProviderError(UploadErrorCode.UNKNOWN, "Pixverse answered with an unreadable ErrCode.") from None
        if code == PixverseErrCode.OK:
            return envelope.get("Resp")
        if code == PixverseErrCode.SESSION_EXPIRED:
            raise SessionExpiredError("The Pixverse session has expired: sign in again and update the account.")
        message = redact(str(envelope.get("ErrMsg") or "no message"), [jwt])
        raise PixverseError(code, f"Pixverse: {message} (ErrCode {code})")
