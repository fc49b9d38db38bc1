"""Provider status of an asset: the ONE rule behind the gallery badges (SPEC section 5).

The same rule is written in SQL in ``assetgraph/persistence/provider_status_sql.py`` for filters and generated
columns; ``tests/persistence/test_provider_status_agreement.py`` proves the two agree. Change both together.

The rule for a provider ``p`` (None, "" and "local" are not remote providers: the asset can only be LOCAL_ONLY
or UNKNOWN for them):

1. flagged by moderation and not re-uploaded successfully after the flag -> FLAGGED
2. last upload status for ``p`` is "error"                                   -> LOCAL_ONLY
3. ``p`` holds a copy (primary provider asset id, or provider_uploads[p].id)  -> OK
4. last upload status for ``p`` is "success" but no copy is recorded          -> UNKNOWN
5. the file is stored here                                                    -> LOCAL_ONLY
6. otherwise                                                                  -> UNKNOWN
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from assetgraph.domain.enums import LOCAL_PROVIDER_ID
from assetgraph.domain.upload_history import (
    AttemptStatus,
    UploadAttempt,
    UploadHistory,
    format_utc,
    last_attempt_by_provider,
    read_attempt,
    read_last_status,
    read_upload_history,
)

RULE_METADATA_KEYS = ("upload_history", "provider_moderation")
"""The only keys of ``media_metadata`` the rule reads: a reader that needs nothing else may fetch just these (hash
checks do, since synced assets carry whole provider payloads there). Reading another key means adding it here."""


class ProviderStatus(StrEnum):
    """What the gallery badge shows for one asset at one provider."""

    OK = "OK"
    LOCAL_ONLY = "LOCAL_ONLY"
    FLAGGED = "FLAGGED"
    UNKNOWN = "UNKNOWN"


@dataclass(slots=True)
class Moderation:
    """One entry of ``media_metadata.provider_moderation``.

    This module's values are read-only by convention: they are not frozen because a frozen dataclass sets each field
    through object.__setattr__, and a gallery page builds them for every asset.
    """

    flagged: bool
    reason: str | None
    at: str | None


@dataclass(slots=True)
class AssetFacts:
    """The inputs of the rule: the asset's columns as stored, JSON columns raw and possibly malformed."""

    provider_id: str | None
    provider_asset_id: str | None
    storage_key: str | None
    provider_uploads: object
    media_metadata: object


@dataclass(slots=True)
class ProviderState:
    """The status of an asset at one provider, with what we know of its copy there."""

    provider_id: str
    status: ProviderStatus
    provider_asset_id: str | None
    url: str | None
    flagged: bool
    flag_reason: str | None
    last_attempt: UploadAttempt | None


def read_moderation(media_metadata: object) -> dict[str, Moderation]:
    """Read ``media_metadata.provider_moderation``; non-object containers and entries are ignored.

    ``flagged`` is True only for a JSON boolean true; ``reason`` and ``at`` are None unless strings.
    """
    if not isinstance(media_metadata, dict):
        return {}
    container = media_metadata.get("provider_moderation")
    if not isinstance(container, dict):
        return {}
    moderation: dict[str, Moderation] = {}
    for provider_id, entry in container.items():
        if not isinstance(provider_id, str) or not isinstance(entry, dict):
            continue
        reason, at = entry.get("reason"), entry.get("at")
        moderation[provider_id] = Moderation(
            entry.get("flagged") is True,
            reason if isinstance(reason, str) else None,
            at if isinstance(at, str) else None,
        )
    return moderation


_NOT_REMOTE = ("", LOCAL_PROVIDER_ID)


def is_remote_provider(provider_id: str | None) -> bool:
    """Whether ``provider_id`` names a provider that can hold a copy (not None, "" or "local")."""
    return provider_id is not None and provider_id not in _NOT_REMOTE


def _upload_entry(provider_uploads: object, provider_id: str) -> dict[object, object] | None:
    if not isinstance(provider_uploads, dict):
        return None
    entry = provider_uploads.get(provider_id)
    return entry if isinstance(entry, dict) else None


def _uploaded_id(entry: dict[object, object] | None) -> str | None:
    """provider_uploads[p].id as a string when it is a non-empty string or a JSON number, else None."""
    return _copy_id(entry.get("id") if entry is not None else None)


