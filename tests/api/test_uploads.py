"""uploadAsset over real multipart requests: stored once per user and content, refused files leave nothing behind."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from assetgraph.app import create_app
from assetgraph.config import Limits, Settings
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset
from tests.support import GraphQLClient, png_bytes, upload_file, upload_payload

LOCAL = {"providerId": "local"}


def _blob_files(settings: Settings) -> set[str]:
    root = settings.resolved_data_dir / "blobs"
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


async def _asset_count(db: Database, user_id: int) -> int:
    async with db.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(Asset).where(Asset.user_id == user_id)) or 0)


async def test_a_library_only_upload_is_stored_under_its_sha256(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], settings: Settings
) -> None:
    # given a PNG
    _, client = alice
    content = png_bytes(seed=1)
    # when it is uploaded to the library only
    payload = upload_payload(await upload_file(http, client.token, content, {**LOCAL, "method": "LOCAL_FOLDERS"}))
    # then the asset describes the bytes, sniffed, and nothing was sent anywhere
    asset = payload["asset"]
    assert asset["sha256"] == hashlib.sha256(content).hexdigest()
    assert (asset["sizeBytes"], asset["mimeType"], asset["mediaType"]) == (len(content), "image/png", "IMAGE")
    assert (asset["providerId"], asset["providerStatus"], asset["uploadMethod"]) == (
        "local",
        "LOCAL_ONLY",
        "LOCAL_FOLDERS",
    )
    assert payload == {**payload, "providerSucceeded": None, "deduplicated": False, "errors": []}
    assert payload["note"] == "Saved to your library (no provider upload)."
    # and the bytes are kept, whole, at the asset's storage key
    assert (settings.resolved_data_dir / "blobs" / asset["storageKey"]).read_bytes() == content


async def test_the_same_file_again_returns_the_same_asset(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], db: Database
) -> None:
    user_id, client = alice
    content = png_bytes(seed=2)
    first = upload_payload(await upload_file(http, client.token, content, LOCAL))
    # when the same bytes come again under another name
    again = upload_payload(await upload_file(http, client.token, content, LOCAL, filename="copy.png"))
    # then the existing asset is returned, and said to be
    assert again["asset"]["id"] == first["asset"]["id"]
    assert (again["deduplicated"], again["note"]) == (True, "Already in your library.")
    assert await _asset_count(db, user_id) == 1


async def test_fifty_concurrent_uploads_of_one_file_make_one_asset(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], db: Database, settings: Settings
) -> None:
    user_id, client = alice
    content = png_bytes(seed=3)
    responses = await asyncio.gather(*(upload_file(http, client.token, content, LOCAL) for _ in range(50)))
    ids = {upload_payload(response)["asset"]["id"] for response in responses}
    assert len(ids) == 1
    assert await _asset_count(db, user_id) == 1
    # and no temporary file is left, nor a second copy of the bytes
    assert not [name for name in _blob_files(settings) if name.startswith(".incoming")]
    assert [name for name in _blob_files(settings) if hashlib.sha256(content).hexdigest() in name] != []


async def test_two_users_uploading_one_file_get_an_asset_each(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    content = png_bytes(seed=4)
    for_alice = upload_payload(await upload_file(http, alice[1].token, content, LOCAL))
    for_bob = upload_payload(await upload_file(http, bob[1].token, content, LOCAL))
    assert for_alice["asset"]["id"] != for_bob["asset"]["id"]
    assert not for_bob["deduplicated"]


@pytest.fixture
async def small_uploads(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    small = settings.model_copy(update={"limits": Limits(max_upload_bytes=1000)})
    app = create_app(small)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            yield client


@pytest.mark.parametrize(
    ("content", "variables", "code", "field"),
    [
        (b"", LOCAL, "EMPTY_FILE", "file"),
        (b"this is plain text, declared as a PNG" * 3, LOCAL, "UNSUPPORTED_MEDIA_TYPE", "file"),
        (png_bytes(64, 64, seed=5), LOCAL, "FILE_TOO_LARGE", "file"),
        (png_bytes(seed=6), {"providerId": "nowhere"}, "UNKNOWN_PROVIDER", "providerId"),
        (png_bytes(seed=7), {**LOCAL, "accountId": "not-an-id"}, "NOT_FOUND", "accountId"),
    ],
    ids=["empty", "not media", "too large", "unknown provider", "malformed account id"],
)
async def test_a_refused_file_writes_nothing_and_leaves_nothing_on_disk(
    small_uploads: httpx.AsyncClient,
    alice: tuple[int, GraphQLClient],
    db: Database,
    settings: Settings,
    content: bytes,
    variables: dict[str, Any],
    code: str,
    field: str,
) -> None:
    # given a server taking files of at most 1000 bytes
    user_id, client = alice
    before = _blob_files(settings)
    # when a file it must refuse is uploaded
    payload = upload_payload(await upload_file(small_uploads, client.token, content, variables))
    # then the payload says why, naming the field, and nothing was written or kept
    assert payload["asset"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert await _asset_count(db, user_id) == 0
    assert _blob_files(settings) == before


async def test_a_multipart_request_without_a_preflight_header_is_refused_before_its_body_is_read(
    http: httpx.AsyncClient, alice: tuple[int, GraphQLClient], db: Database
) -> None:
    user_id, client = alice
    response = await upload_file(http, client.token, png_bytes(seed=8), LOCAL, preflight=False)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]
    assert await _asset_count(db, user_id) == 0


def test_blob_root_is_the_test_runs_own(settings: Settings) -> None:
    assert Path.cwd() not in settings.resolved_data_dir.parents
