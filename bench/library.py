"""Deterministic, realistic asset rows for the bench library, as COPY records of the base columns.

Only base columns are written: generated columns (provider_status, has_failed_upload, flagged_anywhere, ...) are
computed by PostgreSQL from media_metadata and provider_uploads, exactly as for rows the app writes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.outcomes import LOCAL, Placement, draw_placement

SEED = 20260101
LIBRARY_END = datetime(2026, 1, 1, tzinfo=UTC)
LIBRARY_SPAN_SECONDS = 365 * 86_400

COLUMNS = (
    "user_id", "media_type", "provider_id", "provider_asset_id", "remote_url", "thumbnail_url", "storage_key",
    "sha256", "phash64", "size_bytes", "mime_type", "width", "height", "duration_sec", "description", "tags",
    "style_tags", "content_domain", "content_category", "content_rating", "age_restricted", "searchable",
    "original_source_url", "upload_method", "media_metadata", "provider_uploads", "sync_status", "created_at",
    "updated_at", "last_accessed_at",
)  # fmt: skip

MEDIA_TYPES = {"video": 60, "image": 35, "audio": 3, "3d_model": 2}
MIME_TYPES = {
    "video": ("video/mp4", "video/webm"),
    "image": ("image/png", "image/jpeg", "image/webp"),
    "audio": ("audio/mpeg", "audio/wav"),
    "3d_model": ("model/gltf-binary",),
}
RESOLUTIONS = ((1280, 720), (1920, 1080), (720, 1280), (1080, 1920), (1024, 1024), (640, 360))
TAGS = (
    "portrait", "landscape", "anime", "cinematic", "product", "logo", "character", "dance", "nature", "city",
    "night", "sunset", "ocean", "forest", "fantasy", "scifi", "robot", "cat", "dog", "car", "food", "fashion",
    "sport", "music", "abstract", "retro", "neon", "watercolor", "sketch", "3d", "hero", "loop", "intro", "ad",
)  # fmt: skip
STYLES = ("realistic", "anime", "3d-render", "clay", "pixel-art", "cyberpunk", "oil-painting", "comic")
SUBJECTS = ("a red fox", "an astronaut", "a vintage car", "two dancers", "a city skyline", "a paper boat",
            "a dragon", "a coffee cup", "a lighthouse", "a robot chef", "a koi pond", "a neon sign")  # fmt: skip
ACTIONS = ("running through snow", "floating in space", "at golden hour", "in heavy rain", "slowly rotating",
           "with a dolly zoom", "under northern lights", "in slow motion", "on a windy cliff")  # fmt: skip
DOMAINS = {"general": 90, "fashion": 3, "sports": 3, "education": 2, "medical": 1, "adult": 1}
RATINGS = {"general": 92, "mature": 5, "adult": 2, "explicit": 1}


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(tuple(weighted), weights=tuple(weighted.values()))[0]


def _copy_id(provider_id: str, index: int, rng: random.Random) -> str:
    # Ids embed the row index: (user_id, provider_id, provider_asset_id) is unique.
    if provider_id == "pixverse":
        return str(300_000_000_000 + index * 7)
    if provider_id == "sora":
        return f"gen_{index:08d}{rng.getrandbits(48):012x}"
    return f"{rng.getrandbits(32):08x}-{index:012d}"


def _media_url(provider_id: str, copy_id: str, extension: str) -> str:
    return f"https://media.{provider_id}.example/assets/{copy_id}.{extension}"


def _provider_payload(
    rng: random.Random, placement: Placement, copy_id: str | None, prompt: str, video: bool
) -> dict[str, Any]:
    """A raw payload of the primary provider, as sync stores it next to the upload history."""
    if placement.provider_id == "pixverse":
        # Pixverse marks moderated media with status 7 (filtered).
        kind = "video" if video else "image"
        return {
            "pixverse": {
                f"{kind}_id": int(copy_id) if copy_id else None,
                "prompt": prompt,
                f"{kind}_status": 7 if placement.flagged else 1,
                "model": rng.choice(("v4", "v4.5", "v5")),
                "seed": rng.getrandbits(31),
            }
        }
    if placement.provider_id == "sora":
        return {"sora": {"generation_id": copy_id, "prompt": prompt, "n_variants": rng.randint(1, 4)}}
    if placement.provider_id == LOCAL:
        return {"local": {"original_filename": f"clip_{rng.randrange(10**6):06d}.mp4"}}
    return {placement.provider_id: {"task_id": copy_id, "model": "gen-3", "prompt": prompt}}


def _metadata(rng: random.Random, placement: Placement, copy_id: str | None, prompt: str, video: bool) -> Any:
    if placement.malformed is not None:
        return placement.malformed
    return {**_provider_payload(rng, placement, copy_id, prompt, video), **placement.history.as_metadata()}


def _uploads(placement: Placement, primary_id: str | None, index: int, rng: random.Random) -> dict[str, Any]:
    uploads: dict[str, Any] = {}
    for provider_id in placement.copies:
        copy_id = (
            primary_id if provider_id == placement.provider_id and primary_id else _copy_id(provider_id, index, rng)
        )
        uploads[provider_id] = {"id": copy_id, "url": _media_url(provider_id, copy_id, "mp4")}
    return uploads


def asset_record(rng: random.Random, index: int, user_id: int) -> tuple[Any, ...]:
    """One row of COLUMNS; `index` makes the unique keys unique."""
    created_at = LIBRARY_END - timedelta(seconds=rng.randrange(LIBRARY_SPAN_SECONDS), microseconds=rng.randrange(10**6))
    placement = draw_placement(rng, created_at)
    media_type = _pick(rng, MEDIA_TYPES)
    width, height = rng.choice(RESOLUTIONS)
    prompt = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}, {rng.choice(STYLES)} style"
    copy_id = _copy_id(placement.provider_id, index, rng) if placement.held else None
    sha256 = f"{rng.getrandbits(256):064x}" if placement.stored or rng.random() < 0.8 else None
    extension = "mp4" if media_type == "video" else "png"
    rating = _pick(rng, RATINGS)
    last_event = placement.history.timeline.now
    synced = placement.history.method == "sync"
    return (
        user_id,
        media_type,
        placement.provider_id,
        copy_id,
        _media_url(placement.provider_id, copy_id, extension) if copy_id else None,
        _media_url(placement.provider_id, copy_id, "jpg") if copy_id else None,
        f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}" if placement.stored and sha256 else None,
        sha256,
        rng.getrandbits(64) - 2**63,
        rng.randint(2_000_000, 80_000_000) if media_type == "video" else rng.randint(150_000, 6_000_000),
        rng.choice(MIME_TYPES[media_type]),
        width,
        height,
        float(rng.choice((5, 8, 10))) if media_type in ("video", "audio") else None,
        prompt,
        rng.sample(TAGS, rng.randint(0, 5)),
        rng.sample(STYLES, rng.randint(0, 2)),
        _pick(rng, DOMAINS),
        None,
        rating,
        rating in ("adult", "explicit"),
        rng.random() < 0.99,
        f"https://app.{placement.provider_id}.example/asset/{copy_id}" if copy_id and rng.random() < 0.3 else None,
        placement.history.method,
        json.dumps(_metadata(rng, placement, copy_id, prompt, media_type == "video")),
        json.dumps(_uploads(placement, copy_id, index, rng)),
        "synced" if synced else None,
        created_at,
        last_event,
        last_event + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.5 else None,
    )


def asset_batches(count: int, user_id: int, batch_size: int = 10_000) -> Iterator[list[tuple[Any, ...]]]:
    """`count` rows in batches; the same `count` always yields the same rows (one fixed random seed)."""
    rng = random.Random(SEED)
    for start in range(0, count, batch_size):
        yield [asset_record(rng, index, user_id) for index in range(start, min(start + batch_size, count))]
