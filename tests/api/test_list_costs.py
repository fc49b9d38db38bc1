"""Lists without a size argument (an asset's parents, children, branches, variants, clips and segments, a walk's
edges) are priced at their cap: nesting them is refused before anything runs, a gallery page within the cap runs."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from assetgraph.persistence.database import Database
from tests.api.limits_support import COST_RULE
from tests.lineage_support import Edge, gid, insert_edges
from tests.support import GraphQLClient, insert_assets, refused

HUB = "QXNzZXQ6MQ=="  # refused before anything runs: whose asset it is does not matter

WALK = f'lineage(assetId: "{HUB}", direction: DOWN, maxDepth: 1)'
LINEAGE_ALIASES = " ".join(f"a{i}: {WALK} {{ nodes {{ databaseId parents {{ sequenceOrder }} }} }}" for i in range(30))
PROBE = "children { asset { parents { asset { children { asset { databaseId } } } } } }"


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        pytest.param(
            f'{{ asset(id: "{HUB}") {{ {PROBE} }} }}',
            # asset 1; children 500, their assets 500; their parents 500^2 and assets; their children 500^3 and assets
            1 + 2 * (500 + 500**2 + 500**3),
            id="the probe's children of parents of children",
        ),
        pytest.param(
            # 30 x (the walk's 100 + its 10,000 nodes x 500 parents)
            "{ " + LINEAGE_ALIASES + " }",
            30 * (100 + 10_000 * 500),
            id="thirty aliased walks asking each node for its parents",
        ),
        pytest.param(
            f'{{ lineage(assetId: "{HUB}") {{ edges {{ parent {{ clips {{ name }} }} }} }} }}',
            100 + 10_000 * 500 * 200,
            id="clips of each edge's parent in a walk",
        ),
        pytest.param(
            f'{{ lineage(assetId: "{HUB}") {{ ...Walk }} }}'
            " fragment Walk on LineageGraph { edges { child { branches { id } } } }",
            100 + 10_000 * 500 * 50,
            id="a walk's edges through a fragment",
        ),
        pytest.param(
            "{ assets(first: 10) { nodes { branches { variants { id } } } } }",
            10 + 10 * 50 + 10 * 50 * 50,
            id="variants of branches of a page",
        ),
        pytest.param(
            "{ assets(first: 10) { nodes { clips { id } temporalSegments { timestampSec } } } }",
            10 + 10 * 200 + 10 * 500,
            id="clips and segments of a page",
        ),
        pytest.param(
            "{ assets(first: 3) { nodes { parents { asset { id } } children { asset { id } } } } }",
            3 + 3 * 2 * (500 + 500),
            id="edges and their assets of a page of 3",
        ),
    ],
)
async def test_nested_capped_lists_are_refused_before_anything_runs(
    app: Starlette, alice: tuple[int, GraphQLClient], query: str, cost: int
) -> None:
    _, client = alice
    errors = await refused(app.state.resources.database.engine, client, query)
    assert [(e["message"], e["extensions"]) for e in errors] == [
        (f"The query's cost is {cost}, over the limit of 5000: {COST_RULE}.", {"code": "BAD_USER_INPUT"})
    ]


GALLERY_LINEAGE = """
query($first: Int!) {
  assets(first: $first) {
    nodes { databaseId
      parents { relationType sequenceOrder asset { databaseId } }
      children { relationType sequenceOrder asset { databaseId } } }
  }
}
"""


async def test_a_gallery_page_with_parents_and_children_within_the_cap_runs(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given a chain a -> b -> c
    user_id, client = alice
    a, b, c = await insert_assets(db, user_id, [{}, {}, {}])
    await insert_edges(db, [Edge(a, b), Edge(b, c)])
    # when a page of 2 asks each asset for its parents and children, each with its asset (2 + 2 x 2,000 = 4,002)
    nodes = (await client.data(GALLERY_LINEAGE, {"first": 2}))["assets"]["nodes"]
    # then it runs and answers the edges (newest first: c, then b)
    assert [(n["databaseId"], n["parents"][0]["asset"]["databaseId"]) for n in nodes] == [(c, b), (b, a)]
    assert [[e["asset"]["databaseId"] for e in n["children"]] for n in nodes] == [[], [c]]
    # and one asset's every capped part runs: 1 + 500 + 500 + 50 + 50 x 50 + 200 + 500
    one = (
        "query($id: ID!) { asset(id: $id) { parents { sequenceOrder } children { sequenceOrder } "
        "branches { variants { id } } clips { id } temporalSegments { timestampSec } } }"
    )
    assert (await client.data(one, {"id": gid(b)}))["asset"]["parents"] == [{"sequenceOrder": 0}]
