"""Health checks of registered servers: a dead server is marked failing (its output never quoted)."""

import pytest

from server.registry.health import check_all
from tests.server.registry.conftest import ADMIN, BADGE_TOOL

pytestmark = pytest.mark.anyio


async def test_the_periodic_check_marks_a_dead_server_failing_and_a_changed_one_suspended(
    registry, fake_server
):
    await registry.register(name="badges", **fake_server.declaration())
    await registry.approve("badges")
    service = registry.runtime.registry

    healthy = await check_all(service)
    fake_server.path.write_text('{"exit": "licence expirée"}', encoding="utf-8")
    dead = await check_all(service)
    shown = await registry.show("badges")
    english = await registry.client.get(
        "/api/tools/badges", headers=registry.headers(ADMIN) | {"Accept-Language": "en"}
    )
    fake_server.write([BADGE_TOOL | {"description": "Autre chose."}])
    changed = await check_all(service)

    assert (healthy, dead, changed) == ({"badges": "ok"}, {"badges": "failing"}, {"badges": "ok"})
    assert shown["health"] == "failing"
    assert shown["health_detail"].startswith("Le serveur MCP (commande autorisée legacy-badges)")
    assert "licence" not in shown["health_detail"]
    assert english.json()["health_detail"].startswith("The MCP server (allowed command legacy-badges)")
    assert (await registry.show("badges"))["tools"][0]["status"] == "suspended"
