"""A page of 100 assets with their raw media_metadata: the JSON scalar path, on fields that predate statuses."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from bench.scenario import Case, Explain, Scenario
from bench.scenarios.pages import graphql_nodes, has_next_difference, page_differences
from bench.seed import BenchUser

QUERY = """
query GalleryJson {
  assets(first: 100) {
    edges { cursor node { id databaseId providerId mediaMetadata } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

# The listing's default filter hides age-restricted and unsearchable assets; the baseline does the same.
BASELINE_SQL = """
SELECT json_build_object(
    'hasNextPage', count(*) > 100,
    'nodes', coalesce(
        json_agg(
            json_build_object('databaseId', id, 'providerId', provider_id, 'mediaMetadata', media_metadata)
            ORDER BY n
        ) FILTER (WHERE n <= 100),
        '[]'::json
    )
)
FROM (
    SELECT id, provider_id, media_metadata, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n
    FROM assets
    WHERE user_id = $1 AND NOT age_restricted AND searchable
    ORDER BY created_at DESC, id DESC
    LIMIT 101
) AS page
"""


async def baseline(conn: asyncpg.Connection, user: BenchUser) -> dict[str, Any]:
    page: dict[str, Any] = json.loads(await conn.fetchval(BASELINE_SQL, user.user_id))
    return page


def compare(data: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    return has_next_difference(data, expected["hasNextPage"]) + page_differences(
        graphql_nodes(data), expected["nodes"], lambda node: (node["providerId"], node["mediaMetadata"])
    )


SCENARIO = Scenario(
    name="gallery_json",
    description="first 100 assets with raw mediaMetadata (JSON scalar), vs one asyncpg query",
    cases=(Case("first page, no filter", QUERY, baseline, compare=compare, explain_app_sql=True),),
    explains=(Explain("baseline SQL (gallery_json)", BASELINE_SQL),),
)
