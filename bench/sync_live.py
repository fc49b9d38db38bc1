"""The sync scenario's live-progress figure: how long after a page's commit the syncProgress subscription's event
reaches a client, against a plain asyncpg LISTEN on the same channel.

An observer runs in a process of its own (the bench's own process serves the sandbox's Pixverse pages, and the worker
asks for the next page right after each commit, so a clock read there would wait behind page generation). It holds:
- a WebSocket to the server's /graphql (graphql-transport-ws), subscribed to syncProgress for the job;
- a raw asyncpg connection doing LISTEN assetgraph_sync_job, independent of the server: PostgreSQL signals listeners
  right after the commit, so the moment a notification is heard there is taken as the page's commit. Each
  notification's row is read at once on another connection (pages_done, updated_at), to know which commit it was;
- a probe: every PROBE_SECONDS it sends `SELECT pg_notify(probe channel, n)` on a third connection and times it to
  the raw listener, which bounds the raw delivery itself (send + commit + delivery).
Every clock is time.time() on one machine, so it compares with the rows' updated_at (the page transaction's now()).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import statistics
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from typing import Any

import asyncpg
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from assetgraph.persistence.change_notifications_sql import SYNC_JOB_CHANNEL

PROBE_CHANNEL = "assetgraph_bench_probe"
PROBE_SECONDS = 0.02
SUBSCRIPTION_TIMEOUT = 300.0
_READY = "ready"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PROGRESS = "subscription($id: ID!) { syncProgress(jobId: $id) { id status pagesDone updatedAt } }"
_READ = "SELECT pages_done, updated_at FROM sync_jobs WHERE id = $1"


def _microseconds(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class Heard:
    """One notification at the raw listener, and the job row as read just after it (None: no longer there)."""

    at: float
    job_id: str
    pages_done: int | None
    updated_at_us: int | None


@dataclass(frozen=True)
class Event:
    """One `next` of the subscription as the WebSocket client received it."""

    at: float
    pages_done: int
    updated_at_us: int
    status: str


@dataclass
class LiveRecord:
    """What the observer saw; `error` says why it stopped early, if it did."""

    events: list[Event] = field(default_factory=list)
    heard: list[Heard] = field(default_factory=list)
    probes: list[float] = field(default_factory=list)
    """Seconds from sending a probe NOTIFY to hearing it at the raw listener."""
    completed: bool = False
    error: str | None = None


# ---- the observer process ----------------------------------------------------------------------------------------


async def _read_rows(reader: asyncpg.Connection, queue: asyncio.Queue[tuple[float, str]], out: list[Heard]) -> None:
    while True:
        at, payload = await queue.get()
        try:
            row = await reader.fetchrow(_READ, int(payload)) if payload.isdigit() else None
            pages, updated = (row["pages_done"], _microseconds(row["updated_at"])) if row else (None, None)
            out.append(Heard(at, payload, pages, updated))
        finally:
            queue.task_done()


async def _probe(prober: asyncpg.Connection, sent: dict[str, float]) -> None:
    number = 0
    while True:
        number += 1
        sent[str(number)] = time.time()
        await prober.execute(f"SELECT pg_notify('{PROBE_CHANNEL}', '{number}')")
        await asyncio.sleep(PROBE_SECONDS)


async def _open_socket(ws: ClientConnection, token: str) -> None:
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
    if ack.get("type") != "connection_ack":
        raise RuntimeError(f"expected connection_ack, got {ack}")


async def _follow(ws: ClientConnection, job_id: str, record: LiveRecord) -> None:
    """Subscribe and keep each `next` with its receive time until `complete`."""
    await ws.send(
        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": _PROGRESS, "variables": {"id": job_id}}})
    )
    async for raw in ws:
        at = time.time()
        message: dict[str, Any] = json.loads(raw)
        kind = message.get("type")
        if kind == "ping":
            await ws.send(json.dumps({"type": "pong"}))
        elif kind == "next":
            payload = message["payload"]
            if payload.get("errors"):
                raise RuntimeError(f"subscription errors: {payload['errors']}")
            job = payload["data"]["syncProgress"]
            updated = _microseconds(datetime.fromisoformat(job["updatedAt"]))
            record.events.append(Event(at, job["pagesDone"], updated, job["status"]))
        elif kind == "complete":
            record.completed = True
            return
        elif kind == "error":
            raise RuntimeError(f"subscription error: {message.get('payload')}")
    raise RuntimeError("the socket closed before the subscription completed")


async def _observe(base_url: str, token: str, dsn: str, pipe: Connection, record: LiveRecord) -> None:
    queue: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
    sent: dict[str, float] = {}

    def on_job(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        queue.put_nowait((time.time(), payload))

    def on_probe(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        at = time.time()
        if (started := sent.pop(payload, None)) is not None:
            record.probes.append(at - started)

    listener, reader, prober = [await asyncpg.connect(dsn) for _ in range(3)]
    tasks: list[asyncio.Task[None]] = []
    try:
        await listener.add_listener(SYNC_JOB_CHANNEL, on_job)
        await listener.add_listener(PROBE_CHANNEL, on_probe)
        async with connect(base_url.replace("http://", "ws://") + "/graphql",
                           subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:  # fmt: skip
            await _open_socket(ws, token)
            pipe.send(_READY)
            job_id: str = await asyncio.to_thread(pipe.recv)
            tasks = [
                asyncio.create_task(_read_rows(reader, queue, record.heard)),
                asyncio.create_task(_probe(prober, sent)),
            ]
            async with asyncio.timeout(SUBSCRIPTION_TIMEOUT):
                await _follow(ws, job_id, record)
        async with asyncio.timeout(5):
            await queue.join()  # the last notifications' rows
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for conn in (listener, reader, prober):
            await conn.close()


def _observer_main(base_url: str, token: str, dsn: str, pipe: Connection) -> None:
    record = LiveRecord()
    try:
        asyncio.run(_observe(base_url, token, dsn, pipe, record))
    except BaseException as exc:  # reported to the bench, which prints it instead of a figure
        record.error = f"{type(exc).__name__}: {exc}"
    pipe.send(record)


class LiveObserver:
    """The bench's handle on the observer process."""

    def __init__(self, pipe: Connection) -> None:
        self._pipe = pipe

    def follow(self, job_id: str) -> None:
        """Subscribe to the job (its global id) now."""
        self._pipe.send(job_id)

    async def record(self, within: float = SUBSCRIPTION_TIMEOUT + 30) -> LiveRecord:
        """What the observer saw, once the subscription has completed (or failed)."""
        if not await asyncio.to_thread(self._pipe.poll, within):
            return LiveRecord(error=f"no answer from the observer within {within:.0f} s")
        received: LiveRecord = self._pipe.recv()
        return received


