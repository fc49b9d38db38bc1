"""A network the URL fetcher's tests control: names resolve as the test says, and only loopback is ever dialed.

This machine may send traffic to loopback only, and a broken SSRF guard must not be able to change that: the
fetcher under test is always given a `RecordingConnector`, which writes down every address it is asked to dial and
refuses (as an unreachable network would) anything that is not a loopback IP address, without opening a socket.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from ipaddress import ip_address
from typing import Any

import httpcore
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from assetgraph.domain.fetch_policy import FetchPolicy
from assetgraph.services.url_fetch import Download, SafeFetcher

FILE_BYTES = bytes(i % 251 for i in range(300_000))
"""What the test site serves at /file: several network chunks long, and no two chunks alike."""
PUBLIC_ADDRESS = "93.184.216.34"
"""A globally routable address the connector will refuse to dial (as if the network were down)."""


class RecordingConnector(httpcore.AsyncNetworkBackend):
    """The fetcher's dialer in tests: records every (host, port) and dials only loopback IP addresses."""

    def __init__(self) -> None:
        self.targets: list[tuple[str, int]] = []
        self._loopback = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.targets.append((host, port))
        try:
            loopback = ip_address(host).is_loopback
        except ValueError:  # a name: the guard must hand over the address it checked, never a name to look up
            loopback = False
        if not loopback:
            raise httpcore.ConnectError(f"the test connector does not dial {host}")
        return await self._loopback.connect_tcp(host, port, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class StaticResolver:
    """Names resolve to the answers given, in turn (the last one repeats); unknown names are not found."""

    def __init__(self, answers: dict[str, Sequence[Sequence[str]]] | None = None) -> None:
        self.answers: dict[str, Sequence[Sequence[str]]] = dict(answers or {})
        self.lookups: list[str] = []

    def add(self, name: str, *addresses: str) -> None:
        self.answers[name] = [addresses]

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        turn = sum(1 for looked_up in self.lookups if looked_up == host)
        self.lookups.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answers = self.answers[host]
        return answers[min(turn, len(answers) - 1)]


def controlled_fetcher(
    connector: RecordingConnector,
    resolver: StaticResolver,
    allow: Sequence[str] = (),
    **options: Any,
) -> SafeFetcher:
    """A fetcher on the controlled network, allowing `allow` (entries as in ASSETGRAPH_FETCH_ALLOW_LIST)."""
    options.setdefault("timeout_seconds", 5.0)
    return SafeFetcher(FetchPolicy.from_entries(allow), resolver=resolver, connector=connector, **options)


async def read_all(download: Download) -> bytes:
    return b"".join([chunk async for chunk in download.chunks()])


def file_site(hits: Counter[str]) -> Starlette:
    """The well-behaved HTTP server the fetcher downloads from; counts requests per path in `hits`."""

    async def file(request: Request) -> Response:
        hits[request.url.path] += 1
        return Response(FILE_BYTES, media_type="image/png")

    async def redirect_chain(request: Request) -> Response:
        left = int(request.path_params["left"])
        return RedirectResponse("/file" if left == 0 else f"/redirect/{left - 1}", status_code=302)

    async def redirect_to(request: Request) -> Response:
        return RedirectResponse(request.query_params["location"], status_code=307)

    async def redirect_loop(request: Request) -> Response:
        hits[request.url.path] += 1
        return RedirectResponse(request.url.path, status_code=301)

    async def endless(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            while True:
                yield b"\x00" * 65536
                # Suspend, so that the disconnect can cancel this: once the client is gone uvicorn's send returns
                # at once, and a generator that never suspends would spin the event loop forever.
                await asyncio.sleep(0)

        return StreamingResponse(body(), media_type="video/mp4")  # chunked: no Content-Length

    async def status(request: Request) -> Response:
        return Response(b"no", status_code=int(request.path_params["code"]))

    return Starlette(
        routes=[
            Route("/file", file),
            Route("/redirect/{left:int}", redirect_chain),
            Route("/redirect-to", redirect_to),
            Route("/loop/{name}", redirect_loop),
            Route("/endless", endless),
            Route("/status/{code:int}", status),
        ]
    )


RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_http_server(handlers: Mapping[str, RawHandler], ssl: Any = None) -> AsyncIterator[int]:
    """A loopback server writing raw bytes for what a well-behaved server cannot send (lying lengths, silence).

    Each handler gets the connection after the request head was read (its path selects the handler) and writes
    what it likes. Yields the port.
    """

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            await handlers[path](reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the fetcher hung up, as it should when it has seen enough
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=ssl)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()
