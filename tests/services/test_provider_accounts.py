"""The provider account services the upload and sync code call: credentials for the owner only, and the status a
provider reports."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import update

from assetgraph.domain.enums import ProviderAccountStatus
from assetgraph.domain.errors import ClientErrors
from assetgraph.persistence.credential_cipher import CredentialCipher, CredentialsUnreadableError
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import ProviderAccount
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services import provider_accounts as accounts
from tests.support import new_user, provider_account_rows

PROVIDERS = ["pixverse", "sora"]


@pytest.fixture(scope="module")
def cipher() -> CredentialCipher:
    return CredentialCipher(os.urandom(32))


async def add(db: Database, cipher: CredentialCipher, user_id: int, token: str) -> int:
    account = await accounts.add_provider_account(
        UnitOfWork(db), cipher, user_id, "pixverse", "Main", {"jwt": token}, PROVIDERS
    )
    return account.id


async def test_credentials_are_read_for_their_owner_only(db: Database, cipher: CredentialCipher) -> None:
    alice, bob = await new_user(db), await new_user(db)
    account_id = await add(db, cipher, alice.user_id, "alice-token")

    found = await accounts.account_credentials(UnitOfWork(db), cipher, alice.user_id, account_id)
    assert found is not None
    assert (found[0].id, found[0].provider_id, found[1]) == (account_id, "pixverse", {"jwt": "alice-token"})
    # bob asking for alice's account reads what he reads for one that does not exist
    assert await accounts.account_credentials(UnitOfWork(db), cipher, bob.user_id, account_id) is None
    assert await accounts.account_credentials(UnitOfWork(db), cipher, bob.user_id, 2**62) is None


async def test_ciphertext_moved_onto_another_users_account_does_not_decrypt(
    db: Database, cipher: CredentialCipher
) -> None:
    # given alice's ciphertext copied, in the database, onto bob's account
    alice, bob = await new_user(db), await new_user(db)
    await add(db, cipher, alice.user_id, "alice-token")
    bobs = await add(db, cipher, bob.user_id, "bob-token")
    (alice_row,) = await provider_account_rows(db, alice.user_id)
    async with db.engine.begin() as conn:
        await conn.execute(
            update(ProviderAccount)
            .where(ProviderAccount.id == bobs)
            .values(encrypted_credentials=alice_row["encrypted_credentials"])
        )

    # then bob's account cannot be used with alice's credentials
    with pytest.raises(CredentialsUnreadableError):
        await accounts.account_credentials(UnitOfWork(db), cipher, bob.user_id, bobs)


async def test_a_provider_error_shows_on_the_account_until_new_credentials_arrive(
    db: Database, cipher: CredentialCipher
) -> None:
    user = await new_user(db)
    account_id = await add(db, cipher, user.user_id, "old-token")

    # when a provider says the session expired, with a long message
    assert await accounts.mark_account_error(
        UnitOfWork(db), account_id, ProviderAccountStatus.ERROR, "Session expired. " + "x" * 5000
    )

    # then the account shows it, bounded
    (listed,) = await accounts.provider_accounts_of(UnitOfWork(db), user.user_id)
    assert listed.status is ProviderAccountStatus.ERROR
    assert listed.last_error is not None and listed.last_error.startswith("Session expired.")
    assert len(listed.last_error) == 1000

    # when the owner gives new credentials, then the account is active again, without the error
    renewed = await accounts.update_provider_account(
        UnitOfWork(db), cipher, user.user_id, account_id, {"credentials": {"jwt": "new-token"}}
    )
    assert (renewed.status, renewed.last_error) == (ProviderAccountStatus.ACTIVE, None)


async def test_new_credentials_leave_a_status_the_owner_chose(db: Database, cipher: CredentialCipher) -> None:
    user = await new_user(db)
    account_id = await add(db, cipher, user.user_id, "token")
    await accounts.mark_account_error(UnitOfWork(db), account_id, ProviderAccountStatus.ERROR, "expired")

    # when the owner gives new credentials and disables the account in one update
    changed = await accounts.update_provider_account(
        UnitOfWork(db),
        cipher,
        user.user_id,
        account_id,
        {"credentials": {"jwt": "new"}, "status": ProviderAccountStatus.DISABLED},
    )

    # then the status is the one chosen, and the provider's last word is kept
    assert (changed.status, changed.last_error) == (ProviderAccountStatus.DISABLED, "expired")


async def test_marking_a_removed_account_says_so(db: Database, cipher: CredentialCipher) -> None:
    user = await new_user(db)
    account_id = await add(db, cipher, user.user_id, "token")
    await accounts.remove_provider_account(UnitOfWork(db), user.user_id, account_id)

    assert not await accounts.mark_account_error(UnitOfWork(db), account_id, ProviderAccountStatus.EXHAUSTED, None)


async def test_an_invalid_account_raises_every_error_and_writes_nothing(db: Database, cipher: CredentialCipher) -> None:
    user = await new_user(db)

    with pytest.raises(ClientErrors) as refused:
        await accounts.add_provider_account(UnitOfWork(db), cipher, user.user_id, "runway", "", "x", PROVIDERS)

    # runway is not among the providers this server was given
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("UNKNOWN_PROVIDER", "providerId"),
        ("BAD_USER_INPUT", "label"),
        ("BAD_USER_INPUT", "credentials"),
    ]
    assert await provider_account_rows(db, user.user_id) == []
