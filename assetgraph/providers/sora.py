"""Sora (OpenAI): upload only.

Assumed wire shape (the sandbox serves exactly this), that of OpenAI's Files API, through which a file is put where
Sora's video requests can reference it:
- `Authorization: Bearer <api_key>` (credentials `{"api_key": ...}`).
- `POST /v1/files`, multipart with the fields `purpose=user_data` and `file`; 200 answers
  `{"id": "file-...", "object": "file", "bytes": int, "filename": str, ...}`. Files have no public URL, so the
  upload's `url` is None.
- Errors: `{"error": {"message": str, "type": str, "code": str | null}}` with the HTTP status. 401 (a wrong or
  revoked key) is a SessionExpiredError; `code` refines the status: `content_policy_violation` or
  `moderation_blocked` -> SAFETY_REJECTED, `file_too_large` -> FILE_TOO_LARGE, `unsupported_file` or
  `invalid_file_format` -> UNSUPPORTED_FORMAT.
Sora's library is not listed or fetched (the protocol's list/fetch raise NotImplementedError).
"""

from __future__ import annotations

from typing import Any

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

UPLOAD_PATH = "/v1/files"

ERROR_CODES: dict[str, UploadErrorCode] = {
    "content_policy_violation": UploadErrorCode.SAFETY_REJECTED,
    "moderation_blocked": UploadErrorCode.SAFETY_REJECTED,
    "file_too_large": UploadErrorCode.FILE_TOO_LARGE,
    "unsupported_file": UploadErrorCode.UNSUPPORTED_FORMAT,
    "invalid_file_format": UploadErrorCode.UNSUPPORTED_FORMAT,
}


def api_key_of(credentials: Credentials, provider: str) -> str:
    """The account's API key; an AUTH_FAILED ProviderError, before any call, when the account has none."""
    key = credentials.get("api_key")
    if not key:
        raise ProviderError(UploadErrorCode.AUTH_FAILED, f"The {provider} account has no API key.")
    return key


class SoraAdapter:
    """Upload to Sora through OpenAI's Files API (see the module's docstring for the shape assumed)."""

    def __init__(self, http: ProviderHttp) -> None:
        self._http = http

    @property
    def provider_id(self) -> str:
        return "sora"

    async def upload(self, credentials: Credentials, source: UploadSource) -> ProviderUpload:
        key = api_key_of(credentials, "Sora")
        response = await self._http.request(
            "POST",
            UPLOAD_PATH,
            headers={"Authorization": f"Bearer {key}"},
            body=lambda: multipart_body(source, file_field="file", fields={"purpose": "user_data"}),
            secrets=[key],
        )
        body = response.json()
        if not response.ok:
            raise self._error(response, body, key)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str) or not body["id"]:
            raise ProviderError(UploadErrorCode.UNKNOWN, "Sora accepted the upload but sent no file id.")
        return ProviderUpload(provider_asset_id=body["id"], url=None)

    async def list_page(self, credentials: Credentials, kind: MediaKind, offset: int, limit: int) -> ProviderPage:
        raise NotImplementedError("Sora's library is not listed")

    async def fetch_item(self, credentials: Credentials, kind: MediaKind, item_id: str) -> dict[str, Any] | None:
        raise NotImplementedError("Sora's library is not fetched")

    @staticmethod
    def _error(response: ProviderResponse, body: Any, key: str) -> ProviderError:
        error = body.get("error") if isinstance(body, dict) else None
        detail = str(error.get("message") or "") if isinstance(error, dict) else None
        if response.status == 401:
            return SessionExpiredError("Sora refused the API key: update the account's key.")
        classified = response.error("Sora", detail, [key])
        code = ERROR_CODES.get(str(error.get("code"))) if isinstance(error, dict) else None
        if code is None:
            return classified
        return ProviderError(code, f"Sora: {redact(detail or code.value, [key])}", retry_after=classified.retry_after)
