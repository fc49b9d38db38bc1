"""The gallery's pages of 100 assets: by provider status with every badge field, and with raw mediaMetadata.

Each baseline builds the same page as JSON in one asyncpg query. The listing's default filter hides age-restricted
and unsearchable assets; the baselines do the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import asyncpg

from bench.harness import Baseline, Case, Compare, Explain, Scenario
from bench.scenarios.gallery_sql import gallery_page_sql

PAGE_QUERY = """
query Gallery($status: [ProviderStatus!]) {
  assets(first: 100, filter: {providerStatus: $status}) {
    edges { cursor node { id databaseId providerId providerStatus providerFlagged providerFlagReason
      lastUploadStatusByProvider { providerId status }
      providerStates { providerId status providerAssetId url flagged flagReason
        lastAttempt { providerId status errorCode errorMessage at method } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

JSON_QUERY = """
query GalleryJson {
  assets(first: 100) {
    edges { cursor node { id databaseId providerId mediaMetadata } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

LIGHT_QUERY = """
query GalleryLight {
  assets(first: 100) {
    edges { cursor node { id databaseId providerId remoteUrl thumbnailUrl } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

# The JSON baseline's page, with the light query's columns instead of media_metadata.
LIGHT_BASELINE_SQL = """
SELECT json_build_object(
    'hasNextPage', count(*) > 100,
    'nodes', coalesce(
        json_agg(
            json_build_object(
                'databaseId', id, 'providerId', provider_id, 'remoteUrl', remote_url, 'thumbnailUrl', thumbnail_url
            )
            ORDER BY n
        ) FILTER (WHERE n <= 100),
        '[]'::json
    )
)
FROM (
    SELECT id, provider_id, remote_url, thumbnail_url, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n
    FROM assets
    WHERE user_id = $1 AND NOT age_restricted AND searchable
    ORDER BY created_at DESC, id DESC
    LIMIT 101
) AS page
"""

JSON_BASELINE_SQL = """
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

MAX_DIFFERENCES = 5
MAX_SHOWN_CHARS = 300


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[:MAX_SHOWN_CHARS]}..."


def _page_compare(summary: Callable[[dict[str, Any]], Any]) -> Compare:
    """hasNextPage, then ids and their order, then `summary(node)` (what must agree) node by node."""

    def compare(data: dict[str, Any], expected: dict[str, Any]) -> list[str]:
        has_next = data["assets"]["pageInfo"]["hasNextPage"]
        differences = []
        if has_next != expected["hasNextPage"]:
            differences.append(f"hasNextPage: GraphQL {has_next} != baseline {expected['hasNextPage']}")
        nodes = [edge["node"] for edge in data["assets"]["edges"]]
        ids = [node["databaseId"] for node in nodes]
        expected_ids = [node["databaseId"] for node in expected["nodes"]]
        if ids != expected_ids:
            return [
                *differences,
                f"ids differ: GraphQL {len(ids)} starting {ids[:3]}, "
                f"baseline {len(expected_ids)} starting {expected_ids[:3]}",
            ]
        node_differences = [
            f"asset {g['databaseId']}: GraphQL {_shown(summary(g))} != baseline {_shown(summary(b))}"
            for g, b in zip(nodes, expected["nodes"], strict=True)
            if summary(g) != summary(b)
        ]
        if len(node_differences) > MAX_DIFFERENCES:
            more = f"... and {len(node_differences) - MAX_DIFFERENCES} more"
            node_differences = [*node_differences[:MAX_DIFFERENCES], more]
        return differences + node_differences

    return compare


def _json_baseline(sql: str, *arguments: Any) -> Baseline:
    async def baseline(conn: asyncpg.Connection, user_id: int) -> dict[str, Any]:
        page: dict[str, Any] = json.loads(await conn.fetchval(sql, user_id, *arguments))
        return page

    return baseline


# The baseline builds every field the query asks for except the opaque global id.
_compare_page = _page_compare(lambda node: {key: value for key, value in node.items() if key != "id"})


def _by_status(label: str, *statuses: str) -> tuple[Case, Explain]:
    """The case of a page filtered by `statuses`, and the plan of its baseline."""
    sql = gallery_page_sql(single_status=len(statuses) == 1)
    status = statuses[0] if len(statuses) == 1 else list(statuses)  # a text, or a text[] (see gallery_page_sql)
    case = Case(label, PAGE_QUERY, {"status": list(statuses)}, _json_baseline(sql, status), _compare_page)
    return case, Explain(f"baseline SQL (status {' or '.join(statuses)})", sql, lambda user_id: (user_id, status))


_OK_OR_LOCAL_ONLY = _by_status("status OK or LOCAL_ONLY", "OK", "LOCAL_ONLY")
_FLAGGED = _by_status("status FLAGGED", "FLAGGED")

GALLERY_PAGE = Scenario(
    name="gallery_page",
    description="100 assets filtered by providerStatus with provider states, vs one asyncpg query building JSON",
    cases=(_OK_OR_LOCAL_ONLY[0], _FLAGGED[0]),
    explains=(_OK_OR_LOCAL_ONLY[1], _FLAGGED[1]),
)

GALLERY_JSON = Scenario(
    name="gallery_json",
    description=(
        "first 100 assets with raw mediaMetadata (JSON scalar), and with neither JSON nor a badge (nothing to "
        "decode or derive), vs one asyncpg query each"
    ),
    cases=(
        Case(
            "first page, no filter",
            JSON_QUERY,
            {},
            _json_baseline(JSON_BASELINE_SQL),
            _page_compare(lambda node: (node["providerId"], node["mediaMetadata"])),
        ),
        Case(
            "first page, no JSON or badge field",
            LIGHT_QUERY,
            {},
            _json_baseline(LIGHT_BASELINE_SQL),
            _page_compare(lambda node: (node["providerId"], node["remoteUrl"], node["thumbnailUrl"])),
        ),
    ),
    explains=(
        Explain("baseline SQL (gallery_json)", JSON_BASELINE_SQL),
        Explain("baseline SQL (gallery_json, light)", LIGHT_BASELINE_SQL),
    ),
)
