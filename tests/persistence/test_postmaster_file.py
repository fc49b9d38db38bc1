"""Reading the embedded server's postmaster.pid: what a server, or what is left of one, writes there."""

from __future__ import annotations

import os
import time
from pathlib import Path

from assetgraph.persistence.embedded import read_postmaster, stop_postmaster


def _write_pid_file(pgdata: Path, pid: int) -> None:
    pgdata.mkdir(parents=True, exist_ok=True)
    lines = [str(pid), str(pgdata), str(int(time.time())), "5432", "/tmp", "localhost", "  1234 5678", "ready"]
    (pgdata / "postmaster.pid").write_text("\n".join(lines) + "\n")


def test_a_standalone_backends_negated_pid_is_no_server(tmp_path: Path) -> None:
    # initdb's bootstrap backend writes its pid negated; an initdb that failed leaves that file behind, and the
    # cleanup after it used to crash on the negative pid instead of finding no server.
    _write_pid_file(tmp_path, -os.getpid())
    assert read_postmaster(tmp_path) is None
    stop_postmaster(tmp_path)  # nothing to stop, and no error


def test_a_live_pid_is_read_as_a_server(tmp_path: Path) -> None:
    _write_pid_file(tmp_path, os.getpid())
    postmaster = read_postmaster(tmp_path)
    assert postmaster is not None and postmaster.pid == os.getpid()
