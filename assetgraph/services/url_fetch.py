"""Downloading a URL a user gave us, safely: the network half of importAssetFromUrl (SPEC section 6).

`SafeFetcher.open(url, max_bytes)` follows redirects itself (each hop re-checked), connects only through
`GuardedNetwork` (so only to addresses the fetch policy accepts, and only to the address it checked), and streams the
body with the size limit enforced as bytes arrive. It speaks httpcore, httpx's own transport layer, directly: no
environment proxies or .netrc, no automatic redirects, and no content decoding, so the bytes counted against the
limit are the bytes that will be stored (a small gzip bomb stays small).

Every expected failure is a ClientError naming the `url` field: URL_REFUSED (not http/https, credentials in the URL,
an address the server does not fetch from, too many redirects), DOWNLOAD_FAILED (lookup, connection, timeout, an
HTTP error status) and FILE_TOO_LARGE.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from http import HTTPStatus

import httpcore
import httpx

from assetgraph.config import Settings
from assetgraph.domain.errors import ClientError, ErrorCode
from assetgraph.domain.fetch_policy import FetchPolicy
from assetgraph.services.guarded_network import GuardedNetwork, HostNotFound, HostResolver, TargetRefused

MAX_URL_LENGTH = 8192
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_REQUEST_HEADERS = [
    (b"Accept", b"*/*"),
    (b"Accept-Encoding", b"identity"),  # the stored bytes are the bytes sent: no decoding, no decompression bomb
    (b"User-Agent", b"assetgraph"),
]


class FetchError(ClientError):
    """Why a URL was not downloaded; names the `url` input field unless told otherwise."""

    def __init__(self, message: str, *, field: str | None = "url") -> None:
        super().__init__(message, field=field)


class InvalidUrl(FetchError):
    """The text is not a URL (or is far too long to be one)."""

    code = ErrorCode.BAD_USER_INPUT


class UrlRefused(FetchError):
    """The server does not fetch from this URL (scheme, credentials, address, or too many redirects)."""

    code = ErrorCode.URL_REFUSED


class DownloadFailed(FetchError):
    """The URL could not be fetched; `status` is the HTTP status when the server answered with an error."""

    code = ErrorCode.DOWNLOAD_FAILED

    def __init__(self, message: str, *, field: str | None = "url", status: int | None = None) -> None:
        super().__init__(message, field=field)
        self.status = status


class DownloadTooLarge(FetchError):
    """The download is (or declares itself) larger than the caller's limit."""

    code = ErrorCode.FILE_TOO_LARGE


class Download:
    """A response whose headers have arrived and whose body is read, once, through `chunks()`."""

    def __init__(self, final_url: str, response: httpcore.Response, max_bytes: int, deadline: float) -> None:
        self.final_url = final_url
        """The URL the body comes from, after redirects."""
        self.content_type = _header(response, b"content-type")
        """As the server declared it: a claim, not a fact (sniff the bytes)."""
        self.content_length = _declared_length(response)
        """As declared, when the body is framed by it; None when it is not (chunked, or read until close)."""
        self._response = response
        self._max_bytes = max_bytes
        self._deadline = deadline
        self._read = False

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body's bytes as they arrive; raises DownloadTooLarge as soon as more than max_bytes have come."""
        if self._read:
            raise RuntimeError("a download's body can be read only once")
        self._read = True
        received = 0
        stream = self._response.aiter_stream()
        while True:
            with _download_errors("The download"):
                async with asyncio.timeout_at(self._deadline):
                    try:
                        chunk = await anext(stream)
                    except StopAsyncIteration:
                        return
            received += len(chunk)
            if received > self._max_bytes:
                raise DownloadTooLarge(f"The download is larger than the limit of {self._max_bytes:,} bytes.")
            if chunk:
                yield chunk


