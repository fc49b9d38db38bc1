"""One-statement work (a gallery page, a count, the token lookup) runs autocommitted: no BEGIN and no
ROLLBACK/COMMIT round trips, yet what it writes stays written, and a dead pooled session costs a retry (through
HTTP: tests/api/test_dead_connections.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from assetgraph.domain.tokens import token_hash
from assetgraph.persistence.database import RESENDABLE, Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.auth import authenticate
from tests.support import new_user, random_email

_PID = text("SELECT pg_backend_pid()")


async def _kill(db: Database, pid: int) -> None:
    """Ends a session from another connection, with no pause after: its driver has not yet heard of it."""
    async with db.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(pg_terminate_backend(:pid))"), {"pid": pid}) == 1


async def test_each_statement_of_an_autocommitted_unit_of_work_is_its_own_transaction(db: Database) -> None:
    # given an autocommitted unit of work
    async with UnitOfWork(db).autocommitted() as work:
        # when it writes and then fails
        email = random_email()
        with pytest.raises(RuntimeError):
            await work.users.add_user(email)
            raise RuntimeError("after the write")

    # then the write stayed (it committed itself), and commit/rollback are refused as meaningless
    async with UnitOfWork(db) as uow:
        assert await uow.users.find_by_email(email) is not None
    async with UnitOfWork(db).autocommitted() as work:
        with pytest.raises(RuntimeError, match="autocommitted"):
            await work.commit()
        with pytest.raises(RuntimeError, match="autocommitted"):
            await work.rollback()


async def test_the_token_lookup_keeps_its_use_stamp_without_a_commit(db: Database) -> None:
    # given a token never used
    issued = await new_user(db)
    stamp = text("SELECT last_used_at FROM api_tokens WHERE token_hash = :hash")

    # when it authenticates a request
    viewer = await authenticate(db, issued.token)

    # then its owner is found and its use is stamped for everyone to see
    assert viewer is not None and viewer.user_id == issued.user_id
    async with db.engine.connect() as conn:
        assert await conn.scalar(stamp, {"hash": token_hash(issued.token)}) is not None


async def test_a_resendable_autocommit_statement_whose_session_died_runs_on_a_fresh_session(db: Database) -> None:
    # given an autocommit connection marked RESENDABLE, whose session dies unnoticed while it is idle
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT", **{RESENDABLE: True})
        pid = await conn.scalar(_PID)
        await conn.commit()  # (its next statement is the first of a unit, as in an autocommitted unit of work)
        await _kill(db, pid)

        # when it sends its next statement, then that answers, from another session
        assert await conn.scalar(_PID) != pid
