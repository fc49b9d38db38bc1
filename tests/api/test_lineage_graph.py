"""The read side of lineage through the real app over HTTP: Asset.parents / children (batched per request) and the
`lineage` walk (on Query and on Asset), over edges written straight into asset_lineage."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from assetgraph.persistence.database import Database
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.lineage_support import Edge, chain, gid, insert_edges
from tests.support import GraphQLClient, count_statements, insert_assets

LINEAGE = """
query($id: ID!, $direction: LineageDirection, $depth: Int, $relations: [RelationType!]) {
  lineage(assetId: $id, direction: $direction, maxDepth: $depth, relationTypes: $relations) {
    nodes { databaseId }
    edges { parent { databaseId } child { databaseId } relationType operationType sequenceOrder depth }
    truncated
  }
}
"""

EDGES = """
query($id: ID!) {
  asset(id: $id) {
    parents { asset { databaseId } relationType operationType parentRole sequenceOrder parentStartTime
              parentEndTime parentFrame transformation }
    children { asset { databaseId } relationType }
  }
}
"""

PAGE = """
query($first: Int!) {
  assets(first: $first) { nodes { parents { asset { parents { asset { id } } } } children { asset { id } } } }
}
"""


async def _assets(db: Database, user_id: int, count: int) -> list[int]:
    return await insert_assets(db, user_id, [{} for _ in range(count)])


async def _walk(client: GraphQLClient, start: int, **variables: Any) -> dict[str, Any]:
    graph: dict[str, Any] = (await client.data(LINEAGE, {"id": gid(start), **variables}))["lineage"]
    return graph


def _nodes(graph: dict[str, Any]) -> list[int]:
    return [node["databaseId"] for node in graph["nodes"]]


def _edges(graph: dict[str, Any]) -> set[tuple[int, int, str, int]]:
    return {
        (e["parent"]["databaseId"], e["child"]["databaseId"], e["relationType"], e["depth"]) for e in graph["edges"]
    }


def _sql(statements: list[str]) -> list[str]:
    return [s for s in statements if "api_tokens" not in s]


async def test_an_asset_lists_its_parents_in_order_and_its_children(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given a fusion of two of alice's images and one of bob's, and a video made from the fusion
    user_id, client = alice
    character, background, fusion, video = await _assets(db, user_id, 4)
    (foreign,) = await _assets(db, bob[0], 1)
    await insert_edges(
        db,
        [
            Edge(background, fusion, "FUSION_BACKGROUND", "fusion", "background", 1, 0.5, 2.25, 12, '{"scale": 2}'),
            Edge(character, fusion, "FUSION_CHARACTER", "fusion", "character", 0),
            Edge(foreign, fusion, "FUSION_REFERENCE", "fusion", None, 2),
            Edge(fusion, video, "SOURCE_IMAGE", "image_to_video"),
        ],
    )
    # when alice reads the fusion's edges
    asset = (await client.data(EDGES, {"id": gid(fusion)}))["asset"]
    # then its parents come in sequence order with every stored detail, bob's image left out, and its child is listed
    assert asset["parents"] == [
        {"asset": {"databaseId": character}, "relationType": "FUSION_CHARACTER", "operationType": "FUSION",
         "parentRole": "character", "sequenceOrder": 0, "parentStartTime": None, "parentEndTime": None,
         "parentFrame": None, "transformation": None},
        {"asset": {"databaseId": background}, "relationType": "FUSION_BACKGROUND", "operationType": "FUSION",
         "parentRole": "background", "sequenceOrder": 1, "parentStartTime": 0.5, "parentEndTime": 2.25,
         "parentFrame": 12, "transformation": {"scale": 2}},
    ]  # fmt: skip
    assert asset["children"] == [{"asset": {"databaseId": video}, "relationType": "SOURCE_IMAGE"}]
    # and bob's image shows no child of alice's
    bob_view = (await bob[1].data(EDGES, {"id": gid(foreign)}))["asset"]
    assert bob_view == {"parents": [], "children": []}


async def test_an_asset_lists_at_most_500_children_the_first_in_sequence_order(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given an image that 501 videos were made from
    user_id, client = alice
    image, *videos = await _assets(db, user_id, 502)
    await insert_edges(db, [Edge(image, video, sequence_order=order) for order, video in enumerate(videos)])
    # when alice lists the image's children
    children = (await client.data(EDGES, {"id": gid(image)}))["asset"]["children"]
    # then she gets the first 500, in sequence order, and the 501st is left out
    assert [c["asset"]["databaseId"] for c in children] == videos[:500]


async def test_a_page_of_100_costs_the_same_statements_as_a_page_of_10(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given 120 assets, each the parent of the next two
    user_id, client = alice
    ids = await _assets(db, user_id, 120)
    await insert_edges(db, [Edge(p, c, sequence_order=i) for i, p in enumerate(ids) for c in ids[i + 1 : i + 3]])
    engine = app.state.resources.database.engine
    counts = {}
    for first in (10, 100):
        # when a page asks each asset for its parents, their parents, and its children
        with count_statements(engine) as statements:
            nodes = (await client.data(PAGE, {"first": first}))["assets"]["nodes"]
        assert len(nodes) == first
        counts[first] = len(_sql(statements))
    # then both pages cost the same few statements: the page, and per level one for edges and one for assets
    assert counts[10] == counts[100] <= 7, counts
    assert sum(len(node["parents"]) for node in nodes) == 2 * 100


async def test_a_cycle_terminates_with_each_asset_once(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given a -> b -> c -> a
    user_id, client = alice
    a, b, c = await _assets(db, user_id, 3)
    await chain(db, [a, b, c, a])
    # when the walk goes as deep as it may, both ways
    graph = await _walk(client, a, depth=25)
    # then each asset comes once, at its shortest distance, with the three edges, and nothing is cut off
    assert _nodes(graph) == [a, b, c]
    assert _edges(graph) == {(a, b, "SOURCE_IMAGE", 1), (b, c, "SOURCE_IMAGE", 1), (c, a, "SOURCE_IMAGE", 1)}
    assert graph["truncated"] is False


async def test_max_depth_stops_the_walk_and_says_so(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given a chain of 8 assets
    user_id, client = alice
    ids = await _assets(db, user_id, 8)
    await chain(db, ids)
    # when walking down 3 steps from the first, then 7
    short = await _walk(client, ids[0], direction="DOWN", depth=3)
    whole = await _walk(client, ids[0], direction="DOWN", depth=7)
    # then the short walk stops at the 4th asset and says more lies beyond; the whole chain is not truncated
    assert _nodes(short) == ids[:4] and short["truncated"] is True
    assert [e["depth"] for e in short["edges"]] == [1, 2, 3]
    assert _nodes(whole) == ids and whole["truncated"] is False
    # and the default depth is 5
    assert _nodes(await _walk(client, ids[0], direction="DOWN")) == ids[:6]


async def test_the_node_cap_keeps_the_nearest_10000_and_says_truncated(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given an asset with a grandparent and 10,001 children
    user_id, client = alice
    grandparent, start = await _assets(db, user_id, 2)
    children = await _assets(db, user_id, 10_001)
    await insert_edges(db, [Edge(grandparent, start), *(Edge(start, child) for child in children)])
    # when walking both ways
    graph = await _walk(client, start, depth=2)
    # then 10,000 assets come back, nearest first (the start, then its parent and children by id)
    nodes = _nodes(graph)
    assert len(nodes) == 10_000 and graph["truncated"] is True
    assert nodes == [start, *sorted([grandparent, *children])[:9_999]]
    assert len(graph["edges"]) == 9_999


async def test_direction_and_relation_types_choose_what_is_followed(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given image -> start -> video, a keyframe of start, and another child of image (start's sibling)
    user_id, client = alice
    image, keyframe, start, video, sibling = await _assets(db, user_id, 5)
    await insert_edges(
        db,
        [
            Edge(image, start, "SOURCE_IMAGE"),
            Edge(keyframe, start, "KEYFRAME", sequence_order=1),
            Edge(start, video, "SOURCE_VIDEO", "video_extend"),
            Edge(image, sibling, "SOURCE_IMAGE"),
        ],
    )
    # when walking up, down, both ways, and up along keyframes only
    up = await _walk(client, start, direction="UP")
    down = await _walk(client, start, direction="DOWN")
    both = await _walk(client, start)
    keyframes = await _walk(client, start, direction="UP", relations=["KEYFRAME"])
    # then each finds its own side only, never the sibling
    assert _nodes(up) == [start, image, keyframe]
    assert _edges(up) == {(image, start, "SOURCE_IMAGE", 1), (keyframe, start, "KEYFRAME", 1)}
    assert _nodes(down) == [start, video]
    assert down["edges"] == [
        {"parent": {"databaseId": start}, "child": {"databaseId": video}, "relationType": "SOURCE_VIDEO",
         "operationType": "VIDEO_EXTEND", "sequenceOrder": 0, "depth": 1}
    ]  # fmt: skip
    assert _nodes(both) == [start, image, keyframe, video]
    assert _nodes(keyframes) == [start, keyframe]
    assert _edges(keyframes) == {(keyframe, start, "KEYFRAME", 1)}
    # and an empty list of relation types follows nothing
    assert _nodes(await _walk(client, start, relations=[])) == [start]


async def test_a_walks_edges_come_by_depth_child_sequence_parent_and_relation(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given start's parents low (sequence 1) and high (sequence 0, twice: as keyframe and as source image), and a
    # grandparent feeding both, written in no particular order
    user_id, client = alice
    grandparent, low, high, start = await _assets(db, user_id, 4)
    await insert_edges(
        db,
        [
            Edge(grandparent, high),
            Edge(high, start, "SOURCE_IMAGE"),
            Edge(low, start, sequence_order=1),
            Edge(grandparent, low),
            Edge(high, start, "KEYFRAME"),
        ],
    )
    # when walking up from start
    graph = await _walk(client, start, direction="UP")
    # then the nodes come nearest first then by id, and the edges by depth, child, sequence order, parent, relation
    assert _nodes(graph) == [start, low, high, grandparent]
    order = [(e["depth"], e["child"]["databaseId"], e["sequenceOrder"], e["parent"]["databaseId"], e["relationType"])
             for e in graph["edges"]]  # fmt: skip
    assert order == [
        (1, start, 0, high, "KEYFRAME"),
        (1, start, 0, high, "SOURCE_IMAGE"),
        (1, start, 1, low, "SOURCE_IMAGE"),
        (2, low, 0, grandparent, "SOURCE_IMAGE"),
        (2, high, 0, grandparent, "SOURCE_IMAGE"),
    ]


async def test_another_users_asset_in_a_chain_is_never_crossed(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given alice's first -> bob's middle -> alice's last, and alice's last -> alice's next
    user_id, client = alice
    first, last, after = await _assets(db, user_id, 3)
    (middle,) = await _assets(db, bob[0], 1)
    await chain(db, [first, middle, last, after])
    # when alice walks from her last asset, and from her first
    from_last = await _walk(client, last, depth=25)
    from_first = await _walk(client, first, depth=25)
    # then neither bob's asset nor anything beyond it comes back, and nothing reads as cut off
    assert _nodes(from_last) == [last, after] and from_last["truncated"] is False
    assert _nodes(from_first) == [first] and from_first["truncated"] is False
    # and bob, walking from his asset, sees none of alice's
    assert _nodes(await _walk(bob[1], middle, depth=25)) == [middle]


async def test_an_unknown_or_foreign_start_reads_as_null(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given one asset of bob's
    (foreign,) = await _assets(db, bob[0], 1)
    _, client = alice
    # when alice asks for its lineage, and for an id no asset has
    for asset_id in (foreign, 2**62):
        body = await client.query(LINEAGE, {"id": gid(asset_id)})
        # then both answer null without an error, as asset(id) does
        assert body == {"data": {"lineage": None}}


async def test_asset_lineage_walks_from_each_asset(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given a -> b -> c
    user_id, client = alice
    a, b, c = await _assets(db, user_id, 3)
    await chain(db, [a, b, c])
    # when asset b asks for its lineage upwards
    query = """query($id: ID!) {
      asset(id: $id) { lineage(direction: UP, maxDepth: 1) { nodes { databaseId } truncated } } }"""
    graph = (await client.data(query, {"id": gid(b)}))["asset"]["lineage"]
    # then it holds b and a
    assert graph == {"nodes": [{"databaseId": b}, {"databaseId": a}], "truncated": False}


async def test_bad_arguments_are_refused_before_any_walk(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    user_id, client = alice
    (start,) = await _assets(db, user_id, 1)
    engine = app.state.resources.database.engine
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"depth": 0}, "maxDepth", "'maxDepth' must be between 1 and 25 (got 0)"),
        ({"depth": 26}, "maxDepth", "'maxDepth' must be between 1 and 25 (got 26)"),
        ({"depth": -1}, "maxDepth", "'maxDepth' must be between 1 and 25 (got -1)"),
        ({"id": "nope"}, "assetId", "'assetId' is not an asset id"),
        ({"id": to_global_id(NodeType.USER, user_id)}, "assetId", "'assetId' is not an asset id"),
    ]
    for variables, field, message in cases:
        # when the walk is asked with a bad value
        with count_statements(engine) as statements:
            body = await client.query(LINEAGE, {"id": gid(start), **variables})
        # then it is refused, naming the argument, before any SQL beyond authentication
        assert body["data"] == {"lineage": None}
        assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
            (message, {"code": "BAD_USER_INPUT", "field": field})
        ]
        assert _sql(statements) == []
    # and values GraphQL itself cannot take are refused by coercion, naming the variable
    for variables in ({"depth": 2**31}, {"depth": 1e100}, {"direction": "SIDEWAYS"}, {"relations": ["NOPE"]}):
        body = await client.query(LINEAGE, {"id": gid(start), **variables})
        assert body.get("data") is None, body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    # and Asset.lineage checks maxDepth the same way
    query = "query($id: ID!) { asset(id: $id) { lineage(maxDepth: 0) { truncated } } }"
    body = await client.query(query, {"id": gid(start)})
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "field": "maxDepth"}]


async def test_what_is_nested_in_a_walk_costs_once_per_possible_asset(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    # when a walk asks every node for its upload attempts (10,000 x 10 possible objects)
    query = 'query { lineage(assetId: "x") { nodes { uploadAttempts { at } } } }'
    body = await client.query(query)
    # then the query is refused by its cost before running
    assert body["data"] is None and "cost" in body["errors"][0]["message"]
