"""What a Pixverse library item is, read from its raw payload: its id, its state, its URLs, its creation time.

The ONE place Pixverse's status codes are interpreted (sync, dry run and refreshModeration all call `item_state`).

Status table (`video_status` for videos, `image_status` for images):

| kind  | DONE                                   | PROCESSING                         | FILTERED  | FAILED      |
|-------|----------------------------------------|------------------------------------|-----------|-------------|
| video | 1; 10 when output_width and            | 0, 2, 5; 10 with a zero or missing | 3, 7, 17  | -1, 4, 8, 9 |
|       | output_height are both non-zero        | output dimension                   |           |             |
| image | 1                                      | 0, 2, 5, 10                        | 7         | 8, 9        |

- A media URL (url, video_url, image_url) ending in `default.mp4` / `default.jpg` is Pixverse's placeholder for a
  filtered item: it makes the item FILTERED whatever its code, except a failure code (a failed generation stays
  FAILED: there is nothing to import).
- A missing or unknown code reads as FAILED (reason `unknown video_status <code>`): an item we cannot understand is
  reported, never imported as if it were done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from assetgraph.domain.enums import MediaType
from assetgraph.domain.storable import is_storable_instant, is_storable_text

PIXVERSE_PROVIDER_ID = "pixverse"
DRY_RUN_DEFAULT_LIMIT = 50
DRY_RUN_MAX_LIMIT = 200
SYNC_DEFAULT_LIMIT = 100
SYNC_MAX_LIMIT = 500
MAX_REFRESH_ASSETS = 100
PLACEHOLDER_NAMES = ("default.mp4", "default.jpg")


class PixverseItemStatus(StrEnum):
    DONE = "DONE"
    PROCESSING = "PROCESSING"
    FILTERED = "FILTERED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class ItemState:
    """An item's status and, for anything but a plain DONE, why (`video_status 7`, `placeholder default.mp4`)."""

    status: PixverseItemStatus
    reason: str | None = None

    @property
    def importable(self) -> bool:
        """DONE and FILTERED items become assets (a filtered one carries its moderation flag)."""
        return self.status in (PixverseItemStatus.DONE, PixverseItemStatus.FILTERED)


_S = PixverseItemStatus
_VIDEO_CODES: Mapping[int, PixverseItemStatus] = {
    1: _S.DONE, 0: _S.PROCESSING, 2: _S.PROCESSING, 5: _S.PROCESSING,
    3: _S.FILTERED, 7: _S.FILTERED, 17: _S.FILTERED,
    -1: _S.FAILED, 4: _S.FAILED, 8: _S.FAILED, 9: _S.FAILED,
}  # fmt: skip
_IMAGE_CODES: Mapping[int, PixverseItemStatus] = {
    1: _S.DONE, 0: _S.PROCESSING, 2: _S.PROCESSING, 5: _S.PROCESSING, 10: _S.PROCESSING,
    7: _S.FILTERED,
    8: _S.FAILED, 9: _S.FAILED,
}  # fmt: skip
_STATUS_FIELDS = {MediaType.VIDEO: "video_status", MediaType.IMAGE: "image_status"}
_ID_FIELDS = {MediaType.VIDEO: "video_id", MediaType.IMAGE: "image_id"}
_URL_FIELDS = {MediaType.VIDEO: ("url", "video_url"), MediaType.IMAGE: ("image_url", "url")}
# customer_video_url / customer_img_url are the INPUTS of a generation (an extend's source video, an
# image-to-video's picture), never the item's own media: they are read by the lineage extractor, not here.
_THUMBNAIL_FIELDS = {
    MediaType.VIDEO: ("first_frame", "thumbnail", "thumbnail_url", "last_frame"),
    MediaType.IMAGE: ("thumbnail_url", "thumbnail", "image_url", "url"),
}
_CREATE_TIME_FIELDS = ("create_time", "created_at")


def _whole(value: object) -> int | None:
    """An int as Pixverse sends it (a number, or digits in a string); None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def item_id(kind: MediaType, item: Mapping[str, Any]) -> str | None:
    """The item's Pixverse id as a string (Pixverse sends numbers above 2**32), None when it has none."""
    value = item.get(_ID_FIELDS[kind])
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip() and is_storable_text(value):
        return value.strip()
    return None


def _placeholder(kind: MediaType, item: Mapping[str, Any]) -> str | None:
    for field in (*_URL_FIELDS[kind], "video_url", "image_url"):
        value = item.get(field)
        if isinstance(value, str):
            name = value.split("?", 1)[0].rsplit("/", 1)[-1]
            if name in PLACEHOLDER_NAMES:
                return name
    return None


