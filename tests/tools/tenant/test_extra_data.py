"""An extra data folder, in the built-in format, adds events, transcripts and documents at start."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from mcp import Client

from tests.tools.conftest import local_settings
from tools.documents.server import build_server as build_documents
from tools.m365 import GraphAccess
from tools.mcp_common import USER_TOKEN_META, CallerSource
from tools.meetings.server import build_server as build_meetings
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

pytestmark = pytest.mark.anyio
EXTRA = Path(__file__).resolve().parents[1] / "fixtures" / "extra_tenant"


@pytest.fixture
async def extra(tmp_path: Path) -> AsyncIterator[tuple[GraphAccess, Callable[[str], str]]]:
    app = create_tenant_app(
        TenantSettings(data_dir=tmp_path / "tenant", extra_data_dir=EXTRA, _env_file=None)
    )  # type: ignore[call-arg]
    provider = app.state.identity

    def token(user: str) -> str:
        found = provider.directory.user_by_mail(f"{user}@chru-exemple.fr")
        return str(
            provider.tokens.access_token(
                found, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
        )

    graph = GraphAccess(local_settings(), transport=httpx.ASGITransport(app=app))
    yield graph, token
    await graph.aclose()


async def test_extra_meetings_and_documents_are_served_with_their_access(
    extra: tuple[GraphAccess, Callable[[str], str]],
) -> None:
    graph, token = extra
    async with Client(build_meetings(graph, CallerSource())) as meetings:
        transcript = await meetings.call_tool(
            "get_transcript", {"meeting": "evt-extra-essai"}, meta={USER_TOKEN_META: token("ines.moreau")}
        )
    async with Client(build_documents(graph, CallerSource())) as documents:
        found = await documents.call_tool(
            "search_documents", {"query": "zephyrine"}, meta={USER_TOKEN_META: token("ines.moreau")}
        )
        hidden = await documents.call_tool(
            "search_documents", {"query": "zephyrine"}, meta={USER_TOKEN_META: token("marc.lefevre")}
        )
    assert transcript.structured_content["cues"][0]["speaker"] == "Inès Moreau"  # type: ignore[index]
    assert [h["id"] for h in found.structured_content["hits"]] == ["b!site-extra:doc-extra"]  # type: ignore[index]
    assert hidden.structured_content["hits"] == []  # type: ignore[index]