@asynccontextmanager
async def live_observer(base_url: str, token: str, dsn: str) -> AsyncIterator[LiveObserver]:
    """An observer process, connected (raw listener and acknowledged WebSocket) before the block starts."""
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_observer_main, args=(base_url, token, dsn, theirs), name="bench-sync-observer", daemon=True
    )
    process.start()
    try:
        if not await asyncio.to_thread(ours.poll, 60):
            raise RuntimeError("the observer process did not get ready")
        ready = ours.recv()
        if ready != _READY:
            raise RuntimeError(f"the observer process failed: {getattr(ready, 'error', ready)}")
        yield LiveObserver(ours)
    finally:
        await asyncio.to_thread(process.join, 10)
        if process.is_alive():
            process.terminate()
            await asyncio.to_thread(process.join, 10)
        ours.close()


# ---- the figures -------------------------------------------------------------------------------------------------


def median_p95(samples: Sequence[float]) -> tuple[float, float]:
    """Median and nearest-rank p95 (an observed sample, like bench/harness.py's)."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


@dataclass(frozen=True)
class PageDelay:
    """One page's commit as both listeners got it (seconds)."""

    pages_done: int
    relay: float
    """The subscription's event at the client minus the NOTIFY at the raw listener: what the relay adds."""
    event: float
    """The event at the client minus the row's updatedAt (the page transaction's start)."""
    raw: float
    """The NOTIFY at the raw listener minus the same updatedAt."""


@dataclass(frozen=True)
class LiveFigures:
    delays: list[PageDelay]
    pages: int
    """pagesDone of the job's last event."""
    first: int | None
    """pagesDone of the subscription's first event (the job as it was when subscribed)."""
    missed: list[int]
    """Pages 0..`pages` with no event of their own."""
    unmatched: list[int]
    """Pages seen by the subscriber whose commit the raw listener's read did not pin down."""
    probes: list[float]
    record: LiveRecord


