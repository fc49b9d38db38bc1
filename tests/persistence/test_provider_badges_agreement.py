"""assetgraph_provider_badges, read by badges_from_sql, gives exactly the states and last statuses summarize derives.

Runs against the test database, where migration 0008 installed the function: what is tested is what is deployed.
Python summarizes the JSON columns as PostgreSQL gives them back (jsonb normalises numbers, duplicate keys and key
order), read as the application reads them (json_text.loads), since that is what a gallery request would summarize.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetgraph.domain import json_text
from assetgraph.domain.provider_status import AssetFacts, ProviderStatus, badges_from_sql, summarize
from assetgraph.domain.upload_history import AttemptStatus
from tests.persistence.own_loop import connection_on_own_loop
from tests.provider_status_cases import RULE_CASES, T0, T1, T2
from tests.strategies import asset_facts


@dataclass(frozen=True)
class StoredFacts:
    """An asset's columns as written to PostgreSQL: the JSON columns as JSON text, None for SQL NULL."""

    provider_id: str | None
    provider_asset_id: str | None
    storage_key: str | None
    provider_uploads: str | None
    media_metadata: str | None


def _jsonb_encodings(value: object) -> list[str | None]:
    # Python None stands both for SQL NULL and for a jsonb 'null': both must read the same.
    return [None, "null"] if value is None else [json.dumps(value)]


def _stored(facts: AssetFacts) -> list[StoredFacts]:
    encodings = product(_jsonb_encodings(facts.provider_uploads), _jsonb_encodings(facts.media_metadata))
    return [
        StoredFacts(facts.provider_id, facts.provider_asset_id, facts.storage_key, uploads, metadata)
        for uploads, metadata in encodings
    ]


# The function as the gallery calls it: a table function in FROM (inlined into the statement).
_QUERY = """
SELECT $1::jsonb::text AS provider_uploads,
       $2::jsonb::text AS media_metadata,
       derived.badges::text AS badges
FROM assetgraph_provider_badges($2::jsonb, $1::jsonb, $3, $4, $5) AS derived
"""


def _loads(text: str | None) -> object:
    return None if text is None else json_text.loads(text)


async def check_agreement(conn: asyncpg.Connection, stored_list: list[StoredFacts]) -> None:
    """Evaluate the SQL function for each asset and compare what badges_from_sql reads with summarize's answer."""
    for stored in stored_list:
        row = await conn.fetchrow(
            _QUERY,
            stored.provider_uploads,
            stored.media_metadata,
            stored.provider_id,
            stored.provider_asset_id,
            stored.storage_key,
        )
        assert row is not None
        read_back = AssetFacts(
            stored.provider_id,
            stored.provider_asset_id,
            stored.storage_key,
            _loads(row["provider_uploads"]),
            _loads(row["media_metadata"]),
        )
        summary = summarize(read_back)
        expected = (summary.states, summary.history.last_status_by_provider)
        actual = badges_from_sql(json_text.loads(row["badges"]))
        assert actual == expected, f"SQL and Python disagree for {stored!r}: SQL returned {row['badges']}"


class _Database:
    """One connection on a private event loop, so that synchronous hypothesis tests can drive it."""

    def __init__(self, runner: asyncio.Runner, conn: asyncpg.Connection) -> None:
        self.runner = runner
        self.conn = conn

    def check(self, stored_list: list[StoredFacts]) -> None:
        self.runner.run(check_agreement(self.conn, stored_list))

    def badges(self, stored: StoredFacts) -> object:
        """The function's decoded answer for one asset."""
        text = self.runner.run(
            self.conn.fetchval(
                "SELECT badges::text FROM assetgraph_provider_badges($1::jsonb, $2::jsonb, $3, $4, $5)",
                stored.media_metadata,
                stored.provider_uploads,
                stored.provider_id,
                stored.provider_asset_id,
                stored.storage_key,
            )
        )
        return json_text.loads(text)


@pytest.fixture(scope="module")
def database(database_url: str) -> Iterator[_Database]:
    with connection_on_own_loop(database_url) as (runner, conn):
        yield _Database(runner, conn)


@pytest.mark.parametrize(("facts", "provider_id", "expected"), RULE_CASES)
def test_sql_badges_agree_on_the_rule_table(
    database: _Database, facts: AssetFacts, provider_id: str | None, expected: object
) -> None:
    database.check(_stored(facts))