class SafeFetcher:
    """Fetches user-supplied URLs without letting them reach the server's own network; one per process.

    `resolver` and `connector` are the two points where the fetcher meets the network (name lookup and dialing);
    both default to the real thing and are replaced in tests.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        timeout_seconds: float = 30.0,
        deadline_seconds: float = 600.0,
        max_redirects: int = 5,
        resolver: HostResolver | None = None,
        connector: httpcore.AsyncNetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._timeout_seconds = timeout_seconds
        self._deadline_seconds = deadline_seconds
        self._max_redirects = max_redirects
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=50,
            network_backend=GuardedNetwork(policy or FetchPolicy(), resolver, connector),
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        resolver: HostResolver | None = None,
        connector: httpcore.AsyncNetworkBackend | None = None,
    ) -> SafeFetcher:
        """The fetcher `settings` describe; raises ValueError when an allow-list entry cannot be read."""
        return cls(
            FetchPolicy.from_entries(settings.fetch_allow_list),
            timeout_seconds=settings.fetch_timeout_seconds,
            deadline_seconds=settings.fetch_deadline_seconds,
            max_redirects=settings.fetch_max_redirects,
            resolver=resolver,
            connector=connector,
        )

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._pool.aclose()

    async def __aenter__(self) -> SafeFetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @asynccontextmanager
    async def open(self, url: str, max_bytes: int) -> AsyncIterator[Download]:
        """GET `url`, following redirects, up to the response headers; the body is read through the Download.

        Raises UrlRefused, DownloadFailed or DownloadTooLarge (when the declared length is over `max_bytes`, before
        any of the body is read). The connection is closed or returned to the pool when the block ends.
        """
        deadline = asyncio.get_running_loop().time() + self._deadline_seconds
        target = _checked_url(url, redirected=False)
        async with AsyncExitStack() as stack:
            for hops in range(self._max_redirects + 1):
                response = await self._send(target, redirected=hops > 0, stack=stack, deadline=deadline)
                if response.status not in REDIRECT_STATUSES or _header(response, b"location") is None:
                    break
                target = _redirect_target(target, response)
                await stack.aclose()  # done with this hop's connection before opening the next
            else:
                raise UrlRefused(f"The URL redirects more than {self._max_redirects} times.")
            _check_status(response.status)
            download = Download(str(target), response, max_bytes, deadline)
            if download.content_length is not None and download.content_length > max_bytes:
                raise DownloadTooLarge(
                    f"The server declares {download.content_length:,} bytes, more than the limit of {max_bytes:,}"
                    " bytes."
                )
            yield download

    async def _send(
        self, url: httpx.URL, *, redirected: bool, stack: AsyncExitStack, deadline: float
    ) -> httpcore.Response:
        request = self._pool.stream(
            "GET",
            httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=[(b"Host", url.netloc), *_REQUEST_HEADERS],
            extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"), self._timeout_seconds)},
        )
        with _download_errors("The URL redirects to" if redirected else "The URL resolves to"):
            async with asyncio.timeout_at(deadline):
                return await stack.enter_async_context(request)


def _checked_url(text: str, *, redirected: bool) -> httpx.URL:
    """`text` as an absolute http(s) URL without credentials; raises the error to show otherwise."""
    if len(text) > MAX_URL_LENGTH:
        if redirected:
            raise DownloadFailed("The server redirects to a URL that is too long.")
        raise InvalidUrl(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as error:
        if redirected:
            raise DownloadFailed("The server redirects to an invalid URL.") from None
        raise InvalidUrl(f"The URL is not valid: {error}.") from None
    subject = "The URL redirects to a URL that" if redirected else "The URL"
    if url.scheme not in ("http", "https"):
        scheme = f"has the scheme {url.scheme!r}" if url.scheme else "has no scheme"
        raise UrlRefused(f"{subject} {scheme}; this server fetches only http and https URLs.")
    if url.userinfo:
        raise UrlRefused(f"{subject} contains a user name or password; this server does not send credentials.")
    if not url.host:
        raise UrlRefused(f"{subject} has no host.")
    return url


def _redirect_target(current: httpx.URL, response: httpcore.Response) -> httpx.URL:
    location = _header(response, b"location") or ""
    try:
        joined = current.join(location)
    except httpx.InvalidURL:
        raise DownloadFailed("The server redirects to an invalid URL.") from None
    return _checked_url(str(joined), redirected=True)


def _check_status(status: int) -> None:
    if status < 300:
        return
    try:
        phrase = f" {HTTPStatus(status).phrase}"
    except ValueError:
        phrase = ""
    if status < 400:
        raise DownloadFailed(f"The server answered HTTP {status}{phrase} without a usable redirect.", status=status)
    raise DownloadFailed(f"The server answered HTTP {status}{phrase}.", status=status)


@contextmanager
def _download_errors(subject: str) -> Iterator[None]:
    """Turn what the network raised into the error to show; `subject` starts a refusal's sentence."""
    try:
        yield
    except TargetRefused as refused:
        raise UrlRefused(f"{subject} {refused.reason}, which this server does not fetch from.") from None
    except HostNotFound as missing:
        raise DownloadFailed(f"The host {missing} could not be found.") from None
    except httpcore.PoolTimeout:
        raise DownloadFailed("Too many downloads are running; try again shortly.") from None
    except httpcore.TimeoutException:
        raise DownloadFailed("The server did not answer in time.") from None
    except TimeoutError:  # the whole download's deadline
        raise DownloadFailed("The download took too long.") from None
    except httpcore.ConnectError as error:
        certificate = _certificate_error(error)
        if certificate is not None:
            raise DownloadFailed(
                f"The server's certificate is not valid for it: {certificate.verify_message}."
            ) from None
        raise DownloadFailed("The server could not be reached.") from None
    except (httpcore.NetworkError, httpcore.ProtocolError):
        raise DownloadFailed("The connection broke off before the download was complete.") from None


def _certificate_error(error: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate failure behind a connect error, if that is what it was (wrapped once or twice on its way)."""
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    return cause


def _header(response: httpcore.Response, name: bytes) -> str | None:
    for key, value in response.headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _declared_length(response: httpcore.Response) -> int | None:
    if _header(response, b"transfer-encoding") is not None:
        return None  # chunked framing wins over any Content-Length (RFC 9112 6.3), so the length says nothing
    declared = _header(response, b"content-length")
    return int(declared) if declared is not None and declared.isdigit() else None
