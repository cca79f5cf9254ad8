"""A fake S3-compatible store for tests: objects in a dict, every request's signature checked.

It recomputes the SigV4 signature with the secret it was given (the signing itself is checked
against AWS's documented examples in `tests/server/robots/test_artifacts.py`) and the payload hash
against the body: a request signed with another key, or whose body changed, is refused with 403.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import unquote

import httpx

from server.robots.s3 import sign

SIGNED_BY_CLIENT = {"content-type"}


class FakeS3Store:
    """One account (`access_key_id`, `secret`), any bucket; `objects` maps `bucket/key` to bytes."""

    def __init__(self, access_key_id: str, secret: str, region: str = "us-east-1") -> None:
        self.access_key_id = access_key_id
        self.secret = secret
        self.region = region
        self.objects: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if not self._signed(request, body):
            return httpx.Response(403, text="<Error><Code>SignatureDoesNotMatch</Code></Error>")
        path = unquote(request.url.raw_path.decode()).lstrip("/")
        self.requests.append((request.method, path))
        if request.method == "PUT":
            self.objects[path] = body
            return httpx.Response(200)
        if request.method == "GET":
            if path not in self.objects:
                return httpx.Response(404, text="<Error><Code>NoSuchKey</Code></Error>")
            return httpx.Response(200, content=self.objects[path])
        if request.method == "DELETE":
            self.objects.pop(path, None)
            return httpx.Response(204)
        return httpx.Response(405)

    def _signed(self, request: httpx.Request, body: bytes) -> bool:
        payload = hashlib.sha256(body).hexdigest()
        if request.headers.get("x-amz-content-sha256") != payload:
            return False
        stamp = request.headers.get("x-amz-date", "")
        try:
            now = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            return False
        headers = {k: v for k, v in request.headers.items() if k in SIGNED_BY_CLIENT}
        expected = sign(
            request.method,
            str(request.url),
            headers,
            payload,
            region=self.region,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret,
            now=now,
        )
        return bool(expected["Authorization"] == request.headers.get("authorization"))
