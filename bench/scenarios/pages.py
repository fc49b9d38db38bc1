"""Helpers shared by gallery scenarios: reading a connection page and saying how two pages differ."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_DIFFERENCES = 5
MAX_SHOWN_CHARS = 300


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[:MAX_SHOWN_CHARS]}..."


def graphql_nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in data["assets"]["edges"]]


def page_differences(
    graphql: list[dict[str, Any]],
    baseline: list[dict[str, Any]],
    summary: Callable[[dict[str, Any]], Any],
) -> list[str]:
    """Differences in ids and order first, then in `summary(node)` (what must agree) node by node."""
    graphql_ids = [node["databaseId"] for node in graphql]
    baseline_ids = [node["databaseId"] for node in baseline]
    if graphql_ids != baseline_ids:
        return [
            f"ids differ: GraphQL {len(graphql_ids)} starting {graphql_ids[:3]}, "
            f"baseline {len(baseline_ids)} starting {baseline_ids[:3]}"
        ]
    differences = [
        f"asset {g['databaseId']}: GraphQL {_shown(summary(g))} != baseline {_shown(summary(b))}"
        for g, b in zip(graphql, baseline, strict=True)
        if summary(g) != summary(b)
    ]
    if len(differences) > MAX_DIFFERENCES:
        differences = [*differences[:MAX_DIFFERENCES], f"... and {len(differences) - MAX_DIFFERENCES} more"]
    return differences


def has_next_difference(data: dict[str, Any], baseline_has_next: bool) -> list[str]:
    graphql_has_next = data["assets"]["pageInfo"]["hasNextPage"]
    if graphql_has_next == baseline_has_next:
        return []
    return [f"hasNextPage: GraphQL {graphql_has_next} != baseline {baseline_has_next}"]
