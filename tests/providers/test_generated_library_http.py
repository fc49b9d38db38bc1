"""A generated library over real HTTP: chosen per account, paged by the Pixverse adapter, faults on its lists."""

from __future__ import annotations

import httpx
import pytest

from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.base import MediaKind, ProviderError, SessionExpiredError
from assetgraph.providers.pixverse import item_id
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import RunningSandbox, generated_pixverse_library
from tests.support import fault_account


async def read_all(providers: ProviderRegistry, jwt: str, kind: MediaKind, page: int) -> tuple[list[str], set[int]]:
    """Every id of one kind, page after page through the adapter, and the totals the pages announced."""
    pixverse = providers.require("pixverse")
    ids: list[str] = []
    totals: set[int] = set()
    offset = 0
    while True:
        result = await pixverse.list_page({"jwt": jwt}, kind, offset, page)
        totals.add(result.total)
        ids += [i for i in (item_id(kind, item) for item in result.items) if i is not None]
        offset += page
        if offset >= result.total:
            return ids, totals


async def test_paging_a_thousand_items_yields_each_id_once(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # Given an account whose credential asks for a generated library of 1,000 items
    jwt = "library:1000:21"
    summary = generated_pixverse_library(1_000, 21).summary()

    # When its videos are paged 97 at a time and its images 50 at a time
    videos, video_totals = await read_all(providers, jwt, MediaKind.VIDEO, 97)
    images, image_totals = await read_all(providers, jwt, MediaKind.IMAGE, 50)

    # Then every id comes exactly once, as many as the summary counts, under one exact total
    assert len(videos) == len(set(videos)) == summary.videos and video_totals == {summary.videos}
    assert len(images) == len(set(images)) == summary.images and image_totals == {summary.images}
    assert summary.videos + summary.images == 1_000
    # And one video is fetched by its id as it was listed
    pixverse = providers.require("pixverse")
    first = (await pixverse.list_page({"jwt": jwt}, MediaKind.VIDEO, 0, 1)).items[0]
    assert await pixverse.fetch_item({"jwt": jwt}, MediaKind.VIDEO, videos[0]) == first


async def test_pages_are_stable_and_totals_exact_at_the_extremes(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    pixverse = providers.require("pixverse")
    # Given an empty library, a one-item library and the largest one
    empty = await pixverse.list_page({"jwt": "library:0"}, MediaKind.VIDEO, 0, 50)
    single = [await pixverse.list_page({"jwt": "library:1:4"}, kind, 0, 50) for kind in MediaKind]
    far = await pixverse.list_page({"jwt": "library:100000:4"}, MediaKind.VIDEO, 79_950, 100)
    again = await pixverse.list_page({"jwt": "library:100000:4"}, MediaKind.VIDEO, 79_950, 100)

    # Then totals are exact, and the same offset gives the same items
    assert (empty.items, empty.total) == ([], 0)
    assert sum(page.total for page in single) == 1 == sum(len(page.items) for page in single)
    assert far.total == 80_000 and len(far.items) == 50 and far.items == again.items


async def test_a_misspelt_library_is_refused_loudly(sandbox: RunningSandbox) -> None:
    url = sandbox.base_urls["pixverse"] + "/creative_platform/video/list/personal"
    async with httpx.AsyncClient() as client:
        for jwt in ("library:lots", "library:100001", "library:10:x"):
            response = await client.post(url, json={"offset": 0, "limit": 10}, headers={"Token": jwt})
            assert response.status_code == 400 and "unknown sandbox library" in response.text


async def test_list_faults_apply_to_a_generated_library(providers: ProviderRegistry, sandbox: RunningSandbox) -> None:
    pixverse = providers.require("pixverse")
    # Given accounts with a generated library and a fault each: 429 with a long Retry-After, an expired session
    limited, expired = fault_account("429:120"), fault_account("session_expired")
    for account in (limited, expired):
        sandbox.sandbox.set_pixverse_library(account, generated_pixverse_library(300))

    # When they list their videos
    with pytest.raises(ProviderError) as raised:
        await pixverse.list_page({"jwt": limited}, MediaKind.VIDEO, 0, 20)
    with pytest.raises(SessionExpiredError):
        await pixverse.list_page({"jwt": expired}, MediaKind.IMAGE, 0, 20)

    # Then the first is RATE_LIMITED with the Retry-After the sandbox sent, the second expired, each asked once
    assert (raised.value.code, raised.value.retry_after) == (UploadErrorCode.RATE_LIMITED, 120.0)
    assert sandbox.calls.count("pixverse", "video_list", limited) == 1
    assert sandbox.calls.count("pixverse", "image_list", expired) == 1


async def test_queued_503s_on_a_generated_list_are_retried_to_the_same_page(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    pixverse = providers.require("pixverse")
    jwt = "library:1000:8#queued"
    expected = generated_pixverse_library(1_000, 8).videos[100:150]

    # When the video list answers 503 twice before working
    sandbox.sandbox.fail_next("503", times=2, provider="pixverse", endpoint="video_list")
    page = await pixverse.list_page({"jwt": jwt}, MediaKind.VIDEO, 100, 50)

    # Then the third call brings the very page the library holds
    assert page.items == expected and page.total == 800
    assert sandbox.calls.count("pixverse", "video_list", jwt) == 3


async def test_a_fault_header_applies_to_one_request_of_a_generated_list(sandbox: RunningSandbox) -> None:
    url = sandbox.base_urls["pixverse"] + "/creative_platform/image/list/personal"
    async with httpx.AsyncClient() as client:
        # When one request carries X-Sandbox-Fault: 429:7, and the next none
        headers = {"Token": "library:500:2"}
        faulty = headers | {"X-Sandbox-Fault": "429:7"}
        refused = await client.post(url, json={"offset": 0, "limit": 10}, headers=faulty)
        served = await client.post(url, json={"offset": 0, "limit": 10}, headers=headers)

    # Then the first is a 429 with Retry-After 7, the second the page
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "7")
    assert served.status_code == 200 and served.json()["Resp"]["total"] == 100
