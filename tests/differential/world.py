"""The differential test's world: a seeded template database, its clones, and the executor pairs over them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graphql import GraphQLSchema
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.persistence import migrate
from assetgraph.persistence.database import Database
from assetgraph.schema.schema import EXECUTION_CONTEXTS, build_schema
from tests.differential.harness import ExecutorPair, clone_database, drop_database, open_app
from tests.differential.seeding import seed_library
from tests.differential.values import ValuePool
from tests.support import GraphQLClient, new_user, recreate_database, server_url


@dataclass
class World:
    """One seeded library (a template database), the viewer's token, and the apps made over its clones."""

    schema: GraphQLSchema
    pool: ValuePool
    token: str
    template_url: str
    data_dir: Path
    stack: AsyncExitStack = field(default_factory=AsyncExitStack)
    clones: list[str] = field(default_factory=list)
    _queries: ExecutorPair | None = None
    _query_url: str | None = None

    async def _clone(self) -> str:
        url = await clone_database(self.template_url, "differential")
        self.clones.append(url)
        return url

    async def query_pair(self) -> ExecutorPair:
        """Both executors over one clone: for reads, which leave it as it was."""
        if self._queries is None:
            self._query_url = url = await self._clone()
            stock = await open_app(self.stack, url, "stock", self.data_dir / "stock")
            compiled = await open_app(self.stack, url, "compiled", self.data_dir / "compiled")
            self._queries = ExecutorPair(stock, compiled, self.token)
        return self._queries

    @asynccontextmanager
    async def pair_against(
        self, context_class: type[StrawberryGraphQLCoreExecutionContext]
    ) -> AsyncIterator[ExecutorPair]:
        """The stock app against one built with `context_class` in place of the compiled executor, over the query
        pair's database: to show that the comparison notices when an executor answers differently."""
        stock = (await self.query_pair()).stock
        assert self._query_url is not None
        async with AsyncExitStack() as stack:
            original = EXECUTION_CONTEXTS["compiled"]
            EXECUTION_CONTEXTS["compiled"] = context_class  # read once, when the app builds its schema
            try:
                other = await open_app(stack, self._query_url, "compiled", self.data_dir / context_class.__name__)
            finally:
                EXECUTION_CONTEXTS["compiled"] = original
            yield ExecutorPair(stock, other, self.token)

    @asynccontextmanager
    async def mutation_pair(self) -> AsyncIterator[ExecutorPair]:
        """Each executor over a clone of its own, for writes sent to both in lockstep."""
        async with AsyncExitStack() as stack:
            stock = await open_app(stack, await self._clone(), "stock", self.data_dir / "m-stock")
            compiled = await open_app(stack, await self._clone(), "compiled", self.data_dir / "m-compiled")
            yield ExecutorPair(stock, compiled, self.token)

    async def close(self) -> None:
        await self.stack.aclose()
        # Each DROP DATABASE waits for a checkpoint: side by side, they share them.
        await asyncio.gather(*(drop_database(url) for url in [*self.clones, self.template_url]))


async def open_world(data_dir: Path) -> World:
    """Migrate and seed a template database through an app over it, then leave it for cloning."""
    template_url = server_url(f"differential_{uuid.uuid4().hex[:8]}")
    await recreate_database(template_url)
    await asyncio.to_thread(migrate.upgrade, template_url)
    db = Database.connect(template_url)
    try:
        viewer, other = await new_user(db), await new_user(db)
        async with AsyncExitStack() as stack:
            seeder = await open_app(stack, template_url, "stock", data_dir / "seed")
            pool = await seed_library(db, viewer.user_id, other.user_id, GraphQLClient(seeder, viewer.token))
    finally:
        await db.dispose()
    return World(build_schema()._schema, pool, viewer.token, template_url, data_dir)
