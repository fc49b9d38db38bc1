"""`assetgraph --verbose`: commands print migration and launcher lines only when asked; errors always."""

from __future__ import annotations

from pathlib import Path

from tests.support import assetgraph_cli, embedded_env

UNREACHABLE = "postgresql+asyncpg://postgres@/nowhere?host=/nonexistent-socket-dir"


def test_migration_lines_show_only_with_verbose(embedded_data_dir: Path) -> None:
    env = embedded_env(embedded_data_dir)

    # given a fresh data dir, when it is migrated without --verbose
    quiet = assetgraph_cli(env, "migrate")

    # then only the outcome shows: no migration step, no launcher narration
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "database is at the latest migration\n"
    assert [line for line in quiet.stderr.splitlines() if '"level": "info"' in line] == []

    # when it is migrated again with --verbose, then alembic's lines show
    loud = assetgraph_cli(env, "--verbose", "migrate")
    assert loud.returncode == 0, loud.stderr
    assert '"logger": "alembic.runtime.migration"' in loud.stderr

    # when a migration fails without --verbose, then its error still shows
    broken = assetgraph_cli(env | {"ASSETGRAPH_DATABASE_URL": UNREACHABLE}, "migrate")
    assert broken.returncode != 0
    assert broken.stderr.strip().splitlines()[-1].startswith("FileNotFoundError"), broken.stderr
