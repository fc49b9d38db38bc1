"""A pooled connection whose database session died is replaced on its first statement, never mid-transaction.

The engine no longer pings each connection it hands out: these tests kill the sessions behind pooled connections
(pg_terminate_backend, as a server restart or an idle timeout would) and check what a caller sees.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from assetgraph.persistence.database import Database
from tests.support import random_email

_KILL = text("SELECT count(pg_terminate_backend(:pid))")
_PID = text("SELECT pg_backend_pid()")
_ADD_USER = text("INSERT INTO users (email) VALUES (:email)")


async def _kill(db: Database, pid: int) -> None:
    async with db.engine.connect() as conn:
        assert await conn.scalar(_KILL, {"pid": pid}) == 1


async def _users_with(db: Database, email: str) -> int:
    async with db.engine.connect() as conn:
        found = await conn.scalar(text("SELECT count(*) FROM users WHERE email = :email"), {"email": email})
        return int(found or 0)


async def test_a_write_opening_a_transaction_on_a_dead_session_is_written_once(db: Database) -> None:
    # given a unit of work whose connection's session dies between two transactions
    email = random_email()
    async with db.engine.connect() as conn:
        pid = await conn.scalar(_PID)
        await conn.commit()
        await _kill(db, pid)

        # when its next transaction starts with a write
        await conn.execute(_ADD_USER, {"email": email})
        assert await conn.scalar(_PID) != pid  # (on another session)
        await conn.commit()

    # then the write happened exactly once
    assert await _users_with(db, email) == 1


async def test_a_session_dying_mid_transaction_fails_the_transaction_and_nothing_is_written(db: Database) -> None:
    # given a transaction that has written a row
    email = random_email()
    with pytest.raises(DBAPIError) as raised:
        async with db.engine.connect() as conn:
            await conn.execute(_ADD_USER, {"email": email})
            # when its session dies before the next statement
            await _kill(db, await conn.scalar(_PID))
            await conn.execute(_ADD_USER, {"email": random_email()})
            await conn.commit()

    # then the caller sees the disconnect (its first write was lost with the session: no silent redo of half a
    # transaction), and nothing was written
    assert raised.value.connection_invalidated
    assert await _users_with(db, email) == 0


async def test_an_autocommit_connection_whose_session_died_gets_a_fresh_one_still_in_autocommit(db: Database) -> None:
    # given an autocommit connection (as the job run locks use) whose session dies while it is idle
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        pid = await conn.scalar(_PID)
        await conn.commit()
        await _kill(db, pid)
        await asyncio.sleep(0.2)  # (the driver hears of it)

        # when it sends its next statements
        first = await conn.scalar(text("SELECT txid_current()"))
        second = await conn.scalar(text("SELECT txid_current()"))

        # then they ran on another session, each in a transaction of its own (still autocommit)
        assert await conn.scalar(_PID) != pid
        assert first != second
