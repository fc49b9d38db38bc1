"""`assetgraph db start | stop | status`: the embedded PostgreSQL, for people and for scripts.

Exit codes:
  0  running (start, status), or stopped / was not running (stop)
  1  could not start or stop it
  2  ASSETGRAPH_DATABASE_URL names an external server, which assetgraph never starts or stops
  3  not running (status; for an external server: not reachable)
  4  stop refused: other live processes still use it (`--force` stops it anyway; a running `serve` restarts it)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from sqlalchemy.engine import make_url

from assetgraph.config import Settings
from assetgraph.persistence.database import Database
from assetgraph.persistence.embedded import EmbeddedPostgresError, embedded_database_url
from assetgraph.persistence.embedded_control import EmbeddedStatus, StopOutcome, embedded_status, stop_embedded_server

OK, FAILED, EXTERNAL, NOT_RUNNING, IN_USE = 0, 1, 2, 3, 4


def _print_status(status: EmbeddedStatus, as_json: bool) -> None:
    fields = status.as_dict()
    if as_json:
        print(json.dumps(fields))
        return
    used_by = status.users
    fields["used_by"] = " ".join(str(pid) for pid in used_by) if used_by else None
    for key, value in fields.items():
        if value is not None:
            print(f"{key.replace('_', ' ')}: {value}")


def _refuse_external(settings: Settings) -> bool:
    if settings.database_url:
        print("error: ASSETGRAPH_DATABASE_URL is set; assetgraph never starts or stops that server", file=sys.stderr)
        return True
    return False


def cmd_db_status(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url:
        return _external_status(settings.database_url, args.json)
    status = embedded_status(settings.resolved_data_dir)
    _print_status(status, args.json)
    return OK if status.running else NOT_RUNNING


def _external_status(url: str, as_json: bool) -> int:
    async def ping() -> bool:
        database = Database.connect(url, pool_size=1)
        try:
            return await database.ping()
        finally:
            await database.dispose()

    reachable = asyncio.run(ping())
    state, masked = "running" if reachable else "unreachable", make_url(url).render_as_string(hide_password=True)
    if as_json:
        print(json.dumps({"state": state, "external": True, "url": masked}))
    else:
        print(f"state: {state}\nexternal: yes (ASSETGRAPH_DATABASE_URL)\nurl: {masked}")
    return OK if reachable else NOT_RUNNING


def cmd_db_start(args: argparse.Namespace, settings: Settings) -> int:
    if _refuse_external(settings):
        return EXTERNAL
    data_dir = settings.resolved_data_dir
    was_running = embedded_status(data_dir).running
    try:
        # Left running when this command exits, until `db stop` or the exit of the last `serve` using it.
        embedded_database_url(data_dir, keep_running=True)
    except EmbeddedPostgresError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILED
    status = embedded_status(data_dir)
    print("already running" if was_running else "started", file=sys.stderr)
    _print_status(status, args.json)
    return OK if status.running else FAILED


def cmd_db_stop(args: argparse.Namespace, settings: Settings) -> int:
    if _refuse_external(settings):
        return EXTERNAL
    outcome, users = stop_embedded_server(settings.resolved_data_dir, force=args.force)
    pids = " ".join(str(pid) for pid in users)
    if outcome is StopOutcome.IN_USE:
        print(f"refused: still used by live process(es) {pids}; stop them, or use --force", file=sys.stderr)
        return IN_USE
    if outcome is StopOutcome.FAILED:
        print("error: the embedded PostgreSQL did not stop", file=sys.stderr)
        return FAILED
    print(outcome.value)
    if users:
        print(f"warning: process(es) {pids} were using it; a running `serve` starts it again", file=sys.stderr)
    return OK


def add_db_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `db start | stop | status` on the `assetgraph` parser."""
    db = commands.add_parser(
        "db",
        help="start, stop or inspect the embedded PostgreSQL",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = db.add_subparsers(dest="action", required=True)
    start = actions.add_parser("start", help="start it (and create the database); it stays up after this exits")
    start.add_argument("--json", action="store_true", help="print the status as one JSON object")
    start.set_defaults(func=cmd_db_start)
    status = actions.add_parser("status", help="running or not, pid, socket, URL, data dir; exit 0 or 3")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(func=cmd_db_status)
    stop = actions.add_parser("stop", help="stop it, unless other live processes use it")
    stop.add_argument("--force", action="store_true", help="stop it even while other processes use it")
    stop.set_defaults(func=cmd_db_stop)
