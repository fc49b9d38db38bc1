"""Uploading a file: stored here first (never lost), deduplicated per user by SHA-256, then sent to a provider.

SPEC section 6. The bytes are streamed into the blob store, hashed as they are written, and their type is sniffed
from the bytes; a refused file leaves nothing behind. The asset row is created race-safely through the unique
(user_id, sha256) index. Provider delivery and its bookkeeping live in services/provider_delivery.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enums import MediaType, UploadMethod
from assetgraph.domain.errors import ClientError, ErrorCode
from assetgraph.domain.hashes import SimilarAsset, to_stored_phash
from assetgraph.domain.new_asset import NewAsset
from assetgraph.services.delivery_targets import delivery_target, note_account_trouble
from assetgraph.services.media_sniff import sniff
from assetgraph.services.near_duplicates import similar_assets
from assetgraph.services.perceptual_hash import perceptual_hash_of_file
from assetgraph.services.provider_delivery import DeliveryTarget, deliver
from assetgraph.services.resources import Resources
from assetgraph.storage.blobs import BlobTooLargeError, StoredBlob


class FileTooLarge(ClientError):
    code = ErrorCode.FILE_TOO_LARGE


class EmptyFile(ClientError):
    code = ErrorCode.EMPTY_FILE


class UnsupportedMediaType(ClientError):
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE


SIMILAR_IN_PAYLOAD = 10
"""Near-duplicates listed in an upload's payload; similarAssets(assetId) gives more."""


@dataclass(frozen=True)
class UploadRequest:
    """What the caller asked for, validated at the edge (provider and account are checked here)."""

    provider_id: str
    method: UploadMethod
    account_id: int | None = None
    filename: str | None = None
    source_folder: str | None = None
    relative_path: str | None = None
    context: dict[str, Any] | None = None
    source_url: str | None = None
    """Where an imported file was downloaded from (importAssetFromUrl)."""
    source_site: str | None = None


@dataclass(frozen=True)
class UploadResult:
    asset: AssetRecord
    deduplicated: bool
    provider_succeeded: bool | None
    """None for a library-only upload; True also when the provider already held the file."""
    note: str
    similar: list[SimilarAsset] = field(default_factory=list)
    """The caller's other assets that look the same (images only), nearest first."""


@dataclass(frozen=True)
class StoredUpload:
    blob: StoredBlob
    mime_type: str
    new_asset: NewAsset


async def store_upload(
    resources: Resources,
    user_id: int,
    request: UploadRequest,
    chunks: AsyncIterator[bytes],
    *,
    limit: int,
    field: str = "file",
) -> StoredUpload:
    """Stream the bytes into the blob store; refuse (leaving nothing on disk) what is empty, too large or no media."""
    async with resources.blobs.stage(max_bytes=limit) as staged:
        try:
            async for chunk in chunks:
                await staged.write(chunk)
        except BlobTooLargeError as exc:
            raise FileTooLarge(f"The file is larger than the limit of {limit} bytes.", field=field) from exc
        if staged.size_bytes == 0:
            raise EmptyFile("The file is empty.", field=field)
        sniffed = sniff(staged.head)
        if sniffed is None:
            raise UnsupportedMediaType(
                "The file is not an image, video, audio or 3D model this library keeps (its type is read from its "
                "bytes, not from its name or declared type).",
                field=field,
            )
        blob = await staged.commit()
    phash = await _perceptual_hash(resources, blob) if sniffed.media_type is MediaType.IMAGE else None
    metadata = _upload_metadata(request)
    new_asset = NewAsset(
        user_id=user_id,
        media_type=sniffed.media_type,
        provider_id=request.provider_id,
        storage_key=blob.key,
        sha256=blob.sha256,
        size_bytes=blob.size_bytes,
        mime_type=sniffed.mime_type,
        upload_method=request.method,
        phash64=to_stored_phash(phash) if phash is not None else None,
        original_source_url=request.source_url,
        media_metadata=metadata,
    )
    return StoredUpload(blob=blob, mime_type=sniffed.mime_type, new_asset=new_asset)


async def _perceptual_hash(resources: Resources, blob: StoredBlob) -> int | None:
    path = resources.blobs.local_path(blob.key)
    return await perceptual_hash_of_file(path) if path is not None else None


def _upload_metadata(request: UploadRequest) -> dict[str, Any]:
    """Where the file came from, as the Local Folders client and the extension tell it."""
    origin = {
        key: value
        for key, value in (
            ("filename", request.filename),
            ("source_folder", request.source_folder),
            ("relative_path", request.relative_path),
            ("source_site", request.source_site),
            ("context", request.context),
        )
        if value is not None
    }
    return {"upload": origin} if origin else {}


async def save_asset(resources: Resources, stored: StoredUpload) -> tuple[AssetRecord, bool]:
    """The user's asset holding these bytes (created now, or found: deduplicated) and whether it was created."""
    uow = resources.unit_of_work()
    async with uow:
        asset_id, created = await uow.asset_writes.insert_uploaded(stored.new_asset)
        await uow.commit()
        found = await uow.assets.by_ids(stored.new_asset.user_id, [asset_id])
    return found[asset_id], created


async def upload_asset(
    resources: Resources,
    user_id: int,
    request: UploadRequest,
    chunks: AsyncIterator[bytes],
    *,
    limit: int,
    max_distance: int,
) -> UploadResult:
    """Store the file and deduplicate it, then (unless the provider is 'local') deliver it to the provider.

    The provider and account are checked before the file is read; a provider's refusal keeps the file here.
    """
    target = await target_of(resources, user_id, request)
    stored = await store_upload(resources, user_id, request, chunks, limit=limit)
    return await finish_upload(resources, request, stored, target, max_distance=max_distance)


async def target_of(resources: Resources, user_id: int, request: UploadRequest) -> DeliveryTarget | None:
    """Where the upload goes (None: the library only), refused before any byte is read when it cannot go there."""
    method = request.method.value
    return await delivery_target(
        resources, user_id, request.provider_id, request.account_id, method=method, context=request.context
    )


async def finish_upload(
    resources: Resources,
    request: UploadRequest,
    stored: StoredUpload,
    target: DeliveryTarget | None,
    *,
    max_distance: int,
) -> UploadResult:
    """Save (or find) the asset, deliver it, and list its near-duplicates."""
    result = await _save_and_deliver(resources, request, stored, target)
    user_id = stored.new_asset.user_id
    similar = await similar_assets(resources.unit_of_work(), user_id, result.asset.id, max_distance, SIMILAR_IN_PAYLOAD)
    return replace(result, similar=similar)


async def _save_and_deliver(
    resources: Resources, request: UploadRequest, stored: StoredUpload, target: DeliveryTarget | None
) -> UploadResult:
    asset, created = await save_asset(resources, stored)
    if target is None:
        note = "Saved to your library (no provider upload)." if created else "Already in your library."
        return UploadResult(asset=asset, deduplicated=not created, provider_succeeded=None, note=note)
    delivery = await deliver(resources, asset, target, filename=request.filename)
    await note_account_trouble(resources, target, delivery.error)
    return UploadResult(
        asset=delivery.asset, deduplicated=not created, provider_succeeded=delivery.succeeded, note=delivery.note
    )
