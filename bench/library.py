"""Deterministic, realistic asset rows for the bench library, as COPY records of the base columns.

Statuses are drawn to the gallery's real mix (~70% OK, ~15% LOCAL_ONLY, ~3% FLAGGED, the rest UNKNOWN, ~1% malformed
media_metadata, as real data has); histories are built with the domain's own entry constructors. PostgreSQL computes
the generated columns (provider_status, has_failed_upload, ...) exactly as for rows the app writes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from assetgraph.domain.enums import LOCAL_PROVIDER_ID
from assetgraph.domain.provider_status import new_moderation_entry
from assetgraph.domain.upload_history import AttemptStatus, new_attempt_entry

SEED = 20260101
LIBRARY_END = datetime(2026, 1, 1, tzinfo=UTC)
LIBRARY_SPAN_SECONDS = 365 * 86_400

MEDIA_TYPES = {"video": 60, "image": 35, "audio": 3, "3d_model": 2}
MIME_TYPES = {"video": ("video/mp4", "video/webm"), "image": ("image/png", "image/jpeg", "image/webp"),
              "audio": ("audio/mpeg", "audio/wav"), "3d_model": ("model/gltf-binary",)}  # fmt: skip
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
REMOTE_PROVIDERS = {"pixverse": 85, "sora": 9, "runway": 6}
METHODS = {"extension": 30, "local_folders": 25, "api": 20, "web": 15, "sync": 10}
# Code -> (weight, what a provider adapter would record): moderation and provider trouble fail most, then size, format.
ERRORS = {
    "SAFETY_REJECTED": (25, "Content rejected by the provider's safety filter"),
    "PROVIDER_UNAVAILABLE": (20, "Provider answered 503 Service Unavailable"),
    "RATE_LIMITED": (15, "Too many requests; retry after 60 seconds"),
    "TIMEOUT": (12, "Upload timed out after 120 seconds"),
    "FILE_TOO_LARGE": (10, "File exceeds the provider's 100 MB limit"),
    "UNSUPPORTED_FORMAT": (8, "Unsupported media format: video/x-matroska"),
    "AUTH_FAILED": (6, "Provider session expired (HTTP 401)"),
    "UNKNOWN": (4, "Unexpected provider response"),
}
FLAG_REASONS = ("video_status 7: filtered by moderation", "image_status 7: filtered by moderation",
                "placeholder URL default.mp4 after sync", "community guidelines: violence",
                "community guidelines: adult content")  # fmt: skip
MALFORMED_METADATA: tuple[Any, ...] = (
    ["upload_history", "pixverse"],
    "uploaded to pixverse",
    {"upload_history": "x"},
    {"upload_history": {"upload_attempts": {"provider_id": "pixverse"}, "last_upload_status_by_provider": []}},
    {"provider_moderation": "flagged"},
)


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(tuple(weighted), weights=tuple(weighted.values()))[0]


def _remote(rng: random.Random, exclude: str | None = None) -> str:
    while (provider := _pick(rng, REMOTE_PROVIDERS)) == exclude:
        pass
    return provider


@dataclass
class Placement:
    """The provider side of one asset, drawn oldest event first: primary provider, copies, local file, history."""

    rng: random.Random
    now: datetime  # the newest event so far: strictly increasing after the asset's creation
    method: str
    provider_id: str = LOCAL_PROVIDER_ID
    held: bool = False  # the primary provider holds a copy (provider_asset_id is set)
    stored: bool = True  # the file is in local storage (storage_key is set)
    flagged: bool = False  # drawn to end FLAGGED (a Pixverse payload then says status 7)
    copies: list[str] = field(default_factory=list)  # providers listed in provider_uploads
    attempts: list[dict[str, Any]] = field(default_factory=list)
    moderation: dict[str, dict[str, Any]] = field(default_factory=dict)
    malformed: Any = None

    def _later(self, min_seconds: int = 30, max_seconds: int = 3 * 86_400) -> datetime:
        seconds = self.rng.randint(min_seconds, max_seconds)
        self.now += timedelta(seconds=seconds, microseconds=self.rng.randrange(10**6))
        return self.now

    def attempt(self, provider_id: str, success: bool = True) -> None:
        at = self._later()
        if success:
            entry = new_attempt_entry(provider_id, AttemptStatus.SUCCESS, None, None, self.method, None, at=at)
        else:
            code = self.rng.choices(tuple(ERRORS), weights=[weight for weight, _ in ERRORS.values()])[0]
            entry = new_attempt_entry(provider_id, AttemptStatus.ERROR, code, ERRORS[code][1], self.method, None, at=at)
        self.attempts.append(entry)

    def failures(self, provider_id: str, count: int) -> None:
        for _ in range(count):
            self.attempt(provider_id, success=False)

    def flag(self, provider_id: str, flagged: bool = True) -> None:
        at = self._later(min_seconds=600, max_seconds=20 * 86_400)
        reason = self.rng.choice(FLAG_REASONS) if flagged else None
        self.moderation[provider_id] = new_moderation_entry(flagged, reason, at)

    def history_metadata(self) -> dict[str, Any]:
        """The upload_history / provider_moderation part of media_metadata (empty when nothing is known)."""
        metadata: dict[str, Any] = {}
        if self.attempts or self.rng.random() < 0.3:  # some assets carry an empty history, as new code writes
            # Attempts are oldest first, so the last write per provider is its newest status.
            last = {entry["provider_id"]: entry["status"] for entry in self.attempts}
            metadata["upload_history"] = {"upload_attempts": self.attempts, "last_upload_status_by_provider": last}
        if self.moderation:
            metadata["provider_moderation"] = self.moderation
        return metadata


def _ok(p: Placement) -> None:
    p.provider_id = primary = _remote(p.rng)
    p.held, p.stored = True, p.rng.random() < 0.9
    if p.method != "sync":  # synced assets came from the provider: no upload to record
        p.failures(primary, p.rng.choices((0, 1, 2, 3), weights=(60, 25, 10, 5))[0])
        p.attempt(primary)
    if p.rng.random() < 0.5:
        p.copies.append(primary)
    roll = p.rng.random()
    if roll < 0.12:  # also held on a second provider (cross-provider transfer)
        other = _remote(p.rng, exclude=primary)
        p.failures(other, p.rng.choices((0, 1, 2), weights=(70, 20, 10))[0])
        p.attempt(other)
        p.copies.append(other)
    elif roll < 0.15:  # a transfer that never went through
        p.failures(_remote(p.rng, exclude=primary), p.rng.randint(1, 2))
    roll = p.rng.random()
    if roll < 0.01:  # flagged once, then re-uploaded successfully after the flag
        p.flag(primary)
        p.attempt(primary)
    elif roll < 0.02:  # reviewed and cleared
        p.flag(primary, flagged=False)


def _local_only(p: Placement) -> None:
    if p.rng.random() < 0.45:  # a library-only file; some Local Folders uploads of it failed
        if p.rng.random() < 0.3:
            p.failures("pixverse", p.rng.randint(1, 3))
        return
    p.provider_id = _remote(p.rng)
    if p.rng.random() < 0.75:  # every upload so far failed
        p.failures(p.provider_id, p.rng.randint(1, 6))


def _flagged(p: Placement) -> None:
    p.provider_id = _remote(p.rng)
    p.failures(p.provider_id, p.rng.choices((0, 1, 2), weights=(70, 20, 10))[0])
    p.attempt(p.provider_id)
    p.flag(p.provider_id)
    if p.rng.random() < 0.3:  # retries after the flag failed: still flagged, never "local only"
        p.failures(p.provider_id, p.rng.randint(1, 2))
    p.held, p.stored, p.flagged = True, p.rng.random() < 0.9, True


def _unknown(p: Placement) -> None:
    roll = p.rng.random()
    p.stored = False
    if roll < 0.5:  # metadata imported, file never fetched
        p.provider_id = _remote(p.rng)
    elif roll < 0.8:  # a success was recorded but no copy id came back
        p.provider_id = _remote(p.rng)
        p.attempt(p.provider_id)
        p.stored = p.rng.random() < 0.5
    # else: a local file that went missing


def _malformed(p: Placement) -> None:
    p.provider_id, p.held = _remote(p.rng), True
    p.malformed = p.rng.choice(MALFORMED_METADATA)


# The status each asset is drawn to reach (malformed rows get whatever the rule makes of them), by weight.
OUTCOMES: dict[Callable[[Placement], None], int] = {_ok: 70, _local_only: 15, _flagged: 3, _unknown: 11, _malformed: 1}


def _copy_id(provider_id: str, index: int, rng: random.Random) -> str:
    # Ids embed the row index: (user_id, provider_id, provider_asset_id) is unique.
    if provider_id == "pixverse":
        return str(300_000_000_000 + index * 7)
    if provider_id == "sora":
        return f"gen_{index:08d}{rng.getrandbits(48):012x}"
    return f"{rng.getrandbits(32):08x}-{index:012d}"


def _media_url(provider_id: str, copy_id: str, extension: str) -> str:
    return f"https://media.{provider_id}.example/assets/{copy_id}.{extension}"


def _metadata(p: Placement, copy_id: str | None, prompt: str, video: bool) -> Any:
    """media_metadata: the primary provider's raw payload, as sync stores it, next to the upload history."""
    if p.malformed is not None:
        return p.malformed
    rng = p.rng
    payload: dict[str, Any]
    if p.provider_id == "pixverse":
        kind = "video" if video else "image"  # Pixverse marks moderated media with status 7 (filtered)
        payload = {f"{kind}_id": int(copy_id) if copy_id else None, f"{kind}_status": 7 if p.flagged else 1}
        payload |= {"prompt": prompt, "model": rng.choice(("v4", "v4.5", "v5")), "seed": rng.getrandbits(31)}
    elif p.provider_id == "sora":
        payload = {"generation_id": copy_id, "prompt": prompt, "n_variants": rng.randint(1, 4)}
    elif p.provider_id == LOCAL_PROVIDER_ID:
        payload = {"original_filename": f"clip_{rng.randrange(10**6):06d}.mp4"}
    else:
        payload = {"task_id": copy_id, "model": "gen-3", "prompt": prompt}
    return {p.provider_id: payload, **p.history_metadata()}


