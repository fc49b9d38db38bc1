"""A whole-library Pixverse sync through the job, end to end: `assetgraph serve` (the API and its in-process worker,
default settings) in a process of its own, the sandbox's Pixverse on 127.0.0.1 in the bench's process serving a
generated library of 10,000 items, and the bench as the client: addProviderAccount, startLibrarySync, then syncJob
polled until the job ends. Timed from the mutation to SUCCEEDED as the client sees it, first import and re-run,
each against the baseline of bench/sync_baseline.py measured in the same run.

The synced assets belong to a user made for the run, deleted (with its assets, account and jobs) at the end, so
that the seeded gallery library stays as it is.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
import httpx

from assetgraph.persistence.database import Database, asyncpg_dsn
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.sandbox import generated_pixverse_library, serve_sandbox
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.services.auth import create_user
from bench.database import BENCH_DATA_DIR
from bench.harness import SummaryRow
from bench.server import assetgraph_server
from bench.sync_baseline import BaselineRun, baseline_run, create_scratch_table, drop_scratch_table
from bench.sync_live import LiveObserver, describe, figures, live_observer, summary_cells

LIBRARY_SIZE = 10_000
PAGE_SIZE = 100  # the API's default page size (domain/library_sync.py)
SEED = 7
POLL_SECONDS = 0.05
"""How often the client asks for the job: the end is seen at most that late."""
AIMS = (10.0, 2.0)  # seconds: first import, re-run
WORKDIR = BENCH_DATA_DIR / "sync"

_ADD = """mutation($input: AddProviderAccountInput!) {
  addProviderAccount(input: $input) { account { id databaseId } errors { code message } } }"""
_JOB_FIELDS = "id status pagesDone seen created skipped flagged processing failed total error startedAt finishedAt"
_START = f"""mutation($input: StartLibrarySyncInput!) {{ startLibrarySync(input: $input) {{
  job {{ {_JOB_FIELDS} }} errors {{ code field message }} }} }}"""
_JOB = f"query($id: ID!) {{ syncJob(id: $id) {{ {_JOB_FIELDS} }} }}"


@dataclass
class _Client:
    http: httpx.AsyncClient
    token: str

    async def data(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"HTTP {response.status_code}: {body.get('errors') or body}")
        data: dict[str, Any] = body["data"]
        return data

    async def add_account(self, jwt: str) -> str:
        variables = {"input": {"providerId": "pixverse", "label": "bench sync", "credentials": {"jwt": jwt}}}
        payload = (await self.data(_ADD, variables))["addProviderAccount"]
        if payload["errors"]:
            raise RuntimeError(f"addProviderAccount: {payload['errors']}")
        account: str = payload["account"]["id"]
        return account


@dataclass
class SyncRun:
    """One job as the client saw it: the time from sending the mutation to seeing SUCCEEDED, and the job's row."""

    seconds: float
    job: dict[str, Any]
    sent_at: float
    """Wall clock (time.time) when the mutation was sent, to place the server's startedAt / finishedAt."""
    polls: int = 0
    progress: list[tuple[float, int]] = field(default_factory=list)
    """(seconds since the mutation, pagesDone) at each poll where pagesDone moved."""

    def phases(self) -> str:
        started = datetime.fromisoformat(self.job["startedAt"]).timestamp()
        finished = datetime.fromisoformat(self.job["finishedAt"]).timestamp()
        pages = max(self.job["pagesDone"], 1)
        return (
            f"mutation -> startedAt {started - self.sent_at:6.3f} s, "
            f"startedAt -> finishedAt {finished - started:6.3f} s"
            f" ({(finished - started) / pages * 1000:.1f} ms a page over {self.job['pagesDone']} pages), "
            f"finishedAt -> seen {self.sent_at + self.seconds - finished:6.3f} s ({self.polls} polls)"
        )


async def _sync(client: _Client, account: str, page_size: int, observer: LiveObserver | None = None) -> SyncRun:
    sent_at = time.time()
    started = time.perf_counter()
    payload = (await client.data(_START, {"input": {"accountId": account, "pageSize": page_size}}))["startLibrarySync"]
    if payload["errors"]:
        raise RuntimeError(f"startLibrarySync: {payload['errors']}")
    if observer is not None:
        observer.follow(payload["job"]["id"])
    run = SyncRun(0.0, payload["job"], sent_at)
    while run.job["status"] in ("QUEUED", "RUNNING"):
        await asyncio.sleep(POLL_SECONDS)
        job = (await client.data(_JOB, {"id": run.job["id"]}))["syncJob"]
        run.polls += 1
        if job["pagesDone"] != run.job["pagesDone"]:
            run.progress.append((time.perf_counter() - started, job["pagesDone"]))
        run.job = job
    run.seconds = time.perf_counter() - started
    return run


def _library_jwt(size: int) -> str:
    return f"library:{size}:{SEED}#{uuid.uuid4().hex}"


def _importable(size: int) -> tuple[int, int]:
    """(importable, flagged) items of the generated library: DONE and FILTERED ones become assets."""
    summary = generated_pixverse_library(size, SEED).summary()
    states = (summary.video_states, summary.image_states)
    filtered = sum(s.get("FILTERED", 0) for s in states)
    return sum(s.get("DONE", 0) for s in states) + filtered, filtered


async def _new_user(url: str) -> tuple[int, str]:
    db = Database.connect(url, pool_size=1)
    try:
        issued = await create_user(UnitOfWork(db), f"bench-sync-{uuid.uuid4().hex}@assetgraph.invalid")
    finally:
        await db.dispose()
    return issued.user_id, issued.token


