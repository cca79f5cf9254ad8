"""`python -m tools.demo_m365 --user EMAIL`: the Microsoft 365 tools as a user, through MCP clients only.

Against a running `ariane up` (default `--url http://127.0.0.1:8000`): finds the DTNIB general assembly,
reads its transcript with speakers and timestamps, finds the working-time regulation. The user's token
comes from `--token`, else from `ariane token EMAIL` run for you (local identity provider only).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from typing import Any, cast

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import RequestParamsMeta

from tools.mcp_common import NOW_META

SCENARIO_NOW = "2025-06-26T10:00:00+02:00"  # a week after the assembly: « jeudi dernier » is 19 June


async def _call(http: httpx2.AsyncClient, url: str, tool: str, args: dict[str, Any]) -> Any:
    async with Client(streamable_http_client(url, http_client=http)) as client:
        result = await client.call_tool(tool, args, meta=cast(RequestParamsMeta, {NOW_META: SCENARIO_NOW}))
    if result.is_error:
        print(f"  ✗ {tool} refusé : {result.content[0].text}")  # type: ignore[union-attr]
        return None
    return result.structured_content


async def demo(base: str, token: str) -> int:
    """Run the three steps; the exit code is the number of refused steps."""
    refused = 0
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        print("1. find_meeting « AG DTNIB », jeudi dernier")
        found = await _call(
            http, f"{base}/mcp/calendar", "find_meeting", {"subject": "AG DTNIB", "around": "jeudi dernier"}
        )
        if found:
            best = found["matches"][0]
            print(f"  ✓ {best['subject']} — {best['start']} ({best['id']})")
        refused += found is None
        print("2. get_transcript")
        meeting = found["matches"][0]["id"] if found else "Assemblée générale DTNIB"
        page = await _call(http, f"{base}/mcp/meetings", "get_transcript", {"meeting": meeting, "limit": 5})
        if page:
            print(f"  ✓ {page['total_cues']} répliques ; intervenants : {', '.join(page['speakers'])}")
            for cue in page["cues"]:
                print(f"    [{cue['start']}] {cue['speaker']} : {cue['text'][:90]}")
        refused += page is None
        print("3. search_documents « règlement temps de travail astreintes »")
        docs = await _call(
            http,
            f"{base}/mcp/documents",
            "search_documents",
            {"query": "règlement temps de travail astreintes", "top": 3},
        )
        if docs:
            for hit in docs["hits"]:
                print(f"  ✓ {hit['title']} ({hit['site']}) — {hit['id']}")
        refused += docs is None
    return refused


def _local_token(email: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "from server.cli import main; main()", "token", email],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip() or "ariane token failed")
    return done.stdout.strip()


def main() -> None:
    """Parse the arguments and run the demo."""
    parser = argparse.ArgumentParser(prog="python -m tools.demo_m365")
    parser.add_argument("--user", required=True, help="email of a user of the directory")
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="Ariane's URL (`ariane up`)")
    parser.add_argument("--token", default=None, help="the user's Ariane token (default: `ariane token`)")
    args = parser.parse_args()
    refused = asyncio.run(demo(args.url.rstrip("/"), args.token or _local_token(args.user)))
    print(f"{3 - refused} étape(s) réussie(s), {refused} refusée(s).")


if __name__ == "__main__":
    main()