@settings(max_examples=300, deadline=None)
@given(st.lists(asset_facts(), min_size=1, max_size=10))
def test_sql_badges_agree_with_the_domain_rule(database: _Database, facts_list: list[AssetFacts]) -> None:
    database.check([stored for facts in facts_list for stored in _stored(facts)])


def _attempt(provider_id: str, status: str, at: str = T0) -> str:
    return json.dumps({"provider_id": provider_id, "status": status, "at": at})


def _history(attempts: str = "[]", last: str = "{}") -> str:
    return f'{{"upload_attempts": {attempts}, "last_upload_status_by_provider": {last}}}'


_HUGE = "123456789012345678901234567890"

# Hand-written stored columns, as JSON text so that what jsonb normalises (number spellings, duplicate keys) is
# exercised: (primary provider, provider_asset_id, storage_key, provider_uploads, media_metadata).
_STORED_CASES = {
    "numeric ids": (
        None,
        None,
        "sha256/ab",
        f'{{"a": {{"id": 1}}, "b": {{"id": 1.50}}, "c": {{"id": 1e2}}, "d": {{"id": -0}}, "e": {{"id": {_HUGE}}},'
        ' "f": {"id": -0.0}, "g": {"id": 1E400}, "h": {"id": 0.1e-5}, "i": {"id": -12}}',
        "{}",
    ),
    "bool, null, container and empty-string ids": (
        "sora",
        "",
        "sha256/ab",
        '{"sora": {"id": ""}, "a": {"id": true}, "b": {"id": false}, "c": {"id": null}, "d": {"id": [1]},'
        ' "e": {"id": {"x": 1}}, "f": {}}',
        "{}",
    ),
    "primary id wins over the upload entry's": (
        "sora",
        "v_1",
        None,
        '{"sora": {"id": 7, "url": "https://cdn.example/s.mp4"}}',
        "{}",
    ),
    "empty primary id falls back to the upload entry": ("sora", "", None, '{"sora": {"id": 7}}', "null"),
    "non-object entries": (
        "sora",
        None,
        "sha256/ab",
        '{"sora": "v_1", "a": [1], "b": null, "c": 3, "d": true}',
        '{"provider_moderation": {"sora": "flagged", "e": [true]},'
        ' "upload_history": {"upload_attempts": [1, "x", null, [], {"provider_id": ["f"], "status": "error"}],'
        ' "last_upload_status_by_provider": []}}',
    ),
    "non-object containers": ("runway", "v_1", "", "[1]", '["upload_history"]'),
    "scalar containers": ("runway", None, None, '"sora"', "7"),
    "history not an object": (None, None, None, "{}", '{"upload_history": [{"provider_id": "sora"}]}'),
    "keys '' and 'local' everywhere": (
        "local",
        "v_1",
        "sha256/ab",
        '{"": {"id": "x"}, "local": {"id": "y"}, "sora": {"id": "z"}}',
        '{"provider_moderation": {"": {"flagged": true}, "local": {"flagged": true}},'
        ' "upload_history": '
        + _history(
            f"[{_attempt('', 'error')}, {_attempt('local', 'error')}]",
            '{"": "error", "local": "success"}',
        )
        + "}",
    ),
    "empty primary provider": ("", "v_1", "sha256/ab", '{"": {"id": "x"}, "runway": {"id": "r"}}', "{}"),
    "one provider per source": (
        "sora",
        None,
        "sha256/ab",
        '{"uploads_only": {"id": "u", "url": 5}}',
        '{"provider_moderation": {"moderation_only": {"flagged": false}},'
        ' "upload_history": '
        + _history(f"[{_attempt('attempts_only', 'success')}]", '{"last_only": "error", "not_a_status": "failed"}')
        + "}",
    ),
    "provider ids sort by code point": (
        "z",
        "v_1",
        None,
        '{"é": {"id": 1}, "e\u0301": {"id": 2}, "a": {"id": 3}, "B": {"id": 4}, "😀": {"id": 5}, "\uff5a": {"id": 6},'
        ' "Z": {"id": 7}, "z": {"id": 8}, "\u00a0": {"id": 9}, "_": {"id": 10}}',
        "{}",
    ),
    "a flag cleared by a later success, another not": (
        "sora",
        "v_1",
        "sha256/ab",
        "{}",
        '{"provider_moderation": {"sora": {"flagged": true, "reason": "video_status 7", "at": "' + T1 + '"},'
        ' "runway": {"flagged": true, "reason": "nsfw", "at": "' + T1 + '"}},'
        ' "upload_history": '
        + _history(
            f"[{_attempt('sora', 'success', T0)}, {_attempt('runway', 'success', T0)},"
            f" {_attempt('sora', 'success', T2)}, {_attempt('sora', 'error', T2)}, {_attempt('runway', 'error', T2)}]",
            '{"sora": "error", "runway": "error"}',
        )
        + "}",
    ),
    "lists and statuses where jsonpath's lax mode would unwrap or wrap them": (
        "sora",
        None,
        "sha256/ab",
        "{}",
        '{"upload_history": {"upload_attempts": {"provider_id": "runway", "status": "error"},'
        ' "last_upload_status_by_provider": {"sora": ["error"], "pixverse": ["success"]}},'
        ' "provider_moderation": {"kling": {"flagged": [true]}}}',
    ),
    "a flag whose reason is not a string": (
        "sora",
        None,
        None,
        "{}",
        '{"provider_moderation": {"sora": {"flagged": true, "reason": 5}, "b": {"flagged": true}}}',
    ),
    "invalid attempts after the valid last one": (
        "sora",
        "v_1",
        None,
        "{}",
        '{"upload_history": '
        + _history(
            f"[{_attempt('sora', 'error', T0)}, {_attempt('sora', 'success', T1)},"
            ' {"provider_id": "sora", "status": "Success", "at": "' + T2 + '"},'
            ' {"provider_id": "sora"}, "sora", null, {"provider_id": "", "status": "error"},'
            ' {"provider_id": "sora", "status": ["error"]}, {"status": "error"}]'
        )
        + "}",
    ),
    "an attempt's optional fields of every type": (
        "sora",
        None,
        None,
        "{}",
        '{"upload_history": {"upload_attempts": ['
        '{"provider_id": "sora", "status": "error", "at": 5, "error_code": 1, "error_message": null,'
        ' "method": ["api"], "context": "x"},'
        '{"provider_id": "runway", "status": "success", "at": "' + T0 + '", "error_code": "c",'
        ' "error_message": "m", "method": "api", "context": {"job": "j1", "n": ' + _HUGE + ', "f": 1.50}}]}}',
    ),
    "duplicate keys: the last one wins": (
        "sora",
        None,
        None,
        '{"sora": {"id": 1}, "sora": {"id": "second", "url": "u", "url": null}}',
        '{"upload_history": {"last_upload_status_by_provider": {"sora": "error", "sora": "success"}},'
        ' "upload_history": {"last_upload_status_by_provider": {"runway": "error"}}}',
    ),
    "a claimed success with no copy": (
        "sora",
        None,
        None,
        '{"runway": {"id": ""}}',
        '{"upload_history": {"last_upload_status_by_provider": {"sora": "success", "runway": "success"}}}',
    ),
    "all NULL": (None, None, None, None, None),
}


