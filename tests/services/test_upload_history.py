"""record_upload_attempt and set_moderation: atomic, concurrent-safe, best-effort, touching nothing else."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Row, select

from assetgraph.domain.upload_history import MAX_ATTEMPTS, format_utc
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.auth import create_user
from assetgraph.services.upload_history import record_upload_attempt, set_moderation
from tests.support import insert_assets, random_email

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")


async def _asset(db: Database, **columns: Any) -> int:
    user = await create_user(UnitOfWork(db), random_email())
    (asset_id,) = await insert_assets(db, user.user_id, [{"media_type": "video", "provider_id": "pixverse", **columns}])
    return asset_id


async def _row(db: Database, asset_id: int) -> Row[Any]:
    async with db.engine.connect() as conn:
        return (await conn.execute(select(Asset.__table__).where(Asset.id == asset_id))).one()


def _history(row: Row[Any]) -> dict[str, Any]:
    history: dict[str, Any] = row.media_metadata["upload_history"]
    return history


async def test_an_attempt_is_recorded_in_the_spec_shape(db: Database) -> None:
    # given an asset with unrelated metadata
    asset_id = await _asset(db, media_metadata={"pixverse": {"video_id": 7}}, description="keep me")
    before = await _row(db, asset_id)

    # when a failed and then a successful attempt are recorded
    assert await record_upload_attempt(
        UnitOfWork(db),
        asset_id,
        "sora",
        "error",
        "SAFETY_REJECTED",
        "rejected by the safety filter",
        "local_folders",
        {"folder": "renders"},
    )
    assert await record_upload_attempt(UnitOfWork(db), asset_id, "sora", "success", method="api")

    # then both attempts are there, oldest first, in exactly the documented shape
    row = await _row(db, asset_id)
    failed, succeeded = _history(row)["upload_attempts"]
    assert set(failed) == {"provider_id", "status", "error_code", "error_message", "at", "method", "context"}
    assert failed["error_code"] == "SAFETY_REJECTED" and failed["context"] == {"folder": "renders"}
    assert set(succeeded) == {"provider_id", "status", "at", "method"}
    assert ISO_UTC.match(failed["at"]) and ISO_UTC.match(succeeded["at"])
    # the database's stamp is exactly what format_utc writes, so stamps from both compare as strings
    assert format_utc(datetime.fromisoformat(failed["at"])) == failed["at"]
    assert datetime.fromisoformat(failed["at"]) <= datetime.fromisoformat(succeeded["at"]) <= datetime.now(UTC)
    assert _history(row)["last_upload_status_by_provider"] == {"sora": "success"}

    # and nothing else changed
    assert row.media_metadata["pixverse"] == {"video_id": 7}
    assert (row.description, row.updated_at, row.provider_uploads) == (
        before.description,
        before.updated_at,
        before.provider_uploads,
    )


async def test_forty_concurrent_attempts_are_all_kept(db: Database) -> None:
    asset_id = await _asset(db)
    results = await asyncio.gather(
        *(
            record_upload_attempt(
                UnitOfWork(db), asset_id, f"p{i % 3}", "success" if i % 2 else "error", error_code=str(i)
            )
            for i in range(40)
        )
    )
    assert all(results)
    attempts = _history(await _row(db, asset_id))["upload_attempts"]
    assert sorted(int(a.get("error_code")) for a in attempts) == list(range(40))


async def test_a_hundred_concurrent_attempts_keep_the_newest_fifty(db: Database) -> None:
    asset_id = await _asset(db)
    await asyncio.gather(
        *(
            record_upload_attempt(
                UnitOfWork(db), asset_id, f"p{i % 4}", "success" if i % 3 else "error", error_code=str(i)
            )
            for i in range(100)
        )
    )
    history = _history(await _row(db, asset_id))
    attempts = history["upload_attempts"]
    assert len(attempts) == MAX_ATTEMPTS
    # the kept ones are the last fifty appended: their timestamps never go backwards
    stamps = [a["at"] for a in attempts]
    assert stamps == sorted(stamps)
    # and the per-provider map agrees with the newest attempt of each provider
    newest: dict[str, str] = {}
    for attempt in attempts:
        newest[attempt["provider_id"]] = attempt["status"]
    assert history["last_upload_status_by_provider"] == newest


async def test_malformed_metadata_is_repaired_without_losing_it(db: Database) -> None:
    listed = await _asset(db, media_metadata=["raw", "payload"])
    garbled = await _asset(db, media_metadata={"upload_history": "x", "other": 1})
    assert await record_upload_attempt(UnitOfWork(db), listed, "sora", "success")
    assert await record_upload_attempt(UnitOfWork(db), garbled, "sora", "error", error_code="TIMEOUT")
    listed_row, garbled_row = await _row(db, listed), await _row(db, garbled)
    assert listed_row.media_metadata["original_media_metadata"] == ["raw", "payload"]
    assert _history(listed_row)["last_upload_status_by_provider"] == {"sora": "success"}
    assert garbled_row.media_metadata["other"] == 1
    assert [a["error_code"] for a in _history(garbled_row)["upload_attempts"]] == ["TIMEOUT"]


async def test_missing_asset_is_logged_not_raised(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="assetgraph.services.upload_history"):
        assert await record_upload_attempt(UnitOfWork(db), 2**62, "sora", "error", error_code="TIMEOUT") is False
    (record,) = [r for r in caplog.records if r.getMessage() == "record_upload_attempt_failed"]
    assert (record.asset_id, record.provider_id, record.status, record.error_type) == (  # type: ignore[attr-defined]
        2**62,
        "sora",
        "error",
        "AssetNotFoundError",
    )


async def test_broken_connection_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    broken = Database.connect("postgresql+asyncpg://postgres@/nowhere?host=/nonexistent-socket-dir", pool_size=1)
    try:
        with caplog.at_level(logging.WARNING, logger="assetgraph.services.upload_history"):
            assert await record_upload_attempt(UnitOfWork(broken), 1, "sora", "success") is False
    finally:
        await broken.dispose()
    (record,) = [r for r in caplog.records if r.getMessage() == "record_upload_attempt_failed"]
    assert record.error_type in {"OSError", "FileNotFoundError", "ConnectionRefusedError"}  # type: ignore[attr-defined]


async def test_invalid_status_is_logged_and_nothing_written(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    asset_id = await _asset(db)
    with caplog.at_level(logging.WARNING, logger="assetgraph.services.upload_history"):
        assert await record_upload_attempt(UnitOfWork(db), asset_id, "sora", "rejected") is False
    assert (await _row(db, asset_id)).media_metadata == {}
    assert [r.error_type for r in caplog.records] == ["ValueError"]  # type: ignore[attr-defined]


async def test_set_moderation_records_a_flag_with_a_time(db: Database) -> None:
    asset_id = await _asset(db, provider_asset_id="v1", media_metadata={"keep": True})
    assert await set_moderation(UnitOfWork(db), asset_id, "pixverse", True, "video_status 7")
    moderation = (await _row(db, asset_id)).media_metadata["provider_moderation"]["pixverse"]
    assert moderation["flagged"] is True and moderation["reason"] == "video_status 7"
    assert ISO_UTC.match(moderation["at"])
    assert (await _row(db, asset_id)).provider_status == "FLAGGED"
