"""GraphiQL, served from the npm packages installed in the repo root (no CDN, works offline).

`npm ci` in the repo root (``make graphiql``) installs the pinned versions from package-lock.json.
The app serves only the few prebuilt browser files listed in ``_SCRIPTS`` and ``_STYLESHEETS``;
each gets its own fixed route, so no request path is ever mapped onto the file system.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import BaseRoute, Route

STATIC_PREFIX = "/graphiql/static"

# (npm package, file inside it). Scripts load in this order: the GraphiQL bundle expects
# the React and ReactDOM globals defined by the UMD builds before it.
_SCRIPTS = (
    ("react", "umd/react.production.min.js"),
    ("react-dom", "umd/react-dom.production.min.js"),
    ("graphiql", "graphiql.min.js"),
)
# GraphiQL's stylesheet embeds its fonts as data: URIs, so it references no other files.
_STYLESHEETS = (("graphiql", "graphiql.min.css"),)

_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"
# URLs contain the package version, so a file never changes under a given URL.
_CACHE_HEADERS = {"Cache-Control": "public, max-age=31536000, immutable"}


@dataclass(frozen=True)
class StaticFile:
    url: str  # root-relative, e.g. /graphiql/static/react@18.3.1/react.production.min.js
    path: Path
    media_type: str


@dataclass(frozen=True)
class GraphiqlAssets:
    scripts: tuple[StaticFile, ...]
    stylesheets: tuple[StaticFile, ...]


def find_graphiql_assets(root: Path) -> GraphiqlAssets | None:
    """The GraphiQL files under ``root/node_modules``, or None if npm has not installed them all."""
    modules = root.resolve() / "node_modules"
    try:
        return GraphiqlAssets(
            scripts=tuple(_locate(modules, package, file, _JS) for package, file in _SCRIPTS),
            stylesheets=tuple(_locate(modules, package, file, _CSS) for package, file in _STYLESHEETS),
        )
    except (OSError, ValueError, KeyError):
        return None


def _locate(modules: Path, package: str, file: str, media_type: str) -> StaticFile:
    """Raises OSError, ValueError or KeyError when the package is not (completely) installed."""
    version = json.loads((modules / package / "package.json").read_text(encoding="utf-8"))["version"]
    path = modules / package / file
    if not path.is_file():
        raise FileNotFoundError(path)
    url = f"{STATIC_PREFIX}/{package}@{version}/{path.name}"
    return StaticFile(url=url, path=path, media_type=media_type)


def graphiql_routes(assets: GraphiqlAssets | None) -> list[BaseRoute]:
    """One exact-path route per file (GET and HEAD); anything else under the prefix is a 404."""
    if assets is None:
        return []
    return [Route(f.url, _file_endpoint(f), methods=["GET"]) for f in (*assets.scripts, *assets.stylesheets)]


def _file_endpoint(file: StaticFile) -> Callable[[Request], Awaitable[FileResponse]]:
    async def serve(request: Request) -> FileResponse:
        return FileResponse(file.path, media_type=file.media_type, headers=_CACHE_HEADERS)

    return serve


def wants_graphiql(request: Request) -> bool:
    """True for a browser navigating to the endpoint: a GET that prefers HTML over JSON."""
    if request.method != "GET":
        return False
    html_q = json_q = 0.0
    for media_range in request.headers.get("accept", "").split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Wildcards say nothing about a preference, so only explicit types count.
        if media_type.lower() == "text/html":
            html_q = max(html_q, q)
        elif media_type.lower() in ("application/json", "application/graphql-response+json"):
            json_q = max(json_q, q)
    return html_q > json_q


def graphiql_page(assets: GraphiqlAssets | None, endpoint: str = "/graphql") -> HTMLResponse:
    if assets is None:
        return HTMLResponse(_MISSING_PAGE.format(endpoint=escape(endpoint)))
    links = "\n".join(f'<link rel="stylesheet" href="{escape(f.url)}">' for f in assets.stylesheets)
    scripts = "\n".join(f'<script src="{escape(f.url)}"></script>' for f in assets.scripts)
    return HTMLResponse(_PAGE.format(links=links, scripts=scripts, endpoint=escape(endpoint)))


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>assetgraph - GraphiQL</title>
{links}
<style>
  body {{ margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: sans-serif; }}
  #auth {{ display: flex; gap: 0.5em; align-items: center; padding: 0.4em 0.8em; font-size: 14px; }}
  #auth input {{ flex: 1; max-width: 40em; font-family: monospace; }}
  #graphiql {{ flex: 1; min-height: 0; }}
</style>
</head>
<body>
<form id="auth" onsubmit="return false">
  <label for="token">Bearer token</label>
  <input id="token" type="password" autocomplete="off" placeholder="paste your API token">
  <small>kept in this browser's localStorage; sent as the Authorization header</small>
</form>
<div id="graphiql" data-endpoint="{endpoint}">Loading GraphiQL&hellip;</div>
{scripts}
<script>
  const TOKEN_KEY = "assetgraph.token";
  const tokenInput = document.getElementById("token");
  const container = document.getElementById("graphiql");
  tokenInput.value = localStorage.getItem(TOKEN_KEY) || "";

  const fetcher = GraphiQL.createFetcher({{
    url: container.dataset.endpoint,
    // Read the token on every request; an Authorization set in the headers editor wins.
    fetch: (input, init = {{}}) => {{
      const headers = new Headers(init.headers);
      const token = tokenInput.value.trim();
      if (token && !headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return fetch(input, {{ ...init, headers }});
    }},
  }});

  const root = ReactDOM.createRoot(container);
  // Keyed on the token so that changing it remounts GraphiQL, which re-runs schema introspection
  // (the first attempt fails without a token). Editor tabs survive: GraphiQL keeps them in localStorage.
  const render = () => root.render(React.createElement(GraphiQL, {{
    key: tokenInput.value.trim(),
    fetcher,
    defaultEditorToolsVisibility: true,
  }}));
  tokenInput.addEventListener("change", () => {{
    localStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
    render();
  }});
  render();
</script>
</body>
</html>
"""

_MISSING_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>assetgraph - GraphiQL is not installed</title>
<style>body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.5; }}</style>
</head>
<body>
<h1>GraphiQL is not installed</h1>
<p>This server serves GraphiQL from npm packages installed in the repository, and their files are
missing: Node.js/npm was probably not available when the project was set up.</p>
<p>To enable it, install Node.js (which includes npm), then in the repository root run
<code>make graphiql</code> (or <code>npm ci</code>) and restart the server.</p>
<p>The API itself at <code>{endpoint}</code> works without GraphiQL, with any HTTP client. For example,
with the server on its default address:</p>
<pre>curl http://127.0.0.1:8000{endpoint} \\
  -H "Authorization: Bearer $TOKEN" \\
  -H "Content-Type: application/json" \\
  --data '{{"query": "{{ __typename }}"}}'</pre>
</body>
</html>
"""
