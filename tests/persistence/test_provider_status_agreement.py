"""The SQL functions in provider_status_sql.py agree with the domain rule on every case.

Runs against the test database, where migration 0002 installed the functions: what is tested is what is deployed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from itertools import product

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetgraph.domain.provider_status import (
    AssetFacts,
    provider_status,
    summarize,
)
from assetgraph.domain.upload_history import has_failed_upload, read_upload_history
from tests.persistence.own_loop import connection_on_own_loop
from tests.provider_status_cases import RULE_CASES
from tests.strategies import PROVIDERS, asset_facts

# Providers asked about for every asset besides those it mentions: no provider, odd ids, one never seen.
_EXTRA_CANDIDATES: tuple[str | None, ...] = (None, *PROVIDERS, "", "Sora", "pixverse ", "absent")

_QUERY = """
SELECT
    ARRAY(
        SELECT assetgraph_provider_status($1::jsonb, $2::jsonb, $3, $4, $5, candidate.p)
        FROM unnest($6::text[]) WITH ORDINALITY AS candidate(p, n)
        ORDER BY candidate.n
    ) AS statuses,
    assetgraph_has_failed_upload($1::jsonb) AS has_failed_upload,
    assetgraph_flagged_anywhere($1::jsonb) AS flagged_anywhere
"""


def _jsonb_encodings(value: object) -> list[str | None]:
    # Python None stands both for SQL NULL and for a jsonb 'null': both must read the same.
    return [None, "null"] if value is None else [json.dumps(value)]


def _candidates(facts: AssetFacts) -> list[str | None]:
    mentioned = [facts.provider_id, *(state.provider_id for state in summarize(facts).states)]
    return list(dict.fromkeys([*_EXTRA_CANDIDATES, *mentioned]))


async def check_agreement(conn: asyncpg.Connection, facts_list: list[AssetFacts]) -> None:
    """Evaluate the SQL functions for each asset and each candidate provider; fail on any disagreement."""
    for facts in facts_list:
        candidates = _candidates(facts)
        expected = (
            [provider_status(facts, p).value for p in candidates],
            has_failed_upload(read_upload_history(facts.media_metadata)),
            summarize(facts).flagged,
        )
        encodings = product(_jsonb_encodings(facts.media_metadata), _jsonb_encodings(facts.provider_uploads))
        for media_metadata, provider_uploads in encodings:
            row = await conn.fetchrow(
                _QUERY,
                media_metadata,
                provider_uploads,
                facts.provider_id,
                facts.provider_asset_id,
                facts.storage_key,
                candidates,
            )
            assert row is not None
            actual = (list(row["statuses"]), row["has_failed_upload"], row["flagged_anywhere"])
            assert actual == expected, f"SQL and Python disagree for {facts!r} on providers {candidates!r}"


class _Database:
    """One connection on a private event loop, so that synchronous hypothesis tests can drive it."""

    def __init__(self, runner: asyncio.Runner, conn: asyncpg.Connection) -> None:
        self.runner = runner
        self.conn = conn

    def check(self, facts_list: list[AssetFacts]) -> None:
        self.runner.run(check_agreement(self.conn, facts_list))


@pytest.fixture(scope="module")
def database(database_url: str) -> Iterator[_Database]:
    with connection_on_own_loop(database_url) as (runner, conn):
        yield _Database(runner, conn)


@pytest.mark.parametrize(("facts", "provider_id", "expected"), RULE_CASES)
def test_sql_agrees_on_the_rule_table(
    database: _Database, facts: AssetFacts, provider_id: str | None, expected: object
) -> None:
    database.check([facts])


@settings(max_examples=300, deadline=None)
@given(st.lists(asset_facts(), min_size=1, max_size=10))
def test_sql_agrees_with_the_domain_rule(database: _Database, facts_list: list[AssetFacts]) -> None:
    database.check(facts_list)
