"""The audit trail of a run: spans, records, verification and exact replay."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_reference_request_is_recorded_verified_and_replays_identically(ask, ariane, headers):
    run = await ask("claire.dubois")
    assert run["status"] == "done", run

    listed = (await ariane.get("/api/audit/runs", headers=headers("anne.lambert"))).json()
    assert [item["run_id"] for item in listed] == [run["id"]]
    verified = (await ariane.get("/api/audit/verify", headers=headers("anne.lambert"))).json()
    assert verified["ok"], verified
    replay = (await ariane.post(f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert"))).json()
    assert replay["status"] == "identique", replay
