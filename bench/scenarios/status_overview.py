"""The gallery's status badges summary: counts per provider status over the whole filtered library."""

from __future__ import annotations

from typing import Any

import asyncpg

from bench.harness import Baseline, Case, Explain, Scenario

QUERY = """
query StatusOverview($f: AssetFilterInput) {
  assetStatusOverview(filter: $f) { ok localOnly flagged unknown total }
}
"""

# The default filter hides age-restricted and unsearchable assets; `extra` narrows it like the GraphQL filter.
_COUNTS_SQL = """
SELECT count(*) FILTER (WHERE provider_status = 'OK') AS "ok",
       count(*) FILTER (WHERE provider_status = 'LOCAL_ONLY') AS "localOnly",
       count(*) FILTER (WHERE provider_status = 'FLAGGED') AS "flagged",
       count(*) FILTER (WHERE provider_status = 'UNKNOWN') AS "unknown",
       count(*) AS "total"
FROM assets
WHERE user_id = $1 AND NOT age_restricted AND searchable {extra}
"""

OVERVIEW_GROUP_BY_SQL = "SELECT provider_status, count(*) FROM assets WHERE user_id = $1 GROUP BY provider_status"


def _baseline(extra: str = "") -> Baseline:
    sql = _COUNTS_SQL.format(extra=extra)

    async def baseline(conn: asyncpg.Connection, user_id: int) -> dict[str, Any]:
        return dict(await conn.fetchrow(sql, user_id))

    return baseline


def compare(data: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    counts = data["assetStatusOverview"]
    return [] if counts == expected else [f"GraphQL {counts} != baseline {expected}"]


SCENARIO = Scenario(
    name="status_overview",
    description="assetStatusOverview counts, vs one hand-written count(*) FILTER query",
    cases=(
        Case("default filter", QUERY, {"f": None}, _baseline(), compare),
        Case("videos only", QUERY, {"f": {"mediaType": ["VIDEO"]}}, _baseline("AND media_type = 'video'"), compare),
    ),
    explains=(
        Explain("overview GROUP BY provider_status", OVERVIEW_GROUP_BY_SQL),
        Explain("baseline counts (default filter)", _COUNTS_SQL.format(extra="")),
    ),
)
