"""Sending an asset's stored bytes to a provider, and keeping the books on it (SPEC section 6).

One delivery per (user, content, provider) at a time in this process: concurrent uploads of one file to one
provider wait for the first, then find the copy it made instead of sending the bytes again. Every attempt is
recorded through record_upload_attempt; a success is cached in provider_uploads; a failure never loses the file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.provider_status import held_copy_id
from assetgraph.domain.upload_history import AttemptStatus
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.base import Credentials, ProviderAdapter, ProviderError, ProviderUpload, UploadSource
from assetgraph.services.resources import Resources
from assetgraph.services.upload_history import record_upload_attempt
from assetgraph.storage.blobs import BlobStore

UPLOADED_NOTE = "Uploaded to provider successfully"


def failed_note(error: ProviderError) -> str:
    return f"Asset saved locally; provider upload failed: {error.message}"


def held_note(provider_id: str) -> str:
    return f"Already on {provider_id}; returned the existing asset without uploading again"


@dataclass(frozen=True)
class Delivery:
    """What became of one delivery: the asset as it now stands, and whether the provider was asked and said yes."""

    asset: AssetRecord
    provider_called: bool
    succeeded: bool
    note: str
    error: ProviderError | None = None


@dataclass(frozen=True)
class DeliveryTarget:
    adapter: ProviderAdapter
    credentials: Credentials
    method: str | None
    context: dict[str, Any] | None = None
    account_id: int | None = None


async def _reload(uow: UnitOfWork, asset: AssetRecord) -> AssetRecord:
    async with uow:
        found = await uow.assets.by_ids(asset.user_id, [asset.id])
    return found[asset.id]


def _source(blobs: BlobStore, asset: AssetRecord, filename: str | None) -> UploadSource:
    if asset.storage_key is None or asset.mime_type is None or asset.size_bytes is None:
        raise ValueError("the asset's bytes are not stored here")
    key = asset.storage_key

    def open_stream() -> AsyncIterator[bytes]:
        return blobs.read(key)

    return UploadSource(
        filename=filename or f"{asset.sha256 or asset.id}", mime_type=asset.mime_type, size_bytes=asset.size_bytes,
        open=open_stream,
    )  # fmt: skip


async def deliver(
    resources: Resources, asset: AssetRecord, target: DeliveryTarget, *, filename: str | None = None
) -> Delivery:
    """Send the asset's stored bytes to the target provider unless it already holds them.

    Each step takes a fresh unit of work and commits on its own: the attempt record must survive whatever happens
    after it.
    """
    new_uow, blobs, locks = resources.unit_of_work, resources.blobs, resources.delivery_locks
    provider_id = target.adapter.provider_id
    async with locks.lock(asset.user_id, asset.sha256 or asset.id, provider_id):
        asset = await _reload(new_uow(), asset)
        if held_copy_id(asset.facts(), provider_id) is not None:
            return Delivery(asset, provider_called=False, succeeded=True, note=held_note(provider_id))
        try:
            copy = await target.adapter.upload(target.credentials, _source(blobs, asset, filename))
        except ProviderError as error:
            await record_upload_attempt(
                new_uow(), asset.id, provider_id, AttemptStatus.ERROR, error.code.value, error.message,
                target.method, target.context,
            )  # fmt: skip
            return Delivery(await _reload(new_uow(), asset), True, False, failed_note(error), error)
        await _keep_copy(new_uow(), asset, provider_id, copy)
        await record_upload_attempt(
            new_uow(), asset.id, provider_id, AttemptStatus.SUCCESS, None, None, target.method, target.context
        )
        return Delivery(await _reload(new_uow(), asset), provider_called=True, succeeded=True, note=UPLOADED_NOTE)


async def _keep_copy(uow: UnitOfWork, asset: AssetRecord, provider_id: str, copy: ProviderUpload) -> None:
    async with uow:
        await uow.asset_writes.add_provider_copy(asset.id, provider_id, copy.provider_asset_id, copy.url)
        await uow.commit()
