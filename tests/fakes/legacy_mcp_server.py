"""A fake MCP server for tests only: raw JSON-RPC over stdio, speaking the old 2024-11-05 protocol.

It is written without any SDK, like a server of an older generation, and reads its tools from a JSON
file at every `tools/list`, so that a test can change a description between two connections.

    python -m tests.fakes.legacy_mcp_server TOOLS.json [--hang initialize|list|call]

Each tool of the file is an MCP tool object, plus an optional `"reply"`: the text a call answers
(default: the arguments as JSON; `"$meta"`: the request's `_meta`), and an optional `"log"`: a file
each call appends its arguments to (one JSON line), to count executions. The file may also say
`{"exit": "message"}` to die at start.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

PROTOCOL = "2024-11-05"


def main(argv: list[str]) -> None:
    path = Path(argv[0])
    hang = argv[2] if len(argv) > 2 and argv[1] == "--hang" else None
    config = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(config, dict) and "exit" in config:
        print(config["exit"], file=sys.stderr, flush=True)
        raise SystemExit(3)
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        method, ident = message.get("method"), message.get("id")
        if ident is None:  # a notification (initialized, cancelled): nothing to answer
            continue
        if hang and method == {"initialize": "initialize", "list": "tools/list", "call": "tools/call"}[hang]:
            threading.Event().wait()  # never answers
        _answer(ident, _handle(method, message.get("params") or {}, path))


def _handle(method: str, params: dict[str, Any], path: Path) -> dict[str, Any]:
    if method == "initialize":
        return {
            "result": {
                "protocolVersion": PROTOCOL,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "fake-legacy", "version": "0.1"},
            }
        }
    if method == "tools/list":
        tools = json.loads(path.read_text(encoding="utf-8"))
        return {
            "result": {
                "tools": [{k: v for k, v in tool.items() if k not in {"reply", "log"}} for tool in tools]
            }
        }
    if method == "tools/call":
        tools = {tool["name"]: tool for tool in json.loads(path.read_text(encoding="utf-8"))}
        tool = tools.get(params.get("name"))
        if tool is None:
            return {"error": {"code": -32602, "message": "unknown tool"}}
        if tool.get("log"):
            with Path(tool["log"]).open("a", encoding="utf-8") as log:
                log.write(json.dumps(params.get("arguments") or {}) + "\n")
        text = tool.get("reply") or json.dumps(params.get("arguments") or {})
        if text == "$meta":  # what the client sent besides the arguments
            text = json.dumps(params.get("_meta") or {})
        return {"result": {"content": [{"type": "text", "text": text}], "isError": False}}
    return {"error": {"code": -32601, "message": f"method not found: {method}"}}


def _answer(ident: Any, body: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": ident, **body}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
