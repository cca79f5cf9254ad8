"""A run that answered from an attached file is recorded with its passages and replays identically."""

from __future__ import annotations

import pytest

from tests.server.attachments.test_attachments_api import PROCEDURE
from tests.sse import read_events

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_an_answer_from_an_attached_file_replays_identically(ariane, headers, settle):
    nadia = headers("nadia.benali")
    thread = (await ariane.post("/api/threads", json={}, headers=nadia)).json()["id"]
    attached = await ariane.post(
        f"/api/threads/{thread}/attachments", files={"file": ("pret.txt", PROCEDURE.encode())}, headers=nadia
    )
    assert attached.status_code == 201, attached.text
    question = "Combien de temps dure le prêt d'un ordinateur portable en formation ?"
    async with ariane.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": question}, headers=nadia
    ) as response:
        await read_events(response)
        run_id = response.headers["x-ariane-run-id"]
    run = (await ariane.get(f"/api/runs/{run_id}", headers=nadia)).json()
    await settle()

    replay = (
        await ariane.post(f"/api/audit/runs/{run_id}/replay", json={}, headers=headers("anne.lambert"))
    ).json()

    assert (run["workflow"], run["mode"]) == ("attachment_question", "generative")
    assert replay["status"] == "identique", replay
    assert replay["answer"]["replayed"] == run["answer"]
