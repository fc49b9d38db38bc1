"""`python -m assetgraph.providers.sandbox [--host H] [--port P] [--max-upload-bytes N] [--list-delay S]`: serve the
sandbox until interrupted; prints one JSON line with the base URLs to point ASSETGRAPH_*_BASE_URL at."""

from __future__ import annotations

import argparse
import asyncio
import json

from assetgraph.providers.sandbox.server import serve_sandbox
from assetgraph.providers.sandbox.state import Sandbox


async def _serve(host: str, port: int, max_upload_bytes: int, list_delay: float) -> None:
    sandbox = Sandbox(max_upload_bytes=max_upload_bytes, list_delay_seconds=list_delay)
    async with serve_sandbox(sandbox, host=host, port=port) as running:
        print(json.dumps({"base_url": running.base_url, **running.settings_overrides()}), flush=True)
        await running.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m assetgraph.providers.sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (the default) picks a free port")
    parser.add_argument("--max-upload-bytes", type=int, default=1024**3)
    parser.add_argument("--list-delay", type=float, default=0.0, help="seconds each Pixverse list page takes")
    args = parser.parse_args()
    asyncio.run(_serve(args.host, args.port, args.max_upload_bytes, args.list_delay))


if __name__ == "__main__":
    main()
