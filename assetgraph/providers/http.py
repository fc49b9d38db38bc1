"""How adapters talk HTTP: one shared client per process, bounded retries with backoff, and failure classification.

Every adapter sends its requests through a `ProviderHttp` over the process's one `httpx.AsyncClient` (built by
`build_client` from the settings' timeouts). A request is retried a bounded number of times on 429, 500, 502, 503
and 504 and on transport failures (timeouts, refused or dropped connections), waiting an exponential backoff with
jitter, or the Retry-After the provider asked for (in seconds or as an HTTP date) up to a cap; a longer Retry-After
ends the retries at once, so that the caller can park the account instead of blocking a request for minutes.
A request body is rebuilt for each attempt (the upload source is opened again), never buffered. Responses are
read up to a bound. Failures become ProviderErrors whose messages never hold a credential.

An upload retried after a read timeout or a 5xx may have reached the provider the first time too: the provider then
holds a spare copy, which costs less than a file the user believes uploaded and is not.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from assetgraph.config import Settings
from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.base import ProviderError
from assetgraph.providers.multipart import StreamedBody

logger = logging.getLogger("assetgraph.providers")

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
"""A provider's answer is JSON of a page of items at most; anything longer is cut off rather than held."""
MAX_QUOTED_CHARS = 200
"""How much of a provider's own error message a ProviderError quotes."""


@dataclass(frozen=True)
class RetryPolicy:
    """How many times, and how long apart, a failed request is sent again."""

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_retries=settings.provider_max_retries,
            backoff_base=settings.provider_backoff_base,
            backoff_max=settings.provider_backoff_max,
            retry_after_max=settings.provider_retry_after_max,
        )

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (0-based): a ceiling doubling from `backoff_base` up to
        `backoff_max`, the wait drawn from its upper half so that concurrent callers spread out."""
        ceiling = min(self.backoff_max, self.backoff_base * 2**retry)
        return random.uniform(ceiling / 2, ceiling)


def build_client(settings: Settings) -> httpx.AsyncClient:
    """The process's one client for provider calls, with explicit connect, read, write and pool timeouts."""
    timeout = httpx.Timeout(
        connect=settings.provider_connect_timeout,
        read=settings.provider_read_timeout,
        write=settings.provider_write_timeout,
        pool=settings.provider_pool_timeout,
    )
    limits = httpx.Limits(
        max_connections=settings.provider_max_connections,
        max_keepalive_connections=min(20, settings.provider_max_connections),
    )
    return httpx.AsyncClient(timeout=timeout, limits=limits, headers={"User-Agent": "assetgraph"})


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """A Retry-After header's wait in seconds (delay-seconds or an HTTP date); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
    return seconds if seconds >= 0 and seconds == seconds and seconds != float("inf") else None


def status_error_code(status: int) -> UploadErrorCode:
    """The classification an HTTP status implies when the body says nothing more specific."""
    if status in (401, 403):
        return UploadErrorCode.AUTH_FAILED
    if status == 408:
        return UploadErrorCode.TIMEOUT
    if status == 413:
        return UploadErrorCode.FILE_TOO_LARGE
    if status == 415:
        return UploadErrorCode.UNSUPPORTED_FORMAT
    if status == 429:
        return UploadErrorCode.RATE_LIMITED
    if status >= 500:
        return UploadErrorCode.PROVIDER_UNAVAILABLE
    return UploadErrorCode.UNKNOWN


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced, longest first (a provider may echo the key it refused), and bounded."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return text if len(text) <= MAX_QUOTED_CHARS else text[:MAX_QUOTED_CHARS] + "..."


@dataclass(frozen=True)
class ProviderResponse:
    """A provider's answer, read whole (within MAX_RESPONSE_BYTES)."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retry_after(self) -> float | None:
        return retry_after_seconds(self.headers.get("retry-after"))

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def error(self, provider: str, detail: str | None, secrets: Iterable[str]) -> ProviderError:
        """This (failed) response as a ProviderError classified by its status, quoting `detail` without secrets."""
        message = f"{provider} answered HTTP {self.status}"
        if detail:
            message += f": {redact(detail, secrets)}"
        return ProviderError(status_error_code(self.status), message, retry_after=self.retry_after)


BodyFactory = Callable[[], StreamedBody]
"""Builds a fresh request body for each attempt (a streamed body can be sent once only)."""


class ProviderHttp:
    """One provider's requests over the shared client: its base URL, its name in messages, the retry policy."""

    def __init__(self, client: httpx.AsyncClient, *, name: str, base_url: str, policy: RetryPolicy) -> None:
        self.client = client
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.policy = policy

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
        body: BodyFactory | None = None,
        secrets: Iterable[str] = (),
    ) -> ProviderResponse:
        """Send a request (a path under the base URL, or an absolute URL), retrying as the policy says.

        Returns the final response whatever its status (the adapter reads its provider's error bodies); raises a
        ProviderError when no response came (TIMEOUT, PROVIDER_UNAVAILABLE).
        """
        target = url if url.startswith(("http://", "https://")) else self.base_url + url
        path = httpx.URL(target).path
        for retry in range(self.policy.max_retries + 1):
            last = retry == self.policy.max_retries
            try:
                response = await self._send(method, target, headers, json_body, params, body)
            except httpx.TimeoutException as exc:
                failure = ProviderError(UploadErrorCode.TIMEOUT, f"{self.name} did not answer in time.")
                if last:
                    raise failure from exc
                delay, outcome = self.policy.backoff(retry), type(exc).__name__
            except httpx.LocalProtocolError:
                raise  # our own request is malformed: sending it again cannot help
            except httpx.TransportError as exc:
                failure = ProviderError(UploadErrorCode.PROVIDER_UNAVAILABLE, f"{self.name} could not be reached.")
                if last:
                    raise failure from exc
                delay, outcome = self.policy.backoff(retry), type(exc).__name__
            else:
                if response.status not in RETRYABLE_STATUSES or last:
                    return response
                asked = response.retry_after
                if asked is not None and asked > self.policy.retry_after_max:
                    return response  # not worth blocking for: the caller sees RATE_LIMITED with retry_after
                delay, outcome = (asked if asked is not None else self.policy.backoff(retry)), str(response.status)
            logger.info(
                "provider_retry",
                extra={
                    "provider": self.name,
                    "method": method,
                    "path": path,
                    "outcome": outcome,
                    "retry": retry + 1,
                    "delay_s": round(delay, 3),
                },
            )
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        json_body: Any,
        params: Mapping[str, str] | None,
        body: BodyFactory | None,
    ) -> ProviderResponse:
        all_headers = dict(headers or {})
        content = None
        if body is not None:
            streamed = body()
            all_headers.update(streamed.headers)
            content = streamed.content
        request = self.client.build_request(
            method, url, headers=all_headers, json=json_body, params=params, content=content
        )
        response = await self.client.send(request, stream=True)
        try:
            received = bytearray()
            async for chunk in response.aiter_bytes():
                received += chunk[: MAX_RESPONSE_BYTES - len(received)]
                if len(received) >= MAX_RESPONSE_BYTES:
                    break
        finally:
            await response.aclose()
        return ProviderResponse(response.status_code, response.headers, bytes(received))