def _copy_id(raw_id: object) -> str | None:
    """A stored copy id as a string: a non-empty string as is, a JSON number as str() writes it, else None."""
    # bool is an int subclass in Python, but a JSON true is not an id.
    if isinstance(raw_id, bool):
        return None
    if isinstance(raw_id, str):
        return raw_id or None
    if isinstance(raw_id, int | float):
        return str(raw_id)
    return None


def _held_id(facts: AssetFacts, provider_id: str, entry: dict[object, object] | None) -> str | None:
    """held_copy_id, given the provider's provider_uploads entry (``_upload_entry``)."""
    if provider_id == facts.provider_id and isinstance(facts.provider_asset_id, str) and facts.provider_asset_id:
        return facts.provider_asset_id
    return _uploaded_id(entry)


def held_copy_id(facts: AssetFacts, provider_id: str) -> str | None:
    """The id of the copy ``provider_id`` holds, the primary provider_asset_id first; None when not held."""
    return _held_id(facts, provider_id, _upload_entry(facts.provider_uploads, provider_id))


def _stored_here(facts: AssetFacts) -> bool:
    """The file is stored here: a non-empty storage key."""
    return isinstance(facts.storage_key, str) and facts.storage_key != ""


def _reuploaded_after(history: UploadHistory, provider_id: str, flagged_at: str | None) -> bool:
    # Plain string comparison of fixed-width UTC timestamps; SQL mirrors it with COLLATE "C".
    if flagged_at is None:
        return False
    return any(
        a.provider_id == provider_id and a.status is AttemptStatus.SUCCESS and a.at is not None and a.at > flagged_at
        for a in history.attempts
    )


def _status(
    history: UploadHistory,
    moderation: dict[str, Moderation],
    provider_id: str | None,
    held_id: str | None,
    stored_here: bool,
) -> ProviderStatus:
    """The rule; ``held_id`` is ``held_copy_id(facts, provider_id)``, read by the caller for a remote provider, and
    ``stored_here`` is ``_stored_here(facts)``."""
    if provider_id is None or provider_id in _NOT_REMOTE:
        return ProviderStatus.LOCAL_ONLY if stored_here else ProviderStatus.UNKNOWN
    flag = moderation.get(provider_id) if moderation else None
    if flag is not None and flag.flagged and not _reuploaded_after(history, provider_id, flag.at):
        # A flag outlives later failed retries: only a successful re-upload after it clears it.
        return ProviderStatus.FLAGGED
    last_statuses = history.last_status_by_provider
    last = last_statuses.get(provider_id) if last_statuses else None
    if last is AttemptStatus.ERROR:
        # An upload failure is never a flag.
        return ProviderStatus.LOCAL_ONLY
    if held_id is not None:
        return ProviderStatus.OK
    if last is AttemptStatus.SUCCESS:
        # A claimed success with no recorded copy: nothing reliable to show.
        return ProviderStatus.UNKNOWN
    return ProviderStatus.LOCAL_ONLY if stored_here else ProviderStatus.UNKNOWN


def _status_at(
    facts: AssetFacts, history: UploadHistory, moderation: dict[str, Moderation], provider_id: str | None
) -> ProviderStatus:
    held_id = held_copy_id(facts, provider_id) if provider_id is not None and is_remote_provider(provider_id) else None
    return _status(history, moderation, provider_id, held_id, _stored_here(facts))


def provider_status(facts: AssetFacts, provider_id: str | None) -> ProviderStatus:
    """The status of the asset at ``provider_id`` (see the module docstring for the rule)."""
    history, moderation = read_upload_history(facts.media_metadata), read_moderation(facts.media_metadata)
    return _status_at(facts, history, moderation, provider_id)


def _known_providers(
    primary: str | None,
    history: UploadHistory,
    moderation: dict[str, Moderation],
    attempted: dict[str, UploadAttempt],
    uploads: dict[object, object] | None,
) -> list[str]:
    """The remote providers the asset is known at: ``primary`` first, then the others by id.

    ``attempted``: the providers of ``history.attempts``; ``uploads``: provider_uploads when it is an object. Most
    assets are known at their primary provider alone, which takes no sort.
    """
    others: set[object] = {*moderation, *attempted, *(history.last_status_by_provider or ()), *(uploads or ())}
    known: list[str] = []
    if primary is not None and primary not in _NOT_REMOTE:
        known.append(primary)
        others.discard(primary)
    if not others:
        return known
    # provider_uploads may hold keys other than strings when not read from JSON: they name no provider.
    return known + sorted([p for p in others if isinstance(p, str) and p not in _NOT_REMOTE])


