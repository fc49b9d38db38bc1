"""The gallery's main request: 100 assets filtered by provider status, with every badge field."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import asyncpg

from bench.scenario import Baseline, Case, Explain, Scenario
from bench.scenarios.gallery_sql import gallery_page_sql
from bench.scenarios.pages import graphql_nodes, has_next_difference, page_differences
from bench.seed import BenchUser

QUERY = """
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

OK_OR_LOCAL_ONLY = ("OK", "LOCAL_ONLY")
FLAGGED = ("FLAGGED",)


def _without_global_id(node: dict[str, Any]) -> dict[str, Any]:
    # The baseline builds every field the query asks for except the opaque global id.
    return {key: value for key, value in node.items() if key != "id"}


def _status_argument(statuses: Sequence[str]) -> str | list[str]:
    return statuses[0] if len(statuses) == 1 else list(statuses)


def _baseline_for(statuses: Sequence[str]) -> Baseline:
    sql = gallery_page_sql(single_status=len(statuses) == 1)
    status = _status_argument(statuses)

    async def baseline(conn: asyncpg.Connection, user: BenchUser) -> dict[str, Any]:
        page: dict[str, Any] = json.loads(await conn.fetchval(sql, user.user_id, status))
        return page

    return baseline


def _explain_baseline(statuses: Sequence[str]) -> Explain:
    return Explain(
        f"baseline SQL (status {' or '.join(statuses)})",
        gallery_page_sql(single_status=len(statuses) == 1),
        lambda user: (user.user_id, _status_argument(statuses)),
    )


def compare(data: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    nodes = graphql_nodes(data)
    differences = page_differences(nodes, expected["nodes"], _without_global_id)
    return has_next_difference(data, expected["hasNextPage"]) + differences


def _case(label: str, statuses: Sequence[str]) -> Case:
    return Case(
        label=label,
        query=QUERY,
        variables={"status": list(statuses)},
        baseline=_baseline_for(statuses),
        compare=compare,
        explain_app_sql=True,
    )


SCENARIO = Scenario(
    name="gallery_page",
    description="100 assets filtered by providerStatus with provider states, vs one asyncpg query building JSON",
    cases=(
        _case("status OK or LOCAL_ONLY", OK_OR_LOCAL_ONLY),
        _case("status FLAGGED", FLAGGED),
    ),
    explains=(_explain_baseline(OK_OR_LOCAL_ONLY), _explain_baseline(FLAGGED)),
)
