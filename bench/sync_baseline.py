"""The least work a whole-library sync must do, measured in the bench's run: every page of the library fetched from
the sandbox's Pixverse over HTTP (httpx, the job's page size), each page's importable items written by one batched
asyncpg INSERT ... ON CONFLICT DO NOTHING RETURNING into a scratch copy of `assets` (its columns, defaults, generated
columns and indexes; none of its rows or triggers). The re-run's baseline is the page fetches alone.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from assetgraph.domain.enums import MediaType, UploadMethod
from assetgraph.domain.pixverse_items import PIXVERSE_PROVIDER_ID, PixverseItem, read_item

SCRATCH_TABLE = "bench_sync_scratch"
_KINDS = (MediaType.VIDEO, MediaType.IMAGE)  # the order a BOTH job reads them in
_INSERT = f"""
INSERT INTO {SCRATCH_TABLE} (user_id, media_type, provider_id, provider_asset_id, provider_account_id, remote_url,
                             thumbnail_url, media_metadata, upload_method, created_at)
SELECT $1, $2, $3, pid, $4, remote, thumb, payload, $5, coalesce(created, now())
FROM unnest($6::text[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[]) AS page(pid, remote, thumb, payload,
                                                                                           created)
ON CONFLICT (user_id, provider_id, provider_asset_id) WHERE provider_asset_id IS NOT NULL DO NOTHING
RETURNING provider_asset_id, id
"""


@dataclass(frozen=True)
class BaselineRun:
    seconds: float
    pages: int
    seen: int
    inserted: int
    fetch_seconds: float
    """Of `seconds`, the time spent waiting for pages and decoding them."""


async def _pages(
    http: httpx.AsyncClient, jwt: str, kind: MediaType, page_size: int
) -> AsyncIterator[list[dict[str, Any]]]:
    """The kind's pages in order, until a short page or the reported total (the job's own stopping rule)."""
    offset = 0
    while True:
        response = await http.post(
            f"/creative_platform/{kind.value}/list/personal",
            json={"offset": offset, "limit": page_size},
            headers={"Token": jwt},
        )
        response.raise_for_status()
        body = response.json()
        if body.get("ErrCode") != 0:
            raise RuntimeError(f"the sandbox refused a page: {body}")
        items: list[dict[str, Any]] = body["Resp"]["data"]
        total: int = body["Resp"]["total"]
        yield items
        offset += len(items)
        if len(items) < page_size or offset >= total:
            return


async def _insert_page(conn: asyncpg.Connection, items: list[PixverseItem], user_id: int, account_id: int) -> int:
    unique = {item.provider_asset_id: item for item in items if item.importable}
    if not unique:
        return 0
    rows = list(unique.values())
    # The kind is one per page, as in the job.
    created = await conn.fetch(
        _INSERT,
        user_id,
        rows[0].kind.value,
        PIXVERSE_PROVIDER_ID,
        account_id,
        UploadMethod.SYNC.value,
        [item.provider_asset_id for item in rows],
        [item.remote_url for item in rows],
        [item.thumbnail_url for item in rows],
        [json.dumps(item.raw) for item in rows],
        [item.created_at for item in rows],
    )
    return len(created)


async def create_scratch_table(conn: asyncpg.Connection) -> None:
    await conn.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
    await conn.execute(f"CREATE TABLE {SCRATCH_TABLE} (LIKE assets INCLUDING ALL)")


async def drop_scratch_table(conn: asyncpg.Connection) -> None:
    await conn.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")


async def baseline_run(
    conn: asyncpg.Connection, pixverse_url: str, jwt: str, page_size: int, *, insert: bool, user_id: int = 0
) -> BaselineRun:
    """Fetch every page of the library (videos, then images) and, when `insert`, write each page in one statement,
    each page in its own transaction (the job commits per page too)."""
    pages = seen = inserted = 0
    fetching = 0.0
    async with httpx.AsyncClient(base_url=pixverse_url, timeout=30) as http:
        started = time.perf_counter()
        for kind in _KINDS:
            iterator = _pages(http, jwt, kind, page_size).__aiter__()
            while True:
                asked = time.perf_counter()
                try:
                    raw = await iterator.__anext__()
                except StopAsyncIteration:
                    break
                fetching += time.perf_counter() - asked
                pages += 1
                seen += len(raw)
                if insert:
                    items = [read_item(kind, entry) for entry in raw]
                    async with conn.transaction():
                        inserted += await _insert_page(conn, items, user_id, 0)
        elapsed = time.perf_counter() - started
    return BaselineRun(elapsed, pages, seen, inserted, fetching)
