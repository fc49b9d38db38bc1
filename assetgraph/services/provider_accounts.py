"""Provider accounts: the caller's own, added, changed, removed and listed; and their credentials, for the code that
calls providers on the caller's behalf.

Credentials are encrypted before they reach the database and are never logged or returned to a client. Another
user's account is treated exactly as a missing one: the same error, and nothing written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import partial

from assetgraph.domain.enums import ProviderAccountStatus
from assetgraph.domain.errors import ClientError, ClientErrors, NotFound
from assetgraph.domain.provider_accounts import (
    ProviderAccountRecord,
    clip_last_error,
    state_after,
    validate_account_changes,
    validate_new_account,
)
from assetgraph.persistence.credential_cipher import CredentialCipher
from assetgraph.persistence.unit_of_work import UnitOfWork


def known_provider(providers: Collection[str], provider_id: str) -> bool:
    """Whether accounts may be added for this provider: the one check of it.

    `providers` are the registered providers' ids (Resources.providers.ids()).
    """
    return provider_id in providers


def _not_found() -> NotFound:
    return NotFound("provider account", field="accountId")


async def provider_accounts_of(uow: UnitOfWork, user_id: int) -> list[ProviderAccountRecord]:
    """The user's accounts, newest first."""
    async with uow:
        return await uow.provider_accounts.of_user(user_id)


async def provider_accounts_by_ids(
    uow: UnitOfWork, user_id: int, ids: Sequence[int]
) -> dict[int, ProviderAccountRecord]:
    """The user's accounts among `ids`; other users' ids are absent, as missing ones are."""
    async with uow:
        return await uow.provider_accounts.by_ids(user_id, ids)


async def add_provider_account(
    uow: UnitOfWork,
    cipher: CredentialCipher,
    user_id: int,
    provider_id: str,
    label: str,
    credentials: object,
    providers: Collection[str],
) -> ProviderAccountRecord:
    """A new account with its credentials encrypted; ClientErrors (nothing written) when the input is invalid."""
    account = validate_new_account(provider_id, label, credentials, partial(known_provider, providers))
    encrypted = cipher.encrypt(account.credentials, user_id=user_id, provider_id=account.provider_id)
    async with uow:
        added = await uow.provider_accounts.add(user_id, account.provider_id, account.label, encrypted)
        await uow.commit()
    return added


async def update_provider_account(
    uow: UnitOfWork, cipher: CredentialCipher, user_id: int, account_id: int | None, given: Mapping[str, object]
) -> ProviderAccountRecord:
    """Change the label, credentials or status of the user's account.

    `account_id` is None for an id that names no account at all; `given` holds only the fields the client sent
    (see domain.provider_accounts.validate_account_changes). Every problem is reported at once, and when there is
    one nothing is written.
    """
    errors: list[ClientError] = []
    try:
        changes = validate_account_changes(given)
    except ClientErrors as exc:
        errors.extend(exc.errors)
    async with uow:
        account = await uow.provider_accounts.lock(user_id, account_id) if account_id is not None else None
        if account is None:
            errors.insert(0, _not_found())
        if errors or account is None:
            raise ClientErrors(errors)
        encrypted = (
            cipher.encrypt(changes.credentials, user_id=user_id, provider_id=account.provider_id)
            if changes.credentials is not None
            else None
        )
        updated = await uow.provider_accounts.update(
            account.id,
            state_after(account, changes),
            replace_credentials=changes.credentials is not None or changes.clear_credentials,
            encrypted_credentials=encrypted,
        )
        await uow.commit()
    return updated


async def remove_provider_account(uow: UnitOfWork, user_id: int, account_id: int | None) -> int:
    """Delete the user's account (its assets stay, no longer tied to it); returns its id."""
    async with uow:
        if account_id is None or not await uow.provider_accounts.remove(user_id, account_id):
            raise _not_found()
        await uow.commit()
    return account_id


async def account_credentials(
    uow: UnitOfWork, cipher: CredentialCipher, user_id: int, account_id: int
) -> tuple[ProviderAccountRecord, dict[str, str]] | None:
    """The user's account and its decrypted credentials ({} when it has none); None when the user has no such
    account (another user's included). For the code that calls the provider: never log or return the dict.

    Raises CredentialsUnreadableError when the stored ciphertext does not decrypt with the configured key.
    """
    async with uow:
        found = await uow.provider_accounts.with_credentials(user_id, account_id)
    if found is None:
        return None
    account, encrypted = found
    if encrypted is None:
        return account, {}
    return account, cipher.decrypt(encrypted, user_id=user_id, provider_id=account.provider_id)


async def mark_account_error(
    uow: UnitOfWork, account_id: int, status: ProviderAccountStatus, last_error: str | None
) -> bool:
    """Record what a provider said of an account (`error` for an expired session, `exhausted`, `rate_limited`):
    the status, and `last_error` (bounded; it is shown to the account's owner, so it must not quote credentials).
    For an account obtained through `account_credentials`; False when it no longer exists."""
    async with uow:
        found = await uow.provider_accounts.set_status(account_id, status, clip_last_error(last_error))
        await uow.commit()
    return found
