"""Upload history kept in ``media_metadata.upload_history`` (SPEC section 4).

The stored shape is::

    {"upload_attempts": [{"provider_id", "status", "error_code"?, "error_message"?, "at", "method"?,
                          "context"?}, ...],
     "last_upload_status_by_provider": {"<provider_id>": "success" | "error"}}

Reading is tolerant: media_metadata is user-visible JSON that older code, sync jobs and people have written,
so anything malformed reads as "nothing known" instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

MAX_ATTEMPTS = 50
"""The newest attempts kept per asset; older ones are dropped when a new one is recorded."""


class AttemptStatus(StrEnum):
    """Outcome of one attempt to send an asset's bytes to a provider."""

    SUCCESS = "success"
    ERROR = "error"


_STATUS_BY_VALUE: dict[str, AttemptStatus] = {status.value: status for status in AttemptStatus}
"""Statuses by their stored string. Exact match only, and only for a str (a list is unhashable): "Success",
" error" or a number are not statuses."""


@dataclass(slots=True)
class UploadAttempt:
    """One entry of ``upload_attempts`` as read back (optional fields of the wrong type read as None).

    Read-only by convention, like every value read back here: not frozen because a frozen dataclass sets each field
    through object.__setattr__, and these are built for every attempt of every asset on a gallery page.
    """

    provider_id: str
    status: AttemptStatus
    at: str | None
    error_code: str | None
    error_message: str | None
    method: str | None
    context: dict[str, Any] | None


@dataclass(slots=True)
class UploadHistory:
    """The upload history of one asset (read-only by convention, see UploadAttempt).

    ``attempts`` are oldest first, as stored. ``last_status_by_provider`` is None when the map is missing or
    is not a JSON object, so that callers can tell "unknown" from "no provider has a status".
    """

    attempts: tuple[UploadAttempt, ...]
    last_status_by_provider: dict[str, AttemptStatus] | None


EMPTY_HISTORY = UploadHistory(attempts=(), last_status_by_provider=None)


def read_attempt(entry: object) -> UploadAttempt | None:
    """One stored ``upload_attempts`` entry as read back, or None when the reader skips it (see read_upload_history)."""
    # Read once per stored attempt of every asset on a page: the checks are written inline, not as calls, the
    # optional fields (mostly absent) are checked for None before their type, and the attempt is built positionally.
    if not isinstance(entry, dict):
        return None
    get = entry.get
    provider_id, raw_status = get("provider_id"), get("status")
    status = _STATUS_BY_VALUE.get(raw_status) if isinstance(raw_status, str) else None
    if status is None or not isinstance(provider_id, str) or provider_id == "":
        return None
    at, error_code, error_message, method, context = (
        get("at"),
        get("error_code"),
        get("error_message"),
        get("method"),
        get("context"),
    )
    return UploadAttempt(
        provider_id,
        status,
        at if at is None or isinstance(at, str) else None,
        error_code if error_code is None or isinstance(error_code, str) else None,
        error_message if error_message is None or isinstance(error_message, str) else None,
        method if method is None or isinstance(method, str) else None,
        context if context is None or isinstance(context, dict) else None,
    )


def read_last_status(value: object) -> dict[str, AttemptStatus] | None:
    """``last_upload_status_by_provider`` as read back: None unless an object; entries other than exactly
    "success"/"error" are skipped."""
    if not isinstance(value, dict):
        return None
    statuses: dict[str, AttemptStatus] = {}
    for provider_id, raw_status in value.items():
        status = _STATUS_BY_VALUE.get(raw_status) if isinstance(raw_status, str) else None
        if isinstance(provider_id, str) and status is not None:
            statuses[provider_id] = status
    return statuses


def read_upload_history(media_metadata: object) -> UploadHistory:
    """Read the upload history out of an asset's raw ``media_metadata``; never raises.

    Missing or malformed containers read as an empty history; attempt entries that are not objects, lack a
    non-empty ``provider_id`` or have a status other than exactly "success"/"error" are skipped.
    """
    if not isinstance(media_metadata, dict):
        return EMPTY_HISTORY
    history = media_metadata.get("upload_history")
    if not isinstance(history, dict):
        return EMPTY_HISTORY
    raw_attempts = history.get("upload_attempts")
    attempts: tuple[UploadAttempt, ...] = ()
    if isinstance(raw_attempts, list) and raw_attempts:
        read: list[UploadAttempt] = []
        for entry in raw_attempts:  # a plain loop: a comprehension is one more frame, for one attempt or two
            attempt = read_attempt(entry)
            if attempt is not None:
                read.append(attempt)
        attempts = tuple(read)
    return UploadHistory(attempts, read_last_status(history.get("last_upload_status_by_provider")))


def last_attempt_for(history: UploadHistory, provider_id: str) -> UploadAttempt | None:
    """The newest recorded attempt for ``provider_id`` (the last one in the stored array), if any."""
    for attempt in reversed(history.attempts):
        if attempt.provider_id == provider_id:
            return attempt
    return None


def last_attempt_by_provider(history: UploadHistory) -> dict[str, UploadAttempt]:
    """``last_attempt_for`` every provider with an attempt, in one pass (the newest entry of each wins)."""
    return {attempt.provider_id: attempt for attempt in history.attempts}


def has_failed_upload(history: UploadHistory) -> bool:
    """True when at least one provider's last upload status is an error (an unresolved failure)."""
    statuses = history.last_status_by_provider or {}
    return any(status is AttemptStatus.ERROR for status in statuses.values())


def format_utc(dt: datetime) -> str:
    """Format an aware datetime as fixed-width ISO-8601 UTC, e.g. ``2026-01-02T03:04:05.123456+00:00``.

    Microseconds are always written so that every timestamp has the same width and they order correctly when
    compared as plain strings (the SQL filters rely on that). Naive datetimes raise ValueError: guessing their
    zone would silently reorder history.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no time zone; pass an aware datetime")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def new_attempt_entry(
    provider_id: str,
    status: AttemptStatus,
    error_code: str | None,
    error_message: str | None,
    method: str | None,
    context: dict[str, Any] | None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Build the JSON object appended to ``upload_attempts``; optional keys that are None are left out.

    Without ``at`` the entry is stamped by its writer: the database stamps attempts as it appends them, in
    ``format_utc``'s format, so that stamps follow the order of the array even under concurrent writers.
    Raises ValueError for an empty provider id, which the reader would skip, and for a naive ``at``.
    """
    if provider_id == "":
        raise ValueError("provider_id must not be empty")
    entry: dict[str, Any] = {"provider_id": provider_id, "status": AttemptStatus(status).value}
    if error_code is not None:
        entry["error_code"] = error_code
    if error_message is not None:
        entry["error_message"] = error_message
    if at is not None:
        entry["at"] = format_utc(at)
    if method is not None:
        entry["method"] = method
    if context is not None:
        entry["context"] = context
    return entry
