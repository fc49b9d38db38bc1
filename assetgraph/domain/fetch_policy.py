"""Which network addresses the server may fetch a URL from (the SSRF rule of SPEC section 6).

A user hands the server a URL and the server downloads it, so without a rule the server would fetch, on the user's
behalf, from places only it can reach: its own loopback services, the private network, the cloud metadata address.
The rule: only globally routable unicast addresses, unless the operator allow-listed that exact address and port
(the test suite allows its loopback server that way). The rule judges addresses, never host names, because a name
can resolve differently each time it is looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

_SHARED_ADDRESS_SPACE = IPv4Network("100.64.0.0/10")
"""Carrier-grade NAT (RFC 6598): private to an ISP, not to us, but never a public server either."""
_THIS_NETWORK = IPv4Network("0.0.0.0/8")
_NAT64 = IPv6Network("64:ff9b::/96")
"""The well-known NAT64 prefix: the last 32 bits are an IPv4 address a NAT64 gateway would dial."""
_PRIVATE_NETWORKS: tuple[IPNetwork, ...] = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
    IPv6Network("fc00::/7"),  # unique local
    IPv6Network("fec0::/10"),  # site-local (deprecated, still routed inside some networks)
)


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, NAT64), which is where it really goes."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _kind_of_refused(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None for a public one."""
    # Most specific first: the message names what the address is, the way an operator would.
    if address.is_unspecified or (isinstance(address, IPv4Address) and address in _THIS_NETWORK):
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, IPv4Address) and address in _SHARED_ADDRESS_SPACE:
        return "a carrier-grade NAT address"
    if any(address in network for network in _PRIVATE_NETWORKS):
        return "a private address"
    # Documentation, benchmarking, broadcast, "reserved for future use" and the like: nobody serves files there.
    if address.is_private or address.is_reserved or not address.is_global:
        return "a reserved address"
    return None


@dataclass(frozen=True)
class AllowedTarget:
    """An allow-list entry: a network (a single address is a /32 or /128) and, optionally, the one port allowed."""

    network: IPNetwork
    port: int | None

    @classmethod
    def parse(cls, entry: str) -> AllowedTarget:
        """Read "127.0.0.1:8123", "[::1]:8123", "10.1.0.0/16", "10.1.0.0/16:8080", "::1" or "[fd00::/8]:80".

        Raises ValueError naming the entry when it is not one of these; host names are refused on purpose, since
        what a name resolves to is not fixed.
        """
        text = entry.strip()
        host, port_text = text, None
        if text.startswith("["):
            host, bracket, rest = text[1:].partition("]")
            if not bracket or (rest and not rest.startswith(":")):
                raise ValueError(f"fetch allow-list entry {entry!r}: expected [address]:port")
            port_text = rest[1:] if rest else None
        elif text.count(":") == 1:  # IPv4 (or an IPv4 network) with a port; bare IPv6 has several colons
            host, _, port_text = text.partition(":")
        try:
            network = ip_network(host, strict=True)
        except ValueError as error:
            raise ValueError(
                f"fetch allow-list entry {entry!r}: {error}; write an IP address or network (a host name is not "
                "accepted, since what it resolves to can change)"
            ) from None
        return cls(network=network, port=_parse_port(entry, port_text))

    def allows(self, address: IPAddress, port: int) -> bool:
        return address in self.network and (self.port is None or self.port == port)


def _parse_port(entry: str, text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"fetch allow-list entry {entry!r}: {text!r} is not a port number (1-65535)")
    return int(text)


@dataclass(frozen=True)
class FetchPolicy:
    """The SSRF rule with the operator's exceptions."""

    allowed: tuple[AllowedTarget, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> FetchPolicy:
        """The policy for the configured allow-list entries; raises ValueError on an entry it cannot read."""
        return cls(allowed=tuple(AllowedTarget.parse(entry) for entry in entries))

    def refusal(self, address: IPAddress, port: int) -> str | None:
        """Why the server will not connect to `address`:`port` ("a private address (10.0.0.1)"), or None if it may.

        The allow-list matches the address exactly as resolved: allowing 127.0.0.1 does not allow ::ffff:127.0.0.1.
        """
        embedded = _embedded_ipv4(address) if isinstance(address, IPv6Address) else None
        kind = _kind_of_refused(embedded or address)
        if kind is None or any(target.allows(address, port) for target in self.allowed):
            return None
        return f"{kind} ({address}, that is {embedded})" if embedded else f"{kind} ({address})"


def parse_address(text: str) -> IPAddress | None:
    """`text` as an IP address, or None if it is not one (a host name). An IPv6 zone ("%eth0") is kept."""
    try:
        return ip_address(text)
    except ValueError:
        return None