def item_state(kind: MediaType, item: Mapping[str, Any]) -> ItemState:
    """The item's status by the table in the module docstring."""
    field = _STATUS_FIELDS[kind]
    raw_code = item.get(field)
    code = _whole(raw_code)
    table = _VIDEO_CODES if kind is MediaType.VIDEO else _IMAGE_CODES
    status = table.get(code) if code is not None else None
    reason = f"{field} {code}"
    if kind is MediaType.VIDEO and code == 10:
        dimensions = (_whole(item.get("output_width")), _whole(item.get("output_height")))
        status = _S.DONE if all(d for d in dimensions) else _S.PROCESSING
    if status is None:
        shown = "missing" if raw_code is None else str(raw_code)[:40]
        status, reason = _S.FAILED, f"unknown {field} {shown}"
    if status is not _S.FAILED and (placeholder := _placeholder(kind, item)) is not None:
        return ItemState(_S.FILTERED, f"placeholder {placeholder}")
    return ItemState(status, None if status is _S.DONE else reason)


def _first_url(item: Mapping[str, Any], fields: tuple[str, ...]) -> str | None:
    for field in fields:
        value = item.get(field)
        if isinstance(value, str) and value.startswith(("https://", "http://")) and is_storable_text(value):
            return value
    return None


def remote_url(kind: MediaType, item: Mapping[str, Any]) -> str | None:
    """The item's own media URL (http or https only)."""
    return _first_url(item, _URL_FIELDS[kind])


def thumbnail_url(kind: MediaType, item: Mapping[str, Any]) -> str | None:
    """A still of the item: a video's first frame (or thumbnail), an image's thumbnail or the image itself."""
    return _first_url(item, _THUMBNAIL_FIELDS[kind])


def created_at(item: Mapping[str, Any]) -> datetime | None:
    """When Pixverse made the item: an ISO-8601 string (no offset means UTC) or epoch seconds / milliseconds."""
    for field in _CREATE_TIME_FIELDS:
        value = item.get(field)
        parsed: datetime | None = None
        try:
            if isinstance(value, str) and value.strip():
                parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
                if parsed.tzinfo is None:
                    parsed = parsed.replace(tzinfo=UTC)
            elif isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                parsed = datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC)
        except (ValueError, OverflowError, OSError):
            parsed = None
        if parsed is not None and is_storable_instant(parsed):
            return parsed
    return None


def is_storable_json(value: object) -> bool:
    """Whether PostgreSQL's jsonb can hold `value` (no NUL or unpaired surrogate in any key or string)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            if not is_storable_text(current):
                return False
        elif isinstance(current, dict):
            for key, child in current.items():
                if not isinstance(key, str) or not is_storable_text(key):
                    return False
                stack.append(child)
        elif isinstance(current, list):
            stack.extend(current)
    return True


class SyncMode(StrEnum):
    """Which part of a Pixverse library a sync reads."""

    VIDEOS = "VIDEOS"
    IMAGES = "IMAGES"
    BOTH = "BOTH"

    @property
    def kinds(self) -> tuple[MediaType, ...]:
        return {
            SyncMode.VIDEOS: (MediaType.VIDEO,),
            SyncMode.IMAGES: (MediaType.IMAGE,),
            SyncMode.BOTH: (MediaType.VIDEO, MediaType.IMAGE),
        }[self]


@dataclass(frozen=True)
class PixverseItem:
    """One raw library item, read: what sync, dry run and the API show of it. `raw` is the payload, untouched."""

    kind: MediaType
    provider_asset_id: str | None
    state: ItemState
    remote_url: str | None
    thumbnail_url: str | None
    created_at: datetime | None
    raw: dict[str, Any]

    @property
    def importable(self) -> bool:
        return self.provider_asset_id is not None and self.state.importable


def read_item(kind: MediaType, raw: dict[str, Any]) -> PixverseItem:
    """The item as the rules above read it. An item without an id, or whose payload PostgreSQL cannot store, is
    FAILED (reported, never imported): there is nothing to key or keep it by."""
    provider_asset_id = item_id(kind, raw)
    state = item_state(kind, raw)
    if provider_asset_id is None:
        state = ItemState(_S.FAILED, f"no {_ID_FIELDS[kind]}")
    elif not is_storable_json(raw):
        state = ItemState(_S.FAILED, "the payload holds text the database cannot store (NUL or a lone surrogate)")
    return PixverseItem(
        kind=kind,
        provider_asset_id=provider_asset_id,
        state=state,
        remote_url=remote_url(kind, raw),
        thumbnail_url=thumbnail_url(kind, raw),
        created_at=created_at(raw),
        raw=raw,
    )


class SyncOutcome(StrEnum):
    """What a sync did with one listed item."""

    CREATED = "CREATED"
    SKIPPED_EXISTING = "SKIPPED_EXISTING"
    PROCESSING = "PROCESSING"
    FAILED = "FAILED"
