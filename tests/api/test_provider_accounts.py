"""Provider accounts over HTTP: the caller's own only, every refusal a UserError naming the field with nothing
written, and the credentials never in a response, the database or the log."""

from __future__ import annotations

import base64
import logging
import uuid
from typing import Any

import pytest
from starlette.applications import Starlette

from assetgraph.logging_setup import JsonFormatter
from assetgraph.persistence.database import Database
from assetgraph.services.provider_accounts import account_credentials
from assetgraph.services.resources import Resources
from tests.support import GraphQLClient, provider_account_rows, refused

ACCOUNT_FIELDS = "id databaseId providerId label status lastError createdAt hasCredentials"
ADD = f"""mutation($input: AddProviderAccountInput!) {{
  addProviderAccount(input: $input) {{ account {{ {ACCOUNT_FIELDS} }} errors {{ code message field }} }}
}}"""
UPDATE = f"""mutation($input: UpdateProviderAccountInput!) {{
  updateProviderAccount(input: $input) {{ account {{ {ACCOUNT_FIELDS} }} errors {{ code message field }} }}
}}"""
REMOVE = """mutation($input: RemoveProviderAccountInput!) {
  removeProviderAccount(input: $input) { removedAccountId errors { code message field } }
}"""
LIST = f"{{ providerAccounts {{ {ACCOUNT_FIELDS} }} }}"
INLINE = "mutation { addProviderAccount(input: {INPUT}) { errors { code } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id ... on ProviderAccount { label } } }"


def secret() -> str:
    return f"eyJhbGciOi.secret-{uuid.uuid4().hex}"


def global_id(database_id: int) -> str:
    return base64.urlsafe_b64encode(f"ProviderAccount:{database_id}".encode()).decode()


def account_input(**overrides: Any) -> dict[str, Any]:
    return {"providerId": "pixverse", "label": "Main", "credentials": {"jwt": secret()}, **overrides}


async def add(client: GraphQLClient, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(ADD, {"input": account_input(**overrides)}))["addProviderAccount"]
    assert payload["errors"] == [], payload
    return payload["account"]  # type: ignore[no-any-return]


def resources_of(app: Starlette) -> Resources:
    resources: Resources = app.state.resources
    return resources


async def stored_credentials(app: Starlette, user_id: int, account: dict[str, Any]) -> dict[str, str] | None:
    """What the upload and sync code will read for this account (None: not the user's)."""
    resources = resources_of(app)
    found = await account_credentials(resources.unit_of_work(), resources.credentials, user_id, account["databaseId"])
    return found[1] if found is not None else None


