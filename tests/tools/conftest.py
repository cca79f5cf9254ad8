"""Fixtures of the tools suites: Graph access and MCP clients reaching the in-process tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tools.m365 import GraphAccess, M365Settings
from tools.mcp_common import LANGUAGE_META, NOW_META, USER_TOKEN_META

# The scenario's "today" (tools/tenant/data/README.md): Saturday 28 November 2026.
SCENARIO_NOW = "2026-11-28T10:00:00+01:00"
DOMAIN = "@chru-exemple.fr"

Meta = Callable[..., dict[str, Any]]


def local_settings() -> M365Settings:
    return M365Settings(tenant_url="http://127.0.0.1:8001", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def graph(tenant_app: FastAPI) -> AsyncIterator[GraphAccess]:
    """msgraph-sdk access to the tenant app in process (token exchange included)."""
    access = GraphAccess(local_settings(), transport=httpx.ASGITransport(app=tenant_app))
    yield access
    await access.aclose()


@pytest.fixture
def meta_for(token_for: Callable[[str], str]) -> Meta:
    """The `_meta` of an MCP request made by a user (short name), at the scenario's date by default.

    `language` is the run's (`LANGUAGE_META`); without it the request says none, as older clients do.
    """

    def meta(user: str, now: str = SCENARIO_NOW, language: str | None = None) -> dict[str, Any]:
        found = {USER_TOKEN_META: token_for(user + DOMAIN), NOW_META: now}
        return found | {LANGUAGE_META: language} if language else found

    return meta
