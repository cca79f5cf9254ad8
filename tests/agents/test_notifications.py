"""The app bar's badges (`/api/notifications`): approvals to give, held calls to confirm, jobs finished."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import httpx
import psycopg
import pytest

from tests.sse import read_events

pytestmark = pytest.mark.anyio
PARIS = ZoneInfo("Europe/Paris")
REQUEST = "Lance le robot de refacturation des actes de laboratoire pour octobre"


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"fixed_now": datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)})


@pytest.fixture
def headers(token_for):  # type: ignore[no-untyped-def]
    return lambda user: {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}


async def _counts(ariane: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    body = (await ariane.get("/api/notifications", headers=headers)).json()
    return {
        "counts": (body["approvals"], body["confirmations"], body["jobs"]),
        "items": [(item["kind"], item["title"], item["status"], item["path"]) for item in body["items"]],
    }


async def test_the_approver_sees_the_request_waiting_and_the_requester_the_finished_job_until_seen(
    ariane, ask, headers
):
    assert (await _counts(ariane, headers("sylvie.garnier")))["counts"] == (0, 0, 0)
    events, run = await ask("marc.lefevre", REQUEST)
    approval = events[-2]["data"]

    assert await _counts(ariane, headers("sylvie.garnier")) == {
        "counts": (1, 0, 0),
        "items": [("approval", approval["robot_name"], "pending", "/activite")],
    }
    assert (await _counts(ariane, headers("marc.lefevre")))["counts"] == (0, 0, 0)
    assert (await _counts(ariane, headers("julien.perrin")))["counts"] == (0, 0, 0)  # not its approver

    decided = (
        await ariane.post(f"/api/approvals/{approval['id']}/approve", headers=headers("sylvie.garnier"))
    ).json()
    with anyio.fail_after(90):
        async with ariane.stream(
            "GET", f"/api/runs/{decided['resumed_run_id']}/events", headers=headers("marc.lefevre")
        ) as response:
            await read_events(response)

    assert (await _counts(ariane, headers("sylvie.garnier")))["counts"] == (0, 0, 0)
    assert await _counts(ariane, headers("marc.lefevre")) == {
        "counts": (0, 0, 1),
        "items": [("job", approval["robot_name"], "succeeded", f"/chat/{run['thread_id']}")],
    }
    seen = await ariane.post("/api/notifications/jobs/seen", headers=headers("marc.lefevre"))
    assert seen.status_code == 204
    assert await _counts(ariane, headers("marc.lefevre")) == {"counts": (0, 0, 0), "items": []}


async def test_a_held_tool_call_counts_until_decided_or_too_old_to_confirm(
    ariane, ask, headers, database_url
):
    _, run = await ask("claire.dubois", "Bonjour")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO tool_confirmations (run_id, thread_id, user_id, server, tool, arguments, digest) "
            "SELECT id, thread_id, user_id, 'time', 'set_clock', '{}', 'd' FROM runs WHERE id = %s",
            (run["id"],),
        )

    assert await _counts(ariane, headers("claire.dubois")) == {
        "counts": (0, 1, 0),
        "items": [("confirmation", "time/set_clock", "pending", f"/chat/{run['thread_id']}")],
    }
    assert (await _counts(ariane, headers("karim.haddad")))["counts"] == (0, 0, 0)

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE tool_confirmations SET created_at = now() - interval '25 hours'")
    assert (await _counts(ariane, headers("claire.dubois")))["counts"] == (0, 0, 0)
