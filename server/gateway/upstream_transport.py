"""The gateway's outgoing HTTP connections, made by aiohttp under httpx's client.

httpx stays the gateway's client (requests built, timeouts, the same `Response` for tests' transports
and for this one); only the connections and the HTTP/1.1 parsing are aiohttp's, whose connector and C
parser cost a fraction of httpcore's per call — httpcore was the largest part of the gateway's CPU
under load. Bodies pass through as the upstream sent them (no decompression: httpx decodes as usual).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx

# Set by aiohttp itself from the body and the URL: sent twice, the upstream would see a malformed request.
_OWN_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport over one aiohttp session (its connection pool), opened at first use."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            keepalive_timeout=self._limits.keepalive_expiry or 15.0,
            ttl_dns_cache=60,
        )
        # No environment proxies here: httpx already routes the requests its own settings proxy.
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            skip_auto_headers=("User-Agent",),
            cookie_jar=aiohttp.DummyCookieJar(),  # an upstream's cookies never reach another caller's call
        )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`; the response's body is read as the caller reads it."""
        session = self._session or self._open()
        timeouts = request.extensions.get("timeout", {})
        headers = [(name, value) for name, value in request.headers.multi_items() if name not in _OWN_HEADERS]
        try:
            response = await session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=await request.aread(),
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read")
                ),
            )
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc), request=request) from exc
        except aiohttp.ServerTimeoutError as exc:
            raise httpx.ReadTimeout(str(exc), request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        return httpx.Response(
            response.status,
            headers=[(bytes(k), bytes(v)) for k, v in response.raw_headers],
            stream=_Body(response, request),
            request=request,
        )

    async def aclose(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except aiohttp.ServerTimeoutError as exc:
            raise httpx.ReadTimeout(str(exc), request=self._request) from exc
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(str(exc), request=self._request) from exc

    async def aclose(self) -> None:
        self._response.release()
