"""Every case of the meetings evaluation replays identically, extractive and with the scripted model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.server.audit.conftest import FIXED_NOW

pytestmark = pytest.mark.anyio

DATASET = yaml.safe_load(Path("evals/datasets/meetings.yaml").read_text(encoding="utf-8"))


def test_the_tests_clock_is_the_suites():
    assert DATASET["now"] == FIXED_NOW


@pytest.mark.parametrize("generative", [False, True], indirect=True, ids=["extractive", "scripted"])
async def test_every_meetings_eval_case_replays_identically(ask, ariane, headers, generative):
    runs = {case["id"]: await ask(case["user"], case["message"]) for case in DATASET["cases"]}

    outcomes = {}
    for case_id, run in runs.items():
        replay = (
            await ariane.post(f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert"))
        ).json()
        outcomes[case_id] = replay.get("status", replay)
    assert outcomes == dict.fromkeys(runs, "identique")
