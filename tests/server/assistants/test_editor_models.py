"""The assistant editor offers only models that can answer: allowed by policy and configured."""

from __future__ import annotations

import httpx
import pytest

from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.server.assistants.conftest import Headers

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Only the HDS provider has an address (no request is sent to it by these tests)."""
    upstream = UpstreamSettings(base_url="http://hds-vllm.invalid/v1")
    return settings.model_copy(update={"gateway_upstreams": {"hds_vllm": upstream}})


async def test_the_editor_offers_only_configured_models(api: httpx.AsyncClient, as_user: Headers) -> None:
    options = (await api.get("/api/assistants/options", headers=as_user("sophie.girard"))).json()
    # Policy allows her mistral-small-hds, mistral-medium-eu and gpt-4o-azure-fr: only the first
    # one's provider is configured.
    assert [m["id"] for m in options["models"]] == ["mistral-small-hds"]