def _uploads(p: Placement, primary_id: str | None, index: int) -> dict[str, Any]:
    uploads: dict[str, Any] = {}
    for provider_id in p.copies:
        held = primary_id if provider_id == p.provider_id and primary_id else _copy_id(provider_id, index, p.rng)
        uploads[provider_id] = {"id": held, "url": _media_url(provider_id, held, "mp4")}
    return uploads


def asset_record(rng: random.Random, index: int, user_id: int) -> dict[str, Any]:
    """One row, by column; `index` makes the unique keys unique."""
    created_at = LIBRARY_END - timedelta(seconds=rng.randrange(LIBRARY_SPAN_SECONDS), microseconds=rng.randrange(10**6))
    outcome = rng.choices(tuple(OUTCOMES), weights=tuple(OUTCOMES.values()))[0]
    p = Placement(rng, created_at, _pick(rng, METHODS))
    outcome(p)
    media_type = _pick(rng, MEDIA_TYPES)
    width, height = rng.choice(RESOLUTIONS)
    prompt = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}, {rng.choice(STYLES)} style"
    copy_id = _copy_id(p.provider_id, index, rng) if p.held else None
    sha256 = f"{rng.getrandbits(256):064x}" if p.stored or rng.random() < 0.8 else None
    rating = _pick(rng, RATINGS)
    extension = "mp4" if media_type == "video" else "png"
    app_url = f"https://app.{p.provider_id}.example/asset/{copy_id}"
    return {
        "user_id": user_id,
        "media_type": media_type,
        "provider_id": p.provider_id,
        "provider_asset_id": copy_id,
        "remote_url": _media_url(p.provider_id, copy_id, extension) if copy_id else None,
        "thumbnail_url": _media_url(p.provider_id, copy_id, "jpg") if copy_id else None,
        "storage_key": f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}" if p.stored and sha256 else None,
        "sha256": sha256,
        "phash64": rng.getrandbits(64) - 2**63,
        "size_bytes": rng.randint(2_000_000, 80_000_000) if media_type == "video" else rng.randint(150_000, 6_000_000),
        "mime_type": rng.choice(MIME_TYPES[media_type]),
        "width": width,
        "height": height,
        "duration_sec": float(rng.choice((5, 8, 10))) if media_type in ("video", "audio") else None,
        "description": prompt,
        "tags": rng.sample(TAGS, rng.randint(0, 5)),
        "style_tags": rng.sample(STYLES, rng.randint(0, 2)),
        "content_domain": _pick(rng, DOMAINS),
        "content_category": None,
        "content_rating": rating,
        "age_restricted": rating in ("adult", "explicit"),
        "searchable": rng.random() < 0.99,
        "original_source_url": app_url if copy_id and rng.random() < 0.3 else None,
        "upload_method": p.method,
        "media_metadata": json.dumps(_metadata(p, copy_id, prompt, media_type == "video")),
        "provider_uploads": json.dumps(_uploads(p, copy_id, index)),
        "sync_status": "synced" if p.method == "sync" else None,
        "created_at": created_at,
        "updated_at": p.now,
        "last_accessed_at": p.now + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.5 else None,
    }


def asset_batches(count: int, user_id: int, batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
    """`count` rows in batches; the same `count` always yields the same rows (one fixed random seed)."""
    rng = random.Random(SEED)
    for start in range(0, count, batch_size):
        yield [asset_record(rng, index, user_id) for index in range(start, min(start + batch_size, count))]