def figures(record: LiveRecord, job_db_id: int) -> LiveFigures:
    """Pair each page's event with its NOTIFY at the raw listener.

    Notifications arrive in commit order, each commit of the row changes its updated_at, and the row read after a
    notification is at least that commit's state. So when several notifications read the same state, the last of
    them is that state's own commit (the earlier ones were commits the read overtook).
    """
    heard_at: dict[tuple[int, int], float] = {}
    for heard in record.heard:
        if heard.job_id == str(job_db_id) and heard.pages_done is not None and heard.updated_at_us is not None:
            heard_at[(heard.pages_done, heard.updated_at_us)] = heard.at
    delays: list[PageDelay] = []
    unmatched: list[int] = []
    seen: set[int] = set()
    for event in record.events:
        if event.pages_done in seen:
            continue
        first_event = not seen
        seen.add(event.pages_done)
        if first_event:
            continue  # the job as it was at subscription time, read by the subscription itself: no relay
        at = heard_at.get((event.pages_done, event.updated_at_us))
        if at is None:
            unmatched.append(event.pages_done)
            continue
        updated = event.updated_at_us / 1_000_000
        delays.append(PageDelay(event.pages_done, event.at - at, event.at - updated, at - updated))
    pages = record.events[-1].pages_done if record.events else 0
    first = record.events[0].pages_done if record.events else None
    missed = [page for page in range(pages + 1) if page not in seen]
    return LiveFigures(delays, pages, first, missed, unmatched, record.probes, record)


def _ms(samples: Sequence[float]) -> str:
    if not samples:
        return "no samples"
    median, p95 = median_p95(samples)
    return f"median {median * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms  max {max(samples) * 1000:6.2f} ms"


def describe(live: LiveFigures) -> list[str]:
    """The printed block: the figure, how it was measured, and whether every page was seen."""
    record = live.record
    if record.error:
        return [f"WARNING: live progress not measured: {record.error}"]
    relay = [d.relay for d in live.delays]
    event = [d.event for d in live.delays]
    raw = [d.raw for d in live.delays]
    coverage = (
        f"every page seen, pagesDone {live.first}..{live.pages} contiguous"
        if not live.missed and live.first == 0
        else f"WARNING: missed pages {live.missed} (first event at pagesDone {live.first})"
    )
    lines = [
        f"live progress: syncProgress over graphql-transport-ws, subscribed during the first import; "
        f"{len(record.events)} events{'' if record.completed else ', NOT completed'}; {coverage}",
        "  commit = the NOTIFY heard on a raw asyncpg LISTEN connection in an observer process (PostgreSQL signals "
        "listeners at commit);",
        "  the WebSocket client is in the same process; both clocks are time.time() on this machine",
        f"  commit -> event at client    {_ms(relay)}  ({len(relay)} pages)",
        f"  raw NOTIFY delivery (probe)  {_ms(live.probes)}  ({len(live.probes)} NOTIFYs sent every "
        f"{PROBE_SECONDS * 1000:.0f} ms during the job; send + commit + delivery, an upper bound)",
        f"  from updatedAt (page transaction start): event at client {_ms(event)}",
        f"                                           raw NOTIFY      {_ms(raw)}",
        "  (updatedAt -> raw NOTIFY is the page's transaction after its now(): locking, importing, committing)",
    ]
    if live.unmatched:
        lines.append(f"  WARNING: {len(live.unmatched)} pages not paired with a raw NOTIFY: {live.unmatched[:20]}")
    return lines


def summary_cells(live: LiveFigures) -> str:
    """GraphQL = event at client, baseline = raw NOTIFY, both from the page's updatedAt; note = relay's extra ms."""
    if live.record.error or not live.delays:
        return f"{'':>11} {'':>8}  {'':>12} {'':>8}  {'':>6}  {'':>3}  not measured: {live.record.error}"
    event = median_p95([d.event * 1000 for d in live.delays])
    raw = median_p95([d.raw * 1000 for d in live.delays])
    relay = median_p95([d.relay * 1000 for d in live.delays])
    pages = f"{live.pages - len(live.missed) + 1}/{live.pages + 1} pages"
    cells = f"{event[0]:>11.2f} {event[1]:>8.2f}  {raw[0]:>12.2f} {raw[1]:>8.2f}  {event[0] / raw[0]:>6.2f}  {'':>3}"
    return f"{cells}  relay +{relay[0]:.2f} ms (p95 {relay[1]:.2f}) after commit; {pages}"
