"""Upload attempts and moderation entries in the exact shape of SPEC section 4, for seeding."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

METHODS = ("extension", "local_folders", "api", "web", "sync")
METHOD_WEIGHTS = (30, 25, 20, 15, 10)

# Code -> a message a provider adapter would plausibly record. Weights follow what fails most in practice:
# moderation and transient provider trouble, then size and format.
ERRORS: dict[str, str] = {
    "SAFETY_REJECTED": "Content rejected by the provider's safety filter",
    "PROVIDER_UNAVAILABLE": "Provider answered 503 Service Unavailable",
    "RATE_LIMITED": "Too many requests; retry after 60 seconds",
    "TIMEOUT": "Upload timed out after 120 seconds",
    "FILE_TOO_LARGE": "File exceeds the provider's 100 MB limit",
    "UNSUPPORTED_FORMAT": "Unsupported media format: video/x-matroska",
    "AUTH_FAILED": "Provider session expired (HTTP 401)",
    "UNKNOWN": "Unexpected provider response",
}
ERROR_WEIGHTS = (25, 20, 15, 12, 10, 8, 6, 4)

FLAG_REASONS = (
    "video_status 7: filtered by moderation",
    "image_status 7: filtered by moderation",
    "placeholder URL default.mp4 after sync",
    "community guidelines: violence",
    "community guidelines: adult content",
)


def utc_text(at: datetime) -> str:
    """Fixed-width ISO-8601 UTC with microseconds, so that timestamps order correctly as plain strings."""
    return at.isoformat(timespec="microseconds")


@dataclass
class Timeline:
    """Strictly increasing timestamps after an asset's creation."""

    rng: random.Random
    now: datetime

    def next(self, min_seconds: int = 30, max_seconds: int = 3 * 86_400) -> datetime:
        self.now += timedelta(
            seconds=self.rng.randint(min_seconds, max_seconds), microseconds=self.rng.randrange(10**6)
        )
        return self.now


@dataclass
class History:
    """The attempts and moderation of one asset, built oldest first."""

    rng: random.Random
    timeline: Timeline
    method: str
    attempts: list[dict[str, Any]] = field(default_factory=list)
    moderation: dict[str, dict[str, Any]] = field(default_factory=dict)

    def attempt(self, provider_id: str, success: bool) -> datetime:
        at = self.timeline.next()
        entry: dict[str, Any] = {"provider_id": provider_id, "status": "success" if success else "error"}
        if not success:
            code = self.rng.choices(tuple(ERRORS), weights=ERROR_WEIGHTS)[0]
            entry["error_code"] = code
            entry["error_message"] = ERRORS[code]
        entry["at"] = utc_text(at)
        entry["method"] = self.method
        self.attempts.append(entry)
        return at

    def failures(self, provider_id: str, count: int) -> None:
        for _ in range(count):
            self.attempt(provider_id, success=False)

    def flag(self, provider_id: str, flagged: bool = True) -> None:
        at = self.timeline.next(min_seconds=600, max_seconds=20 * 86_400)
        self.moderation[provider_id] = {
            "flagged": flagged,
            "reason": self.rng.choice(FLAG_REASONS) if flagged else None,
            "at": utc_text(at),
        }

    def last_status_by_provider(self) -> dict[str, str]:
        # Attempts are oldest first, so the last write per provider is its newest status.
        return {entry["provider_id"]: entry["status"] for entry in self.attempts}

    def as_metadata(self) -> dict[str, Any]:
        """The upload_history / provider_moderation part of media_metadata (empty when nothing is known)."""
        metadata: dict[str, Any] = {}
        if self.attempts or self.rng.random() < 0.3:  # some assets carry an empty history, as new code writes
            metadata["upload_history"] = {
                "upload_attempts": self.attempts,
                "last_upload_status_by_provider": self.last_status_by_provider(),
            }
        if self.moderation:
            metadata["provider_moderation"] = self.moderation
        return metadata
