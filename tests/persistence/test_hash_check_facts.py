"""Hash checks read only the rule's keys of media_metadata (RULE_METADATA_KEYS): on every case of the provider
status rule, and on generated assets (malformed ones included) carrying other payloads beside, the answers from the
trimmed facts are those from the whole asset."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from assetgraph.domain.hash_checks import HashedAsset, checked_hash
from assetgraph.domain.provider_status import AssetFacts
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset, User
from assetgraph.persistence.unit_of_work import UnitOfWork
from tests.provider_status_cases import RULE_CASES
from tests.strategies import PROVIDERS, asset_facts
from tests.support import random_email

_ASKED: tuple[str | None, ...] = (None, *PROVIDERS, "absent")


def _with_other_payloads(media_metadata: object) -> object:
    """What sync leaves beside the rule's keys: a provider's raw payload, here echoing the history's shape."""
    if not isinstance(media_metadata, dict):
        return media_metadata
    return media_metadata | {"raw": {"video_status": 7, "upload_history": {"upload_attempts": []}}, "prompt": "x"}


async def _check(db: Database, facts_list: list[AssetFacts]) -> None:
    # One user per asset: the cases reuse provider asset ids, unique per user.
    stored = [f for f in facts_list if f.provider_id is not None]  # provider_id is NOT NULL in the table
    hashes = [hashlib.sha256(uuid.uuid4().bytes).hexdigest() for _ in stored]
    if not stored:
        return
    async with db.engine.begin() as conn:
        users = await conn.execute(insert(User).returning(User.id), [{"email": random_email()} for _ in stored])
        rows = [
            {
                "user_id": user_id,
                "media_type": "image",
                "sha256": sha256,
                "provider_id": f.provider_id,
                "provider_asset_id": f.provider_asset_id,
                "storage_key": f.storage_key,
                "provider_uploads": f.provider_uploads,
                "media_metadata": _with_other_payloads(f.media_metadata),
            }
            for f, sha256, user_id in zip(stored, hashes, users.scalars().all(), strict=True)
        ]
        inserted = await conn.execute(
            insert(Asset).returning(Asset.id, Asset.user_id, sort_by_parameter_order=True), rows
        )
    for facts, sha256, (asset_id, user_id) in zip(stored, hashes, inserted.all(), strict=True):
        async with UnitOfWork(db) as uow:
            trimmed = (await uow.asset_hashes.by_sha256s(user_id, [sha256]))[sha256]
        whole = HashedAsset(id=asset_id, facts=facts)
        for provider_id in _ASKED:
            expected = checked_hash(sha256, whole, provider_id)
            assert checked_hash(sha256, trimmed, provider_id) == expected, (facts, provider_id)


class _Library:
    """The test database on a private event loop, so that synchronous hypothesis tests can drive it."""

    def __init__(self, runner: asyncio.Runner, db: Database) -> None:
        self.runner, self.db = runner, db

    def check(self, facts_list: list[AssetFacts]) -> None:
        self.runner.run(_check(self.db, facts_list))


@pytest.fixture(scope="module")
def library(database_url: str) -> Iterator[_Library]:
    with asyncio.Runner() as runner:
        db = Database.connect(database_url)
        try:
            yield _Library(runner, db)
        finally:
            runner.run(db.dispose())


def test_the_trimmed_facts_answer_every_rule_case_alike(library: _Library) -> None:
    library.check([case.values[0] for case in RULE_CASES])


@settings(max_examples=60, deadline=None)
@given(st.lists(asset_facts(), min_size=1, max_size=10))
def test_the_trimmed_facts_answer_generated_assets_alike(library: _Library, facts_list: list[AssetFacts]) -> None:
    library.check(facts_list)
