import httpx
import pytest

from server.app import create_app
from tests.fakes.scripted_turns import ScriptedTurnRunner
from tests.live_server import serve_on_loopback
from tests.sse import read_events


@pytest.fixture
def runner() -> ScriptedTurnRunner:
    return ScriptedTurnRunner()


@pytest.fixture
async def chat_api(settings, tenant_app, runner):
    """The chat API served on loopback (streaming needs a real server), agents replaced by a script."""
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app), turn_runner=runner)
    async with serve_on_loopback(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=20) as client:
        yield client


@pytest.fixture
def as_user(token_for):
    def headers(email: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(email)}"}

    return headers


@pytest.fixture
def converse(chat_api, runner):
    """Send (message, scripted answer) pairs in a new thread; returns (thread id, run ids)."""

    async def send(headers, *exchanges: tuple[str, str], assistant_id: str | None = None):
        body = {"assistant_id": assistant_id} if assistant_id else {}
        thread = (await chat_api.post("/api/threads", json=body, headers=headers)).json()["id"]
        runs = []
        for message, answer in exchanges:
            runner.answer = answer
            async with chat_api.stream(
                "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
            ) as response:
                await read_events(response)
                runs.append(response.headers["x-ariane-run-id"])
        return thread, runs

    return send
