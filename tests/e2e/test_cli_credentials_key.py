"""`assetgraph serve` with a credentials key it must not use: a clear error and exit status 1, before anything
starts."""

from __future__ import annotations

from pathlib import Path

from assetgraph.persistence.credential_cipher import KEY_FILE_NAME
from tests.support import assetgraph_cli, embedded_env

UNREACHABLE = "postgresql+asyncpg://postgres@/nowhere?host=/nonexistent-socket-dir"


def test_serve_refuses_a_key_file_others_may_read_with_a_clear_error(tmp_path: Path) -> None:
    key_file = tmp_path / KEY_FILE_NAME
    key_file.write_text("not even a key\n")
    key_file.chmod(0o644)
    # (the database is never reached: the key is checked first)
    env = embedded_env(tmp_path) | {"ASSETGRAPH_DATABASE_URL": UNREACHABLE}
    env.pop("ASSETGRAPH_CREDENTIALS_KEY", None)

    done = assetgraph_cli(env, "serve")

    assert done.returncode == 1
    assert done.stderr == (
        f"error: The credentials key {key_file} has mode 0644: others may read it. It must be readable by its owner "
        f"only; run: chmod 600 {key_file}\n"
    )
    assert done.stdout == ""
