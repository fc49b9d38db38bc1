"""What `assetgraph db` reads and does: the embedded server's status, and stopping it on request."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path

from assetgraph.persistence.embedded import (
    DATABASE_NAME,
    Postmaster,
    live_users,
    read_postmaster,
    server_lock,
    stop_postmaster,
    unix_socket_url,
)


@dataclass(frozen=True)
class EmbeddedStatus:
    """The embedded server under `data_dir`: whether it runs, where, and which processes use it."""

    data_dir: Path
    postmaster: Postmaster | None
    users: list[int] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.postmaster is not None

    @property
    def url(self) -> str | None:
        """The app's URL for its database (without a secret: the server trusts local connections)."""
        if self.postmaster is None or self.postmaster.socket_dir is None:
            return None
        return unix_socket_url(self.postmaster.socket_dir, self.postmaster.port, DATABASE_NAME)

    def as_dict(self) -> dict[str, object]:
        socket_dir = self.postmaster.socket_dir if self.postmaster else None
        return {
            "state": "running" if self.running else "stopped",
            "pid": self.postmaster.pid if self.postmaster else None,
            "data_dir": str(self.data_dir),
            "socket_dir": str(socket_dir) if socket_dir else None,
            "url": self.url,
            "used_by": self.users,
        }


def embedded_status(data_dir: Path) -> EmbeddedStatus:
    """Read the status without starting, joining or locking anything; `users` leaves out this process."""
    pgdata = data_dir / "pg"
    postmaster = read_postmaster(pgdata)
    users = [pid for pid in live_users(pgdata) if pid != os.getpid()] if postmaster else []
    return EmbeddedStatus(data_dir=data_dir, postmaster=postmaster, users=users)


class StopOutcome(enum.Enum):
    STOPPED = "stopped"
    NOT_RUNNING = "not running"
    IN_USE = "in use"
    FAILED = "failed"


def stop_embedded_server(data_dir: Path, *, force: bool) -> tuple[StopOutcome, list[int]]:
    """Stop the server under `data_dir` unless live processes still use it (`force` stops it even then).

    Returns what happened and the pids of the processes that were using it. A supervised `serve` among them
    starts the server again: that is its job.
    """
    pgdata = data_dir / "pg"
    if read_postmaster(pgdata) is None:
        return StopOutcome.NOT_RUNNING, []
    # Under the launcher's lock, so that no process joins (or restarts it) halfway through.
    with server_lock():
        if read_postmaster(pgdata) is None:
            return StopOutcome.NOT_RUNNING, []
        users = live_users(pgdata)
        if users and not force:
            return StopOutcome.IN_USE, users
        return (StopOutcome.STOPPED if stop_postmaster(pgdata) else StopOutcome.FAILED), users
