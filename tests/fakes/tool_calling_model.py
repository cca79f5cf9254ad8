"""A scripted tool-calling chat model behind a fake OpenAI-compatible upstream (tests only).

Given tools, it calls the first one named in `calls` that it is offered, with the arguments given;
once it has a tool result, it answers with that result quoted. Offered none of them, it says so.
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
class ToolCallingModel:
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"])])

    def offered(self, index: int = -1) -> list[str]:
        return [tool["function"]["name"] for tool in self.requests[index].get("tools") or []]

    async def _chat(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        self.requests.append(body)
        last = body["messages"][-1]
        message: dict[str, Any]
        if last["role"] == "tool":
            message = {"role": "assistant", "content": f"Résultat de l'outil : {last['content']}"}
        else:
            offered = [tool["function"]["name"] for tool in body.get("tools") or []]
            name = next((name for name in self.calls if name in offered), None)
            if name is None:
                message = {"role": "assistant", "content": "Aucun outil adapté ne m'est ouvert."}
            else:
                call = {"id": "call_1", "type": "function",
                        "function": {"name": name, "arguments": json.dumps(self.calls[name])}}  # fmt: skip
                message = {"role": "assistant", "content": None, "tool_calls": [call]}
        return JSONResponse(
            {
                "id": "chatcmpl-tools",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        )
