"""Pixverse payloads read by the one rule: status codes, placeholders, ids, URLs, creation times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assetgraph.domain.enums import MediaType
from assetgraph.domain.pixverse_items import PixverseItemStatus, item_state, read_item

DONE, PROCESSING, FILTERED, FAILED = (
    PixverseItemStatus.DONE,
    PixverseItemStatus.PROCESSING,
    PixverseItemStatus.FILTERED,
    PixverseItemStatus.FAILED,
)
VIDEO_CASES: list[tuple[dict[str, Any], PixverseItemStatus, str | None]] = [
    ({"video_status": 1}, DONE, None),
    ({"video_status": 10, "output_width": 1280, "output_height": 720}, DONE, None),
    ({"video_status": 10, "output_width": 0, "output_height": 720}, PROCESSING, "video_status 10"),
    ({"video_status": 10}, PROCESSING, "video_status 10"),
    ({"video_status": 0}, PROCESSING, "video_status 0"),
    ({"video_status": 2}, PROCESSING, "video_status 2"),
    ({"video_status": 5}, PROCESSING, "video_status 5"),
    ({"video_status": 3}, FILTERED, "video_status 3"),
    ({"video_status": 7}, FILTERED, "video_status 7"),
    ({"video_status": 17}, FILTERED, "video_status 17"),
    ({"video_status": -1}, FAILED, "video_status -1"),
    ({"video_status": 4}, FAILED, "video_status 4"),
    ({"video_status": 8}, FAILED, "video_status 8"),
    ({"video_status": 9}, FAILED, "video_status 9"),
    ({"video_status": 42}, FAILED, "unknown video_status 42"),
    ({}, FAILED, "unknown video_status missing"),
    ({"video_status": True}, FAILED, "unknown video_status True"),
    ({"video_status": "1"}, DONE, None),
    ({"video_status": 1, "url": "https://m.example/video/default.mp4"}, FILTERED, "placeholder default.mp4"),
    ({"video_status": 5, "url": "https://m.example/video/default.mp4?x=1"}, FILTERED, "placeholder default.mp4"),
    ({"video_status": 8, "url": "https://m.example/video/default.mp4"}, FAILED, "video_status 8"),
]
IMAGE_CASES: list[tuple[dict[str, Any], PixverseItemStatus, str | None]] = [
    ({"image_status": 1}, DONE, None),
    ({"image_status": 0}, PROCESSING, "image_status 0"),
    ({"image_status": 2}, PROCESSING, "image_status 2"),
    ({"image_status": 5}, PROCESSING, "image_status 5"),
    ({"image_status": 10}, PROCESSING, "image_status 10"),
    ({"image_status": 7}, FILTERED, "image_status 7"),
    ({"image_status": 8}, FAILED, "image_status 8"),
    ({"image_status": 9}, FAILED, "image_status 9"),
    ({"image_status": 3}, FAILED, "unknown image_status 3"),
    ({"image_status": 1, "image_url": "https://m.example/image/default.jpg"}, FILTERED, "placeholder default.jpg"),
]


@pytest.mark.parametrize(("payload", "status", "reason"), VIDEO_CASES)
def test_video_status_table(payload: dict[str, Any], status: PixverseItemStatus, reason: str | None) -> None:
    state = item_state(MediaType.VIDEO, payload)
    assert (state.status, state.reason) == (status, reason)


@pytest.mark.parametrize(("payload", "status", "reason"), IMAGE_CASES)
def test_image_status_table(payload: dict[str, Any], status: PixverseItemStatus, reason: str | None) -> None:
    state = item_state(MediaType.IMAGE, payload)
    assert (state.status, state.reason) == (status, reason)


def test_a_video_is_read_with_its_id_as_a_string_its_urls_and_its_creation_time() -> None:
    raw = {
        "video_id": 381_000_000_003,
        "video_status": 1,
        "url": "https://m.example/video/3.mp4",
        "first_frame": "https://m.example/frame/3.jpg",
        "customer_video_url": "https://m.example/video/1.mp4",
        "create_time": "2026-01-02T03:04:05Z",
    }
    item = read_item(MediaType.VIDEO, raw)
    assert item.provider_asset_id == "381000000003"
    # The extend's source video is an input, never the item's own URL.
    assert (item.remote_url, item.thumbnail_url) == ("https://m.example/video/3.mp4", "https://m.example/frame/3.jpg")
    assert item.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert item.raw is raw and item.importable


def test_an_image_falls_back_to_itself_as_thumbnail_and_epoch_times_are_read() -> None:
    item = read_item(MediaType.IMAGE, {"image_id": "77", "image_status": 1, "image_url": "http://m.example/i.jpg",
                                       "create_time": 1_767_323_045_000})  # fmt: skip
    assert (item.remote_url, item.thumbnail_url) == ("http://m.example/i.jpg", "http://m.example/i.jpg")
    assert item.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"video_status": 1}, "no video_id"),
        ({"video_id": True, "video_status": 1}, "no video_id"),
        ({"video_id": 5, "video_status": 1, "prompt": "a\x00b"}, "the payload holds text"),
    ],
)
def test_items_without_an_id_or_with_unstorable_text_are_failed(raw: dict[str, Any], reason: str) -> None:
    item = read_item(MediaType.VIDEO, raw)
    assert item.state.status is FAILED and (item.state.reason or "").startswith(reason)
    assert not item.importable


def test_unreadable_urls_and_times_are_none() -> None:
    item = read_item(MediaType.VIDEO, {"video_id": 1, "video_status": 1, "url": "javascript:alert(1)",
                                       "create_time": "yesterday"})  # fmt: skip
    assert (item.remote_url, item.thumbnail_url, item.created_at) == (None, None, None)
