"""The unit of work: one transaction on one connection, rolled back unless committed."""

from __future__ import annotations

import asyncio

import pytest

from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork, UnitOfWorkInUseError
from assetgraph.services.auth import EmailTakenError, create_user
from tests.support import random_email


async def _user_exists(db: Database, email: str) -> bool:
    async with UnitOfWork(db) as uow:
        return await uow.users.find_by_email(email) is not None


async def test_what_is_not_committed_is_rolled_back(db: Database) -> None:
    # given writes left without commit, and writes interrupted by an error
    uncommitted, failed, committed = random_email(), random_email(), random_email()
    async with UnitOfWork(db) as uow:
        await uow.users.add_user(uncommitted)
    with pytest.raises(RuntimeError):
        async with UnitOfWork(db) as uow:
            await uow.users.add_user(failed)
            raise RuntimeError("the use case failed half-way")
    async with UnitOfWork(db) as uow:
        await uow.users.add_user(committed)
        await uow.commit()

    # then only the committed one is there
    assert not await _user_exists(db, uncommitted)
    assert not await _user_exists(db, failed)
    assert await _user_exists(db, committed)


async def test_a_unit_of_work_is_open_once_at_a_time(db: Database) -> None:
    uow = UnitOfWork(db)
    async with uow:
        with pytest.raises(UnitOfWorkInUseError):
            async with uow:
                pass
    async with uow:  # and again after its block has ended
        assert await uow.users.find_by_email(random_email()) is None


async def test_concurrent_sign_ups_with_one_email_make_one_user(db: Database) -> None:
    email = random_email()
    results = await asyncio.gather(*(create_user(UnitOfWork(db), email) for _ in range(5)), return_exceptions=True)
    created = [result for result in results if not isinstance(result, BaseException)]
    assert len(created) == 1
    assert all(isinstance(result, EmailTakenError) for result in results if result not in created)
