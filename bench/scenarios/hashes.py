"""Lookups by content: a Local Folders scan of 10,000 files (checkByHashes) and near-duplicates (similarAssets).

The input comes from the seeded library when the scenario runs: half the hashes are the bench user's own (its first
5,000 assets with a sha256, by id), half random ones no asset has, shuffled; the near-duplicates are those of the
user's first asset (by id) with an informative perceptual hash. The library's phash64 values are random, so two
hashes differ in 32 +- 4 bits: within 10 bits nothing is found, within 24 bits about 3% of the library is (20 shown).
"""

from __future__ import annotations

import random
from typing import Any

import asyncpg

from assetgraph.persistence.phash_sql import INFORMATIVE_PHASH_SQL
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from bench.harness import Baseline, Case, Compare, Explain, Scenario

HASHES = 10_000
SIMILAR_FIRST = 20
SIMILAR_DISTANCES = (10, 24)
RANDOM_SEED = 8

CHECK_QUERY = """
query Check($hashes: [String!]!) { checkByHashes(sha256s: $hashes) { sha256 exists uploadedToProviders note } }
"""
EXISTS_QUERY = "query CheckExists($hashes: [String!]!) { checkByHashes(sha256s: $hashes) { sha256 exists } }"
SIMILAR_QUERY = f"""
query Similar($id: ID!, $distance: Int) {{
  similarAssets(assetId: $id, maxDistance: $distance, first: {SIMILAR_FIRST}) {{ distance asset {{ databaseId }} }}
}}
"""

OWN_HASHES_SQL = "SELECT sha256 FROM assets WHERE user_id = $1 AND sha256 IS NOT NULL ORDER BY id LIMIT $2"
FOUND_SQL = "SELECT sha256, id FROM assets WHERE user_id = $1 AND sha256 = ANY($2::text[])"
# What the app reads to name the providers holding each copy: the provider status rule's inputs, media_metadata cut
# down to the rule's keys. The rule itself (uploadedToProviders, note) runs only on the GraphQL side.
FACTS_SQL = """
SELECT sha256, id, provider_id, provider_asset_id, storage_key, provider_uploads,
       jsonb_build_object('upload_history', media_metadata -> 'upload_history',
                          'provider_moderation', media_metadata -> 'provider_moderation')
FROM assets
WHERE user_id = $1 AND sha256 = ANY($2::text[])
"""
SOURCE_SQL = f"SELECT id, phash64 FROM assets WHERE user_id = $1 AND {INFORMATIVE_PHASH_SQL} ORDER BY id LIMIT 1"
# The index's own predicate, written out, lets the planner scan ix_assets_user_phash (index-only).
SIMILAR_SQL = f"""
SELECT id, bit_count((phash64 # $2)::bit(64)) AS distance
FROM assets
WHERE user_id = $1 AND {INFORMATIVE_PHASH_SQL} AND id <> $3 AND bit_count((phash64 # $2)::bit(64)) <= $4
ORDER BY distance, id
LIMIT {SIMILAR_FIRST}
"""


def _found_baseline(sql: str, hashes: list[str]) -> Baseline:
    async def baseline(conn: asyncpg.Connection, user_id: int) -> dict[str, int]:
        return {row[0]: row[1] for row in await conn.fetch(sql, user_id, hashes)}

    return baseline


def _compare_checks(hashes: list[str]) -> Compare:
    """The answers come in the order asked, and `exists` per hash agrees with the baseline's found hashes."""

    def compare(data: dict[str, Any], found: dict[str, int]) -> list[str]:
        checks = data["checkByHashes"]
        if [check["sha256"] for check in checks] != hashes:
            return [f"GraphQL answered {len(checks)} hashes, not the {len(hashes)} asked in their order"]
        wrong = [check["sha256"] for check in checks if check["exists"] != (check["sha256"] in found)]
        if not wrong:
            return []
        exists = sum(check["exists"] for check in checks)
        return [f"exists differs for {len(wrong)} hashes (e.g. {wrong[0]}): GraphQL {exists}, baseline {len(found)}"]

    return compare


def _compare_similar(data: dict[str, Any], expected: list[tuple[int, int]]) -> list[str]:
    """The same assets at the same distances, in the same order."""
    found = [(similar["asset"]["databaseId"], similar["distance"]) for similar in data["similarAssets"] or ()]
    if found == expected:
        return []
    shown = f"GraphQL {len(found)} starting {found[:3]}, baseline {len(expected)} starting {expected[:3]}"
    return [f"near-duplicates (id, distance) differ: {shown}"]


def _similar(source_id: int, phash: int, distance: int) -> tuple[Case, Explain]:
    """The case of the source's near-duplicates within `distance` bits, and the plan of its baseline."""
    arguments = (phash, source_id, distance)

    async def baseline(conn: asyncpg.Connection, user_id: int) -> list[tuple[int, int]]:
        return [(row[0], row[1]) for row in await conn.fetch(SIMILAR_SQL, user_id, *arguments)]

    variables = {"id": to_global_id(NodeType.ASSET, source_id), "distance": distance}
    label = f"asset {source_id}, maxDistance {distance}, first {SIMILAR_FIRST}"
    case = Case(label, SIMILAR_QUERY, variables, baseline, _compare_similar)
    plan = f"baseline SQL (similarAssets, maxDistance {distance})"
    return case, Explain(plan, SIMILAR_SQL, lambda user_id: (user_id, *arguments))


async def _prepare(conn: asyncpg.Connection, user_id: int) -> tuple[tuple[Case, ...], tuple[Explain, ...]]:
    rng = random.Random(RANDOM_SEED)
    hashes = [row[0] for row in await conn.fetch(OWN_HASHES_SQL, user_id, HASHES // 2)]
    hashes += [f"{rng.getrandbits(256):064x}" for _ in range(HASHES - len(hashes))]
    rng.shuffle(hashes)
    source_id, phash = await conn.fetchrow(SOURCE_SQL, user_id)
    variables = {"hashes": hashes}
    compare = _compare_checks(hashes)
    cases = [
        Case(f"{HASHES:,} hashes, half found: {{sha256 exists uploadedToProviders note}}", CHECK_QUERY, variables,
             _found_baseline(FACTS_SQL, hashes), compare),
        Case(f"{HASHES:,} hashes, half found: {{sha256 exists}}", EXISTS_QUERY, variables,
             _found_baseline(FOUND_SQL, hashes), compare),
    ]  # fmt: skip
    explains = [Explain("baseline SQL (checkByHashes facts)", FACTS_SQL, lambda user_id: (user_id, hashes))]
    for distance in SIMILAR_DISTANCES:
        case, plan = _similar(source_id, phash, distance)
        cases.append(case)
        explains.append(plan)
    return tuple(cases), tuple(explains)


SCENARIO = Scenario(
    name="hashes",
    description=f"checkByHashes of {HASHES:,} hashes and similarAssets, vs one hand-written asyncpg query each",
    prepare=_prepare,
)
