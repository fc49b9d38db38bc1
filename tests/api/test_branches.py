"""Branches and their variants over HTTP: added, read back on the asset, changed (only the fields sent),
removed; every refusal a UserError naming the field with nothing written; another user's ids read as missing."""

from __future__ import annotations

from typing import Any

import pytest

from assetgraph.persistence.database import Database
from assetgraph.persistence.models import AssetBranch, AssetBranchVariant
from tests.api.asset_parts_support import ERRORS, asset_gid, fields_of, mutate, new_assets, part_counts, row_of
from tests.support import GraphQLClient

BRANCH = "id databaseId sourceAssetId name description tag branchTime branchFrame branchType gameMetadata"
VARIANT = "id databaseId name tag weight conditions variantAssetId variantAsset { id }"
ADD = f"mutation($input: AddAssetBranchInput!) {{ addAssetBranch(input: $input) {{ branch {{ {BRANCH} }} {ERRORS} }} }}"
UPDATE = (
    f"mutation($input: UpdateAssetBranchInput!) {{ updateAssetBranch(input: $input) {{ branch {{ {BRANCH} }} "
    f"{ERRORS} }} }}"
)
REMOVE = f"mutation($input: RemoveAssetBranchInput!) {{ removeAssetBranch(input: $input) {{ removedId {ERRORS} }} }}"
ADD_VARIANT = (
    f"mutation($input: AddBranchVariantInput!) {{ addBranchVariant(input: $input) {{ variant {{ {VARIANT} }} "
    f"{ERRORS} }} }}"
)
UPDATE_VARIANT = (
    f"mutation($input: UpdateBranchVariantInput!) {{ updateBranchVariant(input: $input) {{ variant {{ {VARIANT} }} "
    f"{ERRORS} }} }}"
)
REMOVE_VARIANT = (
    f"mutation($input: RemoveBranchVariantInput!) {{ removeBranchVariant(input: $input) {{ removedId {ERRORS} }} }}"
)
READ = f"query($id: ID!) {{ asset(id: $id) {{ branches {{ {BRANCH} variants {{ {VARIANT} }} }} }} }}"


async def add_branch(client: GraphQLClient, asset_id: int, **fields: Any) -> dict[str, Any]:
    payload = await mutate(client, ADD, "addAssetBranch", {"assetId": asset_gid(asset_id), "name": "Fork", **fields})
    assert payload["errors"] == [], payload
    branch: dict[str, Any] = payload["branch"]
    return branch


async def add_variant(client: GraphQLClient, branch: dict[str, Any], asset_id: int, **fields: Any) -> dict[str, Any]:
    given = {"branchId": branch["id"], "variantAssetId": asset_gid(asset_id), "name": "Left", **fields}
    payload = await mutate(client, ADD_VARIANT, "addBranchVariant", given)
    assert payload["errors"] == [], payload
    variant: dict[str, Any] = payload["variant"]
    return variant


