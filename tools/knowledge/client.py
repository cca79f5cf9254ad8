"""Ariane's knowledge API, called as the user: the server authorises, trims and embeds the query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tools.mcp_common import JsonObject, ToolFailure

MAX_TOP = 50


@dataclass
class KnowledgeApi:
    """`POST {api_url}/api/knowledge/{collection}/search` with the user's bearer token."""

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

    async def search(self, token: str, collection: str, query: str, top: int) -> JsonObject:
        """The passages, as the API returns them.

        Raises:
            ToolFailure: bad arguments, unknown collection, expired session, API unreachable.
        """
        if not query.strip():
            raise ToolFailure("bad_request", "Indiquez la question à chercher dans les documents.")
        if not collection.strip():
            raise ToolFailure("bad_request", "Indiquez la base de connaissances (collection) à interroger.")
        if not 1 <= top <= MAX_TOP:
            raise ToolFailure("bad_request", f"top doit être compris entre 1 et {MAX_TOP}.")
        url = f"{self.api_url.rstrip('/')}/api/knowledge/{collection.strip()}/search"
        try:
            response = await self._client().post(
                url, json={"query": query, "top": top}, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            raise ToolFailure(
                "unavailable", "La base de connaissances est injoignable : réessayez dans quelques minutes."
            ) from exc
        if response.status_code == 200:
            data: dict[str, Any] = response.json()
            return data
        raise _failure(response)


def _failure(response: httpx.Response) -> ToolFailure:
    try:
        detail = str(response.json().get("detail", ""))
    except ValueError:
        detail = ""
    if response.status_code == 401:
        return ToolFailure("unauthenticated", "Votre session n'est pas valide : reconnectez-vous à Ariane.")
    if response.status_code == 404:
        return ToolFailure("not_found", detail or "Cette base de connaissances n'existe pas.")
    if response.status_code == 403:
        return ToolFailure("access_denied", detail or "Accès refusé à cette base de connaissances.")
    if response.status_code in (400, 422):
        return ToolFailure("bad_request", detail or "Requête refusée par la base de connaissances.")
    return ToolFailure("unavailable", "La base de connaissances est indisponible : réessayez plus tard.")
