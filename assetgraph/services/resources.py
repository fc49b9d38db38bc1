"""The app's long-lived parts, built once per process and reached by every request through its context."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import httpx

from assetgraph.config import Settings
from assetgraph.jobs.queue import JobQueue
from assetgraph.persistence.change_listener import ChangeListener
from assetgraph.persistence.change_notifications_sql import CHANNELS
from assetgraph.persistence.credential_cipher import CredentialCipher, credential_cipher
from assetgraph.persistence.database import Database, asyncpg_dsn
from assetgraph.persistence.embedded import start_embedded_server
from assetgraph.persistence.embedded_supervisor import EmbeddedSupervisor
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.http import build_client
from assetgraph.providers.registry import ProviderRegistry
from assetgraph.services.delivery_locks import DeliveryLocks
from assetgraph.services.url_fetch import SafeFetcher
from assetgraph.storage.blobs import BlobStore, LocalBlobStore


@dataclass(frozen=True)
class Resources:
    """What the services need that outlives a request.

    The database and, when it is the embedded one, its supervisor; the blob store; the one HTTP client for provider
    calls and the provider registry built over it; the job queue; the change listener that relays committed changes
    to subscriptions. Each is opened and closed by `open_resources`.
    """

    database: Database
    credentials: CredentialCipher
    """Encrypts and decrypts provider account credentials (services/provider_accounts.py)."""
    blobs: BlobStore
    supervisor: EmbeddedSupervisor | None = None
    http_client: httpx.AsyncClient | None = None
    """The one HTTP client for provider calls (None only where a test builds Resources without one)."""
    providers: ProviderRegistry = field(default_factory=ProviderRegistry)
    delivery_locks: DeliveryLocks = field(default_factory=DeliveryLocks)
    url_fetcher: SafeFetcher = field(default_factory=SafeFetcher)
    """Downloads user-supplied URLs (importAssetFromUrl); the default refuses every non-public address."""
    jobs: JobQueue | None = None
    """The job queue (library sync); None only where a test builds Resources without one."""
    changes: ChangeListener | None = None
    """The process's one LISTEN connection, feeding subscriptions; None only where a test builds Resources without
    one."""

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work: one per service call, since concurrent resolvers cannot share one."""
        return UnitOfWork(self.database)


@asynccontextmanager
async def open_resources(settings: Settings, database_url: str) -> AsyncIterator[Resources]:
    """Build the resources, and close each of them, in reverse order, when the block ends.

    With no external database configured, `database_url` is the embedded server's, and a supervisor keeps that
    server running until the block ends. Raises CredentialsKeyError, before anything is opened, when the
    credentials key cannot be used.
    """
    credentials = await asyncio.to_thread(credential_cipher, settings)
    async with AsyncExitStack() as stack:
        # First: a bad allow-list entry fails before anything is opened.
        url_fetcher = await stack.enter_async_context(SafeFetcher.from_settings(settings))
        database = Database.connect(database_url, pool_size=settings.database_pool_size)
        stack.push_async_callback(database.dispose)
        supervisor = None
        if not settings.database_url:
            # Joins the handle this process already holds (the URL was resolved through it).
            server = await asyncio.to_thread(start_embedded_server, settings.resolved_data_dir)
            supervisor = EmbeddedSupervisor(server)
            supervisor.watch_engine(database.engine)
            supervisor.start()
            stack.push_async_callback(supervisor.stop)
        http_client = await stack.enter_async_context(build_client(settings))
        providers = ProviderRegistry.from_settings(settings, http_client)
        blobs = LocalBlobStore(settings.resolved_data_dir / "blobs")
        jobs = await stack.enter_async_context(JobQueue.open(asyncpg_dsn(database_url)))
        changes = await stack.enter_async_context(ChangeListener.open(asyncpg_dsn(database_url), CHANNELS))
        yield Resources(
            database=database,
            credentials=credentials,
            blobs=blobs,
            supervisor=supervisor,
            http_client=http_client,
            providers=providers,
            url_fetcher=url_fetcher,
            jobs=jobs,
            changes=changes,
        )
