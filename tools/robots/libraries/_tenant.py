"""The local tenant's robot-facing API (`/robot-api`), authenticated with the robots' key."""

from __future__ import annotations

from typing import Any

import httpx

KEY_HEADER = "X-Robot-Key"


class TenantApi:
    """A small HTTP client; a refused call raises, which fails the task with the tenant's message."""

    def __init__(self, base_url: str, key: str) -> None:
        self._http = httpx.Client(base_url=f"{base_url.rstrip('/')}/robot-api", headers={KEY_HEADER: key})

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST JSON, return the JSON answer.

        Raises:
            RuntimeError: the tenant refused (its detail is in the message).
        """
        response = self._http.post(path, json=body, timeout=20)
        if response.status_code >= 400:
            raise RuntimeError(f"Le système a refusé {path} ({response.status_code}) : {response.text}")
        data: dict[str, Any] = response.json()
        return data
