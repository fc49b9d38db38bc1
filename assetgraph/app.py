"""The Starlette application: /graphql (HTTP and WebSocket), GraphiQL, /healthz and /readyz."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from assetgraph.config import Settings
from assetgraph.graphiql.files import find_graphiql_assets, graphiql_routes, node_modules_candidates
from assetgraph.graphiql.page import graphiql_page, wants_graphiql
from assetgraph.graphql_view import GraphQLView, graphql_error_response
from assetgraph.persistence.migrate import resolve_database_url
from assetgraph.request_ids import RequestIdMiddleware
from assetgraph.services.auth import DatabaseUnavailableError
from assetgraph.services.job_worker import run_job_worker
from assetgraph.services.resources import Resources, open_resources

logger = logging.getLogger(__name__)


_GRAPHQL_METHODS = frozenset({"GET", "POST"})


class GraphQLOrGraphiql:
    """/graphql over HTTP: browsers asking for HTML get GraphiQL, every other client gets the API."""

    def __init__(self, view: GraphQLView, page: Response) -> None:
        self._view = view
        self._page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in _GRAPHQL_METHODS:
            # In the shape of every other refusal of /graphql, not Starlette's plain-text 405.
            refused = graphql_error_response(
                405, f"/graphql takes GET and POST, not {scope['method'][:20]}.", headers={"Allow": "GET, POST"}
            )
            await refused(scope, receive, send)
            return
        if wants_graphiql(Request(scope, receive)):
            await self._page(scope, receive, send)
            return
        try:
            await self._view(scope, receive, send)
        except DatabaseUnavailableError:
            # Raised while building the context, before any byte of the response was sent.
            logger.warning("database_unavailable", exc_info=True)
            unavailable = graphql_error_response(
                503, "The database is unavailable; try again shortly.", "SERVICE_UNAVAILABLE", {"Retry-After": "5"}
            )
            await unavailable(scope, receive, send)


def tune_garbage_collector() -> None:
    """Collect less often and never rescan what lives as long as the process; for the serving process only.

    A gallery page allocates tens of thousands of short-lived objects (several per resolved field); at CPython's
    default gen-0 threshold of 700 that is about five collections per page, 4-5 ms of it measured with gc.callbacks.
    At 50,000 it is under one, about 1 ms. Freezing moves the objects made at start-up (schema, models, modules)
    out of every later full collection.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> Starlette:
    """The app; its resources are built in the lifespan (the embedded database started when no URL is configured)."""
    config = settings or Settings()
    graphiql_assets = find_graphiql_assets(node_modules_candidates(config.graphiql_dir))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        url: str = database_url if database_url else await asyncio.to_thread(resolve_database_url, config)
        async with open_resources(config, url) as resources:
            app.state.resources = resources
            worker = asyncio.create_task(run_job_worker(resources, config, "serve")) if config.serve_worker else None
            try:
                yield
            finally:
                if worker is not None:
                    worker.cancel()
                    await asyncio.gather(worker, return_exceptions=True)

    app = Starlette(lifespan=lifespan)
    view = GraphQLView(app, config)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        resources: Resources = app.state.resources
        ready = await resources.database.ping()
        return JSONResponse({"status": "ready" if ready else "database unavailable"}, status_code=200 if ready else 503)

    routes: list[BaseRoute] = [
        Route("/graphql", GraphQLOrGraphiql(view, graphiql_page(graphiql_assets))),  # it refuses other methods
        WebSocketRoute("/graphql", view),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *graphiql_routes(graphiql_assets),
    ]
    app.router.routes.extend(routes)
    app.add_middleware(RequestIdMiddleware)
    return app
