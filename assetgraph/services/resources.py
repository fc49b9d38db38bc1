"""The app's long-lived parts, built once per process and reached by every request through its context."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Resources:
    """What the services need that outlives a request.

    Today that is the database. The write paths add theirs here, each opened and closed by `open_resources`: the
    shared HTTP client for providers, the blob store, the provider registry, the job app and the notification
    listener.
    """

    database: Database

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work: one per service call, since concurrent resolvers cannot share one."""
        return UnitOfWork(self.database)


@asynccontextmanager
async def open_resources(database_url: str) -> AsyncIterator[Resources]:
    """Build the resources, and close each of them, in reverse order, when the block ends."""
    async with AsyncExitStack() as stack:
        database = Database.connect(database_url)
        stack.push_async_callback(database.dispose)
        yield Resources(database=database)