@dataclass(slots=True)
class ProviderSummary:
    """Everything the badges need, derived once per asset (read-only by convention, see Moderation)."""

    status: ProviderStatus
    """At the primary provider."""
    states: tuple[ProviderState, ...]
    """One per provider the asset is known at: the primary provider first, then the others by id."""
    history: UploadHistory

    @property
    def flagged(self) -> bool:
        """Some provider currently flags the asset."""
        return any(state.flagged for state in self.states)

    @property
    def flag_reason(self) -> str | None:
        return first_flag_reason(self.states)


def first_flag_reason(states: tuple[ProviderState, ...]) -> str | None:
    """The reason of the first flagged state (primary provider first), if any."""
    return next((state.flag_reason for state in states if state.flagged), None)


def summarize(facts: AssetFacts) -> ProviderSummary:
    """Apply the rule to every provider the asset is known at, reading its metadata once.

    Derived for every asset of a gallery page, hence the work shared across providers (the metadata read, the
    provider_uploads entry shared by the rule and the state) and the plain loop.
    """
    history = read_upload_history(facts.media_metadata)
    moderation = read_moderation(facts.media_metadata)
    last_attempts = last_attempt_by_provider(history) if history.attempts else {}
    uploads = facts.provider_uploads if isinstance(facts.provider_uploads, dict) else None
    primary = facts.provider_id
    stored_here = _stored_here(facts)
    states: list[ProviderState] = []
    for provider_id in _known_providers(primary, history, moderation, last_attempts, uploads):
        entry = uploads.get(provider_id) if uploads else None
        if entry is not None and not isinstance(entry, dict):
            entry = None
        held_id = _held_id(facts, provider_id, entry)
        status = _status(history, moderation, provider_id, held_id, stored_here)
        url = entry.get("url") if entry is not None else None
        flagged = status is ProviderStatus.FLAGGED
        states.append(
            ProviderState(
                provider_id,
                status,
                held_id,
                url if isinstance(url, str) else None,
                flagged,
                moderation[provider_id].reason if flagged else None,
                last_attempts.get(provider_id),
            )
        )
    status = (
        states[0].status
        if states and states[0].provider_id == primary
        else _status_at(facts, history, moderation, primary)
    )
    return ProviderSummary(status, tuple(states), history)


_STATUS_BY_VALUE: dict[str, ProviderStatus] = {status.value: status for status in ProviderStatus}


def _state_from_sql(value: object) -> ProviderState | None:
    """One [provider_id, status, held, url, reason, attempt] of assetgraph_provider_badges, or None if malformed."""
    if not isinstance(value, list) or len(value) != 6:
        return None
    provider_id, raw_status, held, url, reason, attempt = value
    status = _STATUS_BY_VALUE.get(raw_status) if isinstance(raw_status, str) else None
    if status is None or not isinstance(provider_id, str):
        return None
    flagged = status is ProviderStatus.FLAGGED
    return ProviderState(
        provider_id,
        status,
        _copy_id(held),
        url if isinstance(url, str) else None,
        flagged,
        reason if flagged and isinstance(reason, str) else None,
        read_attempt(attempt),
    )


def badges_from_sql(value: object) -> tuple[tuple[ProviderState, ...], dict[str, AttemptStatus] | None]:
    """The states and last upload statuses ``summarize`` derives, read from the decoded JSON of
    ``assetgraph_provider_badges`` (``assetgraph/persistence/provider_status_sql.py``), which applies the rule in SQL.

    Only reads: the values are raw JSON as stored, normalised here exactly as ``summarize`` normalises them (the held
    id as ``_uploaded_id`` does, the attempt by ``read_attempt``, the map by ``read_last_status``). Never raises:
    anything but ``[states, last_map]`` reads as no states and no map, and a malformed state is skipped.
    """
    if not isinstance(value, list) or len(value) != 2:
        return (), None
    raw_states, last_map = value
    states: list[ProviderState] = []
    if isinstance(raw_states, list):
        for raw_state in raw_states:
            state = _state_from_sql(raw_state)
            if state is not None:
                states.append(state)
    return tuple(states), read_last_status(last_map)


def new_moderation_entry(flagged: bool, reason: str | None, at: datetime | None) -> dict[str, Any]:
    """The JSON object stored at media_metadata.provider_moderation[provider_id]; without `at`, the writer stamps it."""
    entry: dict[str, Any] = {"flagged": flagged, "reason": reason}
    if at is not None:
        entry["at"] = format_utc(at)
    return entry
