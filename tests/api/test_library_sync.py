"""Whole-library sync jobs over HTTP: a worker (the test app's own) runs them against the sandbox's Pixverse."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text

from assetgraph.persistence.database import Database
from assetgraph.persistence.run_locks import sync_job_run_lock
from assetgraph.providers.sandbox import RunningSandbox, generated_pixverse_library
from tests.pixverse_support import JOB, JOB_FIELDS, add_account, finished, importable, job_of, library_token, start
from tests.support import GraphQLClient, fault_account

ADD = """mutation($input: AddProviderAccountInput!) {
  addProviderAccount(input: $input) { account { id databaseId } errors { code } } }"""
CANCEL = f"""mutation($id: ID!) {{ cancelLibrarySync(jobId: $id) {{
  job {{ {JOB_FIELDS} }} errors {{ code field message }} }} }}"""
JOBS = """query($first: Int, $after: String) { syncJobs(first: $first, after: $after) {
  totalCount edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }"""
ACCOUNTS = "{ providerAccounts { id status lastError } }"


async def synced_rows(db: Database, account_global_id: str, user_id: int) -> list[tuple[str, str]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT provider_asset_id, media_type FROM assets WHERE user_id = :u AND upload_method = 'sync'"),
            {"u": user_id},
        )
        return [(r[0], r[1]) for r in rows]


async def test_a_job_imports_the_whole_library_once_and_a_second_job_creates_nothing(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given a Pixverse account holding a generated library of 230 items
    user_id, client = alice
    account = (await add_account(client, library_token(230)))[0]
    expected, flagged, left_out = importable(230)

    # when a whole-library sync is started with pages of 40, and left to the worker
    started = await start(client, account, pageSize=40)
    assert started["errors"] == []
    assert started["job"]["status"] in ("QUEUED", "RUNNING")
    done = await finished(client, started["job"]["id"])

    # then every page was imported, with exact counts, and the job says so
    assert done["status"] == "SUCCEEDED", done
    assert done["error"] is None and done["finishedAt"] is not None and done["currentKind"] is None
    assert done["total"] == 230 and done["seen"] == 230
    assert (done["created"], done["flagged"], done["skipped"]) == (expected, flagged, 0)
    assert done["processing"] + done["failed"] == left_out
    rows = await synced_rows(db, account, user_id)
    assert len(rows) == expected == len(set(rows))

    # when the library is synced again
    again = await finished(client, (await start(client, account, pageSize=40))["job"]["id"])

    # then nothing new is created and every importable item is reported as already there
    assert again["status"] == "SUCCEEDED"
    assert (again["created"], again["skipped"], again["seen"]) == (0, expected, 230)
    assert len(await synced_rows(db, account, user_id)) == expected

    # and both jobs are listed, newest first, one page at a time
    first = (await client.data(JOBS, {"first": 1}))["syncJobs"]
    assert first["totalCount"] >= 2 and first["pageInfo"]["hasNextPage"]
    assert first["edges"][0]["node"]["id"] == again["id"]
    second = (await client.data(JOBS, {"first": 1, "after": first["pageInfo"]["endCursor"]}))["syncJobs"]
    assert second["edges"][0]["node"]["id"] == done["id"]


async def test_one_active_job_per_account_and_cancel_stops_after_the_current_page(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    # given a job walking a library one item per page
    _, client = alice
    account = (await add_account(client, library_token(2000)))[0]
    first = await start(client, account, pageSize=1, mode="VIDEOS")
    job_id = first["job"]["id"]

    # when another start is asked for the same account
    second = await start(client, account, pageSize=5)

    # then the running job comes back, with a typed error, and nothing new is queued
    assert [e["code"] for e in second["errors"]] == ["SYNC_ALREADY_RUNNING"]
    assert second["job"]["id"] == job_id

    # when the job is cancelled once it has done some pages
    deadline = time.monotonic() + 30
    while ((await job_of(client, job_id)) or {}).get("pagesDone", 0) < 3:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    cancel = (await client.data(CANCEL, {"id": job_id}))["cancelLibrarySync"]
    assert cancel["errors"] == [] and cancel["job"]["cancelRequested"] is True

    # then it stops after its current page and says so; its counts cover exactly the pages it committed
    ended = await finished(client, job_id)
    assert ended["status"] == "CANCELLED"
    assert ended["error"] == f"Cancelled after {ended['pagesDone']} page(s)."
    assert ended["seen"] == ended["pagesDone"] < 2000
    assert ended["currentOffset"] == ended["pagesDone"]
    await asyncio.sleep(0.3)
    assert (await job_of(client, job_id)) == ended  # nothing moves after the end

    # and cancelling it again reports that it has ended
    again = (await client.data(CANCEL, {"id": job_id}))["cancelLibrarySync"]
    assert [e["code"] for e in again["errors"]] == ["SYNC_JOB_FINISHED"] and again["job"]["status"] == "CANCELLED"
    # and a new job may start now
    assert (await start(client, account, pageSize=500, mode="IMAGES"))["errors"] == []


async def test_a_job_is_never_run_by_two_runners_at_once(alice: tuple[int, GraphQLClient], db: Database) -> None:
    # given a job whose run lock another runner holds (a worker whose heartbeat went stale but which still runs)
    _, client = alice
    account = (await add_account(client, library_token(40)))[0]
    async with sync_job_run_lock(db, await next_sync_job_id(db)) as held:
        assert held
        job = (await start(client, account, pageSize=10))["job"]
        # when the worker is handed the job
        await asyncio.sleep(1.5)
        # then it leaves it to the runner holding it: nothing is fetched or written
        waiting = await job_of(client, job["id"])
        assert waiting is not None and (waiting["status"], waiting["pagesDone"]) == ("QUEUED", 0), waiting

    # when that runner goes away, the job is queued again and finished, once
    done = await finished(client, job["id"])
    assert done["status"] == "SUCCEEDED" and done["seen"] == 40 and done["created"] == importable(40)[0]


async def next_sync_job_id(db: Database) -> int:
    """The id the next sync job will get (the tests of this module start jobs one at a time)."""
    async with db.engine.connect() as conn:
        last = await conn.scalar(
            text("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM sync_jobs_id_seq")
        )
    return int(last)


async def test_rate_limits_and_outages_are_retried_and_the_job_completes(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    # given Pixverse answering 429 then 503 to more list calls in a row than one client call retries
    _, client = alice
    account = (await add_account(client, library_token(60)))[0]
    sandbox.sandbox.fail_next("429", times=5, provider="pixverse", endpoint="video_list")
    sandbox.sandbox.fail_next("503", times=5, provider="pixverse", endpoint="image_list")

    # when the library is synced
    done = await finished(client, (await start(client, account, pageSize=25))["job"]["id"])

    # then the job got through every page, with exact counts
    assert done["status"] == "SUCCEEDED", done
    assert done["seen"] == 60 and done["created"] == importable(60)[0]
    # and each failed call was tried again: 5 refused, then one per page
    video_pages = -(-generated_pixverse_library(60, 7).summary().videos // 25)
    assert sandbox.sandbox.calls.count("pixverse", "video_list") == 5 + video_pages


async def test_an_expired_session_fails_the_job_clearly_and_marks_the_account(alice: tuple[int, GraphQLClient]) -> None:
    # given an account whose Pixverse session has expired (ErrCode 10005)
    _, client = alice
    account = (await add_account(client, fault_account("session_expired")))[0]

    # when its library is synced
    done = await finished(client, (await start(client, account))["job"]["id"])

    # then the job failed, saying why, and the account is marked
    assert done["status"] == "FAILED"
    assert "session" in done["error"].lower() and done["pagesDone"] == 0
    [mine] = [a for a in (await client.data(ACCOUNTS))["providerAccounts"] if a["id"] == account]
    assert mine["status"] == "ERROR" and mine["lastError"]


async def test_bad_input_and_other_users_jobs_read_as_missing_and_write_nothing(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], db: Database
) -> None:
    _, alice_client = alice
    _, bob_client = bob
    account = (await add_account(alice_client, library_token(5)))[0]
    sora = (await add_account(alice_client, "sk-sora", provider_id="sora"))[0]
    job = (await start(alice_client, account))["job"]
    await finished(alice_client, job["id"])

    async def jobs_count() -> int:
        async with db.engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM sync_jobs"))).scalar_one())

    before = await jobs_count()
    # a page size out of range names its field
    for size in (0, 501, -1):
        refused = await start(alice_client, account, pageSize=size)
        assert refused["job"] is None and [(e["code"], e["field"]) for e in refused["errors"]] == [
            ("BAD_USER_INPUT", "pageSize")
        ]
    # another provider's account is refused; another user's account reads as missing, as does a malformed id
    assert [e["code"] for e in (await start(alice_client, sora))["errors"]] == ["BAD_USER_INPUT"]
    for bad in (account, "not-an-id", job["id"]):
        assert [(e["code"], e["field"]) for e in (await start(bob_client, bad))["errors"]] == [
            ("NOT_FOUND", "accountId")
        ]
    assert await jobs_count() == before

    # another user's job reads exactly like a missing one, everywhere
    assert (await bob_client.data(JOB, {"id": job["id"]})) == {"syncJob": None, "node": None}
    cancel = (await bob_client.data(CANCEL, {"id": job["id"]}))["cancelLibrarySync"]
    assert cancel == {
        "job": None,
        "errors": [{"code": "NOT_FOUND", "field": "jobId", "message": "No sync job with this id."}],
    }
    assert (await bob_client.data(JOBS, {}))["syncJobs"]["totalCount"] == 0
    # and a cursor that is not one of ours is refused, naming it
    body = await alice_client.query(JOBS, {"after": "garbage"})
    assert body["errors"][0]["extensions"]["field"] == "after"