@pytest.mark.parametrize("columns", list(_STORED_CASES.values()), ids=list(_STORED_CASES))
def test_sql_badges_agree_on_stored_edge_cases(
    database: _Database, columns: tuple[str | None, str | None, str | None, str | None, str | None]
) -> None:
    database.check([StoredFacts(*columns)])


def test_badges_list_providers_primary_first_then_by_code_point(database: _Database) -> None:
    states, _ = badges_from_sql(database.badges(StoredFacts(*_STORED_CASES["provider ids sort by code point"])))
    assert [state.provider_id for state in states] == [
        "z",
        "B",
        "Z",
        "_",
        "a",
        "e\u0301",
        "\u00a0",
        "é",
        "\uff5a",
        "😀",
    ]


def test_badges_read_numeric_ids_as_python_writes_them(database: _Database) -> None:
    # As PostgreSQL writes the numbers back (1e2 as 100, 1E400 with its 400 zeros) and str() writes what Python reads.
    states, _ = badges_from_sql(database.badges(StoredFacts(*_STORED_CASES["numeric ids"])))
    held = {state.provider_id: state.provider_asset_id for state in states}
    assert held == {
        "a": "1",
        "b": "1.5",
        "c": "100",
        "d": "0",
        "e": _HUGE,
        "f": "0.0",
        "g": "1" + "0" * 400,
        "h": "1e-06",
        "i": "-12",
    }


