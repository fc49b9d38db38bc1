"""refreshAssetLineage over 10,000 synced Pixverse assets, against a same-run baseline.

The assets are the importable items of a generated sandbox library, inserted as a sync inserts them (payload whole
in media_metadata, urls read by domain/pixverse_items.py), for a user made for the run and deleted with everything
of theirs at the end. Timed through the in-process app: the first refresh (which also creates the parents outside
the library) and a re-run (every parent found). The baseline does the least the same result needs: the extractor
over the same payloads (read in one SELECT) and one raw asyncpg INSERT of the same edges into a scratch table.
Figures are printed, never gated on.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import asyncpg

from assetgraph.domain.enums import MediaType
from assetgraph.domain.pixverse_extract import embedded_parents
from assetgraph.domain.pixverse_items import read_item
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.sandbox import generated_pixverse_library
from assetgraph.services.auth import create_user
from bench.client import GraphQLSession, in_process_app
from bench.harness import SummaryRow

ASSETS = 10_000
LIBRARY_SIZE = 12_000  # about 86% of a generated library is importable
SEED = 11
AIM_SECONDS = 30.0
_JOB_FIELDS = "id status total done rebuilt unchanged noMetadata failed newEdges removedEdges error"
_REFRESH = f"""mutation {{ refreshAssetLineage(input: {{providerId: "pixverse"}}) {{
  count results {{ status newEdges removedEdges }} job {{ {_JOB_FIELDS} }} errors {{ code message }} }} }}"""
_JOB = f"query($id: ID!) {{ lineageRefreshJob(id: $id) {{ {_JOB_FIELDS} }} }}"
_POLL_SECONDS = 0.05


async def _refresh(session: GraphQLSession) -> tuple[int, int, dict[str, int]]:
    """Refresh every Pixverse asset of the session's user, in the request or through the background job it queues
    (followed until it ends, polled every 50 ms): (assets, new edges, assets by status)."""
    data = (await session.execute(_REFRESH, {}))["refreshAssetLineage"]
    job = data["job"]
    if job is None:
        statuses: dict[str, int] = {}
        for result in data["results"]:
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        return data["count"], sum(r["newEdges"] for r in data["results"]), statuses
    while job["status"] in ("QUEUED", "RUNNING"):
        await asyncio.sleep(_POLL_SECONDS)
        job = (await session.execute(_JOB, {"id": job["id"]}))["lineageRefreshJob"]
    if job["status"] != "SUCCEEDED":
        raise RuntimeError(f"the lineage refresh job ended {job['status']}: {job['error']}")
    counted = {"REBUILT": job["rebuilt"], "UNCHANGED": job["unchanged"], "NO_METADATA": job["noMetadata"],
               "FAILED": job["failed"]}  # fmt: skip
    return job["done"], job["newEdges"], {status: n for status, n in counted.items() if n}


_INSERT = """
    INSERT INTO assets (user_id, media_type, provider_id, provider_asset_id, remote_url, thumbnail_url,
                        media_metadata, upload_method)
    SELECT $1, media_type, 'pixverse', provider_asset_id, remote_url, thumbnail_url, payload, 'sync'
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
         AS item(media_type, provider_asset_id, remote_url, thumbnail_url, payload)
"""


def _synced_items() -> list[Any]:
    library = generated_pixverse_library(LIBRARY_SIZE, SEED)
    items = [read_item(MediaType.VIDEO, raw) for raw in library.videos]
    items += [read_item(MediaType.IMAGE, raw) for raw in library.images]
    return [item for item in items if item.importable][:ASSETS]


async def _seed(conn: asyncpg.Connection, user_id: int) -> int:
    items = _synced_items()
    await conn.execute(
        _INSERT,
        user_id,
        [i.kind.value for i in items],
        [i.provider_asset_id for i in items],
        [i.remote_url for i in items],
        [i.thumbnail_url for i in items],
        [json.dumps(i.raw) for i in items],
    )
    return len(items)


async def _baseline(conn: asyncpg.Connection, user_id: int) -> tuple[float, int]:
    """Seconds for: read the payloads, extract, insert the edges the refresh wrote (ids resolved) in one go."""
    edges = await conn.fetch(
        "SELECT l.child_asset_id, l.parent_asset_id, l.relation_type, l.operation_type, l.sequence_order, "
        "l.parent_role, l.parent_end_time, l.transformation FROM asset_lineage l "
        "JOIN assets a ON a.id = l.child_asset_id WHERE a.user_id = $1",
        user_id,
    )
    await conn.execute("CREATE TEMP TABLE bench_lineage (LIKE asset_lineage INCLUDING ALL)")
    try:
        started = time.perf_counter()
        rows = await conn.fetch(
            "SELECT id, media_metadata FROM assets WHERE user_id = $1 AND provider_id = 'pixverse'", user_id
        )
        extracted = sum(len(embedded_parents(json.loads(r["media_metadata"]))) for r in rows)
        await conn.execute(
            "INSERT INTO bench_lineage (child_asset_id, parent_asset_id, relation_type, operation_type, "
            "sequence_order, parent_role, parent_end_time, transformation) "
            "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], "
            "$7::float8[], $8::jsonb[])",
            *[[e[n] for e in edges] for n in range(8)],
        )
        elapsed = time.perf_counter() - started
    finally:
        await conn.execute("DROP TABLE bench_lineage")
    assert extracted >= len(edges), (extracted, len(edges))
    return elapsed, len(edges)


async def run_lineage_refresh(conn: asyncpg.Connection, url: str) -> list[SummaryRow]:
    print(f"\n-- lineage refresh: {ASSETS} synced Pixverse assets (aim <= {AIM_SECONDS:.0f} s)", flush=True)
    db = Database.connect(url, pool_size=1)
    try:
        issued = await create_user(UnitOfWork(db), f"bench-lineage-{uuid.uuid4().hex}@bench.invalid")
    finally:
        await db.dispose()
    rows: list[SummaryRow] = []
    try:
        seeded = await _seed(conn, issued.user_id)
        async with in_process_app(url, issued.token) as session:
            timings = []
            for label in ("first refresh", "re-run"):
                started = time.perf_counter()
                count, new, statuses = await _refresh(session)
                elapsed = time.perf_counter() - started
                print(f"   {label}: {elapsed:.2f} s for {count} assets ({seeded} seeded), {new} new edges, "
                      f"statuses {statuses} (a background job: more than 1,000 assets)", flush=True)  # fmt: skip
                timings.append(elapsed)
        baseline, edge_count = await _baseline(conn, issued.user_id)
        print(f"   baseline (read + extract + one INSERT of {edge_count} edges): {baseline:.2f} s", flush=True)
        for label, elapsed in zip(("first refresh", "re-run"), timings, strict=True):
            ratio = elapsed / baseline
            cells = f"{elapsed * 1000:>11.0f} {'':>8}  {baseline * 1000:>12.0f} {'':>8}  {ratio:>6.1f}  {'':>3}"
            rows.append((f"lineage refresh {ASSETS}: {label}", cells))
    finally:
        await conn.execute("DELETE FROM assets WHERE user_id = $1", issued.user_id)
        await conn.execute("DELETE FROM users WHERE id = $1", issued.user_id)
    return rows
