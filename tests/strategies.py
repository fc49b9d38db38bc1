"""Hypothesis strategies shared by the tests: realistic and malformed asset facts.

Hypothesis leans towards small and empty values when left to nested ``one_of``/``dictionaries``, which would
almost never produce a flag followed by a re-upload. So each asset is built as a story (the providers involved,
their attempts, moderation and copies) with explicit odds of something malformed at each level.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from assetgraph.domain.provider_status import AssetFacts
from assetgraph.domain.upload_history import format_utc

PROVIDERS = ("pixverse", "sora", "runway", "local")
"""The small set of provider ids the strategies draw from, so that entries collide on the same provider."""

ODD_PROVIDER_IDS = ("", "Sora", "pixverse ")

_BASE_TIME = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)

# A small pool of minutes makes equal timestamps (an attempt at the very instant of the flag) common.
_TIMESTAMPS = tuple(format_utc(_BASE_TIME + timedelta(minutes=m)) for m in range(5))

# Text that PostgreSQL jsonb can store: no NUL, no lone surrogates.
_json_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=6)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), _json_text
)

malformed = st.one_of(json_scalars, st.lists(json_scalars, max_size=2))
"""A JSON value standing where an object was expected."""

# Timestamps other writers might leave: they still compare as plain strings. The lowercase "t" orders differently
# under a linguistic collation than under "C" (code points), which is what the SQL side must use.
odd_timestamps = st.one_of(
    st.sampled_from(
        (
            "2026-01-02T03:06:05+00:00",
            "2026-01-02T03:06:05.123456Z",
            "2026-01-02t03:05:05.123456+00:00",
            "2026-01-02t03:07:05.123456+00:00",
            "2026-01-02T03:06:05.1é",
        )
    ),
    _json_text,
    st.integers(),
    st.none(),
)


def _chance(draw: st.DrawFn, percent: int) -> bool:
    return draw(st.integers(0, 99)) < percent


def _timestamp(draw: st.DrawFn) -> object:
    return draw(odd_timestamps) if _chance(draw, 10) else draw(st.sampled_from(_TIMESTAMPS))


def _attempt(draw: st.DrawFn, providers: list[str]) -> object:
    """One upload_attempts entry: well formed, missing fields, fields of the wrong type, or not an object."""
    if _chance(draw, 5):
        return draw(malformed)
    provider = draw(st.sampled_from(providers))
    entry: dict[str, Any] = {
        "provider_id": provider if not _chance(draw, 5) else draw(st.one_of(st.integers(), st.none())),
        "status": draw(st.sampled_from(("success", "error"))),
        "at": _timestamp(draw),
    }
    if _chance(draw, 10):
        entry["status"] = draw(st.one_of(st.sampled_from(("Success", "failed", "")), st.integers(), st.none()))
    if _chance(draw, 5):
        del entry[draw(st.sampled_from(sorted(entry)))]
    if entry.get("status") == "error":
        entry["error_code"] = draw(st.one_of(st.just("quota_exceeded"), st.integers()))
    if _chance(draw, 30):
        entry["method"] = draw(st.one_of(st.sampled_from(("extension", "api", "sync")), st.integers()))
        entry["context"] = draw(st.one_of(st.just({"job_id": "j1"}), malformed))
    return entry


def _last_status_map(draw: st.DrawFn, attempts: list[object], providers: list[str]) -> object:
    """Usually the last status of each attempted provider, as the writer keeps it; sometimes not."""
    if _chance(draw, 8):
        return draw(malformed)
    if _chance(draw, 20):
        values = st.one_of(st.sampled_from(("success", "error")), st.sampled_from(("failed", None, 1)))
        return draw(st.dictionaries(st.sampled_from(providers), values, max_size=3))
    last: dict[str, object] = {}
    for entry in attempts:
        if isinstance(entry, dict) and isinstance(entry.get("provider_id"), str) and "status" in entry:
            last[entry["provider_id"]] = entry["status"]
    return last


def _upload_history(draw: st.DrawFn, providers: list[str]) -> object:
    if _chance(draw, 8):
        return draw(malformed)
    attempts = [_attempt(draw, providers) for _ in range(draw(st.integers(0, 6)))]
    history: dict[str, object] = {
        "upload_attempts": attempts if not _chance(draw, 5) else draw(malformed),
        "last_upload_status_by_provider": _last_status_map(draw, attempts, providers),
    }
    if _chance(draw, 5):
        del history[draw(st.sampled_from(sorted(history)))]
    return history


def _moderation(draw: st.DrawFn, providers: list[str]) -> object:
    if _chance(draw, 8):
        return draw(malformed)
    moderation: dict[str, object] = {}
    for provider in providers:
        if not _chance(draw, 50):
            continue
        if _chance(draw, 8):
            moderation[provider] = draw(malformed)
            continue
        flagged = True if _chance(draw, 70) else draw(st.sampled_from((False, "true", 1, None)))
        entry: dict[str, object] = {"flagged": flagged, "reason": "video_status 7", "at": _timestamp(draw)}
        if _chance(draw, 8):
            del entry[draw(st.sampled_from(sorted(entry)))]
        moderation[provider] = entry
    return moderation


_upload_ids = st.one_of(
    st.sampled_from(("v_123", "")),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=1),
)


def _provider_uploads(draw: st.DrawFn, providers: list[str]) -> object:
    if _chance(draw, 8):
        return draw(malformed)
    uploads: dict[str, object] = {}
    for provider in providers:
        if not _chance(draw, 50):
            continue
        if _chance(draw, 8):
            uploads[provider] = draw(malformed)
            continue
        raw_id = draw(_upload_ids) if _chance(draw, 25) else f"{provider}_1"
        url = "https://cdn.example/v.mp4" if not _chance(draw, 15) else draw(json_scalars)
        uploads[provider] = {"id": raw_id, "url": url}
    return uploads


def _media_metadata(draw: st.DrawFn, providers: list[str]) -> object:
    if _chance(draw, 8):
        return draw(malformed)
    media_metadata: dict[str, object] = {"width": 1024}
    if not _chance(draw, 10):
        media_metadata["upload_history"] = _upload_history(draw, providers)
    if not _chance(draw, 30):
        media_metadata["provider_moderation"] = _moderation(draw, providers)
    return media_metadata


@st.composite
def _asset_facts(draw: st.DrawFn) -> AssetFacts:
    pool = st.sampled_from(PROVIDERS) if not _chance(draw, 10) else st.sampled_from(PROVIDERS + ODD_PROVIDER_IDS)
    providers = draw(st.lists(pool, min_size=1, max_size=3, unique=True))
    return AssetFacts(
        provider_id=None if _chance(draw, 15) else draw(st.sampled_from(providers)),
        provider_asset_id=draw(st.sampled_from((None, "", "v_999"))),
        storage_key=draw(st.sampled_from((None, "", "sha256/ab/cd"))),
        provider_uploads=_provider_uploads(draw, providers),
        media_metadata=_media_metadata(draw, providers),
    )


def asset_facts() -> st.SearchStrategy[AssetFacts]:
    """Asset facts from realistic to malformed: several providers, histories, moderation and uploads."""
    return _asset_facts()
