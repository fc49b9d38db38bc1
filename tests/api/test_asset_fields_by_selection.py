"""Each field of an asset reads the same whatever else the query selects, in a gallery page and alone.

Asset derives its badges and decodes its JSON columns only when a field needs them (schema/asset.py), and
providerStatus / providerFlagged come from the columns the rule's SQL mirror stores: the answers must still be
what the domain rule says for every case of the rule table, and the JSON columns must read back exactly as
written (non-ASCII text, integers beyond 64 bits).
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from assetgraph.domain.provider_status import AssetFacts, summarize
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.asset import Asset
from tests.provider_status_cases import RULE_CASES
from tests.support import GraphQLClient, count_statements, insert_assets, new_user

SELECTIONS = [
    "id",
    "databaseId",
    "mediaType",
    "providerId",
    "providerAssetId",
    "providerAccountId",
    "remoteUrl thumbnailUrl storageKey sha256 phash64 sizeBytes mimeType width height durationSec description",
    "tags styleTags embedding contentDomain contentCategory contentRating ageRestricted searchable",
    "originalSourceUrl uploadMethod syncStatus createdAt updatedAt lastAccessedAt",
    "contentTaxonomy",
    "mediaMetadata",
    "providerUploads",
    "providerStatus",
    "providerFlagged",
    "providerFlagReason",
    "lastUploadStatusByProvider { providerId status }",
    "providerStates { providerId status providerAssetId url flagged flagReason }",
    "providerStates { lastAttempt { providerId status errorCode errorMessage at method context } }",
    "uploadAttempts(last: 20) { providerId status errorCode errorMessage at method context }",
    "newest: uploadAttempts(last: 1) { providerId status at }",
]
EVERYTHING = " ".join(SELECTIONS)
TRICKY_JSON: dict[str, Any] = {
    "title": 'é 日本語 \u2028 \U0001f600 "quoted" \\',
    "big": 2**70,
    "negative": -(2**63) - 1,
    "ratio": 0.1,
    "tiny": 5e-324,
    "nested": [{"id": 123456789012345678901234567890}, None, True],
}


def _page(selection: str) -> str:
    return f"{{ assets(first: 80) {{ edges {{ node {{ databaseId {selection} }} }} }} }}"


async def _nodes(client: GraphQLClient, selection: str) -> dict[int, dict[str, Any]]:
    data = await client.data(_page(selection))
    return {edge["node"]["databaseId"]: edge["node"] for edge in data["assets"]["edges"]}


def _case_rows() -> list[dict[str, Any]]:
    rows = []
    for case in RULE_CASES:
        facts: AssetFacts = case.values[0]
        rows.append(
            {
                "provider_id": facts.provider_id if facts.provider_id is not None else "local",
                "provider_asset_id": facts.provider_asset_id,
                "storage_key": facts.storage_key,
                "provider_uploads": facts.provider_uploads,
                "media_metadata": facts.media_metadata,
            }
        )
    rows.append({"media_metadata": TRICKY_JSON, "provider_uploads": TRICKY_JSON, "content_taxonomy": TRICKY_JSON})
    return rows


def _badges_by_the_rule(row: dict[str, Any]) -> dict[str, Any]:
    facts = AssetFacts(
        row.get("provider_id", "local"),
        row.get("provider_asset_id"),
        row.get("storage_key"),
        row.get("provider_uploads"),
        row.get("media_metadata"),
    )
    summary = summarize(facts)
    last = summary.history.last_status_by_provider
    return {
        "providerStatus": summary.status.value,
        "providerFlagged": summary.flagged,
        "providerFlagReason": summary.flag_reason,
        "lastUploadStatusByProvider": (
            [{"providerId": p, "status": s.name} for p, s in sorted(last.items())] if last is not None else None
        ),
        "providerStates": [
            {
                "providerId": s.provider_id,
                "status": s.status.value,
                "providerAssetId": s.provider_asset_id,
                "url": s.url,
                "flagged": s.flagged,
                "flagReason": s.flag_reason,
            }
            for s in summary.states
        ],
        "uploadAttempts": len(summary.history.attempts),
    }


def _libraries(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows split so that no library holds one provider's asset id twice (a unique key)."""
    libraries: list[list[dict[str, Any]]] = []
    for row in rows:
        key = (row.get("provider_id"), row.get("provider_asset_id"))
        free = (
            lib
            for lib in libraries
            if key[1] is None or key not in {(r.get("provider_id"), r.get("provider_asset_id")) for r in lib}
        )
        library = next(free, None)
        if library is None:
            library = []
            libraries.append(library)
        library.append(row)
    return libraries


