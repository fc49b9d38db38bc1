"""The app's credentials key across restarts: generated once into the data dir, reused by every later start, and a
key file others may read stops the app from starting."""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.persistence.credential_cipher import KEY_FILE_NAME, CredentialsKeyError, CredentialsUnreadableError
from assetgraph.persistence.database import Database
from assetgraph.services.provider_accounts import account_credentials
from assetgraph.services.resources import Resources
from tests.support import GraphQLClient, new_user

ADD = """mutation($input: AddProviderAccountInput!) {
  addProviderAccount(input: $input) { account { databaseId } errors { code } }
}"""


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Starlette]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def credentials_read_by(app: Starlette, user_id: int, account_id: int) -> dict[str, str] | None:
    resources: Resources = app.state.resources
    found = await account_credentials(resources.unit_of_work(), resources.credentials, user_id, account_id)
    return found[1] if found is not None else None


async def test_the_key_is_generated_once_and_every_later_start_reads_what_the_first_wrote(
    database_url: str, db: Database, tmp_path: Path
) -> None:
    # given a data dir with no key yet
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data", credentials_key=None)
    issued = await new_user(db)

    # when the first start stores an account over HTTP
    async with started(settings) as first:
        transport = httpx.ASGITransport(app=first)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            variables = {"input": {"providerId": "sora", "label": "Main", "credentials": {"api_key": "sk-123"}}}
            payload = (await GraphQLClient(http, issued.token).data(ADD, variables))["addProviderAccount"]
    account_id = payload["account"]["databaseId"]
    key_file = tmp_path / "data" / KEY_FILE_NAME
    written = key_file.read_bytes()

    # then the key it generated is its owner's alone
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # and a restart on the same data dir decrypts what the first start wrote, with the key file untouched
    async with started(settings) as restarted:
        assert await credentials_read_by(restarted, issued.user_id, account_id) == {"api_key": "sk-123"}
    assert key_file.read_bytes() == written
    # while a server with another data dir (so another key) cannot read it
    async with started(settings.model_copy(update={"data_dir": tmp_path / "other"})) as stranger:
        with pytest.raises(CredentialsUnreadableError):
            await credentials_read_by(stranger, issued.user_id, account_id)


async def test_a_key_file_others_may_read_stops_the_app_from_starting(database_url: str, tmp_path: Path) -> None:
    # given a key file someone made readable by everyone
    settings = Settings(database_url=database_url, data_dir=tmp_path, credentials_key=None)
    async with started(settings):
        pass
    key_file = tmp_path / KEY_FILE_NAME
    key_file.chmod(0o644)

    # when the app starts, then it refuses, saying what to do
    with pytest.raises(CredentialsKeyError, match=r"has mode 0644: others may read it.*run: chmod 600"):
        async with started(settings):
            pass
