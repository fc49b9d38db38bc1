"""`assetgraph db start | status | stop`: what people and scripts see, exit codes included."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg

from assetgraph.persistence.database import asyncpg_dsn
from tests.support import assetgraph_cli, embedded_env, postmaster_pid


async def _select_one(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        value: int = await conn.fetchval("SELECT 1")
        return value
    finally:
        await conn.close()


def test_db_start_status_stop_round_trip(embedded_data_dir: Path) -> None:
    env = embedded_env(embedded_data_dir)

    # given a data dir whose database is not running: status says so, with exit code 3
    before = assetgraph_cli(env, "db", "status")
    assert (before.returncode, before.stdout.splitlines()[0]) == (3, "state: stopped")

    # when it is started
    started = assetgraph_cli(env, "db", "start")

    # then it keeps running after the command exits, and status tells a script where it is (exit code 0)
    assert started.returncode == 0, started.stderr
    status = assetgraph_cli(env, "db", "status", "--json")
    assert status.returncode == 0, status.stderr
    fields = json.loads(status.stdout)
    assert fields["state"] == "running"
    assert fields["pid"] == postmaster_pid(embedded_data_dir)
    assert Path(fields["data_dir"]) == embedded_data_dir.resolve()
    assert fields["used_by"] == []
    # and its URL reaches the application's database
    assert asyncio.run(_select_one(fields["url"])) == 1

    # when it is stopped, no process using it
    stopped = assetgraph_cli(env, "db", "stop")

    # then it is gone
    assert (stopped.returncode, stopped.stdout) == (0, "stopped\n"), stopped.stderr
    assert postmaster_pid(embedded_data_dir) is None