async def test_every_field_reads_the_same_alone_as_with_every_other(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given assets for every case of the provider status rule, and one with tricky JSON in every JSON column
    # (in as many libraries as their unique keys need)
    for library in _libraries(_case_rows()):
        issued = await new_user(db)
        await _check_every_field(db, GraphQLClient(alice[1].http, issued.token), issued.user_id, library)


async def _check_every_field(db: Database, client: GraphQLClient, user_id: int, rows: list[dict[str, Any]]) -> None:
    ids = await insert_assets(db, user_id, rows)

    # when the page is read with every field, and again with each field alone
    everything = await _nodes(client, EVERYTHING)
    alone = {selection: await _nodes(client, selection) for selection in SELECTIONS}

    # then each field alone reads as it does among all the others
    assert sorted(everything) == sorted(ids)
    for selection, nodes in alone.items():
        for database_id, node in nodes.items():
            for name, value in node.items():
                if name == "providerStates":  # two selections of it: compare what each selected
                    value = [{k: state[k] for k in state} for state in value]
                    among_all = [
                        {k: state[k] for k in state_alone}
                        for state, state_alone in zip(everything[database_id][name], value, strict=True)
                    ]
                    assert value == among_all, (selection, database_id)
                else:
                    assert value == everything[database_id][name], (selection, name, database_id)

    # and the badges say what the domain rule says, and the JSON columns read back as written
    for database_id, row in zip(ids, rows, strict=True):
        node = everything[database_id]
        expected = _badges_by_the_rule(row)
        attempts = node.pop("uploadAttempts")
        assert len(attempts) == expected.pop("uploadAttempts")
        assert node.pop("newest") == [{k: a[k] for k in ("providerId", "status", "at")} for a in attempts[:1]]
        states = [{k: v for k, v in state.items() if k != "lastAttempt"} for state in node["providerStates"]]
        assert {**{k: node[k] for k in expected}, "providerStates": states} == expected, row
        for column, field in [
            ("media_metadata", "mediaMetadata"),
            ("provider_uploads", "providerUploads"),
            ("content_taxonomy", "contentTaxonomy"),
        ]:
            assert node[field] == row.get(column), (database_id, field)


async def test_an_asset_by_id_reads_as_in_the_page(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given an asset with tricky JSON
    user_id, client = alice
    [asset_id] = await insert_assets(db, user_id, [{"media_metadata": TRICKY_JSON, "provider_uploads": TRICKY_JSON}])

    # when it is read through the gallery and by id, every field
    in_page = (await _nodes(client, EVERYTHING))[asset_id]
    query = f"query($id: ID!) {{ asset(id: $id) {{ databaseId {EVERYTHING} }} }}"
    by_id = (await client.data(query, {"id": to_global_id(NodeType.ASSET, asset_id)}))["asset"]

    # then both read the same, the JSON as written
    assert by_id == in_page
    assert by_id["mediaMetadata"] == TRICKY_JSON


BADGE_FIELDS = (
    "providerStatus providerFlagged providerFlagReason lastUploadStatusByProvider { providerId status } "
    "providerStates { providerId status providerAssetId url flagged flagReason "
    "lastAttempt { providerId status errorCode errorMessage at method context } }"
)


# (query, variables, whether the page shows a badge): fragments, aliases, @skip / @include by variable, nodes or edges.
BADGES_SHOWN: list[tuple[str, dict[str, Any], bool]] = [
    ("{ assets(first: 80) { nodes { providerStatus providerFlagged mediaMetadata } totalCount } }", {}, False),
    ("{ assets(first: 80) { nodes { ...Shown } } } fragment Shown on Asset { s: providerStates { url } }", {}, True),
    ("{ assets(first: 80) { edges { node { ... on Asset { providerFlagReason } } } } }", {}, True),
    (
        "query($show: Boolean!) { assets(first: 80) { edges { node { databaseId "
        "lastUploadStatusByProvider @include(if: $show) { status } } } } }",
        {"show": False},
        False,
    ),
    (
        "query($hide: Boolean!) { assets(first: 80) { edges @skip(if: $hide) { node { providerStates { url } } } "
        "nodes { databaseId } } }",
        {"hide": False},
        True,
    ),
    (
        "query($hide: Boolean!) { assets(first: 80) { edges @skip(if: $hide) { node { providerStates { url } } } "
        "nodes { databaseId } } }",
        {"hide": True},
        False,
    ),
]


async def test_the_badges_postgresql_derives_for_a_page_read_as_those_derived_here(
    db: Database, app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    # given assets for every case of the provider status rule
    engine = app.state.resources.database.engine
    for library in _libraries(_case_rows()):
        issued = await new_user(db)
        client = GraphQLClient(alice[1].http, issued.token)
        ids = await insert_assets(db, issued.user_id, library)

        # when the gallery reads their badges (derived by PostgreSQL for the page), each is read by id (derived here,
        # from the row), and the gallery is read with selections that show badges or not (BADGES_SHOWN)
        with count_statements(engine) as with_badges:
            in_page = await _nodes(client, BADGE_FIELDS)
        by_id = {}
        for asset_id in ids:
            query = f"query($id: ID!) {{ asset(id: $id) {{ databaseId {BADGE_FIELDS} }} }}"
            by_id[asset_id] = (await client.data(query, {"id": to_global_id(NodeType.ASSET, asset_id)}))["asset"]
        asks_postgresql = []
        for query, variables, _ in BADGES_SHOWN:
            with count_statements(engine) as statements:
                await client.data(query, variables)
            asks_postgresql.append(any("assetgraph_provider_badges" in s for s in statements))

        # then both read the same, for every asset
        assert in_page == by_id
        # and only the pages showing badges ask PostgreSQL for them
        assert any("assetgraph_provider_badges" in s for s in with_badges)
        assert asks_postgresql == [shows for _, _, shows in BADGES_SHOWN]


async def test_every_plain_field_of_the_asset_type_is_set_or_derived(db: Database) -> None:
    # given an asset row as the repository reads it
    issued = await new_user(db)
    [asset_id] = await insert_assets(db, issued.user_id, [{"media_metadata": TRICKY_JSON}])
    async with UnitOfWork(db) as uow:
        record = (await uow.assets.by_ids(issued.user_id, [asset_id]))[asset_id]

    # when the GraphQL type is built from it
    asset = Asset.from_row(record)

    # then every field without a resolver of its own reads as an attribute (set at once, or derived on first read)
    plain = [f.python_name for f in Asset.__strawberry_definition__.fields if f.base_resolver is None]
    assert len(plain) > 30
    for name in plain:
        getattr(asset, name)
