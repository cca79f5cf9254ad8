"""Ariane's knowledge API, called as the user: the server authorises, trims and embeds the query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tools.knowledge.texts import TEXTS
from tools.mcp_common import Caller, JsonObject, ToolFailure
from tools.mcp_common.texts import TEXTS as COMMON_TEXTS

MAX_TOP = 50


@dataclass
class KnowledgeApi:
    """`POST {api_url}/api/knowledge/{collection}/search` with the user's bearer token and language."""

    api_url: str
    transport: httpx.AsyncBaseTransport | None = None
    timeout: float = 10.0
    _http: httpx.AsyncClient | None = field(default=None, repr=False)

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(transport=self.transport, timeout=self.timeout)
        return self._http

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def search(self, caller: Caller, collection: str, query: str, top: int) -> JsonObject:
        """The passages, as the API returns them; its refusals' details come in the caller's language.

        Raises:
            ToolFailure: bad arguments, unknown collection, expired session, API unreachable.
        """
        if not query.strip():
            raise ToolFailure("bad_request", TEXTS("no_question"))
        if not collection.strip():
            raise ToolFailure("bad_request", TEXTS("no_collection"))
        if not 1 <= top <= MAX_TOP:
            raise ToolFailure("bad_request", COMMON_TEXTS("bad_top", max=MAX_TOP))
        url = f"{self.api_url.rstrip('/')}/api/knowledge/{collection.strip()}/search"
        try:
            response = await self._client().post(
                url,
                json={"query": query, "top": top},
                headers={"Authorization": f"Bearer {caller.token}", "Accept-Language": caller.language},
            )
        except httpx.HTTPError as exc:
            raise ToolFailure("unavailable", TEXTS("unreachable")) from exc
        if response.status_code == 200:
            data: dict[str, Any] = response.json()
            return data
        raise _failure(response)


def _failure(response: httpx.Response) -> ToolFailure:
    # The API's detail is already in the caller's language (Accept-Language): shown as it is.
    try:
        detail = str(response.json().get("detail", ""))
    except ValueError:
        detail = ""
    if response.status_code == 401:
        return ToolFailure("unauthenticated", COMMON_TEXTS("session_invalid"))
    if response.status_code == 404:
        return ToolFailure("not_found", detail or TEXTS("not_found"))
    if response.status_code == 403:
        return ToolFailure("access_denied", detail or TEXTS("access_denied"))
    if response.status_code in (400, 422):
        return ToolFailure("bad_request", detail or TEXTS("bad_request"))
    return ToolFailure("unavailable", TEXTS("unavailable"))