async def test_an_account_is_added_listed_found_changed_and_removed(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    first_jwt, second_jwt = secret(), secret()

    # when alice adds two accounts
    first = await add(client, label="  Main  ", credentials={"jwt": first_jwt})
    second = await add(client, providerId="runway", label="Work", credentials={"api_key": "k" * 8192})

    # then each is hers, active, with credentials she cannot read back
    assert {k: first[k] for k in ("providerId", "label", "status", "lastError", "hasCredentials")} == {
        "providerId": "pixverse",
        "label": "Main",
        "status": "ACTIVE",
        "lastError": None,
        "hasCredentials": True,
    }
    assert first["id"] == global_id(first["databaseId"])
    # and she lists them newest first, and finds one by its id
    assert [a["id"] for a in (await client.data(LIST))["providerAccounts"]] == [second["id"], first["id"]]
    assert (await client.data(NODE, {"id": first["id"]}))["node"] == {
        "__typename": "ProviderAccount",
        "id": first["id"],
        "label": "Main",
    }
    # and the code that calls providers reads the credentials she gave
    assert await stored_credentials(app, alice_id, first) == {"jwt": first_jwt}

    # when she renames the first, disables it and gives it new credentials
    changed = (
        await client.data(
            UPDATE,
            {
                "input": {
                    "accountId": first["id"],
                    "label": "Renamed",
                    "status": "DISABLED",
                    "credentials": {"jwt": second_jwt},
                }
            },
        )
    )["updateProviderAccount"]

    # then she reads it changed, and the new credentials replaced the old ones
    assert changed["errors"] == []
    assert (changed["account"]["label"], changed["account"]["status"]) == ("Renamed", "DISABLED")
    assert await stored_credentials(app, alice_id, first) == {"jwt": second_jwt}

    # when she removes it
    removed = (await client.data(REMOVE, {"input": {"accountId": first["id"]}}))["removeProviderAccount"]

    # then it is gone, row and all, and the other one stays
    assert removed == {"removedAccountId": first["id"], "errors": []}
    assert [a["id"] for a in (await client.data(LIST))["providerAccounts"]] == [second["id"]]
    assert (await client.data(NODE, {"id": first["id"]}))["node"] is None
    assert [row["id"] for row in await provider_account_rows(db, alice_id)] == [second["databaseId"]]


async def test_an_update_with_only_some_fields_leaves_the_others(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    account = await add(client, label="Main")

    # when she changes the status alone, then the label alone
    await client.data(UPDATE, {"input": {"accountId": account["id"], "status": "RATE_LIMITED"}})
    after = (await client.data(UPDATE, {"input": {"accountId": account["id"], "label": "New"}}))[
        "updateProviderAccount"
    ]["account"]

    # then each change kept the other
    assert (after["label"], after["status"], after["hasCredentials"]) == ("New", "RATE_LIMITED", True)


async def test_null_credentials_remove_them(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    account = await add(client)

    # when she sends null credentials
    after = (await client.data(UPDATE, {"input": {"accountId": account["id"], "credentials": None}}))[
        "updateProviderAccount"
    ]

    # then the account stays, without credentials
    assert (after["errors"], after["account"]["hasCredentials"]) == ([], False)
    assert await stored_credentials(app, alice_id, account) == {}


LABEL_101 = "x" * 101
# (input overrides, [(code, field, message)]): each mistake in an added account, and several at once.
ADD_MISTAKES = [
    pytest.param(
        {"providerId": ""}, [("BAD_USER_INPUT", "providerId", "providerId must not be empty.")], id="empty id"
    ),
    pytest.param(
        {"providerId": "myspace"},
        [("UNKNOWN_PROVIDER", "providerId", "No provider 'myspace' is known to this server.")],
        id="unknown provider",
    ),
    pytest.param({"label": ""}, [("BAD_USER_INPUT", "label", "label must not be empty.")], id="empty label"),
    pytest.param({"label": "   "}, [("BAD_USER_INPUT", "label", "label must not be empty.")], id="blank label"),
    pytest.param(
        {"label": LABEL_101},
        [("BAD_USER_INPUT", "label", "label must be at most 100 characters (got 101).")],
        id="long label",
    ),
    pytest.param(
        {"credentials": {}},
        [("BAD_USER_INPUT", "credentials", "credentials must hold 1 to 10 entries (got 0).")],
        id="no credentials",
    ),
    pytest.param(
        {"credentials": {f"k{i}": "v" for i in range(11)}},
        [("BAD_USER_INPUT", "credentials", "credentials must hold 1 to 10 entries (got 11).")],
        id="eleven credentials",
    ),
    pytest.param(
        {"credentials": "a-bare-token"},
        [
            (
                "BAD_USER_INPUT",
                "credentials",
                'credentials must be a JSON object of names to strings, such as {"api_key": "..."} (got a string).',
            )
        ],
        id="a string",
    ),
    pytest.param(
        {"credentials": {"": "v"}},
        [("BAD_USER_INPUT", "credentials", "credentials names must be 1 to 100 characters, not blank.")],
        id="empty name",
    ),
    pytest.param(
        {"credentials": {"jwt": 5}},
        [("BAD_USER_INPUT", "credentials", "credentials 'jwt' must be a string (got a number).")],
        id="a number",
    ),
    pytest.param(
        {"credentials": {"jwt": ""}},
        [("BAD_USER_INPUT", "credentials", "credentials 'jwt' must not be empty.")],
        id="empty value",
    ),
    pytest.param(
        {"credentials": {"jwt": "é" * 4097}},
        [("BAD_USER_INPUT", "credentials", "credentials 'jwt' is 8194 bytes; at most 8192 are kept.")],
        id="over 8 KiB",
    ),
    pytest.param(
        {"providerId": "myspace", "label": "", "credentials": []},
        [
            ("UNKNOWN_PROVIDER", "providerId", "No provider 'myspace' is known to this server."),
            ("BAD_USER_INPUT", "label", "label must not be empty."),
            (
                "BAD_USER_INPUT",
                "credentials",
                'credentials must be a JSON object of names to strings, such as {"api_key": "..."} (got a list).',
            ),
        ],
        id="everything at once",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), ADD_MISTAKES)
async def test_an_invalid_account_is_refused_field_by_field_and_nothing_is_written(
    db: Database, alice: tuple[int, GraphQLClient], overrides: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    alice_id, client = alice

    # when alice adds an account with a mistake in it
    payload = (await client.data(ADD, {"input": account_input(**overrides)}))["addProviderAccount"]

    # then she reads what is wrong and where, and no account was added
    assert payload["account"] is None
    assert [(e["code"], e["field"], e["message"]) for e in payload["errors"]] == expected
    assert await provider_account_rows(db, alice_id) == []


UPDATE_MISTAKES = [
    pytest.param(
        {"label": None},
        [("BAD_USER_INPUT", "label", "label cannot be null: omit it to keep the current label.")],
        id="null label",
    ),
    pytest.param({"label": LABEL_101}, [("BAD_USER_INPUT", "label")], id="long label"),
    pytest.param(
        {"status": None},
        [("BAD_USER_INPUT", "status", "status cannot be null: omit it to keep the current status.")],
        id="null status",
    ),
    pytest.param({"credentials": {"jwt": 1}}, [("BAD_USER_INPUT", "credentials")], id="bad credentials"),
    pytest.param(
        {"label": "", "credentials": {}, "status": "ERROR"},
        [("BAD_USER_INPUT", "label"), ("BAD_USER_INPUT", "credentials")],
        id="two mistakes, one good change",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), UPDATE_MISTAKES)
async def test_an_invalid_update_is_refused_field_by_field_and_nothing_is_written(
    db: Database, alice: tuple[int, GraphQLClient], changes: dict[str, Any], expected: list[tuple[str, ...]]
) -> None:
    alice_id, client = alice
    account = await add(client)
    before = await provider_account_rows(db, alice_id)

    # when alice sends an update with a mistake in it
    payload = (await client.data(UPDATE, {"input": {"accountId": account["id"], **changes}}))["updateProviderAccount"]

    # then she reads each mistake, and the account is as it was, credentials included
    assert payload["account"] is None
    shown = [(e["code"], e["field"], e["message"])[: len(x)] for e, x in zip(payload["errors"], expected, strict=True)]
    assert shown == expected
    assert await provider_account_rows(db, alice_id) == before


async def test_a_missing_id_and_a_bad_field_are_both_reported(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    payload = (await client.data(UPDATE, {"input": {"accountId": global_id(2**62), "label": ""}}))[
        "updateProviderAccount"
    ]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", "accountId"),
        ("BAD_USER_INPUT", "label"),
    ]


async def test_another_users_account_answers_exactly_like_a_missing_one(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given bob's account, and ids that name nothing
    bob_id, bob_client = bob
    _, alice_client = alice
    bobs = await add(bob_client, label="Bob's")
    bob_rows = await provider_account_rows(db, bob_id)
    missing = [global_id(2**62), "not-an-id", base64.b64encode(f"Asset:{bobs['databaseId']}".encode()).decode()]

    async def attempts(account_id: str) -> list[Any]:
        return [
            await alice_client.query(UPDATE, {"input": {"accountId": account_id, "label": "Mine now"}}),
            await alice_client.query(UPDATE, {"input": {"accountId": account_id, "credentials": None}}),
            await alice_client.query(REMOVE, {"input": {"accountId": account_id}}),
            await alice_client.query(NODE, {"id": account_id}),
        ]

    # when alice uses bob's account id to change, clear, remove and fetch it
    with_bobs = await attempts(bobs["id"])

    # then she reads exactly what she reads for an id that names nothing
    for account_id in missing:
        assert await attempts(account_id) == with_bobs
    assert with_bobs[0]["data"]["updateProviderAccount"] == {
        "account": None,
        "errors": [{"code": "NOT_FOUND", "message": "No provider account with this id.", "field": "accountId"}],
    }
    assert with_bobs[3] == {"data": {"node": None}}
    # and bob's account is untouched, and not in her list
    assert await provider_account_rows(db, bob_id) == bob_rows
    assert (await alice_client.data(LIST))["providerAccounts"] == []


def _logged_text(caplog: pytest.LogCaptureFixture) -> str:
    formatter = JsonFormatter()
    return "\n".join(f"{record.__dict__!r}\n{formatter.format(record)}" for record in caplog.records)


async def test_the_plaintext_credentials_are_never_in_a_response_the_database_or_the_log(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient], caplog: pytest.LogCaptureFixture
) -> None:
    alice_id, client = alice
    token, replacement = secret(), secret()
    caplog.set_level(logging.DEBUG)
    responses: list[str] = []

    async def send(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await client.post(query, variables)
        responses.append(response.text)
        body: dict[str, Any] = response.json()
        return body

    # when alice adds an account, lists it, and changes its credentials
    added = await send(ADD, {"input": account_input(credentials={"jwt": token})})
    account_id = added["data"]["addProviderAccount"]["account"]["id"]
    await send(LIST)
    await send(NODE, {"id": account_id})
    await send(UPDATE, {"input": {"accountId": account_id, "credentials": {"jwt": replacement, "cookie": token}}})
    # and makes every kind of mistake with the secret in the request
    mistakes = [
        (ADD, {"input": account_input(label="", credentials={"jwt": token})}),  # refused by our validation
        (ADD, {"input": account_input(credentials={"jwt": token + "x" * 9000})}),  # too long: not quoted
        (ADD, {"input": account_input(credentials={"jwt": 5, "cookie": token})}),
        (ADD, {"input": {"label": "Main", "credentials": {"jwt": token}}}),  # coercion: a required field missing
        (ADD, {"input": {"providerId": "pixverse", "label": "Main", "credential": {"jwt": token}}}),  # misspelt
        (ADD, {"input": account_input(label={"jwt": token})}),  # in a String's place
        (ADD, {"input": [account_input(credentials={"jwt": token})]}),  # a list for the object
        (ADD, {"input": account_input(credentials={"jwt": token + "\u0000"})}),  # refused by the request guard
        (UPDATE, {"input": {"accountId": account_id, "status": "BAD", "credentials": {"jwt": token}}}),
        (INLINE.replace("INPUT", f'label: "x", credentials: {{jwt: "{token}"}}'), None),
        (INLINE.replace("INPUT", f'providerId: "p", label: {{jwt: "{token}"}}, credentials: {{}}'), None),
    ]
    for query, variables in mistakes:
        body = await send(query, variables)
        assert body.get("errors") or body["data"][next(iter(body["data"]))]["errors"], body

    # then no response, no stored column and no log line holds the plaintext
    assert [text for text in responses if token in text or replacement in text] == []
    rows = await provider_account_rows(db, alice_id)
    assert len(rows) == 1
    assert all(token.encode() not in repr(value).encode() for value in rows[0].values())
    ciphertext = rows[0]["encrypted_credentials"]
    assert token.encode() not in ciphertext and replacement.encode() not in ciphertext
    logged = _logged_text(caplog)
    assert "graphql_client_error" in logged  # the mistakes were logged
    assert token not in logged and replacement not in logged
    # and yet the credentials are there for the code that calls the provider
    account = added["data"]["addProviderAccount"]["account"]
    assert await stored_credentials(app, alice_id, account) == {"jwt": replacement, "cookie": token}


async def test_without_a_token_no_mutation_runs(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    anonymous = GraphQLClient(alice[1].http, None)

    # when someone without a token adds an account, then it is refused before any SQL runs
    errors = await refused(resources_of(app).database.engine, anonymous, ADD, {"input": account_input()})

    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
