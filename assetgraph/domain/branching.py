"""Branches, their variants, and clips: what is kept of each, and the rules their inputs follow (SPEC section 3).

A branch is a point in a source asset (a time, a frame) where the story may go several ways; each way is a variant,
another of the owner's assets, with a weight and conditions. A clip is a span [start, end) of a source asset,
possibly extracted into an asset of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assetgraph.domain.enums import BranchType, MediaType
from assetgraph.domain.errors import BadUserInput, ClientError, ErrorCode
from assetgraph.domain.field_rules import (
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    MAX_TAG_CHARS,
    Rule,
    json_value,
    member,
    non_negative,
    text,
    whole,
)

MAX_BRANCHES_PER_ASSET = 50
MAX_VARIANTS_PER_BRANCH = 50
MAX_CLIPS_PER_ASSET = 200
TIMED_MEDIA = frozenset({MediaType.VIDEO.value, MediaType.AUDIO.value})
"""Media with a timeline: only these have clips."""


@dataclass(frozen=True, slots=True)
class BranchRecord:
    id: int
    source_asset_id: int
    branch_time: float | None
    branch_frame: int | None
    name: str
    description: str | None
    tag: str | None
    branch_type: str
    game_metadata: Any
    created_at: datetime


@dataclass(frozen=True, slots=True)
class VariantRecord:
    id: int
    branch_id: int
    variant_asset_id: int
    name: str
    tag: str | None
    weight: float
    conditions: Any
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClipRecord:
    id: int
    source_asset_id: int
    start_time: float
    end_time: float
    tag: str | None
    name: str | None
    extracted_asset_id: int | None
    playback_metadata: Any
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SourceAsset:
    """What the rules need to know of the asset a branch, clip or metadata record belongs to."""

    id: int
    media_type: str
    duration_sec: float | None


BRANCH_RULES: Mapping[str, Rule] = {
    "branch_time": non_negative(),
    "branch_frame": whole(),
    "name": text(MAX_NAME_CHARS),
    "description": text(MAX_DESCRIPTION_CHARS, strip=False),
    "tag": text(MAX_TAG_CHARS),
    "branch_type": member(BranchType),
    "game_metadata": json_value(),
}
BRANCH_NOT_NULL = frozenset({"name", "branch_type"})

VARIANT_RULES: Mapping[str, Rule] = {
    "name": text(MAX_NAME_CHARS),
    "tag": text(MAX_TAG_CHARS),
    "weight": non_negative(),
    "conditions": json_value(),
}
VARIANT_NOT_NULL = frozenset({"name", "weight"})

CLIP_RULES: Mapping[str, Rule] = {
    "start_time": non_negative(),
    "end_time": non_negative(),
    "tag": text(MAX_TAG_CHARS),
    "name": text(MAX_NAME_CHARS),
    "playback_metadata": json_value(),
}
CLIP_NOT_NULL = frozenset({"start_time", "end_time"})


def time_within(source: SourceAsset, seconds: float | None, field: str) -> ClientError | None:
    """A time past the end of an asset of known duration is refused."""
    if seconds is None or source.duration_sec is None or seconds <= source.duration_sec:
        return None
    return BadUserInput(
        f"{field} ({seconds:g} s) is past the end of the asset ({source.duration_sec:g} s).", field=field
    )


def clip_span_errors(
    source: SourceAsset, start: float | None, end: float | None, *, end_alone: bool = False
) -> list[ClientError]:
    """A clip's span, as it will be stored (the fields sent merged over the stored ones), checked as a whole; a
    None time is one already refused on its own. An inverted span is blamed on startTime, or on endTime when
    `end_alone` (the change sent endTime and not startTime)."""
    errors: list[ClientError] = []
    if source.media_type not in TIMED_MEDIA:
        errors.append(BadUserInput("Only a video or an audio asset has clips.", field="assetId"))
    if start is None or end is None:
        return errors
    if start >= end and end_alone:
        errors.append(BadUserInput(f"endTime ({end:g}) must be after startTime ({start:g}).", field="endTime"))
    elif start >= end:
        errors.append(BadUserInput(f"startTime ({start:g}) must be before endTime ({end:g}).", field="startTime"))
    error = time_within(source, end, "endTime")
    if error is not None:
        errors.append(error)
    return errors


class TooManyParts(ClientError):
    """An asset (or a branch) already holds as many parts of a kind as it may."""

    code = ErrorCode.TOO_MANY_ITEMS

    def __init__(self, owner: str, parts: str, cap: int, *, field: str) -> None:
        super().__init__(f"{owner} holds at most {cap} {parts}; remove one first.", field=field)
