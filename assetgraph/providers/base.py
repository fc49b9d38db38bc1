"""What every provider adapter does: upload a byte stream, list a page of the library, fetch one item.

Adapters speak HTTP through the process's one shared httpx client, retry 429 / 5xx a bounded number of times with
backoff (honouring Retry-After), and turn every failure into a ProviderError with a classified UploadErrorCode.
They never see the database: credentials arrive decrypted, per call, from the caller's own account.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from assetgraph.domain.upload_errors import UploadErrorCode

Credentials = Mapping[str, str]
"""An account's decrypted credentials, e.g. {"jwt": ...} for Pixverse, {"api_key": ...} for Sora and Runway."""


class ProviderError(Exception):
    """A provider call that failed; `code` classifies it, `message` is safe to record and show (no secrets)."""

    def __init__(self, code: UploadErrorCode, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class SessionExpiredError(ProviderError):
    """The account's session or key is no longer valid (Pixverse ErrCode 10005): the account needs new credentials."""

    def __init__(self, message: str) -> None:
        super().__init__(UploadErrorCode.AUTH_FAILED, message)


@dataclass(frozen=True)
class UploadSource:
    """The bytes to send. `open` starts a fresh stream each time, so that a retry can send them again."""

    filename: str
    mime_type: str
    size_bytes: int
    open: Callable[[], AsyncIterator[bytes]]


@dataclass(frozen=True)
class ProviderUpload:
    """The provider's copy: its id and, where the provider gives one, a URL."""

    provider_asset_id: str
    url: str | None = None


class MediaKind(StrEnum):
    VIDEO = "video"
    IMAGE = "image"


@dataclass(frozen=True)
class ProviderPage:
    """One page of a provider's library: raw items as the provider sent them, and the total when it says."""

    items: list[dict[str, Any]]
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ProviderAdapter(Protocol):
    @property
    def provider_id(self) -> str: ...

    async def upload(self, credentials: Credentials, source: UploadSource) -> ProviderUpload:
        """Send the bytes; raises ProviderError."""
        ...

    async def list_page(self, credentials: Credentials, kind: MediaKind, offset: int, limit: int) -> ProviderPage:
        """A page of the account's library; raises ProviderError (NotImplementedError where a provider has none)."""
        ...

    async def fetch_item(self, credentials: Credentials, kind: MediaKind, item_id: str) -> dict[str, Any] | None:
        """One item of the library by the provider's id, None when it has none; raises ProviderError."""
        ...
