"""Where a seeded asset lives and what its upload history says, drawn to a realistic status mix.

The mix aims at the gallery's real proportions: ~70% OK, ~15% LOCAL_ONLY, ~3% FLAGGED, the rest UNKNOWN, plus
~1% malformed media_metadata (a list, a string, a non-object upload_history) because real data has them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bench.history import METHOD_WEIGHTS, METHODS, History, Timeline

REMOTE_PROVIDERS = ("pixverse", "sora", "runway")
REMOTE_WEIGHTS = (85, 9, 6)
LOCAL = "local"

MALFORMED_METADATA: tuple[Any, ...] = (
    ["upload_history", "pixverse"],
    "uploaded to pixverse",
    {"upload_history": "x"},
    {"upload_history": {"upload_attempts": {"provider_id": "pixverse"}, "last_upload_status_by_provider": []}},
    {"provider_moderation": "flagged"},
)


class Outcome(StrEnum):
    """The primary provider status the generator aims for (malformed rows get whatever the rule makes of them)."""

    OK = "OK"
    LOCAL_ONLY = "LOCAL_ONLY"
    FLAGGED = "FLAGGED"
    UNKNOWN = "UNKNOWN"
    MALFORMED = "MALFORMED"


OUTCOME_WEIGHTS = {
    Outcome.OK: 70,
    Outcome.LOCAL_ONLY: 15,
    Outcome.FLAGGED: 3,
    Outcome.UNKNOWN: 11,
    Outcome.MALFORMED: 1,
}


@dataclass
class Placement:
    """The provider side of one asset: primary provider, copies, local blob and history."""

    outcome: Outcome
    provider_id: str
    history: History
    held: bool = False  # the primary provider holds a copy (provider_asset_id is set)
    stored: bool = True  # the file is in local storage (storage_key is set)
    copies: list[str] = field(default_factory=list)  # providers listed in provider_uploads
    malformed: Any = None

    @property
    def flagged(self) -> bool:
        return self.outcome is Outcome.FLAGGED


def _remote(rng: random.Random, exclude: str | None = None) -> str:
    while True:
        provider = rng.choices(REMOTE_PROVIDERS, weights=REMOTE_WEIGHTS)[0]
        if provider != exclude:
            return provider


def _ok(rng: random.Random, history: History) -> Placement:
    primary = _remote(rng)
    placement = Placement(Outcome.OK, primary, history, held=True, stored=rng.random() < 0.9)
    if history.method != "sync":  # synced assets came from the provider: no upload to record
        history.failures(primary, rng.choices((0, 1, 2, 3), weights=(60, 25, 10, 5))[0])
        history.attempt(primary, success=True)
    if rng.random() < 0.5:
        placement.copies.append(primary)
    roll = rng.random()
    if roll < 0.12:  # also held on a second provider (cross-provider transfer)
        other = _remote(rng, exclude=primary)
        history.failures(other, rng.choices((0, 1, 2), weights=(70, 20, 10))[0])
        history.attempt(other, success=True)
        placement.copies.append(other)
    elif roll < 0.15:  # a transfer that never went through
        history.failures(_remote(rng, exclude=primary), rng.randint(1, 2))
    roll = rng.random()
    if roll < 0.01:  # flagged once, then re-uploaded successfully after the flag
        history.flag(primary)
        history.attempt(primary, success=True)
    elif roll < 0.02:  # reviewed and cleared
        history.flag(primary, flagged=False)
    return placement


def _local_only(rng: random.Random, history: History) -> Placement:
    if rng.random() < 0.45:  # a library-only file; some Local Folders uploads of it failed
        if rng.random() < 0.3:
            history.failures("pixverse", rng.randint(1, 3))
        return Placement(Outcome.LOCAL_ONLY, LOCAL, history)
    primary = _remote(rng)
    if rng.random() < 0.75:  # every upload so far failed
        history.failures(primary, rng.randint(1, 6))
    return Placement(Outcome.LOCAL_ONLY, primary, history)


def _flagged(rng: random.Random, history: History) -> Placement:
    primary = _remote(rng)
    history.failures(primary, rng.choices((0, 1, 2), weights=(70, 20, 10))[0])
    history.attempt(primary, success=True)
    history.flag(primary)
    if rng.random() < 0.3:  # retries after the flag failed: still flagged, never "local only"
        history.failures(primary, rng.randint(1, 2))
    return Placement(Outcome.FLAGGED, primary, history, held=True, stored=rng.random() < 0.9)


def _unknown(rng: random.Random, history: History) -> Placement:
    roll = rng.random()
    if roll < 0.5:  # metadata imported, file never fetched
        return Placement(Outcome.UNKNOWN, _remote(rng), history, stored=False)
    if roll < 0.8:  # a success was recorded but no copy id came back
        primary = _remote(rng)
        history.attempt(primary, success=True)
        return Placement(Outcome.UNKNOWN, primary, history, stored=rng.random() < 0.5)
    return Placement(Outcome.UNKNOWN, LOCAL, history, stored=False)  # the local file went missing


def _malformed(rng: random.Random, history: History) -> Placement:
    placement = Placement(Outcome.MALFORMED, _remote(rng), history, held=True)
    placement.malformed = rng.choice(MALFORMED_METADATA)
    return placement


def draw_placement(rng: random.Random, created_at: datetime) -> Placement:
    """One asset's provider side; its history starts right after `created_at`."""
    outcome = rng.choices(tuple(OUTCOME_WEIGHTS), weights=tuple(OUTCOME_WEIGHTS.values()))[0]
    method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
    history = History(rng, Timeline(rng, created_at), method)
    if outcome is Outcome.OK:
        return _ok(rng, history)
    if outcome is Outcome.LOCAL_ONLY:
        return _local_only(rng, history)
    if outcome is Outcome.FLAGGED:
        return _flagged(rng, history)
    if outcome is Outcome.UNKNOWN:
        return _unknown(rng, history)
    return _malformed(rng, history)
