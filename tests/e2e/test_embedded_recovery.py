"""The embedded PostgreSQL leaves with `serve`'s SIGTERM, whoever started it last."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.support import assetgraph_cli, postmaster_pid, readyz_status, serving_embedded, wait_for


def test_sigterm_stops_the_database_another_process_restarted(embedded_data_dir: Path, tmp_path: Path) -> None:
    # given `assetgraph serve` on its own embedded PostgreSQL
    with serving_embedded(embedded_data_dir, tmp_path / "serve.log") as server:
        # and its postmaster killed while serve is frozen, so that serve cannot be the one to start it again
        killed = postmaster_pid(embedded_data_dir)
        assert killed is not None
        server.process.send_signal(signal.SIGSTOP)
        os.kill(killed, signal.SIGKILL)

        # when `assetgraph migrate` runs meanwhile, then serve resumes
        migrated = assetgraph_cli(server.env, "migrate")
        server.process.send_signal(signal.SIGCONT)

        # then migrate started a new postmaster, and serve answers through it without starting one of its own
        assert migrated.returncode == 0, migrated.stderr
        restarted = postmaster_pid(embedded_data_dir)
        assert restarted not in (None, killed)
        assert wait_for(lambda: readyz_status(server.base_url) == 200, within=10), server.log.read_text()
        assert postmaster_pid(embedded_data_dir) == restarted
        assert server.events("embedded_database_restarted") == []

        # when serve, now its last user, gets SIGTERM
        server.terminate()

    # then the database stopped with it
    assert wait_for(lambda: postmaster_pid(embedded_data_dir) is None, within=15), "PostgreSQL outlived serve"
