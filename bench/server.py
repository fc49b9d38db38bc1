"""`assetgraph serve` in a process of its own on the bench database, for the scenarios that drive the real server
over HTTP (upload, sync)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil


@contextmanager
def assetgraph_server(
    url: str, data_dir: Path, settings: Mapping[str, str] | None = None
) -> Iterator[tuple[str, psutil.Process]]:
    """The server's base URL and process once /readyz answers; `settings` are more ASSETGRAPH_* variables.

    One serving process unless `settings` say ASSETGRAPH_WORKERS, so that the process's RSS is the server's.
    """
    port = free_port()
    env = {**os.environ, "ASSETGRAPH_DATABASE_URL": url, "ASSETGRAPH_PORT": str(port), "ASSETGRAPH_WORKERS": "1",
           "ASSETGRAPH_DATA_DIR": str(data_dir), "ASSETGRAPH_LOG_LEVEL": "WARNING", **(settings or {})}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "assetgraph.cli", "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    with serving(process, lambda: httpx.get(f"{base}/readyz", timeout=1).status_code == 200, "the server") as served:
        yield base, served


@contextmanager
def serving(process: subprocess.Popen[bytes], ready: Callable[[], bool], name: str) -> Iterator[psutil.Process]:
    """`process` once `ready()` holds (asked every 0.2 s for up to 60 s; a refused connection counts as not yet),
    terminated when the block ends."""
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if ready():
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{name} did not start")
            time.sleep(0.2)
        yield psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
