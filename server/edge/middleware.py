"""The ASGI middleware in front of the whole app: limits and checks in, security headers out.

One mechanism for every route, present and future: the request's headers are bounded (431), its
body too (413; an upload of knowledge documents gets its own, larger, bound), a JSON body is
checked for depth, NUL and lone surrogates, and so are the path and the query (400) — before any
route parses anything. `/v1` keeps its own body bound and checks (OpenAI envelope, in the gateway).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from server.edge.json_text import JsonTextError, check_json_text
from server.messages import MESSAGES
from tools.i18n import Text, negotiate

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_GATEWAY = "/v1/"
_UPLOAD = "multipart/form-data"


@dataclass(frozen=True)
class EdgeLimits:
    """The bounds, from `Settings`."""

    max_body_bytes: int
    max_upload_bytes: int
    max_header_bytes: int
    max_headers: int
    max_json_depth: int
    # Exact paths whose route reads the body as a stream and bounds it itself (a proxy log of
    # gigabytes): the body is handed on as it arrives, never held here.
    streamed_paths: frozenset[str] = frozenset()


class EdgeMiddleware:
    """Bounds and checks every request, and adds the security headers to every answer."""

    def __init__(self, app: App, limits: EdgeLimits, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.limits = limits
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then hand it on (its body replayed) with the answer's headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._secured(send)
        refusal = self._check_head(scope)
        if refusal is not None:
            status, code, text = refusal
            gateway = str(scope.get("path", "")).startswith(_GATEWAY)
            await _refuse(send, status, code, _in_language(text, scope), openai=gateway)
            return
        path = str(scope.get("path", ""))
        if path.startswith(_GATEWAY) or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        if path in self.limits.streamed_paths and not _header(scope, b"content-type").startswith(_UPLOAD):
            await self.app(scope, receive, send)
            return
        content_type = _header(scope, b"content-type")
        limit = (
            self.limits.max_upload_bytes if content_type.startswith(_UPLOAD) else self.limits.max_body_bytes
        )
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, "payload_too_large", _in_language(_too_large(limit), scope))
            return
        body, more = await _read(receive, limit)
        if body is None:
            await _refuse(send, 413, "payload_too_large", _in_language(_too_large(limit), scope))
            return
        if "json" in content_type or (body[:1] in (b"{", b"[") and not content_type.startswith(_UPLOAD)):
            try:
                check_json_text(body, self.limits.max_json_depth)
            except JsonTextError as exc:
                await _refuse(send, 400, "invalid_request", _in_language(exc.text, scope))
                return
        await self.app(scope, _replay(body, more, receive), send)

    def _check_head(self, scope: Scope) -> tuple[int, str, Text] | None:
        headers = scope.get("headers") or []
        if len(headers) > self.limits.max_headers or sum(len(k) + len(v) for k, v in headers) > (
            self.limits.max_header_bytes
        ):
            return 431, "headers_too_large", MESSAGES("edge.headers_too_large")
        raw_path = scope.get("raw_path") or str(scope.get("path", "")).encode("utf-8", "surrogatepass")
        for part in (raw_path, scope.get("query_string") or b""):
            if not _clean(part):
                return 400, "invalid_request", MESSAGES("edge.invalid_address")
        return None

    def _secured(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        return sending


def _clean(raw: bytes) -> bool:
    if b"\x00" in raw or b"%00" in raw:
        return False
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1").lower()
    return ""


async def _read(receive: Receive, limit: int) -> tuple[bytes | None, bool]:
    """The whole body (None past `limit`), and whether the client is still connected."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None, True
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, connected: bool, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if not connected:
            return {"type": "http.disconnect"}
        return await receive()  # what comes next: the client's disconnection

    return replay


def _too_large(limit: int) -> Text:
    return MESSAGES("edge.too_large", size=limit // 1024)


def _in_language(text: Text, scope: Scope) -> str:
    """The refusal in the caller's language (`Accept-Language`), French by default."""
    return text.render(negotiate(_header(scope, b"accept-language")))


async def _refuse(send: Send, status: int, code: str, detail: str, *, openai: bool = False) -> None:
    """Answer in the `/api` envelope, or OpenAI's under `/v1`."""
    error: dict[str, Any] = {"error": code, "detail": detail}
    if openai:
        error = {"error": {"message": detail, "type": "invalid_request_error", "param": None, "code": code}}
    body = json.dumps(error, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
