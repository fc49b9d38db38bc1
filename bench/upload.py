"""A big upload through the real server over HTTP: its time against `sha256sum` + `cp` of the same file, and the
server's peak memory growth while it streams the file into the blob store.

The server is `assetgraph serve` in a process of its own on the bench database, so that its RSS is its own; the
file (a video header followed by random bytes) is generated once under .assetgraph-bench/upload and reused.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import asyncpg
import httpx
import psutil

from bench.database import BENCH_DATA_DIR
from bench.harness import SummaryRow
from bench.server import assetgraph_server

WORKDIR = BENCH_DATA_DIR / "upload"
_MP4_HEADER = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
_MUTATION = "mutation($input: UploadAssetInput!) { uploadAsset(input: $input) { asset { databaseId sha256 } errors { code message } } }"  # noqa: E501
MIB = 1024 * 1024


def _bench_file(size: int) -> Path:
    path = WORKDIR / f"upload-{size}.mp4"
    if not path.exists() or path.stat().st_size != size:
        WORKDIR.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            out.write(_MP4_HEADER)
            remaining = size - len(_MP4_HEADER)
            while remaining > 0:
                out.write(os.urandom(min(remaining, 8 * MIB)))
                remaining -= 8 * MIB
    return path


def _baseline_seconds(path: Path) -> tuple[float, str]:
    """`sha256sum` then `cp` of the file (the least work the upload must do: read, hash, write), and the hash."""
    copy = WORKDIR / "copy.bin"
    started = time.perf_counter()
    digest = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True).stdout.split()[0]
    subprocess.run(["cp", str(path), str(copy)], check=True)
    elapsed = time.perf_counter() - started
    copy.unlink()
    return elapsed, digest


class _PeakRss:
    """Samples a process's RSS every 10 ms in a thread; `peak` is the largest seen."""

    def __init__(self, process: psutil.Process) -> None:
        self._process = process
        self.peak = process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _upload(base: str, token: str, path: Path) -> tuple[float, dict[str, object]]:
    operations = {"query": _MUTATION, "variables": {"input": {"file": None, "providerId": "local"}}}
    async with httpx.AsyncClient(timeout=600) as client:
        with path.open("rb") as file:
            started = time.perf_counter()
            response = await client.post(
                f"{base}/graphql",
                data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
                files={"0": (path.name, file, "video/mp4")},
                headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
            )
            elapsed = time.perf_counter() - started
    result: dict[str, object] = response.json()
    return elapsed, result


def _uploaded_asset(result: dict[str, object]) -> dict[str, object] | None:
    data = result.get("data")
    payload = data.get("uploadAsset") if isinstance(data, dict) else None
    asset = payload.get("asset") if isinstance(payload, dict) else None
    return asset if isinstance(asset, dict) else None


async def _forget(conn: asyncpg.Connection, asset_id: int, storage_root: Path) -> None:
    """Remove the uploaded asset and its blob, so that the bench library stays as seeded."""
    key = await conn.fetchval("DELETE FROM assets WHERE id = $1 RETURNING storage_key", asset_id)
    if key:
        (storage_root / key).unlink(missing_ok=True)


async def run_upload(conn: asyncpg.Connection, url: str, token: str, size: int) -> SummaryRow:
    """Prints the figures and returns the summary row of the big-upload case."""
    title = f"upload: {size // MIB} MiB file, library only, over HTTP"
    print(f"\n== {title} ==", flush=True)
    path = await asyncio.to_thread(_bench_file, size)
    baseline, digest = await asyncio.to_thread(_baseline_seconds, path)
    with assetgraph_server(url, WORKDIR / "data") as (base, process):
        await _upload(base, token, _bench_file(1 * MIB))  # warm up: imports, first connections
        rss_before = process.memory_info().rss
        with _PeakRss(process) as rss:
            elapsed, result = await _upload(base, token, path)
    asset = _uploaded_asset(result)
    ok = asset is not None and asset.get("sha256") == digest
    if asset is not None:
        await _forget(conn, int(str(asset["databaseId"])), WORKDIR / "data" / "blobs")
    growth_mib = (rss.peak - rss_before) / MIB
    ratio = elapsed / baseline
    lines = [
        f"upload     {elapsed:8.2f} s   ({size / MIB / elapsed:7.1f} MiB/s)",
        f"baseline   {baseline:8.2f} s   (sha256sum + cp of the same file)",
        f"ratio      {ratio:.2f} (upload / baseline; aim <= 2.0)",
        f"server RSS {rss_before / MIB:.0f} MiB before, peak growth {growth_mib:.1f} MiB during the upload (aim <= 64)",
        "check: the stored asset's sha256 matches sha256sum" if ok else f"WARNING: answer {str(result)[:300]}",
    ]
    for line in lines:
        print(f"  {line}")
    shutil.rmtree(WORKDIR / "data" / "blobs" / ".incoming", ignore_errors=True)
    cells = f"{elapsed * 1000:>11.0f} {'':>8}  {baseline * 1000:>12.0f} {'':>8}  {ratio:>6.2f}  {'':>3}"
    return title, cells + f"  RSS +{growth_mib:.0f} MiB"
