"""How lists of objects are bounded. A walk's edges are priced before anything runs (each of up to 10,000 assets
may have 500 parents among the others), so nesting a paged field in them is refused at once. Lists without a size
argument (an asset's parents, children, branches, clips and segments, a branch's variants) have the data's size:
all of them together answer at most `max_list_items` items per operation, and a batch that would go over reads at
most one row more than is left and answers the budget's error (TOO_MANY_ITEMS naming the list)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, insert
from starlette.applications import Starlette

from assetgraph.config import Limits, Settings
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import AssetBranch, AssetBranchVariant, AssetClip, TemporalSegment
from assetgraph.resolvers.list_budget import BUDGETED_LISTS
from tests.api.limits_support import COST_RULE, app_with_limits
from tests.graphql_socket_client import graphql_socket
from tests.lineage_support import Edge, gid, insert_edges
from tests.support import GraphQLClient, insert_assets, refused, serving

HUB = "QXNzZXQ6MQ=="  # refused before anything runs: whose asset it is does not matter
BUDGET_MESSAGE = (
    "The lists without a size argument (parents, children, branches, variants, clips, temporalSegments) would "
    "answer more than {} items in this operation; ask for fewer assets or nest less."
)


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        pytest.param(
            f'{{ lineage(assetId: "{HUB}") {{ edges {{ parent {{ uploadAttempts {{ status }} }} }} }} }}',
            100 + 10_000 * 500 * 50,
            id="upload attempts of each edge's parent in a walk",
        ),
        pytest.param(
            f'{{ lineage(assetId: "{HUB}") {{ ...Walk }} }}'
            " fragment Walk on LineageGraph { edges { child { similarAssets { distance } } } }",
            100 + 10_000 * 500 * 20,
            id="a walk's edges through a fragment",
        ),
    ],
)
async def test_a_paged_field_in_a_walks_edges_is_refused_before_anything_runs(
    app: Starlette, alice: tuple[int, GraphQLClient], query: str, cost: int
) -> None:
    _, client = alice
    errors = await refused(app.state.resources.database.engine, client, query)
    assert [(e["message"], e["extensions"]) for e in errors] == [
        (f"The query's cost is {cost}, over the limit of 5000: {COST_RULE}.", {"code": "BAD_USER_INPUT"})
    ]


async def _asset_with_two_of_each_list(db: Database, user_id: int) -> int:
    """An asset with two parents, two children, two branches (the first with two variants), two clips and two
    segments: every budgeted list of it holds two items."""
    asset, *others = await insert_assets(db, user_id, [{"duration_sec": 60.0}] + [{}] * 4)
    await insert_edges(
        db, [Edge(others[0], asset), Edge(others[1], asset), Edge(asset, others[2]), Edge(asset, others[3])]
    )
    async with db.engine.begin() as conn:
        branches = (
            (
                await conn.execute(
                    insert(AssetBranch).returning(AssetBranch.id, sort_by_parameter_order=True),
                    [{"source_asset_id": asset, "name": name} for name in ("a", "b")],
                )
            )
            .scalars()
            .all()
        )
        await conn.execute(
            insert(AssetBranchVariant),
            [{"branch_id": branches[0], "variant_asset_id": others[0], "name": n} for n in ("v1", "v2")],
        )
        await conn.execute(
            insert(AssetClip), [{"source_asset_id": asset, "start_time": s, "end_time": s + 1} for s in (0.0, 5.0)]
        )
        await conn.execute(
            insert(TemporalSegment),
            [{"asset_id": asset, "segment_type": "scene", "timestamp_sec": t} for t in (1.0, 2.0)],
        )
    return asset


SELECTIONS = {
    "parents": "parents { sequenceOrder }",
    "children": "children { sequenceOrder }",
    "branches": "branches { name }",
    "variants": "branches { name variants { name } }",
    "clips": "clips { startTime }",
    "temporalSegments": "temporalSegments { timestampSec }",
}


def test_every_budgeted_list_is_tested_here() -> None:
    assert list(SELECTIONS) == list(BUDGETED_LISTS)


@pytest.mark.parametrize("field", list(SELECTIONS))
async def test_each_list_without_a_size_spends_the_operations_budget(
    settings: Settings, db: Database, alice: tuple[int, GraphQLClient], field: str
) -> None:
    # given an asset whose every such list holds two items, on a server whose lists may answer 3 items in all
    user_id, client = alice
    asset = await _asset_with_two_of_each_list(db, user_id)
    query = f"query($id: ID!) {{ asset(id: $id) {{ databaseId {SELECTIONS[field]} }} }}"
    async with app_with_limits(settings, Limits(max_list_items=3), str(client.token)) as (_, small):
        # when the list is asked for alone, it fits (variants: 2 branches and 2 variants would not)
        if field != "variants":
            answer = await small.data(query, {"id": gid(asset)})
            assert len(answer["asset"][field]) == 2
        # and when it is asked for twice under two aliases (4 items): the second batch is refused
        twice = f"query($id: ID!) {{ a: asset(id: $id) {{ {SELECTIONS[field]} }} b: asset(id: $id) {{ id }} }}"
        doubled = twice.replace("b: asset(id: $id) { id }", f"b: asset(id: $id) {{ {SELECTIONS[field]} }}")
        body = await small.query(doubled if field != "variants" else query, {"id": gid(asset)})
    # then the list's error names it, and the asset it hangs from is null
    errors = body["errors"]
    assert {(e["extensions"]["code"], e["extensions"]["field"], e["message"]) for e in errors} == {
        ("TOO_MANY_ITEMS", field, BUDGET_MESSAGE.format(3))
    }
    assert None in body["data"].values()


async def _hub(db: Database, user_id: int, children: int) -> int:
    """An image made into `children` videos."""
    hub, *made = await insert_assets(db, user_id, [{}] * (children + 1))
    await insert_edges(db, [Edge(hub, child, sequence_order=0) for child in made])
    return hub


PROBE = (
    "query($id: ID!) { asset(id: $id) { children { asset { parents { asset { "
    "children { asset { databaseId } } } } } } } }"
)


async def test_nested_lists_on_a_hub_stop_at_the_budget_having_read_at_most_one_row_more(
    settings: Settings, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given an image made into 40 videos, on a server whose lists may answer 100 items in all
    user_id, client = alice
    hub = await _hub(db, user_id, 40)
    async with app_with_limits(settings, Limits(max_list_items=100), str(client.token)) as (app, small):
        # when its children's parents' children are asked for: 40 children, their 40 parents (the hub), then
        # 40 x 40 children
        with _edge_reads(app) as edge_reads:
            body = await small.query(PROBE, {"id": gid(hub)})
    # then the third level is refused, naming it, and the asset reads as null
    assert body["data"] == {"asset": None}
    assert {(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]} == {
        ("TOO_MANY_ITEMS", "children")
    }
    # and each batch asked the database for one row more than was left: 101, then 61 (the hub's children, asked
    # again at the third level, were loaded already, and are spent again as they are answered)
    assert [parameters[-1] for parameters in edge_reads] == [101, 61]


async def test_a_gallery_page_asking_each_asset_for_its_lineage_runs_at_the_default_limits(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given a chain a -> b -> c
    user_id, client = alice
    a, b, c = await insert_assets(db, user_id, [{}, {}, {}])
    await insert_edges(db, [Edge(a, b), Edge(b, c)])
    query = """{ assets(first: 100) { nodes { databaseId
        parents { asset { databaseId parents { asset { databaseId } } } } children { asset { databaseId } } } } }"""
    nodes = (await client.data(query, {}))["assets"]["nodes"]
    by_id = {node["databaseId"]: node for node in nodes}
    assert by_id[c]["parents"][0]["asset"] == {"databaseId": b, "parents": [{"asset": {"databaseId": a}}]}
    assert [edge["asset"]["databaseId"] for edge in by_id[a]["children"]] == [b]


async def test_a_batch_that_would_go_over_reads_one_row_more_than_is_left_and_answers_the_error(
    settings: Settings, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given two images each made into two videos, the newest six assets of the library
    user_id, client = alice
    for _ in range(2):
        await _hub(db, user_id, 2)
    query = "{ assets(first: 6) { nodes { databaseId children { sequenceOrder } } } }"
    async with app_with_limits(settings, Limits(max_list_items=3), str(client.token)) as (app, small):
        # when a page asks each asset for its children, on a server whose lists may answer 3 items in all
        with _edge_reads(app) as edge_reads:
            body = await small.query(query, {})
    # then the one batch of the page's children read 4 rows at most, and the page is refused naming the list
    assert [parameters[-1] for parameters in edge_reads] == [4]
    assert body["data"] is None
    assert {(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]} == {
        ("TOO_MANY_ITEMS", "children")
    }


@contextmanager
def _edge_reads(app: Starlette) -> Iterator[list[tuple[Any, ...]]]:
    """The parameters of each statement reading lineage edges the app sends while the block runs."""
    reads: list[tuple[Any, ...]] = []

    def record(conn: Any, cursor: Any, sql: str, parameters: Any, *args: Any) -> None:
        if "asset_lineage" in sql:
            reads.append(tuple(parameters))

    engine = app.state.resources.database.engine
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield reads
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_operations_sent_together_on_one_websocket_each_have_their_own_budget(
    settings: Settings, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given an asset with two parents, on a server whose lists may answer 20 items per operation
    user_id, client = alice
    asset = await _asset_with_two_of_each_list(db, user_id)
    within = (
        "query($i: ID!) { "
        + " ".join(f"a{n}: asset(id: $i) {{ parents {{ sequenceOrder }} }}" for n in range(6))
        + " }"
    )
    over = (
        "query($i: ID!) { "
        + " ".join(f"a{n}: asset(id: $i) {{ parents {{ sequenceOrder }} }}" for n in range(11))
        + " }"
    )
    async with app_with_limits(settings, Limits(max_list_items=20), str(client.token)) as (app, _):
        async with serving(app) as url, graphql_socket(url, str(client.token)) as socket:
            # when three operations of 12 items each and three of 22 are sent at once on one socket
            for n in range(3):
                await socket.subscribe(f"within{n}", within, {"i": gid(asset)})
                await socket.subscribe(f"over{n}", over, {"i": gid(asset)})
            answers = {
                name: await socket.until_complete(name)
                for name in [f"{k}{n}" for k in ("within", "over") for n in range(3)]
            }
    # then each of 12 is answered whole, and each of 22 is refused for its own eleventh list
    for n in range(3):
        (within_answer,) = answers[f"within{n}"]
        assert "errors" not in within_answer and len(within_answer["data"]) == 6
        (over_answer,) = answers[f"over{n}"]
        assert {e["extensions"]["code"] for e in over_answer["errors"]} == {"TOO_MANY_ITEMS"}
        assert sum(value is None for value in over_answer["data"].values()) == 1
