"""Pixverse's library over its web API shape: pages of videos and images, one item, an expired session."""

from __future__ import annotations

import pytest

from assetgraph.domain.upload_errors import UploadErrorCode
from assetgraph.providers.base import MediaKind, ProviderError, SessionExpiredError
from assetgraph.providers.pixverse import item_id
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.providers.sandbox import PixverseLibrary, RunningSandbox
from tests.support import fault_account


def library(videos: int, images: int) -> PixverseLibrary:
    return PixverseLibrary(
        videos=[{"video_id": 9_000_000_000 + n, "video_status": 1} for n in range(videos)],
        images=[{"image_id": 8_000_000_000 + n, "image_status": 1} for n in range(images)],
    )


async def test_pages_of_videos_and_images(providers: ProviderRegistry, sandbox: RunningSandbox) -> None:
    # Given an account holding 7 videos and 3 images
    sandbox.sandbox.set_pixverse_library("jwt-pages", library(7, 3))
    pixverse = providers.require("pixverse")

    # When its videos are read 3 at a time from offset 5, and its images from the start
    videos = await pixverse.list_page({"jwt": "jwt-pages"}, MediaKind.VIDEO, 5, 3)
    images = await pixverse.list_page({"jwt": "jwt-pages"}, MediaKind.IMAGE, 0, 50)

    # Then each page holds what is there, raw, with the totals, and ids read as strings
    assert [item_id(MediaKind.VIDEO, v) for v in videos.items] == ["9000000005", "9000000006"]
    assert videos.total == 7 and videos.items[0] == {"video_id": 9_000_000_005, "video_status": 1}
    assert (len(images.items), images.total) == (3, 3)
    assert sandbox.calls.count("pixverse", "video_list", "jwt-pages") == 1
    assert sandbox.calls.count("pixverse", "image_list", "jwt-pages") == 1


async def test_one_item_or_none(providers: ProviderRegistry, sandbox: RunningSandbox) -> None:
    # Given an account with the sample library
    pixverse = providers.require("pixverse")
    first = (await pixverse.list_page({"jwt": "jwt-one"}, MediaKind.VIDEO, 0, 1)).items[0]
    first_id = item_id(MediaKind.VIDEO, first)
    assert first_id is not None

    # When one video is fetched by its id, then an id it does not hold
    found = await pixverse.fetch_item({"jwt": "jwt-one"}, MediaKind.VIDEO, first_id)
    missing = await pixverse.fetch_item({"jwt": "jwt-one"}, MediaKind.IMAGE, "1")

    # Then the first is the item as listed, the second None
    assert found == first
    assert missing is None


@pytest.mark.parametrize("kind", list(MediaKind))
async def test_an_expired_session_stops_listing(
    kind: MediaKind, providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # When an account whose session expired lists its library
    with pytest.raises(SessionExpiredError):
        await providers.require("pixverse").list_page({"jwt": fault_account("session_expired")}, kind, 0, 10)
    # Then it is told once (ErrCode 10005 is not retried)
    assert sandbox.calls.total == 1


async def test_an_unavailable_list_is_retried_then_reported(
    providers: ProviderRegistry, sandbox: RunningSandbox
) -> None:
    # When the list endpoint answers 503 twice, then works
    sandbox.sandbox.fail_next("503", times=2, provider="pixverse")
    page = await providers.require("pixverse").list_page({"jwt": "jwt-retry"}, MediaKind.IMAGE, 0, 10)

    # Then the page arrives on the third call
    assert page.items and sandbox.calls.count("pixverse", "image_list") == 3

    # And a list that keeps failing is PROVIDER_UNAVAILABLE
    with pytest.raises(ProviderError) as raised:
        await providers.require("pixverse").list_page({"jwt": fault_account("500")}, MediaKind.IMAGE, 0, 10)
    assert raised.value.code == UploadErrorCode.PROVIDER_UNAVAILABLE


@pytest.mark.parametrize("provider_id", ["sora", "runway"])
async def test_upload_only_providers_have_no_library(provider_id: str, providers: ProviderRegistry) -> None:
    adapter = providers.require(provider_id)
    with pytest.raises(NotImplementedError):
        await adapter.list_page({"api_key": "k"}, MediaKind.VIDEO, 0, 10)
    with pytest.raises(NotImplementedError):
        await adapter.fetch_item({"api_key": "k"}, MediaKind.VIDEO, "1")
