"""Resolvers of uploads: decode the input, stream the file to the service, return its outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from assetgraph.domain.enums import UploadMethod
from assetgraph.domain.errors import NotFound
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.resolvers.mutations import Outcome, outcome_of
from assetgraph.services import transfers, uploads, url_imports
from assetgraph.services.transfers import SendResult
from assetgraph.services.uploads import UploadRequest, UploadResult

__all__ = ["SendResult", "UploadResult", "retry_upload", "transfer_asset", "upload_asset"]

CHUNK_BYTES = 1024 * 1024


class UploadedFile(Protocol):
    """A file of a multipart request, as Strawberry hands it over (spooled to disk, read in chunks)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class UploadInput:
    file: UploadedFile
    provider_id: str
    method: UploadMethod
    account_id: str | None
    source_folder: str | None
    relative_path: str | None
    context: dict[str, Any] | None


async def _chunks(file: UploadedFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK_BYTES):
        yield chunk


def account_id_of(global_id: str | None) -> int | None:
    """The database id of a ProviderAccount global id; a malformed one reads like a missing account."""
    if global_id is None:
        return None
    database_id = database_id_of(global_id, NodeType.PROVIDER_ACCOUNT)
    if database_id is None:
        raise NotFound("provider account", field="accountId")
    return database_id


async def _upload(context: Context, given: UploadInput) -> UploadResult:
    viewer = context.require_viewer()
    request = UploadRequest(
        provider_id=given.provider_id,
        method=given.method,
        account_id=account_id_of(given.account_id),
        filename=given.file.filename,
        source_folder=given.source_folder,
        relative_path=given.relative_path,
        context=given.context,
    )
    settings = context.settings
    return await uploads.upload_asset(
        context.resources,
        viewer.user_id,
        request,
        _chunks(given.file),
        limit=settings.limits.max_upload_bytes,
        max_distance=settings.near_duplicate_max_distance,
    )


async def upload_asset(context: Context, given: UploadInput) -> Outcome[UploadResult]:
    return await outcome_of(_upload(context, given))


def asset_id_of(global_id: str) -> int:
    database_id = database_id_of(global_id, NodeType.ASSET)
    if database_id is None:
        raise NotFound("asset", field="assetId")
    return database_id


async def _send(
    context: Context, asset_id: str, provider_id: str, account_id: str | None, *, touch: bool
) -> SendResult:
    viewer = context.require_viewer()
    return await transfers.send_to_provider(
        context.resources,
        viewer.user_id,
        asset_id_of(asset_id),
        provider_id,
        account_id_of(account_id),
        method="transfer" if touch else "retry",
        touch=touch,
        limit=context.settings.limits.max_upload_bytes,
    )


async def retry_upload(
    context: Context, asset_id: str, provider_id: str, account_id: str | None
) -> Outcome[SendResult]:
    return await outcome_of(_send(context, asset_id, provider_id, account_id, touch=False))


async def transfer_asset(
    context: Context, asset_id: str, provider_id: str, account_id: str | None
) -> Outcome[SendResult]:
    return await outcome_of(_send(context, asset_id, provider_id, account_id, touch=True))


@dataclass(frozen=True)
class UrlImportInput:
    url: str
    provider_id: str
    method: UploadMethod
    account_id: str | None
    source_site: str | None
    context: dict[str, Any] | None


async def _import(context: Context, given: UrlImportInput) -> UploadResult:
    viewer = context.require_viewer()
    request = UploadRequest(
        provider_id=given.provider_id,
        method=given.method,
        account_id=account_id_of(given.account_id),
        context=given.context,
        source_url=given.url,
        source_site=given.source_site,
    )
    settings = context.settings
    return await url_imports.import_from_url(
        context.resources,
        viewer.user_id,
        request,
        limit=settings.limits.max_upload_bytes,
        max_distance=settings.near_duplicate_max_distance,
    )


async def import_asset_from_url(context: Context, given: UrlImportInput) -> Outcome[UploadResult]:
    return await outcome_of(_import(context, given))
