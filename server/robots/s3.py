"""A small S3 client (path-style, AWS Signature Version 4): put, get and delete one object.

Robot job files need no more than that, and any S3-compatible store (MinIO, Ceph RGW, Garage, a
cloud provider's) speaks it. The secret key only ever signs; it is neither sent nor logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import httpx

ALGORITHM = "AWS4-HMAC-SHA256"


class S3Error(Exception):
    """The store refused or failed a request (status and S3 error code, never a secret)."""

    def __init__(self, status: int, operation: str) -> None:
        super().__init__(f"S3 {operation} answered HTTP {status}")
        self.status = status


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    payload_sha256: str,
    *,
    region: str,
    access_key_id: str,
    secret_access_key: str,
    now: datetime,
    service: str = "s3",
) -> dict[str, str]:
    """The headers to send: `headers`, `x-amz-date`, `x-amz-content-sha256` and `Authorization`.

    Every header given is signed, with the host; the URL's path and query are taken as encoded.
    """
    parts = urlsplit(url)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    signed = {k.lower(): " ".join(str(v).split()) for k, v in headers.items()}
    signed |= {"host": parts.netloc, "x-amz-date": stamp, "x-amz-content-sha256": payload_sha256}
    names = sorted(signed)
    pairs = sorted((*pair.partition("=")[::2],) for pair in parts.query.split("&") if pair)
    query = "&".join(f"{name}={value}" for name, value in pairs)  # the URL's, already encoded
    canonical = "\n".join(
        [
            method,
            parts.path or "/",
            query,
            "".join(f"{name}:{signed[name]}\n" for name in names),
            ";".join(names),
            payload_sha256,
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{secret_access_key}".encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"{ALGORITHM} Credential={access_key_id}/{scope}, SignedHeaders={';'.join(names)}, "
        f"Signature={signature}"
    )
    return {
        **headers,
        "x-amz-date": stamp,
        "x-amz-content-sha256": payload_sha256,
        "Authorization": authorization,
    }


@dataclass(frozen=True)
class S3Bucket:
    """One bucket of an S3-compatible store, reached path-style."""

    endpoint: str
    bucket: str
    region: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    transport: httpx.AsyncBaseTransport | None = None
    timeout: float = 60.0

    def url(self, key: str) -> str:
        """The object's URL: every key segment percent-encoded, `/` kept."""
        return f"{self.endpoint.rstrip('/')}/{quote(self.bucket, safe='')}/{quote(key, safe='/')}"

    async def put(self, key: str, content: bytes) -> None:
        """Store (or replace) an object."""
        await self._send("PUT", key, content, {"content-type": "application/octet-stream"}, {200})

    async def get(self, key: str) -> bytes | None:
        """An object's content, or None when there is none."""
        response = await self._send("GET", key, b"", {}, {200, 404})
        return None if response.status_code == 404 else response.content

    async def delete(self, key: str) -> None:
        """Delete an object (deleting one that is not there is no error)."""
        await self._send("DELETE", key, b"", {}, {200, 204, 404})

    async def _send(
        self, method: str, key: str, body: bytes, headers: dict[str, str], expected: set[int]
    ) -> httpx.Response:
        url = self.url(key)
        sent = sign(
            method,
            url,
            headers,
            hashlib.sha256(body).hexdigest(),
            region=self.region,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            now=datetime.now(UTC),
        )
        async with httpx.AsyncClient(transport=self.transport, timeout=self.timeout) as client:
            response = await client.request(method, url, content=body, headers=sent)
        if response.status_code not in expected:
            raise S3Error(response.status_code, method)
        return response
