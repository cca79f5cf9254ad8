"""Assistants API tests: the app in process, users of the fictional directory by their short name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def as_user(token_for: Callable[[str], str]) -> Headers:
    def headers(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(name + '@chru-exemple.fr')}"}

    return headers


def definition(**fields: Any) -> dict[str, Any]:
    """A valid assistant definition, overridden by `fields`."""
    return {
        "name": "Aide facturation",
        "description": "Répond aux questions de facturation.",
        "instructions": "Réponds en deux phrases.",
        "data_class": "internal",
        "tools": ["documents"],
        "workflows": ["document_question"],
        "starter_prompts": ["Comment refacturer un acte ?"],
        **fields,
    }


async def drop_model_from_staff(client: httpx.AsyncClient, admin: dict[str, str], model: str) -> None:
    """Save a policy version where staff may no longer use `model` (policy drift)."""
    current = (await client.get("/api/admin/gateway/policy", headers=admin)).json()
    rule = "    models: [mistral-small-hds, mistral-medium-eu, gpt-4o-azure-fr]"
    kept = ", ".join(m for m in ("mistral-small-hds", "mistral-medium-eu", "gpt-4o-azure-fr") if m != model)
    edited = current["document"].replace(rule, f"    models: [{kept}]")
    assert edited != current["document"]
    saved = await client.put(
        "/api/admin/gateway/policy",
        json={"document": edited, "comment": "retrait", "base_version": current["version"]},
        headers=admin,
    )
    assert saved.status_code == 200, saved.text
