"""Finding GraphiQL's browser files and serving each from one fixed route.

The npm builds (pinned in the repository's package-lock.json, installed by `make graphiql`) are looked for in a
`node_modules` directory: the configured one (ASSETGRAPH_GRAPHIQL_DIR), the working directory's, or the source
checkout's when the package runs from one. Nothing assumes a checkout, so an installed wheel finds them the same
way or serves a page saying how to install them. The page's own start-up script is package data.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

logger = logging.getLogger(__name__)

STATIC_PREFIX = "/graphiql/static"

# (npm package, major version, file inside it). Scripts load in this order: the GraphiQL bundle expects the React
# and ReactDOM globals defined by the UMD builds before it (React 19 ships no UMD build, hence the majors).
_NPM_SCRIPTS = (
    ("react", 18, "umd/react.production.min.js"),
    ("react-dom", 18, "umd/react-dom.production.min.js"),
    ("graphiql", 3, "graphiql.min.js"),
)
# GraphiQL's stylesheet embeds its fonts as data: URIs, so it references no other files.
_NPM_STYLESHEETS = (("graphiql", 3, "graphiql.min.css"),)
NPM_REQUIREMENTS = " ".join(dict.fromkeys(f"{package}@{major}" for package, major, _ in _NPM_SCRIPTS))
"""What `npm install` needs, for the page that explains how to enable GraphiQL."""

_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"
# Every URL names its content (a package version or a digest), so a file never changes under a given URL.
_CACHE_HEADERS = {"Cache-Control": "public, max-age=31536000, immutable"}
_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StaticFile:
    url: str  # root-relative, e.g. /graphiql/static/react@18.3.1/react.production.min.js
    content: Path | bytes  # a file on disk, or package data held in memory
    media_type: str


@dataclass(frozen=True)
class GraphiqlAssets:
    scripts: tuple[StaticFile, ...]
    stylesheets: tuple[StaticFile, ...]


def node_modules_candidates(configured: Path | None) -> list[Path]:
    """Where GraphiQL's npm files may be, in the order they are looked for."""
    candidates = [configured] if configured is not None else []
    candidates.append(Path.cwd() / "node_modules")
    if (_CHECKOUT_ROOT / "package.json").is_file():  # running from a source checkout (an editable install)
        candidates.append(_CHECKOUT_ROOT / "node_modules")
    return list(dict.fromkeys(path.expanduser().resolve() for path in candidates))


def find_graphiql_assets(candidates: Iterable[Path]) -> GraphiqlAssets | None:
    """The files from the first candidate `node_modules` that holds them all, or None (logged) if none does."""
    searched = list(candidates)
    for modules in searched:
        try:
            scripts = tuple(_locate(modules, package, major, file, _JS) for package, major, file in _NPM_SCRIPTS)
            stylesheets = tuple(
                _locate(modules, package, major, file, _CSS) for package, major, file in _NPM_STYLESHEETS
            )
        except (OSError, ValueError, KeyError):
            continue
        return GraphiqlAssets(scripts=(*scripts, _start_script()), stylesheets=stylesheets)
    logger.warning("graphiql_not_installed", extra={"searched": [str(path) for path in searched]})
    return None


def _locate(modules: Path, package: str, major: int, file: str, media_type: str) -> StaticFile:
    """Raises OSError, ValueError or KeyError when the package is missing, incomplete or of another major."""
    version = json.loads((modules / package / "package.json").read_text(encoding="utf-8"))["version"]
    if not isinstance(version, str) or version.split(".")[0] != str(major):
        raise ValueError(f"{package}@{version} is not version {major}")
    path = modules / package / file
    if not path.is_file():
        raise FileNotFoundError(path)
    return StaticFile(url=f"{STATIC_PREFIX}/{package}@{version}/{path.name}", content=path, media_type=media_type)


def _start_script() -> StaticFile:
    content = (files(__package__) / "start.js").read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:12]
    return StaticFile(url=f"{STATIC_PREFIX}/assetgraph@{digest}/start.js", content=content, media_type=_JS)


def graphiql_routes(assets: GraphiqlAssets | None) -> list[BaseRoute]:
    """One exact-path route per file (GET and HEAD); anything else under the prefix is a 404."""
    if assets is None:
        return []
    return [Route(f.url, _file_endpoint(f), methods=["GET"]) for f in (*assets.scripts, *assets.stylesheets)]


def _file_endpoint(file: StaticFile) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        if isinstance(file.content, bytes):
            return Response(file.content, media_type=file.media_type, headers=_CACHE_HEADERS)
        return FileResponse(file.content, media_type=file.media_type, headers=_CACHE_HEADERS)

    return serve
