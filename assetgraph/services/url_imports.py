"""importAssetFromUrl: a file downloaded through the SSRF guard, then stored, deduplicated and delivered like an
upload (same limits, same path into the blob store, same provider bookkeeping)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from assetgraph.services.resources import Resources
from assetgraph.services.uploads import UploadRequest, UploadResult, finish_upload, store_upload, target_of


def _filename(url: str) -> str | None:
    name = PurePosixPath(urlsplit(url).path).name
    return name[:200] or None


async def import_from_url(
    resources: Resources, user_id: int, request: UploadRequest, *, limit: int, max_distance: int
) -> UploadResult:
    """Download `request.source_url` (refusing private, loopback and link-local targets, after each redirect too)
    into the blob store, then finish it like an upload. The provider and account are checked before any download."""
    url = request.source_url or ""
    target = await target_of(resources, user_id, request)
    async with resources.url_fetcher.open(url, max_bytes=limit) as download:
        named = request if request.filename else _with_filename(request, _filename(download.final_url))
        stored = await store_upload(resources, user_id, named, download.chunks(), limit=limit, field="url")
    return await finish_upload(resources, named, stored, target, max_distance=max_distance)


def _with_filename(request: UploadRequest, filename: str | None) -> UploadRequest:
    return replace(request, filename=filename)
