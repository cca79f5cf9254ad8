"""A replay report's sentences follow the auditor's language; its status values never change."""

from __future__ import annotations

from typing import Any

import pytest

import agents.meetings.graph as meeting_graph
from agents.meetings.graph import MeetingState
from server.audit.replay import _short

pytestmark = pytest.mark.anyio


async def test_a_replay_that_stops_before_a_recorded_step_says_so_in_the_auditors_language(
    ask, ariane, headers, monkeypatch
):
    run = await ask("claire.dubois")

    async def read_no_transcript(state: MeetingState, runtime: Any) -> MeetingState:
        return {"cues": [], "speakers": [], "transcript_id": ""}  # the new code never asks for it

    monkeypatch.setattr(meeting_graph, "read_transcript", read_no_transcript)
    url = f"/api/audit/runs/{run['id']}/replay"
    french = (await ariane.post(url, json={}, headers=headers("anne.lambert"))).json()
    english = (
        await ariane.post(url, json={}, headers={**headers("anne.lambert"), "Accept-Language": "en"})
    ).json()

    assert (french["status"], english["status"]) == ("divergence", "divergence")
    assert french["divergence"]["got"] == "aucune (la nouvelle exécution s'arrête avant)"
    assert english["divergence"]["got"] == "none (the new execution stops before)"
    assert {k: v for k, v in english["divergence"].items() if k != "got"} == {
        k: v for k, v in french["divergence"].items() if k != "got"
    }


def test_a_long_value_is_cut_with_its_length_told_in_the_readers_language() -> None:
    value = "x" * 2500

    assert _short(value) == "x" * 2000 + "… (2500 caractères)"
    assert _short(value, "en") == "x" * 2000 + "… (2500 characters)"
    assert _short("court", "en") == "court"
