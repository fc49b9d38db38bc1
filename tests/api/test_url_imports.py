"""importAssetFromUrl through the real app: a download through the SSRF guard, stored like an upload.

The app's fetcher is swapped for one on a controlled network: names resolve as the test says and the connector
dials loopback only, recording every target, so no test can reach another address even with a broken guard.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from assetgraph.persistence.database import Database
from assetgraph.providers.sandbox.server import RunningSandbox
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.fetch_support import RecordingConnector, StaticResolver, controlled_fetcher
from tests.support import GraphQLClient, insert_assets, png_bytes, serving

IMPORT = """
mutation($input: ImportAssetFromUrlInput!) {
  importAssetFromUrl(input: $input) {
    asset { id sha256 mimeType uploadMethod originalSourceUrl providerStatus }
    deduplicated note errors { code message field }
  }
}
"""
PHOTO = png_bytes(seed=401)


def _site() -> Starlette:
    async def photo(_: Request) -> Response:
        return Response(PHOTO, media_type="image/png")

    async def text(_: Request) -> Response:
        return Response(b"just some text, not a picture", media_type="image/png")

    async def to_private(_: Request) -> Response:
        return RedirectResponse("http://10.0.0.1/photo.png", status_code=302)

    return Starlette(routes=[Route("/photo.png", photo), Route("/text", text), Route("/to-private", to_private)])


@dataclasses.dataclass
class Network:
    port: int
    connector: RecordingConnector
    resolver: StaticResolver


@pytest.fixture
async def network(app: Starlette) -> AsyncIterator[Network]:
    """The test site on loopback (allowed by address and port), and the app fetching through the controlled network."""
    async with serving(_site()) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        connector, resolver = RecordingConnector(), StaticResolver({"evil.test": [["127.0.0.1"]]})
        fetcher = controlled_fetcher(connector, resolver, allow=[f"127.0.0.1:{port}"])
        original = app.state.resources
        app.state.resources = dataclasses.replace(original, url_fetcher=fetcher)
        try:
            yield Network(port, connector, resolver)
        finally:
            app.state.resources = original
            await fetcher.aclose()


async def _import(client: GraphQLClient, url: str) -> dict[str, Any]:
    data = await client.data(IMPORT, {"input": {"url": url, "providerId": "local", "sourceSite": "example"}})
    payload: dict[str, Any] = data["importAssetFromUrl"]
    return payload


async def test_a_file_at_an_allowed_url_is_imported_like_an_upload(
    network: Network, alice: tuple[int, GraphQLClient], http: httpx.AsyncClient
) -> None:
    _, client = alice
    url = f"http://127.0.0.1:{network.port}/photo.png"
    payload = await _import(client, url)
    assert payload["errors"] == []
    asset = payload["asset"]
    assert asset["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert (asset["mimeType"], asset["uploadMethod"], asset["originalSourceUrl"]) == ("image/png", "EXTENSION", url)
    assert asset["providerStatus"] == "LOCAL_ONLY"
    # and the same file again is the same asset
    again = await _import(client, url)
    assert (again["asset"]["id"], again["deduplicated"]) == (asset["id"], True)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/photo.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/photo.png",
        "http://0.0.0.0/photo.png",
        "http://127.0.0.1:1/photo.png",
        "http://evil.test/photo.png",
        "REDIRECT",
    ],
    ids=["private", "metadata", "ipv6 loopback", "unspecified", "loopback, other port", "name to loopback", "redirect"],
)
async def test_a_url_to_a_refused_address_is_refused_and_nothing_is_written(
    network: Network, alice: tuple[int, GraphQLClient], url: str
) -> None:
    _, client = alice
    if url == "REDIRECT":
        url = f"http://127.0.0.1:{network.port}/to-private"
    payload = await _import(client, url)
    assert payload["asset"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("URL_REFUSED", "url")]
    # and nothing but the allowed site was ever dialed
    assert all(target == ("127.0.0.1", network.port) for target in network.connector.targets)
    assets = await client.data(
        "{ assets(filter: {includeAgeRestricted: true, includeUnsearchable: true}) { totalCount } }"
    )
    assert assets["assets"]["totalCount"] == 0


async def test_bytes_that_are_not_media_are_refused_naming_the_url(
    network: Network, alice: tuple[int, GraphQLClient]
) -> None:
    _, client = alice
    payload = await _import(client, f"http://127.0.0.1:{network.port}/text")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("UNSUPPORTED_MEDIA_TYPE", "url")]


TRANSFER = """
mutation($input: TransferAssetInput!) {
  transferAsset(input: $input) {
    asset { storageKey sha256 lastAccessedAt providerStates { providerId status } }
    providerSucceeded providerCalled note errors { code field }
  }
}
"""
ADD_ACCOUNT = """
mutation($input: AddProviderAccountInput!) { addProviderAccount(input: $input) { errors { code } } }
"""


async def test_a_transfer_of_an_asset_known_only_by_its_url_fetches_then_sends_it(
    network: Network, alice: tuple[int, GraphQLClient], db: Database, sandbox: RunningSandbox
) -> None:
    # given an asset of alice's whose bytes are only at a (reachable, allowed) URL, and a pixverse account
    user_id, client = alice
    url = f"http://127.0.0.1:{network.port}/photo.png"
    (asset_id,) = await insert_assets(db, user_id, [{"provider_id": "runway", "remote_url": url}])
    global_id = to_global_id(NodeType.ASSET, asset_id)
    account = {"providerId": "pixverse", "label": "p", "credentials": {"jwt": "jwt-good"}}
    assert (await client.data(ADD_ACCOUNT, {"input": account}))["addProviderAccount"]["errors"] == []

    # when it is transferred to pixverse
    moved = await client.data(TRANSFER, {"input": {"assetId": global_id, "targetProviderId": "pixverse"}})
    payload = moved["transferAsset"]
    # then the bytes were fetched, kept and sent, and the asset was used just now
    assert (payload["providerSucceeded"], payload["providerCalled"], payload["errors"]) == (True, True, [])
    assert payload["asset"]["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert payload["asset"]["storageKey"] is not None and payload["asset"]["lastAccessedAt"] is not None
    assert sandbox.sandbox.received[-1].size_bytes == len(PHOTO)
    assert ("pixverse", "OK") in [(s["providerId"], s["status"]) for s in payload["asset"]["providerStates"]]

    # when it is transferred again, then the cached copy is returned without a provider call
    again = await client.data(TRANSFER, {"input": {"assetId": global_id, "targetProviderId": "pixverse"}})
    assert (again["transferAsset"]["providerCalled"], again["transferAsset"]["providerSucceeded"]) == (False, True)
    assert sandbox.calls.count("pixverse", "upload") == 1


async def test_another_users_asset_cannot_be_transferred(
    network: Network, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], db: Database
) -> None:
    (bobs,) = await insert_assets(db, bob[0], [{"provider_id": "local"}])
    _, client = alice
    for asset in (to_global_id(NodeType.ASSET, bobs), to_global_id(NodeType.ASSET, 2**62), "garbage"):
        payload = await client.data(TRANSFER, {"input": {"assetId": asset, "targetProviderId": "pixverse"}})
        assert payload["transferAsset"]["errors"] == [{"code": "NOT_FOUND", "field": "assetId"}]
