"""A scripted OpenAI-compatible upstream for mail readings (tests only): it answers what the test sets.

`answer` is the text of every completion (the test scripts what « the model » reads in a mail);
`status` answers that HTTP status instead, as an upstream that is down. Every request body is kept
in `requests`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class ScriptedReadingModel:
    """What the fake answers; change the fields between requests."""

    answer: str = "{}"
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"])])

    async def _chat(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        self.requests.append(body)
        if self.status != 200:
            return JSONResponse({"error": {"message": "upstream down", "type": "server_error"}}, self.status)
        return JSONResponse(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.answer},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 200, "completion_tokens": 20, "total_tokens": 220},
            }
        )
