"""The embedded PostgreSQL: started by the first process, reused by a second, stopped when the last one exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support import REPO_ROOT, TOKEN_LINE, free_port, postmaster_pid, wait_until_ready


def test_embedded_server_is_shared_then_stopped_on_sigterm(tmp_path: Path) -> None:
    # given `assetgraph serve` on an empty data dir, with no database URL configured
    env = {k: v for k, v in os.environ.items() if k != "ASSETGRAPH_DATABASE_URL"}
    env |= {"ASSETGRAPH_DATA_DIR": str(tmp_path / "data"), "ASSETGRAPH_PORT": str(free_port())}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "assetgraph.cli", "serve"], cwd=REPO_ROOT, env=env, stdout=out, stderr=out
        )
    try:
        wait_until_ready(server, f"http://127.0.0.1:{env['ASSETGRAPH_PORT']}", log)
        postmaster = postmaster_pid(tmp_path / "data")
        assert postmaster is not None
        assert len(TOKEN_LINE.findall(log.read_text())) == 1

        # when a second process uses the same data dir and exits
        created = subprocess.run(
            [sys.executable, "-m", "assetgraph.cli", "user", "create", "--email", "second@example.test"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert created.stdout.startswith("agt_")

        # then it reused the running server and left it running for the first
        assert postmaster_pid(tmp_path / "data") == postmaster
        response = httpx.post(
            f"http://127.0.0.1:{env['ASSETGRAPH_PORT']}/graphql",
            json={"query": "{ viewer { email } }"},
            headers={"Authorization": f"Bearer {created.stdout.strip()}"},
        )
        assert response.json() == {"data": {"viewer": {"email": "second@example.test"}}}
    finally:
        # when the server gets SIGTERM, as from a process manager
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    # then the embedded PostgreSQL was stopped with it
    deadline = time.monotonic() + 15
    while postmaster_pid(tmp_path / "data") is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert postmaster_pid(tmp_path / "data") is None, "the embedded PostgreSQL outlived its last user"
