"""Serving the sandbox over real HTTP on loopback, in the caller's event loop (tests, the bench, the demo)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import uvicorn

from assetgraph.providers.sandbox.app import PROVIDER_PREFIXES, create_sandbox_app
from assetgraph.providers.sandbox.state import CallCounts, Sandbox


@dataclass(frozen=True)
class RunningSandbox:
    """A sandbox being served: its state (read the counters here in process) and where it listens."""

    sandbox: Sandbox
    base_url: str
    _server: uvicorn.Server
    _task: asyncio.Task[None]

    @property
    def calls(self) -> CallCounts:
        return self.sandbox.calls

    @property
    def base_urls(self) -> dict[str, str]:
        """Each provider's base URL, by provider id."""
        return {provider: self.base_url + prefix for provider, prefix in PROVIDER_PREFIXES.items()}

    def settings_overrides(self) -> dict[str, str]:
        """The Settings fields that point assetgraph's adapters at this sandbox: `Settings(**overrides, ...)`."""
        return {f"{provider}_base_url": url for provider, url in self.base_urls.items()}

    async def wait_closed(self) -> None:
        """Return when the server stops (on SIGINT or SIGTERM, when serving from the command line)."""
        await asyncio.shield(self._task)


@asynccontextmanager
async def serve_sandbox(
    sandbox: Sandbox | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningSandbox]:
    """Serve the sandbox with uvicorn as a task of the running loop, on `port` (0: a free one chosen by the OS)."""
    state = sandbox if sandbox is not None else Sandbox()
    config = uvicorn.Config(
        create_sandbox_app(state),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        # A `hang` fault ends when its client disconnects; this bounds shutdown if one never does.
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises what stopped uvicorn (the port taken, say)
            raise RuntimeError("the sandbox server stopped before it started")
        await asyncio.sleep(0.01)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningSandbox(state, f"http://{host}:{bound_port}", server, task)
    finally:
        server.should_exit = True
        await task
