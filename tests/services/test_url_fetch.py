"""The URL fetcher: SSRF refusals (also after redirects and against DNS rebinding), redirects, size limits, timeouts.

Every fetcher here dials through a RecordingConnector (tests/fetch_support.py), which opens sockets to loopback only;
the assertions on `connector.targets` show where a connection was attempted, and that a refused address never was.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from assetgraph.config import Settings
from assetgraph.domain.errors import ErrorCode
from assetgraph.services.url_fetch import DownloadFailed, FetchError, SafeFetcher
from tests.fetch_support import (
    FILE_BYTES,
    PUBLIC_ADDRESS,
    RecordingConnector,
    StaticResolver,
    controlled_fetcher,
    file_site,
    raw_http_server,
    read_all,
)
from tests.support import serving


@dataclass(frozen=True)
class Site:
    url: str
    port: int
    hits: Counter[str]


@pytest.fixture(scope="module")
async def site() -> AsyncIterator[Site]:
    hits: Counter[str] = Counter()
    async with serving(file_site(hits)) as url:
        yield Site(url, int(url.rsplit(":", 1)[1]), hits)


@pytest.fixture
def connector() -> RecordingConnector:
    return RecordingConnector()


@pytest.fixture
def names() -> StaticResolver:
    return StaticResolver(
        {
            "files.test": [["127.0.0.1"]],
            "loopback.test": [["127.0.0.1"]],
            "public-and-private.test": [[PUBLIC_ADDRESS, "10.0.0.1"]],
        }
    )


async def fetch_error(fetcher: SafeFetcher, url: str, max_bytes: int = 10**7) -> FetchError:
    """The error fetching `url` whole ends with (the test fails if it succeeds)."""
    with pytest.raises(FetchError) as raised:
        async with fetcher.open(url, max_bytes) as download:
            await read_all(download)
    assert raised.value.field == "url"
    return raised.value


# Downloads that are allowed.


async def test_an_allow_listed_loopback_port_downloads_the_exact_bytes(
    site: Site, connector: RecordingConnector, names: StaticResolver
) -> None:
    # Given the test site's loopback port allow-listed in the settings
    settings = Settings(fetch_allow_list=[f"127.0.0.1:{site.port}"])
    async with SafeFetcher.from_settings(settings, resolver=names, connector=connector) as fetcher:
        # When its file is downloaded with a limit of exactly its size
        async with fetcher.open(f"{site.url}/file", max_bytes=len(FILE_BYTES)) as download:
            body = await read_all(download)
    # Then every byte arrives, the headers read as declared, and only the allowed address was dialed
    assert body == FILE_BYTES
    assert (download.final_url, download.content_type, download.content_length) == (
        f"{site.url}/file",
        "image/png",
        len(FILE_BYTES),
    )
    assert connector.targets == [("127.0.0.1", site.port)]


async def test_a_host_name_is_dialed_at_the_address_that_was_checked(
    site: Site, connector: RecordingConnector, names: StaticResolver
) -> None:
    # Given a name resolving to the allow-listed loopback address
    async with controlled_fetcher(connector, names, allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        # When a URL with that name is downloaded
        async with fetcher.open(f"http://files.test:{site.port}/file", max_bytes=len(FILE_BYTES)) as download:
            body = await read_all(download)
    # Then the name was looked up once and the connection went to the address, not to the name
    assert body == FILE_BYTES
    assert names.lookups == ["files.test"]
    assert connector.targets == [("127.0.0.1", site.port)]


async def test_up_to_five_redirects_are_followed(site: Site, connector: RecordingConnector) -> None:
    async with controlled_fetcher(connector, StaticResolver(), allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        async with fetcher.open(f"{site.url}/redirect/4", max_bytes=len(FILE_BYTES)) as download:
            body = await read_all(download)
    # Then the file at the end of the chain arrives, and its URL is the one reported
    assert (body, download.final_url) == (FILE_BYTES, f"{site.url}/file")


# Addresses the server does not fetch from.

REFUSED_URLS = [
    pytest.param("http://10.0.0.1/file", "a private address (10.0.0.1)", id="private"),
    pytest.param("http://127.0.0.1:{port}/file", "a loopback address (127.0.0.1)", id="loopback"),
    pytest.param("http://169.254.169.254/latest/meta-data/", "a link-local address (169.254.169.254)", id="metadata"),
    pytest.param("http://[::1]:{port}/file", "a loopback address (::1)", id="IPv6 loopback"),
    pytest.param("http://0.0.0.0:{port}/file", "an unspecified address (0.0.0.0)", id="unspecified"),
    pytest.param(
        "http://[::ffff:127.0.0.1]:{port}/file",
        "a loopback address (::ffff:7f00:1, that is 127.0.0.1)",
        id="IPv4-mapped loopback",
    ),
    pytest.param("http://loopback.test:{port}/file", "a loopback address (127.0.0.1)", id="name for loopback"),
    pytest.param("http://public-and-private.test/file", "a private address (10.0.0.1)", id="public and private"),
    pytest.param("http://100.64.0.1/file", "a carrier-grade NAT address (100.64.0.1)", id="carrier-grade NAT"),
    pytest.param("http://[fd00::1]/file", "a private address (fd00::1)", id="unique local"),
    pytest.param("http://224.0.0.1/file", "a multicast address (224.0.0.1)", id="multicast"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED_URLS)
async def test_urls_resolving_to_non_public_addresses_are_refused_without_connecting(
    site: Site, connector: RecordingConnector, names: StaticResolver, url: str, reason: str
) -> None:
    # Given no allow-list: loopback is reachable, so a guard letting it through would download the file
    async with controlled_fetcher(connector, names) as fetcher:
        # When a URL resolving to a non-public address is fetched
        error = await fetch_error(fetcher, url.format(port=site.port))
    # Then it is refused, saying which address, and no connection was attempted
    assert (error.code, error.message) == (
        ErrorCode.URL_REFUSED,
        f"The URL resolves to {reason}, which this server does not fetch from.",
    )
    assert connector.targets == []


async def test_numeric_spellings_of_loopback_are_refused_by_the_system_resolver(connector: RecordingConnector) -> None:
    # Given the operating system's resolver, which reads these spellings as 127.0.0.1 (locally, without DNS)
    async with SafeFetcher(connector=connector, timeout_seconds=5) as fetcher:
        for spelling in ["127.1", "2130706433", "0x7f.0.0.1"]:
            # When the URL names the host that way
            error = await fetch_error(fetcher, f"http://{spelling}/file")
            # Then the address it resolves to is judged, not the spelling
            assert (error.code, error.message) == (
                ErrorCode.URL_REFUSED,
                "The URL resolves to a loopback address (127.0.0.1), which this server does not fetch from.",
            )
    assert connector.targets == []


async def test_a_name_the_system_resolver_cannot_encode_is_not_found(connector: RecordingConnector) -> None:
    # Given the operating system's resolver and a name with a label longer than DNS allows (refused before any query)
    name = "a" * 64 + ".test"
    async with SafeFetcher(connector=connector, timeout_seconds=5) as fetcher:
        error = await fetch_error(fetcher, f"http://{name}/file")
    assert (error.code, error.message) == (ErrorCode.DOWNLOAD_FAILED, f"The host {name} could not be found.")
    assert connector.targets == []


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://10.0.0.1/secret", "The URL redirects to a private address (10.0.0.1), which this server does not"),
        ("http://169.254.169.254/latest/", "The URL redirects to a link-local address (169.254.169.254), which"),
        ("http://loopback.test:1/file", "The URL redirects to a loopback address (127.0.0.1), which this server"),
        ("http://[::1]:{port}/file", "The URL redirects to a loopback address (::1), which this server does not"),
        ("file:///etc/passwd", "The URL redirects to a URL that has the scheme 'file'; this server fetches only"),
        ("http://user:pw@files.test/", "The URL redirects to a URL that contains a user name or password;"),
    ],
)
async def test_a_redirect_to_a_refused_url_is_refused_without_connecting_there(
    site: Site, connector: RecordingConnector, names: StaticResolver, location: str, message: str
) -> None:
    # Given an allow-listed loopback site that redirects elsewhere (only 127.0.0.1 on its own port is allowed)
    async with controlled_fetcher(connector, names, allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        # When the redirect is followed
        target = location.format(port=site.port)
        error = await fetch_error(fetcher, f"{site.url}/redirect-to?location={target}")
    # Then it is refused before any connection to the target: the site is the only address dialed
    assert error.code == ErrorCode.URL_REFUSED
    assert error.message.startswith(message)
    assert connector.targets == [("127.0.0.1", site.port)]


async def test_a_name_rebinding_to_loopback_after_the_check_cannot_reach_loopback(
    site: Site, connector: RecordingConnector
) -> None:
    # Given a name answering a public address first and loopback after that, with loopback's port allow-listed so
    # that a connection there would succeed if anything looked the name up a second time
    names = StaticResolver({"rebind.test": [[PUBLIC_ADDRESS], ["127.0.0.1"]]})
    downloads_before = site.hits["/file"]
    async with controlled_fetcher(connector, names, allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        # When a URL with that name is fetched
        error = await fetch_error(fetcher, f"http://rebind.test:{site.port}/file")
    # Then the only connection attempted is to the checked public address (unreachable here), never to loopback
    assert (error.code, error.message) == (ErrorCode.DOWNLOAD_FAILED, "The server could not be reached.")
    assert names.lookups == ["rebind.test"]
    assert connector.targets == [(PUBLIC_ADDRESS, site.port)]
    assert site.hits["/file"] == downloads_before


# Redirect limits, URLs, HTTP errors.


async def test_more_than_five_redirects_are_refused(site: Site, connector: RecordingConnector) -> None:
    async with controlled_fetcher(connector, StaticResolver(), allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        chain = await fetch_error(fetcher, f"{site.url}/redirect/5")
        loop = await fetch_error(fetcher, f"{site.url}/loop/endless")
    # Then both stop with a refusal after the original request and five redirects
    assert (chain.code, chain.message) == (ErrorCode.URL_REFUSED, "The URL redirects more than 5 times.")
    assert (loop.code, loop.message) == (ErrorCode.URL_REFUSED, "The URL redirects more than 5 times.")
    assert site.hits["/loop/endless"] == 6


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("ftp://files.test/file", ErrorCode.URL_REFUSED, "The URL has the scheme 'ftp'; this server fetches only"),
        ("files.test/file", ErrorCode.URL_REFUSED, "The URL has no scheme; this server fetches only http and"),
        ("http://user:secret@files.test/", ErrorCode.URL_REFUSED, "The URL contains a user name or password;"),
        ("http:///file", ErrorCode.URL_REFUSED, "The URL has no host."),
        ("http://[::1/file", ErrorCode.BAD_USER_INPUT, "The URL is not valid: "),
        ("http://files.test/" + "a" * 8192, ErrorCode.BAD_USER_INPUT, "The URL is longer than 8192 characters."),
        ("http://nowhere.test/file", ErrorCode.DOWNLOAD_FAILED, "The host nowhere.test could not be found."),
    ],
)
async def test_unusable_urls_are_refused_before_any_connection(
    connector: RecordingConnector, names: StaticResolver, url: str, code: ErrorCode, message: str
) -> None:
    async with controlled_fetcher(connector, names) as fetcher:
        error = await fetch_error(fetcher, url)
    assert error.code == code
    assert error.message.startswith(message)
    assert connector.targets == []


@pytest.mark.parametrize(("status", "phrase"), [(404, "Not Found"), (500, "Internal Server Error"), (304, None)])
async def test_an_http_error_status_fails_the_download_with_that_status(
    site: Site, connector: RecordingConnector, status: int, phrase: str | None
) -> None:
    async with controlled_fetcher(connector, StaticResolver(), allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        error = await fetch_error(fetcher, f"{site.url}/status/{status}")
    assert isinstance(error, DownloadFailed)
    assert (error.code, error.status) == (ErrorCode.DOWNLOAD_FAILED, status)
    assert error.message.startswith(f"The server answered HTTP {status}")


# Size limits and a server that lies or stalls.


def head(*headers: str) -> bytes:
    return "\r\n".join(["HTTP/1.1 200 OK", "Connection: close", *headers, "", ""]).encode()


async def chunked_despite_length(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head("Content-Length: 10", "Transfer-Encoding: chunked"))  # chunked framing wins (RFC 9112)
    for _ in range(64):
        writer.write(b"10000\r\n" + b"\x01" * 65536 + b"\r\n")
        await writer.drain()
    writer.write(b"0\r\n\r\n")


async def declares_a_terabyte(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head("Content-Length: 1000000000000"))
    await writer.drain()
    await reader.read()  # and sends nothing more until the fetcher hangs up


async def longer_than_declared(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head("Content-Length: 5") + b"12345" + b"6" * 100_000)


async def shorter_than_declared(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head("Content-Length: 1000") + b"x" * 20)  # then hangs up


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()


async def stalls_mid_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head("Content-Length: 1000") + b"x" * 10)
    await writer.drain()
    await reader.read()


async def drips(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head("Transfer-Encoding: chunked"))
    for _ in range(200):  # a byte every 50 ms: never silent long enough for a per-read timeout
        if reader.at_eof():
            return
        writer.write(b"1\r\nx\r\n")
        await writer.drain()
        await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
async def odd_server() -> AsyncIterator[str]:
    handlers = {
        f"/{handler.__name__}": handler
        for handler in [
            chunked_despite_length,
            declares_a_terabyte,
            longer_than_declared,
            shorter_than_declared,
            silent,
            stalls_mid_body,
            drips,
        ]
    }
    async with raw_http_server(handlers) as port:
        yield f"http://127.0.0.1:{port}"


async def received_before_error(fetcher: SafeFetcher, url: str, max_bytes: int) -> tuple[int, FetchError]:
    """How many bytes the consumer was given before the download failed, and the error."""
    received = 0
    with pytest.raises(FetchError) as raised:
        async with fetcher.open(url, max_bytes) as download:
            async for chunk in download.chunks():
                received += len(chunk)
    return received, raised.value


async def test_a_body_without_a_length_is_cut_off_at_the_limit(site: Site, connector: RecordingConnector) -> None:
    async with controlled_fetcher(connector, StaticResolver(), allow=[f"127.0.0.1:{site.port}"]) as fetcher:
        received, error = await received_before_error(fetcher, f"{site.url}/endless", max_bytes=200_000)
    assert (error.code, error.message) == (
        ErrorCode.FILE_TOO_LARGE,
        "The download is larger than the limit of 200,000 bytes.",
    )
    assert 0 < received <= 200_000


async def test_a_declared_length_over_the_limit_is_refused_before_the_body(
    site: Site, odd_server: str, connector: RecordingConnector
) -> None:
    allow = [f"127.0.0.1:{site.port}", odd_server.rsplit("/", 1)[1]]
    async with controlled_fetcher(connector, StaticResolver(), allow=allow) as fetcher:
        # When the site's file is fetched with a limit one byte short, and a server declares a terabyte it never sends
        small = await fetch_error(fetcher, f"{site.url}/file", max_bytes=len(FILE_BYTES) - 1)
        started = time.monotonic()
        huge = await fetch_error(fetcher, f"{odd_server}/declares_a_terabyte", max_bytes=1000)
    # Then both are refused from their headers, at once
    assert (small.code, small.message) == (
        ErrorCode.FILE_TOO_LARGE,
        "The server declares 300,000 bytes, more than the limit of 299,999 bytes.",
    )
    assert huge.code == ErrorCode.FILE_TOO_LARGE
    assert time.monotonic() - started < 2


async def test_a_lying_content_length_does_not_stretch_the_limit(
    odd_server: str, connector: RecordingConnector
) -> None:
    async with controlled_fetcher(connector, StaticResolver(), allow=[odd_server.rsplit("/", 1)[1]]) as fetcher:
        # When a server declares 10 bytes but sends 4 MB chunked
        async with fetcher.open(f"{odd_server}/chunked_despite_length", max_bytes=100_000) as download:
            declared = download.content_length
        received, error = await received_before_error(fetcher, f"{odd_server}/chunked_despite_length", 100_000)
        # And another declares 5 bytes and sends 100,005
        async with fetcher.open(f"{odd_server}/longer_than_declared", max_bytes=100) as download:
            body = await read_all(download)
    # Then the first is cut off at the limit, and the second yields its declared 5 bytes only
    assert declared is None
    assert error.code == ErrorCode.FILE_TOO_LARGE
    assert received <= 100_000
    assert body == b"12345"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("shorter_than_declared", "The connection broke off before the download was complete."),
        ("silent", "The server did not answer in time."),
        ("stalls_mid_body", "The server did not answer in time."),
        ("drips", "The download took too long."),
    ],
)
async def test_a_broken_or_slow_server_fails_the_download_in_bounded_time(
    odd_server: str, connector: RecordingConnector, path: str, message: str
) -> None:
    allow = [odd_server.rsplit("/", 1)[1]]
    async with controlled_fetcher(
        connector, StaticResolver(), allow, timeout_seconds=0.3, deadline_seconds=1
    ) as fetcher:
        started = time.monotonic()
        error = await fetch_error(fetcher, f"{odd_server}/{path}")
    assert (error.code, error.message) == (ErrorCode.DOWNLOAD_FAILED, message)
    assert time.monotonic() - started < 3


class SilentResolver:
    async def resolve(self, host: str, port: int) -> Sequence[str]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_lookup_that_never_answers_times_out(connector: RecordingConnector) -> None:
    async with SafeFetcher(resolver=SilentResolver(), connector=connector, timeout_seconds=0.3) as fetcher:
        started = time.monotonic()
        error = await fetch_error(fetcher, "http://files.test/file")
    assert (error.code, error.message) == (ErrorCode.DOWNLOAD_FAILED, "The server did not answer in time.")
    assert time.monotonic() - started < 3
    assert connector.targets == []


# TLS: the connection goes to the checked address, the certificate is verified against the URL's host name.


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=files.test",
            "-addext", "subjectAltName=DNS:files.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


async def test_https_verifies_the_url_host_name_while_dialing_the_checked_address(
    certificate: tuple[Path, Path], connector: RecordingConnector, names: StaticResolver
) -> None:
    # Given a TLS server on loopback whose certificate names files.test only
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)

    async def file(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(head(f"Content-Length: {len(FILE_BYTES)}") + FILE_BYTES)
        await writer.drain()

    async with raw_http_server({"/file": file}, ssl=server_tls) as port:
        client_tls = ssl.create_default_context(cafile=str(cert))
        async with controlled_fetcher(connector, names, [f"127.0.0.1:{port}"], ssl_context=client_tls) as fetcher:
            # When it is fetched by its name, then by its address
            async with fetcher.open(f"https://files.test:{port}/file", max_bytes=len(FILE_BYTES)) as download:
                body = await read_all(download)
            by_address = await fetch_error(fetcher, f"https://127.0.0.1:{port}/file")
    # Then by name the bytes arrive over a connection to the address; by address the certificate does not match
    assert body == FILE_BYTES
    assert by_address.code == ErrorCode.DOWNLOAD_FAILED
    assert by_address.message.startswith("The server's certificate is not valid for it: ")
    assert connector.targets == [("127.0.0.1", port), ("127.0.0.1", port)]


def test_an_allow_list_entry_naming_a_host_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="'localhost:8123'"):
        SafeFetcher.from_settings(Settings(fetch_allow_list=["localhost:8123"]))