def test_badges_show_the_flag_a_later_success_cleared(database: _Database) -> None:
    states, last = badges_from_sql(
        database.badges(StoredFacts(*_STORED_CASES["a flag cleared by a later success, another not"]))
    )
    by_provider = {state.provider_id: state for state in states}
    assert (by_provider["sora"].status, by_provider["sora"].flag_reason) == (ProviderStatus.LOCAL_ONLY, None)
    assert (by_provider["runway"].status, by_provider["runway"].flag_reason) == (ProviderStatus.FLAGGED, "nsfw")
    assert last == {"sora": AttemptStatus.ERROR, "runway": AttemptStatus.ERROR}


_ATTEMPT = {"provider_id": "sora", "status": "error", "at": T0}


@pytest.mark.parametrize(
    ("value", "expected_providers", "expected_last"),
    [
        (None, [], None),
        (7, [], None),
        ("[[], null]", [], None),
        ({"states": [], "last": {}}, [], None),
        ([], [], None),
        ([[]], [], None),
        ([[], {}, None], [], None),
        ([None, {"sora": "error"}], [], {"sora": AttemptStatus.ERROR}),
        ([{"sora": "OK"}, ["sora", "error"]], [], None),
        ([["not a state", 1, None, ["sora", "OK"]], None], [], None),
        ([[[1, "OK", None, None, None, None]], None], [], None),
        ([[["sora", "ok", None, None, None, None]], None], [], None),
        ([[["sora", ["OK"], None, None, None, None]], None], [], None),
        ([[["sora", "OK", None, None, None, None, None]], None], [], None),
        (
            [[["sora", "OK", None, None, None, None], ["runway", "LOCAL_ONLY", None, None, None, None]], None],
            ["sora", "runway"],
            None,
        ),
        ([[], {"sora": "failed", "runway": 1, "pixverse": "success"}], [], {"pixverse": AttemptStatus.SUCCESS}),
    ],
)
def test_badges_from_sql_reads_malformed_input_as_nothing_known(
    value: object, expected_providers: list[str], expected_last: object
) -> None:
    states, last = badges_from_sql(value)
    assert [state.provider_id for state in states] == expected_providers
    assert last == expected_last


def test_badges_from_sql_keeps_only_values_of_the_right_type() -> None:
    raw = [["sora", "OK", True, 5, "a reason on an OK state", {"provider_id": "sora"}]]
    raw.append(["runway", "FLAGGED", [1], "https://cdn.example/r.mp4", ["nsfw"], _ATTEMPT])
    raw.append(["pixverse", "FLAGGED", "", None, "nsfw", "not an attempt"])
    states, _ = badges_from_sql([raw, None])
    sora, runway, pixverse = states
    assert (sora.provider_asset_id, sora.url, sora.flagged, sora.flag_reason, sora.last_attempt) == (
        None,
        None,
        False,
        None,
        None,
    )
    assert (runway.provider_asset_id, runway.url, runway.flagged, runway.flag_reason) == (
        None,
        "https://cdn.example/r.mp4",
        True,
        None,
    )
    assert runway.last_attempt is not None and runway.last_attempt.status is AttemptStatus.ERROR
    assert (pixverse.provider_asset_id, pixverse.flagged, pixverse.flag_reason, pixverse.last_attempt) == (
        None,
        True,
        "nsfw",
        None,
    )


def test_the_table_form_is_planned_with_the_statement_that_calls_it(database: _Database) -> None:
    # Inlined, its body is planned once with the page's statement; a Function Scan would set it up again for every
    # row (a SET clause or a STRICT marker on the function is enough to lose that).
    plan = database.runner.run(
        database.conn.fetch(
            "EXPLAIN (COSTS OFF) SELECT assets.id, badges.badges FROM assets CROSS JOIN LATERAL "
            "assetgraph_provider_badges(assets.media_metadata, assets.provider_uploads, assets.provider_id, "
            "assets.provider_asset_id, assets.storage_key) AS badges LIMIT 100"
        )
    )
    lines = [row[0] for row in plan]
    assert not any("Function Scan on assetgraph_provider_badges" in line for line in lines), lines
    assert any("jsonb_array_elements_text" in line for line in lines), lines
