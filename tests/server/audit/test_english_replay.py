"""A run told in English replays « identique »: its language is recorded with it, not the auditor's."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from tests.sse import read_events

pytestmark = pytest.mark.anyio
ASK = "Lance le robot de refacturation des actes de laboratoire pour octobre"


async def _until(ariane, url: str, headers: dict[str, str], done: Any, seconds: float = 120) -> Any:  # type: ignore[no-untyped-def]
    with anyio.fail_after(seconds):
        while True:
            response = await ariane.get(url, headers=headers)
            if response.status_code == 200 and done(response.json()):
                return response.json()
            await anyio.sleep(0.2)


async def test_an_english_robot_exchange_replays_identically_for_a_french_auditor(ariane, headers, settle):
    marc = {**headers("marc.lefevre"), "Accept-Language": "en"}
    thread = (await ariane.post("/api/threads", json={}, headers=marc)).json()["id"]
    async with ariane.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": ASK}, headers=marc
    ) as response:
        events = await read_events(response)
        request_run = response.headers["x-ariane-run-id"]
    (paused,) = [e["data"] for e in events if e["event"] == "approval_required"]
    sylvie, anne = headers("sylvie.garnier"), headers("anne.lambert")
    assert (
        await ariane.post(f"/api/approvals/{paused['id']}/approve", json={}, headers=sylvie)
    ).status_code == 200
    approval = await _until(
        ariane, f"/api/approvals/{paused['id']}", sylvie, lambda a: a["resumed_run_id"] and a["job_id"]
    )
    resumed = approval["resumed_run_id"]
    await _until(ariane, f"/api/audit/runs/{resumed}", anne, lambda r: r["summary"]["status"] == "done")
    await settle()

    for run_id, opening in (
        (request_run, "I prepared the request"),
        (resumed, "Your request to launch robot"),
    ):
        shown = (await ariane.get(f"/api/runs/{run_id}", headers=marc)).json()["answer"]
        assert shown.startswith(opening)
        replay = await ariane.post(f"/api/audit/runs/{run_id}/replay", json={}, headers=anne)
        assert (replay.status_code, replay.json()["status"]) == (200, "identique"), replay.text
        assert replay.json()["answer"]["replayed"] == shown
