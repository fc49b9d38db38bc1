from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from assetgraph.graphiql.files import STATIC_PREFIX, GraphiqlAssets, find_graphiql_assets, graphiql_routes
from assetgraph.graphiql.page import graphiql_page, wants_graphiql
from tests.support import REPO_ROOT

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def make_app(assets: GraphiqlAssets | None) -> Starlette:
    async def graphql(request: Request) -> Response:
        if wants_graphiql(request):
            return graphiql_page(assets)
        return JSONResponse({"data": None})

    return Starlette(routes=[Route("/graphql", graphql, methods=["GET", "POST"]), *graphiql_routes(assets)])


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
def assets() -> GraphiqlAssets:
    found = find_graphiql_assets([REPO_ROOT / "node_modules"])
    if found is None:
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so GraphiQL's files cannot be installed")
        pytest.fail(f"GraphiQL's files are missing from {REPO_ROOT / 'node_modules'}: run `npm ci` there")
    return found


class ResourceCollector(HTMLParser):
    """Collects every src/href in the page, and the URLs of scripts and stylesheets."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        self.urls += [values[name] for name in ("src", "href") if name in values]
        if tag == "script" and "src" in values:
            self.scripts.append(values["src"])
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values["href"])


async def get_page(app: Starlette) -> str:
    async with client(app) as c:
        response = await c.get("/graphql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_page_references_no_remote_url(assets: GraphiqlAssets, app: Starlette) -> None:
    # the real application, as `make run` serves it
    page = await get_page(app)
    assert "http://" not in page
    assert "https://" not in page
    collector = ResourceCollector()
    collector.feed(page)
    assert collector.urls
    assert not [url for url in collector.urls if url.startswith("//") or ":" in url]


async def test_every_script_and_stylesheet_is_served(assets: GraphiqlAssets, app: Starlette) -> None:
    collector = ResourceCollector()
    collector.feed(await get_page(app))
    assert len(collector.scripts) == 4  # React, ReactDOM, GraphiQL, then the page's own start-up script
    assert len(collector.stylesheets) == 1
    expected = [("text/javascript", url) for url in collector.scripts]
    expected += [("text/css", url) for url in collector.stylesheets]
    async with client(app) as c:
        for content_type, url in expected:
            response = await c.get(url)
            assert response.status_code == 200, url
            assert response.headers["content-type"].startswith(content_type), url
            assert "max-age=31536000" in response.headers["cache-control"]
            assert len(response.content) > 500, url
    assert collector.scripts[-1].endswith("/start.js")


async def test_page_explains_how_to_enable_graphiql_when_files_are_missing(tmp_path: Path) -> None:
    assert find_graphiql_assets([tmp_path / "node_modules", tmp_path]) is None
    assert graphiql_routes(None) == []
    page = await get_page(make_app(None))
    assert "GraphiQL is not installed" in page
    assert "make graphiql" in page  # in a source checkout
    assert "npm install react@18 react-dom@18 graphiql@3" in page  # anywhere else
    assert "ASSETGRAPH_GRAPHIQL_DIR" in page
    assert "Authorization: Bearer $TOKEN" in page
    assert "<script" not in page
    assert str(tmp_path) not in page  # where the server looked is logged, not shown to any visitor


def _fake_node_modules(root: Path, react_version: str) -> Path:
    modules = root / "node_modules"
    packages = {
        "react": (react_version, "umd/react.production.min.js"),
        "react-dom": ("18.3.1", "umd/react-dom.production.min.js"),
        "graphiql": ("3.8.3", "graphiql.min.js"),
    }
    for package, (version, file) in packages.items():
        (modules / package / file).parent.mkdir(parents=True, exist_ok=True)
        (modules / package / file).write_text("/* built */")
        (modules / package / "package.json").write_text(f'{{"version": "{version}"}}')
    (modules / "graphiql" / "graphiql.min.css").write_text("/* built */")
    return modules


def test_packages_of_another_major_version_are_not_used(tmp_path: Path) -> None:
    # React 19 ships no UMD build: a node_modules holding it cannot serve the page
    assert find_graphiql_assets([_fake_node_modules(tmp_path / "new", "19.0.0")]) is None
    found = find_graphiql_assets(
        [_fake_node_modules(tmp_path / "new", "19.0.0"), _fake_node_modules(tmp_path, "18.3.1")]
    )
    assert found is not None
    assert found.scripts[0].url == f"{STATIC_PREFIX}/react@18.3.1/react.production.min.js"


@pytest.mark.parametrize(
    "path",
    [
        "/../package.json",
        "/..%2f..%2fpackage.json",
        "/%2e%2e/%2e%2e/package-lock.json",
        "/graphiql/package.json",
        "/graphiql/graphiql.min.js.map",
        "/react/umd/react.development.js",
    ],
)
async def test_only_listed_files_are_served(assets: GraphiqlAssets, path: str) -> None:
    async with client(make_app(assets)) as c:
        response = await c.get(STATIC_PREFIX + path)
    assert response.status_code == 404


async def test_unlisted_file_next_to_a_served_one_is_not_served(assets: GraphiqlAssets) -> None:
    served = assets.scripts[-1].url  # .../graphiql@<version>/graphiql.min.js
    async with client(make_app(assets)) as c:
        assert (await c.get(served)).status_code == 200
        assert (await c.get(served + ".map")).status_code == 404
        assert (await c.get(served.rsplit("/", 1)[0] + "/../graphiql@x/package.json")).status_code == 404


@pytest.mark.parametrize(
    ("method", "accept", "expected"),
    [
        ("GET", BROWSER_ACCEPT, True),
        ("GET", "text/html", True),
        ("GET", "application/json", False),
        ("GET", "application/graphql-response+json, application/json;q=0.9", False),
        ("GET", "*/*", False),
        ("GET", "", False),
        ("GET", "application/json, text/html;q=0.5", False),
        ("POST", BROWSER_ACCEPT, False),
    ],
)
def test_wants_graphiql(method: str, accept: str, expected: bool) -> None:
    headers = [(b"accept", accept.encode())] if accept else []
    request = Request({"type": "http", "method": method, "path": "/graphql", "headers": headers})
    assert wants_graphiql(request) is expected
