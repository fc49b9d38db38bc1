"""Recording upload attempts and provider moderation: best-effort, never in the way of an upload."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from assetgraph.domain.provider_status import new_moderation_entry
from assetgraph.domain.upload_history import AttemptStatus, new_attempt_entry
from assetgraph.persistence.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)


class AssetNotFoundError(LookupError):
    """The asset an attempt or a flag was recorded for does not exist (any more)."""


async def record_upload_attempt(
    uow: UnitOfWork,
    asset_id: int,
    provider_id: str,
    status: AttemptStatus | str,
    error_code: str | None = None,
    error_message: str | None = None,
    method: str | None = None,
    context: dict[str, Any] | None = None,
) -> bool:
    """Append one attempt to the asset's upload history in one atomic UPDATE; True when it was recorded.

    Never raises into the upload path: any failure (bad input, missing asset, database down) is logged as the
    structured event `record_upload_attempt_failed` and the caller goes on. `uow` must be its own (not the
    caller's open one), so that a failure here cannot abort the caller's transaction. It touches nothing but
    media_metadata.upload_history.
    """
    try:
        entry = new_attempt_entry(provider_id, AttemptStatus(status), error_code, error_message, method, context)
        async with uow:
            if not await uow.asset_writes.append_attempt(asset_id, entry):
                raise AssetNotFoundError(asset_id)
            await uow.commit()
    except Exception as exc:  # best-effort by contract: see the docstring
        logger.warning(
            "record_upload_attempt_failed",
            extra={
                "asset_id": asset_id,
                "provider_id": provider_id,
                "status": str(status),
                "error_type": type(exc).__name__,
            },
        )
        return False
    return True


async def set_moderation(
    uow: UnitOfWork,
    asset_id: int,
    provider_id: str,
    flagged: bool,
    reason: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Record a provider's moderation verdict on an asset (media_metadata.provider_moderation); best-effort."""
    try:
        entry = new_moderation_entry(flagged, reason, at)
        async with uow:
            if not await uow.asset_writes.set_moderation(asset_id, provider_id, entry):
                raise AssetNotFoundError(asset_id)
            await uow.commit()
    except Exception as exc:  # best-effort, like record_upload_attempt
        logger.warning(
            "set_moderation_failed",
            extra={"asset_id": asset_id, "provider_id": provider_id, "error_type": type(exc).__name__},
        )
        return False
    return True
