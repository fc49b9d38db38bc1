"""The sandbox as one Starlette app: each provider under its own prefix, and the control endpoints for tests.

/pixverse/...   Pixverse's web API (upload, list, detail)      base URL for ASSETGRAPH_PIXVERSE_BASE_URL
/sora/...       Sora's upload (OpenAI Files API)               base URL for ASSETGRAPH_SORA_BASE_URL
/runway/...     Runway's two-step upload                       base URL for ASSETGRAPH_RUNWAY_BASE_URL
GET  /_sandbox/calls      calls by provider, endpoint and account: {"total", "calls": [...]}
GET  /_sandbox/uploads    the files received (sizes, names, ids answered), oldest first
POST /_sandbox/reset      forget calls, files, queued and spent faults
POST /_sandbox/fail-next  {"fault": "<spec>", "times": 1, "provider": null, "endpoint": null}: queue a fault
"""

from __future__ import annotations

from dataclasses import asdict

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from assetgraph.providers.sandbox.common import BadJsonError, json_object
from assetgraph.providers.sandbox.faults import UnknownFaultError
from assetgraph.providers.sandbox.pixverse_api import pixverse_routes
from assetgraph.providers.sandbox.runway_api import runway_routes
from assetgraph.providers.sandbox.sora_api import sora_routes
from assetgraph.providers.sandbox.state import Sandbox

PROVIDER_PREFIXES = {"pixverse": "/pixverse", "sora": "/sora", "runway": "/runway"}


def _control_routes(sandbox: Sandbox) -> list[BaseRoute]:
    async def calls(_: Request) -> Response:
        return JSONResponse(sandbox.calls.as_json())

    async def uploads(_: Request) -> Response:
        return JSONResponse([asdict(received) for received in sandbox.received])

    async def reset(_: Request) -> Response:
        sandbox.reset()
        return Response(status_code=204)

    async def fail_next(request: Request) -> Response:
        try:
            body = await json_object(request)
            times, provider, endpoint = body.get("times", 1), body.get("provider"), body.get("endpoint")
            if not isinstance(times, int) or not all(isinstance(v, str | None) for v in (provider, endpoint)):
                raise BadJsonError("'times' must be an integer, 'provider' and 'endpoint' strings or null")
            sandbox.fail_next(str(body.get("fault", "")), times=times, provider=provider, endpoint=endpoint)
        except (BadJsonError, UnknownFaultError, ValueError) as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        return Response(status_code=204)

    return [
        Route("/_sandbox/calls", calls, methods=["GET"]),
        Route("/_sandbox/uploads", uploads, methods=["GET"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/_sandbox/fail-next", fail_next, methods=["POST"]),
    ]


async def _client_gone(_: Request, __: Exception) -> Response:
    # A client that gave up mid-upload (a timeout, a failed source): nobody is left to answer.
    return Response(status_code=499)


def create_sandbox_app(sandbox: Sandbox | None = None) -> Starlette:
    """The sandbox providers' HTTP app over `sandbox` (a fresh one by default), reachable as `app.state.sandbox`."""
    state = sandbox if sandbox is not None else Sandbox()
    app = Starlette(
        routes=[
            Mount(PROVIDER_PREFIXES["pixverse"], routes=pixverse_routes(state)),
            Mount(PROVIDER_PREFIXES["sora"], routes=sora_routes(state)),
            Mount(PROVIDER_PREFIXES["runway"], routes=runway_routes(state)),
            *_control_routes(state),
        ],
        exception_handlers={ClientDisconnect: _client_gone},
    )
    app.state.sandbox = state
    return app
