import httpx
import pytest

from server.app import create_app
from tests.fakes.scripted_turns import ScriptedTurnRunner
from tests.live_server import serve_on_loopback


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
