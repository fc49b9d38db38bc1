"""Fetching an asset's bytes from its remote_url (through the SSRF guard) when they are not stored here yet, so that
a transfer or retry can send them; they are then kept, like an upload's."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.enums import UploadMethod
from assetgraph.domain.errors import BadUserInput
from assetgraph.services.resources import Resources
from assetgraph.services.uploads import UploadRequest, store_upload


async def stored_copy(resources: Resources, asset: AssetRecord, *, limit: int) -> AssetRecord:
    """`asset` with its bytes stored here: as it is when they already are, else downloaded from its remote_url."""
    if asset.storage_key is not None:
        return asset
    if not asset.remote_url:
        raise BadUserInput("The asset's bytes are neither stored here nor at a known URL.", field="assetId")
    request = UploadRequest(provider_id=asset.provider_id, method=UploadMethod(asset.upload_method))
    async with resources.url_fetcher.open(asset.remote_url, max_bytes=limit) as download:
        stored = await store_upload(resources, asset.user_id, request, download.chunks(), limit=limit, field="assetId")
    blob = stored.blob
    try:
        await _attach(resources, asset.id, blob.key, blob.sha256, blob.size_bytes, stored.mime_type)
    except IntegrityError:  # another asset of the user holds these very bytes: share the blob, leave sha256 unset
        await _attach(resources, asset.id, blob.key, None, blob.size_bytes, stored.mime_type)
    uow = resources.unit_of_work()
    async with uow:
        return (await uow.assets.by_ids(asset.user_id, [asset.id]))[asset.id]


async def _attach(resources: Resources, asset_id: int, key: str, sha256: str | None, size: int, mime: str) -> None:
    uow = resources.unit_of_work()
    async with uow:
        if sha256 is None:
            await uow.asset_writes.attach_blob_without_hash(asset_id, key, size, mime)
        else:
            await uow.asset_writes.attach_blob(asset_id, key, sha256, size, mime)
        await uow.commit()
