"""The SSRF rule: which addresses the URL fetcher refuses, and what an allow-list entry lets through."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetgraph.domain.fetch_policy import AllowedTarget, FetchPolicy

POLICY = FetchPolicy()


@pytest.mark.parametrize(
    ("address", "refusal"),
    [
        ("127.0.0.1", "a loopback address (127.0.0.1)"),
        ("127.255.0.9", "a loopback address (127.255.0.9)"),
        ("::1", "a loopback address (::1)"),
        ("10.0.0.1", "a private address (10.0.0.1)"),
        ("172.16.5.4", "a private address (172.16.5.4)"),
        ("192.168.1.1", "a private address (192.168.1.1)"),
        ("fd00::1", "a private address (fd00::1)"),
        ("fec0::1", "a private address (fec0::1)"),
        ("169.254.169.254", "a link-local address (169.254.169.254)"),
        ("fe80::1", "a link-local address (fe80::1)"),
        ("fe80::1%eth0", "a link-local address (fe80::1%eth0)"),
        ("0.0.0.0", "an unspecified address (0.0.0.0)"),
        ("0.1.2.3", "an unspecified address (0.1.2.3)"),
        ("::", "an unspecified address (::)"),
        ("224.0.0.1", "a multicast address (224.0.0.1)"),
        ("ff02::1", "a multicast address (ff02::1)"),
        ("100.64.0.1", "a carrier-grade NAT address (100.64.0.1)"),
        ("192.0.2.1", "a reserved address (192.0.2.1)"),
        ("240.0.0.1", "a reserved address (240.0.0.1)"),
        ("255.255.255.255", "a reserved address (255.255.255.255)"),
        ("2001:db8::1", "a reserved address (2001:db8::1)"),
        ("::127.0.0.1", "a reserved address (::7f00:1)"),
        ("::ffff:127.0.0.1", "a loopback address (::ffff:7f00:1, that is 127.0.0.1)"),
        ("::ffff:10.0.0.1", "a private address (::ffff:a00:1, that is 10.0.0.1)"),
        ("::ffff:169.254.169.254", "a link-local address (::ffff:a9fe:a9fe, that is 169.254.169.254)"),
        ("2002:7f00:1::1", "a loopback address (2002:7f00:1::1, that is 127.0.0.1)"),
        ("64:ff9b::a00:1", "a private address (64:ff9b::a00:1, that is 10.0.0.1)"),
    ],
)
def test_non_public_addresses_are_refused_with_what_they_are(address: str, refusal: str) -> None:
    assert POLICY.refusal(ip_address(address), 80) == refusal


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::808:808"]
)
def test_public_addresses_are_fetched_from(address: str) -> None:
    assert POLICY.refusal(ip_address(address), 443) is None


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_an_ipv4_mapped_address_is_judged_as_the_ipv4_address_it_stands_for(number: int) -> None:
    v4 = IPv4Address(number)
    mapped = IPv6Address(f"::ffff:{v4}")
    refused_v4, refused_mapped = POLICY.refusal(v4, 80), POLICY.refusal(mapped, 80)
    assert (refused_v4 is None) == (refused_mapped is None)
    if refused_v4 is not None and refused_mapped is not None:
        assert refused_mapped.split(" (")[0] == refused_v4.split(" (")[0]


@pytest.mark.parametrize(
    ("entries", "address", "port", "allowed"),
    [
        (["127.0.0.1:8123"], "127.0.0.1", 8123, True),
        (["127.0.0.1:8123"], "127.0.0.1", 8124, False),
        (["127.0.0.1:8123"], "127.0.0.2", 8123, False),
        (["127.0.0.1:8123"], "::ffff:127.0.0.1", 8123, False),
        (["127.0.0.1:8123"], "::1", 8123, False),
        (["[::1]:8123"], "::1", 8123, True),
        (["::1"], "::1", 1, True),
        (["10.1.0.0/16"], "10.1.200.3", 9999, True),
        (["10.1.0.0/16"], "10.2.0.1", 80, False),
        (["10.1.0.0/16:8080"], "10.1.0.9", 8080, True),
        (["10.1.0.0/16:8080"], "10.1.0.9", 80, False),
        (["[fd00::/8]:80"], "fd12::3", 80, True),
        ([" 192.168.0.5:443 "], "192.168.0.5", 443, True),
    ],
)
def test_an_allow_list_entry_lets_through_exactly_its_addresses_and_port(
    entries: list[str], address: str, port: int, allowed: bool
) -> None:
    assert (FetchPolicy.from_entries(entries).refusal(ip_address(address), port) is None) == allowed


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ("localhost:8123", "a host name is not accepted"),
        ("sandbox.test", "a host name is not accepted"),
        ("10.0.0.1/8", "has host bits set"),
        ("127.0.0.1:0", "is not a port number"),
        ("127.0.0.1:70000", "is not a port number"),
        ("127.0.0.1:http", "is not a port number"),
        ("[::1", "expected [address]:port"),
        ("[::1]8080", "expected [address]:port"),
        ("", "does not appear to be an IPv4 or IPv6"),
    ],
)
def test_an_unreadable_allow_list_entry_is_a_configuration_error_naming_it(entry: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="fetch allow-list entry") as raised:
        AllowedTarget.parse(entry)
    assert repr(entry) in str(raised.value)
    assert complaint in str(raised.value)
