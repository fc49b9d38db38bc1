"""sha256s has its own list cap (10,000) without loosening any other list's, and the hashes of checkByHashes
count in the query cost of whatever is nested in them."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette

from tests.support import GraphQLClient, refused

HASH = "ab" * 32
COMMON_CAP = "a list may hold at most 1000 items (got 1001)"


def _literal(items: int) -> str:
    return json.dumps([HASH] * items)


async def test_a_literal_list_of_hashes_may_be_longer_than_other_lists(
    app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    _, client = alice
    # given 1,001 hashes written in the document: they are taken
    data = await client.data(f"{{ checkByHashes(sha256s: {_literal(1001)}) {{ exists }} }}")
    assert len(data["checkByHashes"]) == 1001
    # while 1,001 tags in the same document are still refused
    query = f"{{ assets(filter: {{tags: {_literal(1001)}}}) {{ totalCount }} }}"
    errors = await refused(app.state.resources.database.engine, client, query)
    assert [e["message"] for e in errors] == [f"Argument 'filter' has invalid value at .tags: {COMMON_CAP}."]


async def test_a_variable_also_used_elsewhere_keeps_the_common_cap(
    app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    # given one variable holding 1,001 strings, passed as sha256s and as a tag filter
    _, client = alice
    query = """query($h: [String!]!) { checkByHashes(sha256s: $h) { exists }
        assets(filter: {tags: $h}) { totalCount } }"""
    # then it is refused at the common cap: sha256s' own cap does not leak into the tags
    errors = await refused(app.state.resources.database.engine, client, query, {"h": [HASH] * 1001})
    assert [(e["message"], e["extensions"]["field"]) for e in errors] == [
        (f"Variable '$h' has invalid value: {COMMON_CAP}.", "h")
    ]


@pytest.mark.parametrize(
    ("selection", "hashes", "cost"),
    [
        pytest.param("exists", 10_000, None, id="10,000 plain answers cost nothing"),
        pytest.param("assetId", 10_000, None, id="10,000 asset ids cost nothing"),
        pytest.param("asset { id }", 5_000, None, id="5,000 whole assets are at the cap"),
        pytest.param("asset { id }", 10_000, 10000, id="10,000 whole assets are over it"),
        pytest.param("asset { similarAssets(first: 20) { distance } }", 238, None, id="238 x 21 is under the cap"),
        pytest.param("asset { similarAssets(first: 20) { distance } }", 239, 5019, id="239 x 21 is over it"),
        pytest.param("asset { similarAssets { distance } }", 300, 6300, id="an omitted first counts 20"),
        pytest.param("asset { uploadAttempts(last: 1) { at } }", 10_000, 20000, id="attempts of 10,000 assets"),
    ],
)
async def test_what_is_nested_in_each_hash_counts_once_per_hash(
    app: Starlette, alice: tuple[int, GraphQLClient], selection: str, hashes: int, cost: int | None
) -> None:
    _, client = alice
    query = f"query($h: [String!]!) {{ checkByHashes(sha256s: $h) {{ {selection} }} }}"
    variables = {"h": [HASH] * hashes}
    if cost is None:
        assert len((await client.data(query, variables))["checkByHashes"]) == hashes
        return
    errors = await refused(app.state.resources.database.engine, client, query, variables)
    assert errors[0]["message"].startswith(f"The query's cost is {cost}, over the limit of 5000: ")
