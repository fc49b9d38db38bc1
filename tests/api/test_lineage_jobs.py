"""Lineage refreshes of more than 1,000 assets run as background jobs: queued by refreshAssetLineage, run by the
test app's worker, read with lineageRefreshJob and followed with lineageRefreshProgress over a real WebSocket."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from starlette.applications import Starlette

from assetgraph.persistence.database import Database
from assetgraph.persistence.run_locks import lineage_job_run_lock
from tests.graphql_socket_client import graphql_socket
from tests.pixverse_support import add_account, finished, library_token, start
from tests.support import GraphQLClient, serving

JOB_FIELDS = """id databaseId providerId clearExisting status total done rebuilt unchanged noMetadata failed
  removedEdges newEdges error finishedAt"""
REFRESH = f"""mutation($input: RefreshAssetLineageInput!) {{ refreshAssetLineage(input: $input) {{
  count results {{ assetId status }} job {{ {JOB_FIELDS} }} errors {{ code field message }} }} }}"""
JOB = f"query($id: ID!) {{ lineageRefreshJob(id: $id) {{ {JOB_FIELDS} }} node(id: $id) {{ id }} }}"
PROGRESS = f"subscription($id: ID!) {{ lineageRefreshProgress(jobId: $id) {{ {JOB_FIELDS} }} }}"
LIBRARY = 1250  # 1,076 importable items: more than a request rebuilds


@pytest.fixture
async def base_url(app: Starlette) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def synced_library(client: GraphQLClient) -> None:
    account = (await add_account(client, library_token(LIBRARY)))[0]
    done = await finished(client, (await start(client, account, pageSize=500))["job"]["id"])
    assert done["status"] == "SUCCEEDED" and done["created"] > 1000, done


async def refresh(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(REFRESH, {"input": fields}))["refreshAssetLineage"]
    return payload


async def next_lineage_job_id(db: Database) -> int:
    """The id the next lineage job will get (the tests of this module start jobs one at a time)."""
    async with db.engine.connect() as conn:
        last = await conn.scalar(
            text("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM lineage_jobs_id_seq")
        )
    return int(last)


async def test_a_large_refresh_is_a_job_followed_to_its_end_over_a_websocket(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], db: Database, base_url: str
) -> None:
    # given alice's 1,076 synced Pixverse assets
    user_id, client = alice
    await synced_library(client)

    # when she refreshes the lineage of all her assets
    queued = await refresh(client, scope="CURRENT_USER")

    # then a job is queued instead of results, covering every asset she had
    assert queued["errors"] == [] and queued["results"] == [] and queued["count"] == 0
    job = queued["job"]
    assert job["status"] in ("QUEUED", "RUNNING") and job["total"] > 1000 and job["providerId"] is None

    # and following it shows its batches, then its end, with counts that add up
    async with graphql_socket(base_url, client.token or "") as socket:
        await socket.subscribe("p", PROGRESS, {"id": job["id"]})
        events = [e["data"]["lineageRefreshProgress"] for e in await socket.until_complete("p", within=60)]
    done = events[-1]
    assert done["status"] == "SUCCEEDED" and done["done"] == done["total"] == job["total"], done
    assert done["rebuilt"] + done["unchanged"] + done["noMetadata"] + done["failed"] == done["total"]
    assert done["failed"] == 0 and done["rebuilt"] > 0
    assert [e["done"] for e in events] == sorted(e["done"] for e in events)
    # and the edges it reports are the edges stored
    async with db.engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT count(*) FROM asset_lineage l JOIN assets a ON a.id = l.child_asset_id WHERE a.user_id = :u"),
            {"u": user_id},
        )
    assert stored == done["newEdges"] > 0
    # and the job reads back by id, as a node too, for alice only
    read = await client.data(JOB, {"id": job["id"]})
    assert read["lineageRefreshJob"] == done and read["node"] == {"id": job["id"]}
    _, bob_client = bob
    assert await bob_client.data(JOB, {"id": job["id"]}) == {"lineageRefreshJob": None, "node": None}
    # and bob following it is told there is no such job, as for an id that names nothing
    async with graphql_socket(base_url, bob_client.token or "") as socket:
        for operation, job_id in (("b", job["id"]), ("m", "not-an-id")):
            await socket.subscribe(operation, PROGRESS, {"id": job_id})
            refused = (await socket.receive(operation))["payload"]["errors"]
            assert [(e["message"], e["extensions"]["code"]) for e in refused] == [
                ("No lineage refresh job with this id.", "NOT_FOUND")
            ]


async def test_a_second_large_refresh_while_one_is_queued_returns_that_one(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given alice's large library, and her first refresh job held back from running (its runner lock is taken)
    _, client = alice
    await synced_library(client)
    async with lineage_job_run_lock(db, await next_lineage_job_id(db)) as held:
        assert held
        first = (await refresh(client, scope="CURRENT_USER"))["job"]

        # when she asks for another, of her Pixverse assets
        second = await refresh(client, providerId="pixverse")

        # then the queued one comes back, with a typed error, and nothing new is queued
        assert [(e["code"], e["field"]) for e in second["errors"]] == [("LINEAGE_REFRESH_RUNNING", "providerId")]
        assert second["job"]["id"] == first["id"] and second["job"]["status"] == "QUEUED"

    # and once the lock is free the first job is queued again and finishes
    done = await job_finished(client, first["id"])
    assert done["status"] == "SUCCEEDED" and done["done"] == done["total"]


async def job_finished(client: GraphQLClient, job_id: str, within: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        job: dict[str, Any] = (await client.data(JOB, {"id": job_id}))["lineageRefreshJob"]
        if job["status"] not in ("QUEUED", "RUNNING"):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']} after {within} s: {job}"
        await asyncio.sleep(0.1)
