"""A chat's robot exchange in the audit trail: the resumed run (who approved, inputs, job), its replay."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

pytestmark = pytest.mark.anyio
ASK = "Lance le robot de refacturation des actes de laboratoire pour octobre"


async def _until(ariane, url: str, headers: dict[str, str], done: Any, seconds: float = 120) -> Any:  # type: ignore[no-untyped-def]
    with anyio.fail_after(seconds):
        while True:
            response = await ariane.get(url, headers=headers)
            if response.status_code == 200 and done(response.json()):
                return response.json()
            await anyio.sleep(0.2)


async def test_the_resumed_run_of_a_robot_exchange_is_audited_and_replays_identically(ask, ariane, headers):
    request_run = await ask("marc.lefevre", ASK)
    (paused,) = [e["data"] for e in request_run["events"] if e["event"] == "approval_required"]
    sylvie, anne = headers("sylvie.garnier"), headers("anne.lambert")
    decided = await ariane.post(f"/api/approvals/{paused['id']}/approve", json={}, headers=sylvie)
    assert decided.status_code == 200, decided.text
    approval = await _until(
        ariane, f"/api/approvals/{paused['id']}", sylvie, lambda a: a["resumed_run_id"] and a["job_id"]
    )
    resumed = approval["resumed_run_id"]

    # The resumed run is in the trail once it ended (its job ended), for the auditor and the requester.
    shown = await _until(
        ariane, f"/api/audit/runs/{resumed}", anne, lambda r: r["summary"]["status"] == "done"
    )
    mine = await ariane.get(f"/api/audit/runs/{resumed}", headers=headers("marc.lefevre"))
    others = await ariane.get(f"/api/audit/runs/{resumed}", headers=headers("claire.dubois"))
    assert (mine.status_code, others.status_code) == (200, 404)
    assert (shown["summary"]["workflow"], shown["summary"]["user_email"]) == (
        "robot_launch",
        "marc.lefevre@chru-exemple.fr",
    )
    start = shown["launch"]
    assert start["approval"]["approver"]["email"] == "sylvie.garnier@chru-exemple.fr"
    assert start["approval"]["request_run_id"] == request_run["id"]
    assert (start["inputs"], start["digest"]) == (approval["inputs"], approval["digest"])
    job = (await ariane.get(f"/api/jobs/{approval['job_id']}", headers=headers("marc.lefevre"))).json()
    assert (start["job"]["id"], start["job"]["status"]) == (job["id"], job["status"])
    thread_run = (await ariane.get(f"/api/runs/{resumed}", headers=headers("marc.lefevre"))).json()
    assert shown["outcome"]["answer"] == thread_run["answer"]

    listed = (await ariane.get("/api/audit/runs", params={"user": "marc.lefevre"}, headers=anne)).json()
    assert {request_run["id"], resumed} <= {run["run_id"] for run in listed}

    # Both runs of the exchange replay « identique »; nothing is asked of the robot again.
    jobs_before = (await ariane.get("/api/activity", headers=headers("marc.lefevre"))).json()["jobs"]
    for run_id in (request_run["id"], resumed):
        replay = await ariane.post(f"/api/audit/runs/{run_id}/replay", json={}, headers=anne)
        assert (replay.status_code, replay.json()["status"]) == (200, "identique"), replay.text
    replay = (await ariane.post(f"/api/audit/runs/{resumed}/replay", json={}, headers=anne)).json()
    assert replay["answer"]["replayed"] == thread_run["answer"]
    assert replay["workflow"] == "robot_launch"
    what_if = await ariane.post(
        f"/api/audit/runs/{resumed}/replay", json={"model": "mistral-small"}, headers=anne
    )
    assert (what_if.status_code, what_if.json()["error"]) == (409, "what_if_not_applicable")
    jobs_after = (await ariane.get("/api/activity", headers=headers("marc.lefevre"))).json()["jobs"]
    assert [j["id"] for j in jobs_after] == [j["id"] for j in jobs_before]