async def test_a_branch_with_variants_is_added_read_changed_and_removed(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    source, left, right = await new_assets(db, alice_id, 3)

    # when alice adds a branch at 12.5 s with two variants
    branch = await add_branch(
        client,
        source,
        name="  Door  ",
        branchTime=12.5,
        branchFrame=300,
        branchType="CONDITIONAL",
        gameMetadata={"choice": "door"},
        tag="act-1",
    )
    first = await add_variant(client, branch, left, weight=2.5, conditions={"key": True})
    second = await add_variant(client, branch, right, name="Right", weight=0)

    # then the asset shows them, as she gave them
    assert {k: branch[k] for k in ("name", "branchTime", "branchFrame", "branchType", "gameMetadata", "tag")} == {
        "name": "Door",
        "branchTime": 12.5,
        "branchFrame": 300,
        "branchType": "CONDITIONAL",
        "gameMetadata": {"choice": "door"},
        "tag": "act-1",
    }
    read = (await client.data(READ, {"id": asset_gid(source)}))["asset"]["branches"]
    assert [b["id"] for b in read] == [branch["id"]]
    assert [(v["id"], v["weight"], v["variantAsset"]["id"]) for v in read[0]["variants"]] == [
        (first["id"], 2.5, asset_gid(left)),
        (second["id"], 0.0, asset_gid(right)),
    ]

    # when she renames the branch and clears its tag, sending nothing else
    changed = await mutate(client, UPDATE, "updateAssetBranch", {"branchId": branch["id"], "name": "Gate", "tag": None})

    # then only those fields changed
    assert changed["errors"] == []
    assert changed["branch"] == {**branch, "name": "Gate", "tag": None}

    # when she points the first variant at the other asset and lowers its weight
    moved = await mutate(
        client,
        UPDATE_VARIANT,
        "updateBranchVariant",
        {"variantId": first["id"], "variantAssetId": asset_gid(right), "weight": 1},
    )
    assert moved["errors"] == []
    assert (moved["variant"]["variantAssetId"], moved["variant"]["weight"], moved["variant"]["name"]) == (
        asset_gid(right),
        1.0,
        "Left",
    )

    # when she removes the second variant, then the branch
    gone = await mutate(client, REMOVE_VARIANT, "removeBranchVariant", {"variantId": second["id"]})
    assert gone == {"removedId": second["id"], "errors": []}
    removed = await mutate(client, REMOVE, "removeAssetBranch", {"branchId": branch["id"]})

    # then the branch and its variants are gone, and the assets stay
    assert removed == {"removedId": branch["id"], "errors": []}
    assert (await client.data(READ, {"id": asset_gid(source)}))["asset"]["branches"] == []
    assert await part_counts(db, alice_id) == {**await part_counts(db, alice_id), "asset_branches": 0}
    assert await row_of(db, AssetBranchVariant, id=first["databaseId"]) is None
    assert (await client.data("query($id: ID!) { asset(id: $id) { id } }", {"id": asset_gid(left)}))["asset"]


BAD_BRANCH_INPUTS = [
    pytest.param({"name": "   "}, "name", id="blank name"),
    pytest.param({"name": "x" * 201}, "name", id="long name"),
    pytest.param({"tag": "t" * 101}, "tag", id="long tag"),
    pytest.param({"description": "d" * 5001}, "description", id="long description"),
    pytest.param({"branchTime": -0.5}, "branchTime", id="negative time"),
    pytest.param({"branchTime": 61.0}, "branchTime", id="time past the end"),
    pytest.param({"branchFrame": -1}, "branchFrame", id="negative frame"),
    pytest.param({"gameMetadata": {"blob": "x" * 17000}}, "gameMetadata", id="huge json"),
    pytest.param({"gameMetadata": [[[[[[[[[[[1]]]]]]]]]]]}, "gameMetadata", id="deep json"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_BRANCH_INPUTS)
async def test_a_bad_branch_is_refused_naming_the_field_and_nothing_is_written(
    db: Database, alice: tuple[int, GraphQLClient], fields: dict[str, Any], field: str
) -> None:
    alice_id, client = alice
    (source,) = await new_assets(db, alice_id)
    branch = await add_branch(client, source)
    before = await part_counts(db, alice_id)

    # when alice adds a branch with the bad value, or changes hers to it
    added = await mutate(client, ADD, "addAssetBranch", {"assetId": asset_gid(source), "name": "Fork", **fields})
    changed = await mutate(client, UPDATE, "updateAssetBranch", {"branchId": branch["id"], **fields})

    # then both are refused naming the field, and nothing was written
    assert (added["branch"], fields_of(added["errors"])) == (None, [("BAD_USER_INPUT", field)])
    assert (changed["branch"], fields_of(changed["errors"])) == (None, [("BAD_USER_INPUT", field)])
    assert await part_counts(db, alice_id) == before
    assert (await row_of(db, AssetBranch, id=branch["databaseId"]))["name"] == "Fork"  # type: ignore[index]


async def test_bad_enum_nulls_and_unstorable_numbers_are_refused(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    (source,) = await new_assets(db, alice_id)
    branch = await add_branch(client, source)
    before = await part_counts(db, alice_id)

    # a branch type outside the vocabulary, and numbers a double or an int cannot hold, never reach the database
    for given in (
        {"branchType": "SIDEWAYS"},
        {"branchFrame": 2**31},
        {"branchTime": float("nan")},
        {"branchTime": float("inf")},
    ):
        body = await client.query(UPDATE, {"input": {"branchId": branch["id"], **given}})
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    # and a NaN inside JSON (which Python's JSON reads, and PostgreSQL's jsonb cannot hold) names its field
    nan = await mutate(client, UPDATE, "updateAssetBranch", {"branchId": branch["id"], "gameMetadata": [float("nan")]})
    assert fields_of(nan["errors"]) == [("BAD_USER_INPUT", "gameMetadata")]
    # and a null for a field that cannot be empty names it
    nulls = await mutate(
        client, UPDATE, "updateAssetBranch", {"branchId": branch["id"], "name": None, "branchType": None}
    )
    assert fields_of(nulls["errors"]) == [("BAD_USER_INPUT", "name"), ("BAD_USER_INPUT", "branchType")]
    (target,) = await new_assets(db, alice_id)
    variant = await add_variant(client, branch, target)
    before = await part_counts(db, alice_id)
    no_asset = await mutate(
        client,
        UPDATE_VARIANT,
        "updateBranchVariant",
        {"variantId": variant["id"], "variantAssetId": None, "weight": None},
    )
    assert fields_of(no_asset["errors"]) == [("BAD_USER_INPUT", "weight"), ("BAD_USER_INPUT", "variantAssetId")]
    assert await part_counts(db, alice_id) == before


async def test_bad_variants_are_refused_naming_the_field(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    source, other = await new_assets(db, alice_id, 2)
    branch = await add_branch(client, source)
    variant = await add_variant(client, branch, other)
    before = await part_counts(db, alice_id)

    cases = [
        ({"weight": -1}, [("BAD_USER_INPUT", "weight")]),
        ({"variantAssetId": asset_gid(source)}, [("BAD_USER_INPUT", "variantAssetId")]),
        ({"conditions": {"x": "y" * 17000}}, [("BAD_USER_INPUT", "conditions")]),
        ({"name": "", "weight": -2}, [("BAD_USER_INPUT", "name"), ("BAD_USER_INPUT", "weight")]),
    ]
    for given, expected in cases:
        added = await mutate(
            client,
            ADD_VARIANT,
            "addBranchVariant",
            {"branchId": branch["id"], "variantAssetId": asset_gid(other), "name": "V", **given},
        )
        changed = await mutate(client, UPDATE_VARIANT, "updateBranchVariant", {"variantId": variant["id"], **given})
        assert fields_of(added["errors"]) == expected, given
        assert fields_of(changed["errors"]) == expected, given
    assert await part_counts(db, alice_id) == before
    assert (await row_of(db, AssetBranchVariant, id=variant["databaseId"]))["weight"] == 1.0  # type: ignore[index]


async def test_another_users_assets_branches_and_variants_read_as_missing(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    alice_id, alice_client = alice
    bob_id, bob_client = bob
    source, target = await new_assets(db, alice_id, 2)
    (bobs,) = await new_assets(db, bob_id)
    branch = await add_branch(alice_client, source)
    variant = await add_variant(alice_client, branch, target)
    alice_before, bob_before = await part_counts(db, alice_id), await part_counts(db, bob_id)
    missing = [("NOT_FOUND", "assetId")]

    # when bob names alice's asset, branch and variant, or a malformed id, in every mutation
    for asset_id in (asset_gid(source), "not-an-id", asset_gid(2**62)):
        added = await mutate(bob_client, ADD, "addAssetBranch", {"assetId": asset_id, "name": "Mine"})
        assert fields_of(added["errors"]) == missing
    bobs_branch = await add_branch(bob_client, bobs)
    theft = await mutate(
        bob_client,
        ADD_VARIANT,
        "addBranchVariant",
        {"branchId": bobs_branch["id"], "variantAssetId": asset_gid(target), "name": "Stolen"},
    )
    assert fields_of(theft["errors"]) == [("NOT_FOUND", "variantAssetId")]
    into_hers = await mutate(
        bob_client,
        ADD_VARIANT,
        "addBranchVariant",
        {"branchId": branch["id"], "variantAssetId": asset_gid(bobs), "name": "Planted"},
    )
    assert fields_of(into_hers["errors"]) == [("NOT_FOUND", "branchId")]
    for mutation, name, given, field in [
        (UPDATE, "updateAssetBranch", {"branchId": branch["id"], "name": "Mine"}, "branchId"),
        (REMOVE, "removeAssetBranch", {"branchId": branch["id"]}, "branchId"),
        (UPDATE_VARIANT, "updateBranchVariant", {"variantId": variant["id"], "name": "Mine"}, "variantId"),
        (REMOVE_VARIANT, "removeBranchVariant", {"variantId": variant["id"]}, "variantId"),
        (UPDATE, "updateAssetBranch", {"branchId": variant["id"]}, "branchId"),  # an id of another type
    ]:
        payload = await mutate(bob_client, mutation, name, given)
        assert fields_of(payload["errors"]) == [("NOT_FOUND", field)], name

    # then alice's parts are untouched, and bob has only his own branch
    assert await part_counts(db, alice_id) == alice_before
    assert (await row_of(db, AssetBranch, id=branch["databaseId"]))["name"] == "Fork"  # type: ignore[index]
    assert await part_counts(db, bob_id) == {**bob_before, "asset_branches": 1}
    # and bob reading alice's asset finds nothing
    assert (await bob_client.data(READ, {"id": asset_gid(source)}))["asset"] is None


async def test_an_asset_holds_a_bounded_number_of_branches(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    (source,) = await new_assets(db, alice_id)
    for _ in range(50):
        await add_branch(client, source)

    # when alice adds one more than an asset may hold
    payload = await mutate(client, ADD, "addAssetBranch", {"assetId": asset_gid(source), "name": "One too many"})

    # then it is refused, and the asset keeps its 50
    assert fields_of(payload["errors"]) == [("TOO_MANY_ITEMS", "assetId")]
    assert (await part_counts(db, alice_id))["asset_branches"] == 50
