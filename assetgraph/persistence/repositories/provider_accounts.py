"""Provider accounts. Every read and write by a user is scoped to that user; ciphertext leaves only through
`with_credentials`, and records never carry it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from assetgraph.domain.enums import ProviderAccountStatus
from assetgraph.domain.provider_accounts import AccountState, ProviderAccountRecord
from assetgraph.persistence.models import ProviderAccount

_RECORD_COLUMNS = (
    ProviderAccount.id,
    ProviderAccount.user_id,
    ProviderAccount.provider_id,
    ProviderAccount.label,
    ProviderAccount.status,
    ProviderAccount.last_error,
    ProviderAccount.created_at,
    ProviderAccount.encrypted_credentials.is_not(None).label("has_credentials"),
)


def _record(row: Sequence[Any]) -> ProviderAccountRecord:
    account_id, user_id, provider_id, label, status, last_error, created_at, has_credentials = row
    return ProviderAccountRecord(
        account_id, user_id, provider_id, label, ProviderAccountStatus(status), last_error, created_at, has_credentials
    )


class ProviderAccountRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(
        self, user_id: int, provider_id: str, label: str, encrypted_credentials: bytes
    ) -> ProviderAccountRecord:
        statement = (
            insert(ProviderAccount)
            .values(user_id=user_id, provider_id=provider_id, label=label, encrypted_credentials=encrypted_credentials)
            .returning(*_RECORD_COLUMNS)
        )
        return _record((await self._connection.execute(statement)).one())

    async def of_user(self, user_id: int) -> list[ProviderAccountRecord]:
        """The user's accounts, newest first."""
        statement = (
            select(*_RECORD_COLUMNS)
            .where(ProviderAccount.user_id == user_id)
            .order_by(ProviderAccount.created_at.desc(), ProviderAccount.id.desc())
        )
        return [_record(row) for row in await self._connection.execute(statement)]

    async def by_ids(self, user_id: int, ids: Sequence[int]) -> dict[int, ProviderAccountRecord]:
        """The user's accounts among `ids`; another user's id is simply absent."""
        if not ids:
            return {}
        statement = select(*_RECORD_COLUMNS).where(ProviderAccount.user_id == user_id, ProviderAccount.id.in_(ids))
        return {record.id: record for record in map(_record, await self._connection.execute(statement))}

    async def lock(self, user_id: int, account_id: int) -> ProviderAccountRecord | None:
        """The user's account, locked until the transaction ends (so that concurrent updates apply in turn)."""
        statement = (
            select(*_RECORD_COLUMNS)
            .where(ProviderAccount.user_id == user_id, ProviderAccount.id == account_id)
            .with_for_update()
        )
        row = (await self._connection.execute(statement)).first()
        return _record(row) if row is not None else None

    async def with_credentials(
        self, user_id: int, account_id: int
    ) -> tuple[ProviderAccountRecord, bytes | None] | None:
        """The user's account and its ciphertext (None when it has no credentials)."""
        statement = select(*_RECORD_COLUMNS, ProviderAccount.encrypted_credentials).where(
            ProviderAccount.user_id == user_id, ProviderAccount.id == account_id
        )
        row = (await self._connection.execute(statement)).first()
        return (_record(row[:-1]), row[-1]) if row is not None else None

    async def update(
        self,
        account_id: int,
        state: AccountState,
        *,
        replace_credentials: bool = False,
        encrypted_credentials: bytes | None = None,
    ) -> ProviderAccountRecord:
        """Write an account (locked by `lock` in this transaction); credentials only with `replace_credentials`."""
        values: dict[str, Any] = {"label": state.label, "status": state.status.value, "last_error": state.last_error}
        if replace_credentials:
            values["encrypted_credentials"] = encrypted_credentials
        statement = (
            update(ProviderAccount).where(ProviderAccount.id == account_id).values(**values).returning(*_RECORD_COLUMNS)
        )
        return _record((await self._connection.execute(statement)).one())

    async def set_status(self, account_id: int, status: ProviderAccountStatus, last_error: str | None) -> bool:
        """True when the account exists."""
        statement = (
            update(ProviderAccount)
            .where(ProviderAccount.id == account_id)
            .values(status=status.value, last_error=last_error)
            .returning(ProviderAccount.id)
        )
        return (await self._connection.execute(statement)).first() is not None

    async def remove(self, user_id: int, account_id: int) -> bool:
        """True when the user had this account (its assets keep existing, no longer tied to it)."""
        statement = (
            delete(ProviderAccount)
            .where(ProviderAccount.user_id == user_id, ProviderAccount.id == account_id)
            .returning(ProviderAccount.id)
        )
        return (await self._connection.execute(statement)).first() is not None
