"""The web app's copy of `/openapi.json` (its TypeScript types are generated from it) is the app's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.auth.roles import Role
from server.openapi_snapshot import openapi_document, render

SNAPSHOT = Path(__file__).resolve().parents[2] / "web" / "src" / "api" / "openapi.json"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def test_the_committed_openapi_snapshot_is_what_the_app_documents(document: dict[str, Any]) -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == render(document), (
        "web/src/api/openapi.json is stale: run `npm run api:types` in web/ (snapshot, then schema.d.ts)"
    )


def test_the_roles_are_documented_as_an_enum_the_web_app_reads(document: dict[str, Any]) -> None:
    assert document["components"]["schemas"]["Role"]["enum"] == [role.value for role in Role]
