"""A process that dies between « approved » and « started »: the alert's job still starts, once."""

from __future__ import annotations

from typing import Any

import pytest

from server.messages import MESSAGES
from server.robots import repository as robots
from server.robots.queueing import enqueue_job
from tests.server.automations.conftest import Site, until
from tests.server.automations.test_mail_trigger import ALERT, ROBOT, TRIGGER

pytestmark = pytest.mark.anyio


async def test_an_approval_recorded_by_a_process_that_died_before_queueing_starts_its_job_once(site: Site):
    await site.sign_in("thomas.roux", "julien.perrin", "paul.henry")
    created = (await site.api.post("/api/automations", json=TRIGGER, headers=site.as_("thomas.roux"))).json()
    url = f"/api/automations/{created['id']}"
    approved = await site.api.post(f"{url}/approve", headers=site.as_("paul.henry"))
    assert approved.status_code == 200, approved.text
    await site.deliver("[Vigie Santé] Compte compromis", ALERT, "<VS-2026-1204@vigiesante-exemple.fr>")

    async def to_decide() -> list[dict[str, Any]]:
        activity = (await site.api.get("/api/activity", headers=site.as_("paul.henry"))).json()
        return [a for a in activity["to_decide"] if a["robot_id"] == ROBOT]

    try:
        (approval,) = await until(to_decide)
    except TimeoutError:  # it happened once in a full run (never alone): say where the alert stopped
        raise AssertionError(await _where_it_stands(site, url)) from None
    paul = (await site.api.get("/api/me", headers=site.as_("paul.henry"))).json()
    pool = site.app.state.context.pool
    # The decision and its job are committed, then the process dies: nothing queued the job.
    decided, job_id = await robots.decide(
        pool, approval["id"], "approved", paul["id"], None, "local", MESSAGES("robots.job.scheduled")
    )
    assert (decided, job_id is not None) == (True, True)

    # The robots' sweep of a live process queues it; queueing it again (another replica's sweep, the
    # dead process's retried step) changes nothing: the job's key is its id.
    async def ended() -> dict[str, Any] | None:
        job = await robots.get_job(pool, job_id)
        return job if job is not None and job["status"] in {"succeeded", "failed"} else None

    job = await until(ended, 120)
    await enqueue_job(pool, job_id)
    await site.app.state.context.robots.sweep()

    async def replied() -> dict[str, Any] | None:
        firings = (await site.api.get(f"{url}/firings", headers=site.as_("thomas.roux"))).json()
        return firings[0] if firings and firings[0]["reply_sent_at"] else None

    firing = await until(replied, 60)
    statuses = [t["status"] for t in await robots.transitions(pool, job_id)]
    incidents = site.tenant_app.state.systems.read("incidents")
    # The job's history starts queued (recorded with the decision), whatever claimed it first.
    assert (job["status"], statuses[:2], statuses.count("running"), firing["status"]) == (
        "succeeded",
        ["queued", "running"],
        1,
        "succeeded",
    ), statuses
    assert [incident["account"] for incident in incidents] == ["nadia.benali@chru-exemple.fr"]
    assert firing["approval_id"] == approval["id"]


async def _where_it_stands(site: Site, url: str) -> str:
    """The automation, its firings and the work items, as they are when the approval did not come."""
    automation = (await site.api.get(url, headers=site.as_("thomas.roux"))).json()
    firings = (await site.api.get(f"{url}/firings", headers=site.as_("thomas.roux"))).json()
    async with site.app.state.context.pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT kind, state, attempts, run_after, error, result FROM work_items ORDER BY created_at"
        )
        items = await cursor.fetchall()
    return f"no approval: automation {automation}\nfirings {firings}\nwork items {items}"
