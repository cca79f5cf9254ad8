"""A tool that does not answer fails the run: it never ends `done` as if its error were the answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agents.conftest import Ask

pytestmark = pytest.mark.anyio


class GraphDownFake:
    """The local tenant with its Microsoft Graph answering 503 (identity still works)."""

    def __init__(self, tenant: Any) -> None:
        self.tenant = tenant
        self.state = tenant.state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1.0/"):
            body = b'{"error": {"code": "serviceNotAvailable", "message": "down"}}'
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.tenant(scope, receive, send)


@pytest.fixture
def tenant_app(tenant_app: Any) -> GraphDownFake:
    return GraphDownFake(tenant_app)


async def test_a_meeting_summary_whose_calendar_is_unreachable_fails_with_the_tool_s_reason(ask: Ask) -> None:
    events, run = await ask("claire.dubois", "Résume l'assemblée générale DTNIB")

    assert run["status"] == "failed"
    assert run["error"]["code"] == "tool_failed"
    assert "Microsoft 365" in run["error"]["detail"]
    assert [event["event"] for event in events][-2:] == ["error", "done"]
    assert events[-1]["data"]["status"] == "failed"
    assert not [event for event in events if event["event"] == "token"]  # no answer was given
