"""One transaction on one connection, with the repositories that work through it; rolls back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.persistence.database import RESENDABLE, Database
from assetgraph.persistence.repositories.asset_hashes import AssetHashRepository
from assetgraph.persistence.repositories.asset_parts import OwnedAssetRepository
from assetgraph.persistence.repositories.asset_writes import AssetWriteRepository
from assetgraph.persistence.repositories.assets import AssetRepository
from assetgraph.persistence.repositories.branches import BranchRepository
from assetgraph.persistence.repositories.clips import ClipRepository
from assetgraph.persistence.repositories.lineage_graph import LineageGraphRepository
from assetgraph.persistence.repositories.lineage_jobs import LineageJobRepository
from assetgraph.persistence.repositories.lineage_writes import LineageWriteRepository
from assetgraph.persistence.repositories.provider_accounts import ProviderAccountRepository
from assetgraph.persistence.repositories.sync_jobs import SyncJobRepository
from assetgraph.persistence.repositories.synced_assets import SyncedAssetRepository
from assetgraph.persistence.repositories.typed_metadata import TypedMetadataRepository
from assetgraph.persistence.repositories.users import UserRepository


class UnitOfWorkInUseError(RuntimeError):
    """A unit of work was entered while already open: each concurrent task needs its own."""


class UnitOfWork:
    """`async with uow: ... await uow.commit()`: everything in the block is one transaction.

    Leaving the block without `commit()` (an exception, an early return, a read) rolls back. Reads use the same
    plain connection as writes: repositories return plain records, never ORM objects, so there is no identity map
    to build on the gallery's hot path. One instance may be entered again once its block has ended, never twice at
    once: graphql-core resolves sibling fields concurrently, so each concurrent task takes its own.
    """

    assets: AssetRepository
    asset_writes: AssetWriteRepository
    asset_hashes: AssetHashRepository
    users: UserRepository
    provider_accounts: ProviderAccountRepository
    synced_assets: SyncedAssetRepository
    sync_jobs: SyncJobRepository
    lineage_writes: LineageWriteRepository
    lineage_jobs: LineageJobRepository
    lineage_graph: LineageGraphRepository
    owned_assets: OwnedAssetRepository
    branches: BranchRepository
    clips: ClipRepository
    typed_metadata: TypedMetadataRepository

    def __init__(self, db: Database, *, autocommit: bool = False) -> None:
        self._db = db
        self._autocommit = autocommit
        self._connection: AsyncConnection | None = None

    def autocommitted(self) -> UnitOfWork:
        """A unit of work on the same database whose every statement is its own transaction.

        For work of one statement (a page, a count, the token lookup with its use stamp): PostgreSQL runs a single
        statement atomically on one snapshot anyway, and leaving out BEGIN and ROLLBACK/COMMIT saves two round
        trips and their driver work per checkout (three checkouts per gallery request). Never for work of several
        statements that must see one snapshot or be written together: those keep a plain unit of work. Its
        statements must do no harm when sent twice: one whose session died under it is sent again on a fresh one.
        """
        return UnitOfWork(self._db, autocommit=True)

    async def __aenter__(self) -> UnitOfWork:
        if self._connection is not None:
            raise UnitOfWorkInUseError("this unit of work is already open")
        connection = await self._db.engine.connect()
        if self._autocommit:
            # No round trip: asyncpg's adapter only stops opening a transaction before the first statement.
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT", **{RESENDABLE: True})
        self._connection = connection
        self.assets = AssetRepository(connection)
        self.asset_writes = AssetWriteRepository(connection)
        self.asset_hashes = AssetHashRepository(connection)
        self.users = UserRepository(connection)
        self.provider_accounts = ProviderAccountRepository(connection)
        self.synced_assets = SyncedAssetRepository(connection)
        self.sync_jobs = SyncJobRepository(connection)
        self.lineage_writes = LineageWriteRepository(connection)
        self.lineage_jobs = LineageJobRepository(connection)
        self.lineage_graph = LineageGraphRepository(connection)
        self.owned_assets = OwnedAssetRepository(connection)
        self.branches = BranchRepository(connection)
        self.clips = ClipRepository(connection)
        self.typed_metadata = TypedMetadataRepository(connection)
        return self

    async def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit() outside of `async with`")
        if self._autocommit:
            raise RuntimeError("commit() in an autocommitted unit of work: each statement committed itself")
        await self._connection.commit()

    async def rollback(self) -> None:
        """End the transaction without its changes; the block may go on with a new one (its next statement)."""
        if self._connection is None:
            raise RuntimeError("rollback() outside of `async with`")
        if self._autocommit:
            raise RuntimeError("rollback() in an autocommitted unit of work: there is nothing to roll back")
        await self._connection.rollback()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # Closing returns the connection to the pool, rolling back whatever was not committed.
            await connection.close()
