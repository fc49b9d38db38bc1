"""Generated libraries: the SQL status filters and overview agree with the domain rule on every asset."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from assetgraph.domain.asset_query import AssetFilter, PageRequest, StatusOverview
from assetgraph.domain.provider_status import AssetFacts, ProviderStatus, summarize
from assetgraph.domain.upload_history import has_failed_upload
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.assets import asset_page, status_overview
from assetgraph.services.auth import create_user
from tests.strategies import asset_facts
from tests.support import random_email


class _Library:
    """A Database on a private event loop, so that synchronous hypothesis tests can drive it."""

    def __init__(self, runner: asyncio.Runner, db: Database) -> None:
        self.runner = runner
        self.db = db


@pytest.fixture(scope="module")
def library(database_url: str) -> Iterator[_Library]:
    with asyncio.Runner() as runner:
        db = Database.connect(database_url, pool_size=2)
        try:
            yield _Library(runner, db)
        finally:
            runner.run(db.dispose())


def _insertable(facts: AssetFacts, index: int) -> dict[str, object]:
    # provider_id is NOT NULL and (user, provider, provider_asset_id) unique: keep what the rule sees, minus clashes.
    asset_id = facts.provider_asset_id
    if asset_id == "" and index > 0:  # '' is a value too: only one asset may have it per provider
        asset_id = None
    return {
        "media_type": "video",
        "provider_id": facts.provider_id if facts.provider_id is not None else "local",
        "provider_asset_id": f"{asset_id}#{index}" if asset_id else asset_id,
        "storage_key": facts.storage_key,
        "provider_uploads": facts.provider_uploads,
        "media_metadata": facts.media_metadata,
    }


async def _check(db: Database, facts_list: list[AssetFacts]) -> None:
    user = await create_user(UnitOfWork(db), random_email())
    async with db.engine.begin() as conn:
        await conn.execute(
            insert(Asset), [{**_insertable(f, i), "user_id": user.user_id} for i, f in enumerate(facts_list)]
        )
    async with db.engine.connect() as conn:
        rows = list(await conn.execute(select(Asset.__table__).where(Asset.user_id == user.user_id)))

    # the rule, applied in Python to each row as stored
    summaries = {
        row.id: summarize(
            AssetFacts(
                row.provider_id, row.provider_asset_id, row.storage_key, row.provider_uploads, row.media_metadata
            )
        )
        for row in rows
    }

    async def members(asset_filter: AssetFilter) -> set[int]:
        page = (await asset_page(UnitOfWork(db), user.user_id, PageRequest(first=500, filter=asset_filter))).records
        return {row.id for row in page}

    for status in ProviderStatus:
        expected = {asset_id for asset_id, s in summaries.items() if s.status is status}
        assert await members(AssetFilter(provider_statuses=(status,))) == expected, status
    for flag in (True, False):
        expected = {asset_id for asset_id, s in summaries.items() if s.flagged is flag}
        assert await members(AssetFilter(flagged=flag)) == expected
        expected = {asset_id for asset_id, s in summaries.items() if has_failed_upload(s.history) is flag}
        assert await members(AssetFilter(has_failed_upload=flag)) == expected

    overview = await status_overview(UnitOfWork(db), user.user_id, AssetFilter())
    assert overview == StatusOverview.from_counts(Counter(s.status for s in summaries.values()))
    assert overview.total == len(summaries)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(asset_facts(), min_size=1, max_size=25))
def test_filters_and_overview_agree_with_the_rule(library: _Library, facts_list: list[AssetFacts]) -> None:
    library.runner.run(_check(library.db, facts_list))


def test_the_strategy_reaches_every_status() -> None:
    # the agreement above means little unless generated libraries hold every status
    seen: set[ProviderStatus] = set()

    @settings(max_examples=300, deadline=None)
    @given(asset_facts())
    def collect(facts: AssetFacts) -> None:
        seen.add(summarize(facts).status)

    collect()
    assert seen == set(ProviderStatus)
