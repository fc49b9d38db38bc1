"""The SQL functions a migrated database runs are the ones the code expects, and a rule change ships safely.

Revisions freeze the SQL they apply (migrations/README.md). These tests make the two ways of getting that wrong fail:
editing a rule in the live module without a revision, and a revision that replaces a function but leaves the stored
generated columns computed by the old one.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
from alembic import command
from alembic.script import ScriptDirectory

from assetgraph.persistence import change_notifications_sql, metadata_writes_sql, migrate, provider_status_sql
from assetgraph.persistence.database import asyncpg_dsn
from tests.support import fresh_database_url

CODE_FUNCTIONS = (
    *provider_status_sql.CREATE_FUNCTIONS,
    *metadata_writes_sql.CREATE_FUNCTIONS,
    *change_notifications_sql.CREATE_FUNCTIONS,
)

_DEFINITIONS = """
SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
       pg_get_functiondef(p.oid) AS definition
FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.proname LIKE 'assetgraph\\_%'
"""


async def _definitions(conn: asyncpg.Connection, schema: str) -> dict[str, str]:
    rows = await conn.fetch(_DEFINITIONS, schema)
    # pg_get_functiondef qualifies the name with its schema; the rest is the definition as PostgreSQL keeps it.
    return {row["signature"]: row["definition"].replace(f"FUNCTION {schema}.", "FUNCTION ", 1) for row in rows}


async def _expected_definitions(conn: asyncpg.Connection) -> dict[str, str]:
    """The code's functions as PostgreSQL would keep them: created in a scratch schema, then rolled back."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute("CREATE SCHEMA expected_rules")
        await conn.execute("SET LOCAL search_path = expected_rules")
        for statement in CODE_FUNCTIONS:
            await conn.execute(statement)
        return await _definitions(conn, "expected_rules")
    finally:
        await transaction.rollback()


async def test_migrated_database_runs_the_functions_the_code_expects(database_url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        installed = await _definitions(conn, "public")
        expected = await _expected_definitions(conn)
    finally:
        await conn.close()
    assert sorted(installed) == sorted(expected), "a function was added or removed without a migration"
    stale = [signature for signature in expected if installed[signature] != expected[signature]]
    assert not stale, (
        f"{stale} differ between `alembic upgrade head` and the code: ship the change as a new revision "
        "that replaces the functions and recomputes the stored columns (migrations/README.md)"
    )


# A rule change written by the recipe in migrations/README.md: has_failed_upload now counts successes instead of
# errors (a deliberately visible change: every existing row's stored value must flip).
_CHANGED_RULE = provider_status_sql.CREATE_HAS_FAILED_UPLOAD.replace("'\"error\"'::jsonb", "'\"success\"'::jsonb")
_RULE_CHANGE_REVISION = '''
"""example rule change"""
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None

_RECOMPUTE = "UPDATE assets SET media_metadata = media_metadata"


def upgrade() -> None:
    op.execute("""{new}""")
    op.execute(_RECOMPUTE)


def downgrade() -> None:
    op.execute("""{old}""")
    op.execute(_RECOMPUTE)
'''

_LAST_STATUS = """{"upload_history": {"last_upload_status_by_provider": {"pixverse": "%s"}}}"""


async def _seed_two_assets(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        user_id = await conn.fetchval("INSERT INTO users (email) VALUES ('rules@example.test') RETURNING id")
        for status in ("error", "success"):
            await conn.execute(
                "INSERT INTO assets (user_id, media_type, provider_id, media_metadata) "
                "VALUES ($1, 'image', 'pixverse', $2::jsonb)",
                user_id,
                _LAST_STATUS % status,
            )
    finally:
        await conn.close()


async def _failed_flags(dsn: str, *, replace_only: str | None = None) -> list[bool]:
    """has_failed_upload of the error asset, then the success asset; `replace_only` is applied, then rolled back."""
    conn = await asyncpg.connect(dsn)
    transaction = conn.transaction()
    await transaction.start()
    try:
        if replace_only is not None:
            await conn.execute(replace_only)
        return [row[0] for row in await conn.fetch("SELECT has_failed_upload FROM assets ORDER BY id")]
    finally:
        await transaction.rollback()
        await conn.close()


def test_a_rule_change_revision_leaves_no_stale_stored_value(tmp_path: Path) -> None:
    # given a migrated database with one asset whose last upload failed and one whose last upload succeeded
    url = fresh_database_url("rule_change")
    migrate.upgrade(url)
    dsn = asyncpg_dsn(url)
    asyncio.run(_seed_two_assets(dsn))
    assert asyncio.run(_failed_flags(dsn)) == [True, False]

    # (the trap: replacing the function alone leaves every stored value as the old rule computed it)
    assert asyncio.run(_failed_flags(dsn, replace_only=_CHANGED_RULE)) == [True, False]

    # when a revision written by the documented recipe changes the rule
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.PROJECT_ROOT / "migrations", scripts, ignore=shutil.ignore_patterns("__pycache__"))
    config = migrate.alembic_config(url)
    config.set_main_option("script_location", str(scripts))
    head = ScriptDirectory.from_config(config).get_current_head()
    revision = _RULE_CHANGE_REVISION.format(
        head=head, new=_CHANGED_RULE, old=provider_status_sql.CREATE_HAS_FAILED_UPLOAD
    )
    (scripts / "versions" / "9999_example_rule_change.py").write_text(revision)
    command.upgrade(config, "head")

    # then every existing row carries the new rule's value
    assert asyncio.run(_failed_flags(dsn)) == [False, True]

    # and going back restores the old rule's values
    command.downgrade(config, str(head))
    assert asyncio.run(_failed_flags(dsn)) == [True, False]
