"""Reading server-sent events in tests."""

from __future__ import annotations

import json
from typing import Any

import httpx


def parse_sse(text: str) -> list[dict[str, Any]]:
    """Events of an SSE body as `{"id", "event", "data"}` dicts (data decoded from JSON)."""
    events = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, Any] = {}
        for line in block.splitlines():
            name, _, value = line.partition(": ")
            fields[name] = value
        if fields:
            events.append(
                {"id": int(fields["id"]), "event": fields["event"], "data": json.loads(fields["data"])}
            )
    return events


async def read_events(response: httpx.Response) -> list[dict[str, Any]]:
    """Read a streamed SSE response to its end and parse it."""
    body = "".join([chunk async for chunk in response.aiter_text()])
    return parse_sse(body)
