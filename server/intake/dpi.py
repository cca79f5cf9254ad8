"""The DPI the intake files documents into: one adapter, the sample DPI's HTTP API by default.

A real DPI (dossier patient informatisé) is connected by pointing `ARIANE_INTAKE__DPI_URL` at an
API of the same shape, or by writing another class with these two methods (a FHIR `Patient` search
and `DocumentReference` create, an HL7 MDM feed, …): the pipeline only calls `find_patients` and
`file_document`, and relies on `file_document` being idempotent on the key.
"""

from __future__ import annotations

import base64
from typing import Any, Protocol

import httpx

from server.intake.schemas import Field
from server.messages import MESSAGES
from tools.i18n import Text


class DpiError(Exception):
    """The DPI refused or could not be reached; `retry` says whether trying again may help."""

    def __init__(self, detail: str | Text, *, retry: bool) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.retry = retry


class Dpi(Protocol):
    """What the intake needs of a DPI."""

    async def find_patients(self, fields: dict[str, Field]) -> list[dict[str, Any]]:
        """Patients that may be the document's, each with its stays."""
        ...

    async def file_document(self, key: str, document: dict[str, Any], content: bytes) -> str:
        """File the document under its stay, once per key; the DPI's id of it."""
        ...


class HttpDpi:
    """The sample DPI's API (`/dpi-api`), or any DPI exposing the same two calls."""

    def __init__(
        self, base_url: str, key: str, timeout: float, transport: httpx.AsyncBaseTransport | None = None
    ):
        self._client = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/dpi-api",
            headers={"X-Dpi-Key": key},
            timeout=timeout,
            transport=transport,
        )

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()

    async def _call(self, method: str, path: str, body: dict[str, Any]) -> Any:
        try:
            response = await self._client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise DpiError(MESSAGES("intake.dpi_unreachable"), retry=True) from exc
        if response.status_code >= 500:
            raise DpiError(MESSAGES("intake.dpi_unavailable", status=response.status_code), retry=True)
        if response.status_code >= 400:
            detail = (
                response.json().get("detail", "")
                if "json" in response.headers.get("content-type", "")
                else ""
            )
            raise DpiError(MESSAGES("intake.dpi_refused", detail=detail or response.status_code), retry=False)
        return response.json()

    async def find_patients(self, fields: dict[str, Field]) -> list[dict[str, Any]]:
        """Patients sharing the IPP or the birth date, or of a close name."""
        query: dict[str, Any] = {
            name: fields[name].value for name in ("ipp", "nom", "prenom", "date_naissance") if name in fields
        }
        if not query:
            return []
        found: list[dict[str, Any]] = await self._call("POST", "/patients/search", query)
        return found

    async def file_document(self, key: str, document: dict[str, Any], content: bytes) -> str:
        """`PUT /documents/{key}`: 201 filed now, 200 filed before under that key."""
        body = document | {"content_base64": base64.b64encode(content).decode("ascii")}
        filed = await self._call("PUT", f"/documents/{key}", body)
        return str(filed["id"])
