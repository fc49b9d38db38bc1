"""Runway: upload only, in two steps, as Runway's API does it.

Assumed wire shape (the sandbox serves exactly this):
1. `POST /v1/uploads` with `Authorization: Bearer <api_key>` (credentials `{"api_key": ...}`),
   `X-Runway-Version: 2024-11-06` and the JSON body `{"filename": str, "type": "ephemeral"}`; 200 answers
   `{"uploadUrl": str, "fields": {str: str}, "runwayUri": "runway://..."}`.
   Errors: `{"error": str, "code"?: str}` with the HTTP status; 401 (a wrong or revoked key) is a
   SessionExpiredError; a `code` starting `SAFETY.` -> SAFETY_REJECTED, `INPUT.UNSUPPORTED_FORMAT` ->
   UNSUPPORTED_FORMAT, `INPUT.TOO_LARGE` -> FILE_TOO_LARGE.
2. `POST <uploadUrl>` (a presigned storage URL, on another host) as multipart: every `fields` entry, then the file
   as `file`; any 2xx is success. No credential is sent there. Errors are storage-style XML
   (`<Error><Code>EntityTooLarge</Code><Message>...</Message></Error>`): EntityTooLarge -> FILE_TOO_LARGE.
The upload's id is the `runwayUri`, what Runway's generation requests take; there is no public URL.
Runway's library is not listed or fetched (the protocol's list/fetch raise NotImplementedError).
"""

from __future__ import annotations

import re
from typing import Any

import httpx

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
from assetgraph.providers.sora import api_key_of

UPLOADS_PATH = "/v1/uploads"
API_VERSION = "2024-11-06"

ERROR_CODES: dict[str, UploadErrorCode] = {
    "INPUT.UNSUPPORTED_FORMAT": UploadErrorCode.UNSUPPORTED_FORMAT,
    "INPUT.TOO_LARGE": UploadErrorCode.FILE_TOO_LARGE,
}
_XML_CODE = re.compile(rb"<Code>([^<]{1,100})</Code>")


class RunwayAdapter:
    """Upload to Runway through its uploads endpoint and presigned URL (see the module's docstring)."""

    def __init__(self, http: ProviderHttp) -> None:
        self._http = http

    @property
    def provider_id(self) -> str:
        return "runway"

    async def upload(self, credentials: Credentials, source: UploadSource) -> ProviderUpload:
        key = api_key_of(credentials, "Runway")
        response = await self._http.request(
            "POST",
            UPLOADS_PATH,
            headers={"Authorization": f"Bearer {key}", "X-Runway-Version": API_VERSION},
            json_body={"filename": source.filename, "type": "ephemeral"},
            secrets=[key],
        )
        body = response.json()
        if not response.ok:
            raise self._api_error(response, body, key)
        upload_url, fields, runway_uri = self._ticket(body)
        stored = await self._http.request(
            "POST",
            upload_url,
            body=lambda: multipart_body(source, file_field="file", fields=fields),
            secrets=[key, *fields.values()],
        )
        if not stored.ok:
            raise self._storage_error(stored)
        return ProviderUpload(provider_asset_id=runway_uri, url=None)

    async def list_page(self, credentials: Credentials, kind: MediaKind, offset: int, limit: int) -> ProviderPage:
        raise NotImplementedError("Runway's library is not listed")

    async def fetch_item(self, credentials: Credentials, kind: MediaKind, item_id: str) -> dict[str, Any] | None:
        raise NotImplementedError("Runway's library is not fetched")

    @staticmethod
    def _ticket(body: Any) -> tuple[str, dict[str, str], str]:
        """The presigned upload URL, its form fields and the runway URI, checked."""
        if isinstance(body, dict):
            url, fields, uri = body.get("uploadUrl"), body.get("fields") or {}, body.get("runwayUri")
            if (
                isinstance(url, str)
                and httpx.URL(url).scheme in ("http", "https")
                and isinstance(fields, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
                and isinstance(uri, str)
                and uri
            ):
                return url, fields, uri
        raise ProviderError(UploadErrorCode.UNKNOWN, "Runway answered the upload request in an unknown shape.")

    @staticmethod
    def _api_error(response: ProviderResponse, body: Any, key: str) -> ProviderError:
        if response.status == 401:
            return SessionExpiredError("Runway refused the API key: update the account's key.")
        detail = str(body.get("error") or "") if isinstance(body, dict) else None
        classified = response.error("Runway", detail, [key])
        code = str(body.get("code") or "") if isinstance(body, dict) else ""
        refined = UploadErrorCode.SAFETY_REJECTED if code.startswith("SAFETY.") else ERROR_CODES.get(code)
        if refined is None:
            return classified
        return ProviderError(refined, f"Runway: {redact(detail or code, [key])}", retry_after=classified.retry_after)

    @staticmethod
    def _storage_error(response: ProviderResponse) -> ProviderError:
        found = _XML_CODE.search(response.body)
        code = found.group(1).decode(errors="replace") if found else None
        if code == "EntityTooLarge":
            return ProviderError(UploadErrorCode.FILE_TOO_LARGE, "Runway's storage refused the file as too large.")
        if response.status in (401, 403):
            # The presigned URL, not the account, was refused (expired, say): trying again later can work.
            return ProviderError(UploadErrorCode.UNKNOWN, "Runway's storage refused the upload link.")
        return response.error("Runway storage", code, [])
