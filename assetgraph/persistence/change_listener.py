"""One LISTEN connection per process, shared by every subscription of the process.

The database's triggers notify (persistence/change_notifications_sql.py); this connection receives every
notification of the channels it listens on and hands each to the feeds watching its key, so a thousand subscribers
cost one connection, and any worker's or replica's commit reaches every subscriber of every process. When the
connection dies it is made again; every feed is told that it may have missed changes in the meantime (`gap`),
since PostgreSQL does not keep notifications for a listener that was away, and a subscriber then re-reads what it
follows.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

import asyncpg

from assetgraph.persistence.change_notifications_sql import notification_key

logger = logging.getLogger(__name__)

APPLICATION_NAME = "assetgraph-listener"
"""The listening connection's application_name in pg_stat_activity."""


@dataclass(frozen=True)
class ChangeBatch:
    payloads: list[str]
    """The notifications received since the last batch, oldest first."""
    gap: bool
    """True when some may have been lost (the listening connection was down, or the feed overflowed)."""


class ChangeFeed:
    """The notifications of one channel and key, as one subscriber reads them; bounded, so that a subscriber that
    stops reading cannot hold unbounded memory (the oldest are dropped, and the next batch says so)."""

    def __init__(self, capacity: int) -> None:
        self._payloads: deque[str] = deque()
        self._capacity = capacity
        self._gap = False
        self._ready = asyncio.Event()

    def push(self, payload: str) -> None:
        if len(self._payloads) >= self._capacity:
            self._payloads.popleft()
            self._gap = True
        self._payloads.append(payload)
        self._ready.set()

    def mark_gap(self) -> None:
        self._gap = True
        self._ready.set()

    async def next_batch(self) -> ChangeBatch:
        """Wait for at least one notification (or a gap), then take everything received so far."""
        await self._ready.wait()
        self._ready.clear()
        batch = ChangeBatch(list(self._payloads), self._gap)
        self._payloads.clear()
        self._gap = False
        return batch


@dataclass(frozen=True)
class ListenerOptions:
    reconnect_delay_seconds: float = 1.0
    """The first wait before connecting again; doubled after each failure, up to the maximum."""
    reconnect_delay_max_seconds: float = 10.0
    ping_seconds: float = 15.0
    """How often the idle connection is checked, so that a connection lost without a word is noticed."""
    feed_capacity: int = 1000


class ChangeListener:
    """Listens on `channels` over one connection (made again whenever it is lost) and fans out to feeds."""

    def __init__(self, dsn: str, channels: Sequence[str], options: ListenerOptions | None = None) -> None:
        self._dsn = dsn
        self._channels = tuple(channels)
        self._options = options or ListenerOptions()
        self._feeds: dict[tuple[str, str], set[ChangeFeed]] = {}
        self.connections_made = 0
        """How many times the listening connection has been made (a reconnect adds one)."""

    @classmethod
    @asynccontextmanager
    async def open(
        cls, dsn: str, channels: Sequence[str], options: ListenerOptions | None = None
    ) -> AsyncIterator[ChangeListener]:
        """Listen in the background for the block's duration; the block starts at once, even with the database
        down (the connection is made as soon as it can be)."""
        listener = cls(dsn, channels, options)
        task = asyncio.create_task(listener._run(), name="change-listener")
        try:
            yield listener
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    @contextmanager
    def watch(self, channel: str, key: str) -> Iterator[ChangeFeed]:
        """A feed of the notifications of `channel` whose key (change_notifications_sql.notification_key) is `key`,
        for the block's duration. Watch before reading the state to follow: nothing committed after the read is
        then missed."""
        if channel not in self._channels:
            raise ValueError(f"this listener does not listen on {channel!r}")
        feed = ChangeFeed(self._options.feed_capacity)
        watchers = self._feeds.setdefault((channel, key), set())
        watchers.add(feed)
        try:
            yield feed
        finally:
            watchers.discard(feed)
            if not watchers:
                del self._feeds[(channel, key)]

    def _deliver(self, _connection: object, _pid: int, channel: str, payload: str) -> None:
        for feed in self._feeds.get((channel, notification_key(payload)), ()):
            feed.push(payload)

    def _mark_every_gap(self) -> None:
        for feeds in self._feeds.values():
            for feed in feeds:
                feed.mark_gap()

    async def _run(self) -> None:
        delay = self._options.reconnect_delay_seconds
        while True:
            try:
                await self._listen_once()
                delay = self._options.reconnect_delay_seconds
            except Exception as exc:  # whatever ended the connection, the listener must outlive it
                logger.warning("change_listener_down", extra={"error": type(exc).__name__, "retry_in": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._options.reconnect_delay_max_seconds)

    async def _listen_once(self) -> None:
        """Listen until the connection is lost (then return or raise, for _run to connect again)."""
        connection = await asyncpg.connect(self._dsn, server_settings={"application_name": APPLICATION_NAME})
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _: lost.set())
        try:
            for channel in self._channels:
                await connection.add_listener(channel, self._deliver)
            self.connections_made += 1
            if self.connections_made > 1:
                # Whatever was committed while no connection listened was not heard: followers re-read.
                self._mark_every_gap()
                logger.info("change_listener_reconnected")
            while not lost.is_set():
                try:
                    async with asyncio.timeout(self._options.ping_seconds):
                        await lost.wait()
                except TimeoutError:
                    await connection.fetchval("SELECT 1", timeout=self._options.ping_seconds)
        finally:
            if not connection.is_closed():
                connection.terminate()
