"""The only way the URL fetcher reaches the network: resolve the host once, check every address, dial a checked one.

httpcore asks its network backend to connect to (host, port) for every new connection; `GuardedNetwork` is that
backend. It looks the host up itself, refuses the connection if any address it got is one the fetch policy refuses,
and hands the connector a checked IP address, never the name, so no later lookup (by the HTTP library or the OS)
can send the connection elsewhere (DNS rebinding). TLS is layered on the returned stream by httpcore with the URL's
host name, so SNI and certificate verification are unaffected. Redirects open new connections, so every hop passes
through here again.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Sequence
from typing import Protocol

import httpcore

from assetgraph.domain.fetch_policy import FetchPolicy, IPAddress, parse_address


class TargetRefused(Exception):
    """The policy refuses an address the host resolved to; nothing was dialed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostNotFound(Exception):
    """The host name resolved to no address."""


class HostResolver(Protocol):
    """Looks a host name up. Injectable, so that tests decide what each name resolves to."""

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        """The host's IP addresses as text; raises OSError (socket.gaierror) or UnicodeError when it has none."""
        ...


class SystemResolver:
    """The operating system's resolver (getaddrinfo, run off the event loop)."""

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
        return [str(info[4][0]) for info in infos]


class GuardedNetwork(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the fetch policy accepts.

    `connector` does the actual dialing (httpcore's AnyIO backend by default); tests pass one that records every
    target it is asked for and refuses any that is not loopback.
    """

    def __init__(
        self,
        policy: FetchPolicy,
        resolver: HostResolver | None = None,
        connector: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._policy = policy
        self._resolver = resolver or SystemResolver()
        self._connector = connector or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.checked_addresses(host, port, timeout)
        failure: Exception | None = None
        for address in addresses:  # each one checked; the next is tried only if this one cannot be reached
            try:
                return await self._connector.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None  # checked_addresses never returns an empty list
        raise failure

    async def checked_addresses(self, host: str, port: int, time_limit: float | None) -> list[IPAddress]:
        """The addresses `host` stands for, all accepted by the policy; raises TargetRefused if any is refused.

        Every address counts, not only the first: a name answering one public and one private address could
        otherwise be steered to the private one by the order of the answer or a failed first connection.
        """
        literal = parse_address(host)
        addresses = [literal] if literal is not None else await self._resolve(host, port, time_limit)
        for address in addresses:
            reason = self._policy.refusal(address, port)
            if reason is not None:
                raise TargetRefused(reason)
        return addresses

    async def _resolve(self, host: str, port: int, time_limit: float | None) -> list[IPAddress]:
        try:
            async with asyncio.timeout(time_limit):
                answers = await self._resolver.resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long") from None
        except (OSError, UnicodeError) as error:  # UnicodeError: a name the resolver cannot encode (a label too long)
            raise HostNotFound(host) from error
        addresses: list[IPAddress] = []
        for answer in answers:
            address = parse_address(answer)
            if address is None:
                raise TargetRefused(f"something that is not an IP address ({answer!r})")
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise HostNotFound(host)
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("a Unix socket")  # the fetcher never configures one; refused should that ever change

    async def sleep(self, seconds: float) -> None:
        await self._connector.sleep(seconds)
