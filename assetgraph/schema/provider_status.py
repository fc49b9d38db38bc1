"""What the gallery badges show: provider states, upload attempts and per-provider last statuses."""

from __future__ import annotations

from datetime import datetime

import strawberry

from assetgraph.domain import provider_status, upload_history
from assetgraph.domain.asset_query import StatusOverview
from assetgraph.schema.bare_objects import bare, builds_every_field
from assetgraph.schema.scalars import JSON

ProviderStatus = provider_status.ProviderStatus
UploadAttemptStatus = upload_history.AttemptStatus
strawberry.enum(ProviderStatus, name="ProviderStatus")
strawberry.enum(UploadAttemptStatus, name="UploadAttemptStatus")


def _parse_at(value: str | None) -> datetime | None:
    """Attempt times are stored as ISO-8601 strings; one that does not parse reads as null."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@strawberry.type(description="One attempt to send the asset's bytes to a provider.")
class UploadAttempt:
    provider_id: str
    status: UploadAttemptStatus
    error_code: str | None
    error_message: str | None
    at: datetime | None = strawberry.field(description="When the attempt was recorded (UTC); null if unreadable.")
    method: str | None
    context: JSON | None

    @classmethod
    def from_domain(cls, attempt: upload_history.UploadAttempt) -> UploadAttempt:
        converted = bare(cls)  # every field set below (bare_objects.py)
        converted.provider_id = attempt.provider_id
        converted.status = attempt.status
        converted.error_code = attempt.error_code
        converted.error_message = attempt.error_message
        converted.at = _parse_at(attempt.at)
        converted.method = attempt.method
        converted.context = JSON(attempt.context) if attempt.context is not None else None
        return converted


@strawberry.type(description="The asset's status at one provider, and what is known of its copy there.")
class ProviderState:
    provider_id: str
    status: ProviderStatus
    provider_asset_id: str | None
    url: str | None
    flagged: bool
    flag_reason: str | None
    last_attempt: UploadAttempt | None

    @classmethod
    def from_domain(cls, state: provider_status.ProviderState) -> ProviderState:
        converted = bare(cls)  # every field set below (bare_objects.py)
        converted.provider_id = state.provider_id
        converted.status = state.status
        converted.provider_asset_id = state.provider_asset_id
        converted.url = state.url
        converted.flagged = state.flagged
        converted.flag_reason = state.flag_reason
        converted.last_attempt = (
            UploadAttempt.from_domain(state.last_attempt) if state.last_attempt is not None else None
        )
        return converted


@strawberry.type(description="The status of the newest upload attempt to one provider.")
class ProviderUploadStatus:
    provider_id: str
    status: UploadAttemptStatus

    @classmethod
    def of(cls, provider_id: str, status: UploadAttemptStatus) -> ProviderUploadStatus:
        """``cls(provider_id=provider_id, status=status)``, built bare (bare_objects.py)."""
        converted = bare(cls)
        converted.provider_id = provider_id
        converted.status = status
        return converted


@strawberry.type(description="How many assets of the filtered set have each primary provider status.")
class AssetStatusOverview:
    ok: int
    local_only: int
    flagged: int
    unknown: int
    total: int

    @classmethod
    def from_domain(cls, overview: StatusOverview) -> AssetStatusOverview:
        return cls(
            ok=overview.ok,
            local_only=overview.local_only,
            flagged=overview.flagged,
            unknown=overview.unknown,
            total=overview.total,
        )


builds_every_field(UploadAttempt, "provider_id", "status", "error_code", "error_message", "at", "method", "context")
builds_every_field(
    ProviderState, "provider_id", "status", "provider_asset_id", "url", "flagged", "flag_reason", "last_attempt"
)
builds_every_field(ProviderUploadStatus, "provider_id", "status")
