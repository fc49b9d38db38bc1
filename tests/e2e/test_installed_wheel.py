"""assetgraph installed from its wheel, away from any source checkout, still serves GraphiQL or says how to."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.support import REPO_ROOT

# Runs inside the installed copy: asks for /graphql as a browser would, then for every file the page loads.
_PROBE = """
import asyncio, json, re, sys
import httpx
import assetgraph
from assetgraph.app import create_app

async def main():
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        page = (await client.get("/graphql", headers={"Accept": "text/html"})).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', page)
        statuses = [(await client.get(url)).status_code for url in urls]
    print(json.dumps({"package": assetgraph.__file__, "page": page, "urls": urls, "statuses": statuses}))

asyncio.run(main())
"""


def _install_wheel(tmp_path: Path) -> Path:
    """Build the wheel from a copy of the sources (pip builds in place) and unpack it as an installer would."""
    source = tmp_path / "source"
    shutil.copytree(REPO_ROOT / "assetgraph", source / "assetgraph", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = dist.glob("assetgraph-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def _probe(site: Path, cwd: Path, graphiql_dir: Path | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "ASSETGRAPH_GRAPHIQL_DIR"} | {"PYTHONPATH": str(site)}
    if graphiql_dir is not None:
        env["ASSETGRAPH_GRAPHIQL_DIR"] = str(graphiql_dir)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_an_installed_wheel_serves_graphiql_or_says_how_to_enable_it(tmp_path: Path) -> None:
    # given assetgraph installed from its wheel, started in a directory with no node_modules
    site = _install_wheel(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    # when GraphiQL's npm files are nowhere to be found, then the page says how to install them
    missing = _probe(site, elsewhere, graphiql_dir=None)
    assert str(missing["package"]).startswith(str(site))  # the installed copy, not the checkout
    assert "GraphiQL is not installed" in str(missing["page"])
    assert "npm install react@18 react-dom@18 graphiql@3" in str(missing["page"])

    # when ASSETGRAPH_GRAPHIQL_DIR names a node_modules holding them, then the page and every file it loads are served
    found = _probe(site, elsewhere, graphiql_dir=REPO_ROOT / "node_modules")
    assert "GraphiQL is not installed" not in str(found["page"])
    assert len(found["urls"]) == 5  # type: ignore[arg-type]  # 4 scripts (the last one is package data) + 1 stylesheet
    assert found["statuses"] == [200] * 5
