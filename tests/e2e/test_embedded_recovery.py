"""The embedded PostgreSQL comes back by itself when it dies under `serve`, and leaves with `serve`'s SIGTERM."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx

from tests.support import assetgraph_cli, postmaster_pid, readyz_status, serving_embedded, wait_for

VIEWER_EMAIL = {"query": "{ viewer { email } }"}


def test_a_killed_embedded_database_comes_back_by_itself(embedded_data_dir: Path, tmp_path: Path) -> None:
    # given `assetgraph serve` on its own embedded PostgreSQL, and the token it printed at its first start
    with serving_embedded(embedded_data_dir, tmp_path / "serve.log") as server:
        killed = postmaster_pid(embedded_data_dir)
        assert killed is not None
        # and a directory above its data closed to other users since its start (pytest does this to its temporary
        # root whenever another session starts; run as root, the server runs as a user of its own)
        embedded_data_dir.parent.chmod(0o700)

        # when the postmaster is killed outright
        os.kill(killed, signal.SIGKILL)

        # then /readyz is ready again by itself, on a new postmaster. (Its 503 while the database is down can be
        # shorter than one poll when the restart is quick, so waiting to see it made this test flaky under load;
        # tests/api/test_app.py covers the 503.)
        def back_on_a_new_postmaster() -> bool:
            return postmaster_pid(embedded_data_dir) not in (None, killed) and readyz_status(server.base_url) == 200

        assert wait_for(back_on_a_new_postmaster, within=30), server.log.read_text()
        # and the printed token works again
        response = httpx.post(
            f"{server.base_url}/graphql", json=VIEWER_EMAIL, headers={"Authorization": f"Bearer {server.token}"}
        )
        assert response.json() == {"data": {"viewer": {"email": "local@assetgraph.localhost"}}}
        # and the log says serve restarted it, and after how many attempts (written once `pg_ctl start` returns,
        # which may be just after the server began to answer)
        assert wait_for(lambda: len(server.events("embedded_database_restarted")) > 0, within=5)
        [restarted] = server.events("embedded_database_restarted")
        assert restarted["attempt"] >= 1

        # when someone asks to stop the database while serve uses it
        refused = assetgraph_cli(server.env, "db", "stop")

        # then that is refused, naming serve, and the database stays up
        assert refused.returncode == 4, refused.stderr
        assert str(server.process.pid) in refused.stderr
        assert readyz_status(server.base_url) == 200

        # when serve gets SIGTERM
        server.terminate()

    # then the database it restarted stopped with it
    assert wait_for(lambda: postmaster_pid(embedded_data_dir) is None, within=15), "PostgreSQL outlived serve"


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