def _check(run: SyncRun, size: int, created: int, skipped: int, rows: int) -> str:
    job = run.job
    got = (job["status"], job["seen"], job["created"], job["skipped"])
    want = ("SUCCEEDED", size, created, skipped)
    if got == want and rows == created + skipped:
        return f"check: SUCCEEDED, seen {size:,}, created {created:,}, skipped {skipped:,}; {rows:,} assets stored"
    return f"WARNING: (status, seen, created, skipped) {got}, expected {want}; {rows:,} assets stored; {job}"


def _where_time_goes(run: SyncRun, baseline: BaselineRun, aim: float) -> list[str]:
    lines = [f"phases: {run.phases()}"]
    if len(run.progress) >= 2:
        (t0, p0), (t1, p1) = run.progress[0], run.progress[-1]
        if p1 > p0:
            lines.append(f"pages as polled: {(t1 - t0) / (p1 - p0) * 1000:.1f} ms a page between the first and last")
    fetch_ms = baseline.fetch_seconds / max(baseline.pages, 1) * 1000
    lines.append(
        f"baseline: {fetch_ms:.1f} ms a page fetching, {baseline.seconds / baseline.pages * 1000:.1f} ms a page in all"
    )
    lines.append(
        f"aim <= {aim:.0f} s: {'met' if run.seconds <= aim else 'MISSED'}; "
        f"polling adds at most {POLL_SECONDS * 1000:.0f} ms"
    )
    return lines


def _row(title: str, run: SyncRun, baseline: BaselineRun, note: str) -> SummaryRow:
    ratio = run.seconds / baseline.seconds
    cells = f"{run.seconds * 1000:>11.0f} {'':>8}  {baseline.seconds * 1000:>12.0f} {'':>8}  {ratio:>6.2f}  {'':>3}"
    return title, f"{cells}  {note}"


def _print(lines: list[str]) -> None:
    for line in lines:
        print(f"  {line}", flush=True)


async def run_sync(
    conn: asyncpg.Connection, url: str, size: int = LIBRARY_SIZE, page_size: int = PAGE_SIZE
) -> list[SummaryRow]:
    """Prints the figures of the first import and the re-run; returns their summary rows."""
    title = f"sync: {size:,}-item Pixverse library, pages of {page_size}, through the job"
    print(f"\n== {title} ==", flush=True)
    importable, flagged = _importable(size)
    user_id, token = await _new_user(url)
    jwt = _library_jwt(size)
    try:
        async with serve_sandbox(host="127.0.0.1") as sandbox:
            pixverse_url = sandbox.base_urls["pixverse"]
            settings = {f"ASSETGRAPH_{name.upper()}": value for name, value in sandbox.settings_overrides().items()}
            with assetgraph_server(url, WORKDIR / "data", settings) as (base, _):
                async with httpx.AsyncClient(base_url=base, timeout=60) as http:
                    client = _Client(http, token)
                    # Warm up: the server's first requests, the worker's first job, the sandbox's first pages.
                    await _sync(client, await client.add_account(_library_jwt(page_size)), page_size)
                    # Its items are the big library's first ones (same seed): forget them, so that all are new.
                    await conn.execute("DELETE FROM assets WHERE user_id = $1", user_id)
                    account = await client.add_account(jwt)
                    async with live_observer(base, token, asyncpg_dsn(url)) as observer:
                        first = await _sync(client, account, page_size, observer)
                        record = await observer.record()
                    rows_after_first = await _count(conn, user_id)
                    again = await _sync(client, account, page_size)
                    rows_after_again = await _count(conn, user_id)
            await create_scratch_table(conn)
            try:
                full = await baseline_run(conn, pixverse_url, jwt, page_size, insert=True, user_id=user_id)
            finally:
                await drop_scratch_table(conn)
            fetch_only = await baseline_run(conn, pixverse_url, jwt, page_size, insert=False)
    finally:
        await conn.execute("DELETE FROM users WHERE id = $1", user_id)
    first_check = _check(first, size, importable, 0, rows_after_first)
    live = figures(record, database_id_of(first.job["id"], NodeType.SYNC_JOB) or 0)
    again_check = _check(again, size, 0, importable, rows_after_again)
    _print([
        f"first import {first.seconds:8.2f} s   (mutation to SUCCEEDED as polled every {POLL_SECONDS * 1000:.0f} ms)",
        f"baseline     {full.seconds:8.2f} s   ({full.pages} page fetches over httpx + one asyncpg INSERT a page, "
        f"{full.inserted:,} rows)",
        f"ratio        {first.seconds / full.seconds:.2f} (job / baseline)",
        first_check,
        f"flagged {first.job['flagged']:,} (expected {flagged:,})",
        *_where_time_goes(first, full, AIMS[0]),
        "",
        f"re-run       {again.seconds:8.2f} s",
        f"baseline     {fetch_only.seconds:8.2f} s   ({fetch_only.pages} page fetches alone)",
        f"ratio        {again.seconds / fetch_only.seconds:.2f} (job / baseline)",
        again_check,
        *_where_time_goes(again, fetch_only, AIMS[1]),
        "",
        *describe(live),
    ])  # fmt: skip
    return [
        _row(f"sync: first import of {size:,} items (job)", first, full, f"created {first.job['created']:,}"),
        _row("sync: re-run, all skipped (job)", again, fetch_only, f"skipped {again.job['skipped']:,}"),
        ("sync: page commit -> syncProgress event (ws)", summary_cells(live)),
    ]


async def _count(conn: asyncpg.Connection, user_id: int) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM assets WHERE user_id = $1", user_id)
    return count
