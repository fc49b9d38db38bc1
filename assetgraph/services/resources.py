"""The app's long-lived parts, built once per process and reached by every request through its context."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from assetgraph.config import Settings
from assetgraph.persistence.database import Database
from assetgraph.persistence.embedded import start_embedded_server
from assetgraph.persistence.embedded_supervisor import EmbeddedSupervisor
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.url_fetch import SafeFetcher


@dataclass(frozen=True)
class Resources:
    """What the services need that outlives a request.

    Today that is the database and, when it is the embedded one, its supervisor. The write paths add theirs here,
    each opened and closed by `open_resources`: the shared HTTP client for providers, the blob store, the provider
    registry, the job app and the notification listener.
    """

    database: Database
    supervisor: EmbeddedSupervisor | None = None
    url_fetcher: SafeFetcher = field(default_factory=SafeFetcher)
    """Downloads user-supplied URLs (importAssetFromUrl); the default refuses every non-public address."""

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work: one per service call, since concurrent resolvers cannot share one."""
        return UnitOfWork(self.database)


@asynccontextmanager
async def open_resources(settings: Settings, database_url: str) -> AsyncIterator[Resources]:
    """Build the resources, and close each of them, in reverse order, when the block ends.

    With no external database configured, `database_url` is the embedded server's, and a supervisor keeps that
    server running until the block ends.
    """
    async with AsyncExitStack() as stack:
        # First: a bad allow-list entry fails before anything is opened.
        url_fetcher = await stack.enter_async_context(SafeFetcher.from_settings(settings))
        database = Database.connect(database_url)
        stack.push_async_callback(database.dispose)
        supervisor = None
        if not settings.database_url:
            # Joins the handle this process already holds (the URL was resolved through it).
            server = await asyncio.to_thread(start_embedded_server, settings.resolved_data_dir)
            supervisor = EmbeddedSupervisor(server)
            supervisor.watch_engine(database.engine)
            supervisor.start()
            stack.push_async_callback(supervisor.stop)
        yield Resources(database=database, supervisor=supervisor, url_fetcher=url_fetcher)
