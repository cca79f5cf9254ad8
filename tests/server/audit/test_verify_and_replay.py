"""Verification against tampering, exact replay, divergence, missing content, what-if, failing closed."""

from __future__ import annotations

from typing import Any

import pytest

import agents.meetings.graph as meeting_graph
from agents.meetings.graph import MeetingState
from agents.toolbox import ToolOutcome

pytestmark = pytest.mark.anyio


async def _verify(ariane, headers, run_id: str | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    path = f"/api/audit/runs/{run_id}/verify" if run_id else "/api/audit/verify"
    return (await ariane.get(path, headers=headers("anne.lambert"))).json()


def _problems(report: dict[str, Any]) -> set[str]:
    return {problem["kind"] for problem in report["problems"]}


async def test_an_untouched_store_verifies(ask, ariane, headers):
    run = await ask("claire.dubois")

    assert (await _verify(ariane, headers))["ok"]
    assert (await _verify(ariane, headers, run["id"]))["ok"]


async def test_an_edit_bypassing_the_triggers_is_detected(ask, ariane, headers, store):
    run = await ask("claire.dubois")

    store.execute("SET session_replication_role = replica")  # what a superuser can do: triggers off
    store.execute(
        "UPDATE audit_records SET body = replace(body, 'assemblee generale dtnib', 'comite de direction') "
        "WHERE kind = 'tool_call' AND run_id = %s",
        (run["id"],),
    )

    assert _problems(await _verify(ariane, headers)) == {"edited"}
    assert _problems(await _verify(ariane, headers, run["id"])) == {"edited"}


async def test_a_deletion_is_detected(ask, ariane, headers, store):
    run = await ask("claire.dubois")

    store.execute("ALTER TABLE audit_records DISABLE TRIGGER USER")
    store.execute(
        "DELETE FROM audit_records WHERE seq = "
        "(SELECT min(seq) FROM audit_records WHERE kind = 'model_call' AND run_id = %s)",
        (run["id"],),
    )

    assert "deleted" in _problems(await _verify(ariane, headers))
    assert "deleted" in _problems(await _verify(ariane, headers, run["id"]))


async def test_an_insertion_is_detected(ask, ariane, headers, store):
    run = await ask("claire.dubois")

    row = store.execute(
        "SELECT trace_id, max(trace_seq), max(seq) FROM audit_records WHERE run_id = %s GROUP BY trace_id",
        (run["id"],),
    ).fetchone()
    head = store.execute("SELECT max(seq) FROM audit_records").fetchone()[0]
    store.execute(
        "INSERT INTO audit_records (seq, kind, trace_id, trace_seq, recorded_ns, run_id, name, body, "
        "digest, chain, trace_chain) "
        "VALUES (%s, 'tool_call', %s, %s, 0, %s, NULL, '{\"step\": 9}', %s, %s, %s)",
        (head + 1, row[0], row[1] + 1, run["id"], b"\\x00" * 32, b"\\x00" * 32, b"\\x00" * 32),
    )

    assert {"edited", "relinked"} <= _problems(await _verify(ariane, headers))
    assert {"edited", "relinked"} <= _problems(await _verify(ariane, headers, run["id"]))


async def test_a_rewritten_store_is_caught_by_the_signed_anchor(ask, ariane, headers, app, store):
    from server.audit.chain import Record, link
    from server.audit.verify import record_of

    await ask("claire.dubois")
    await app.state.audit.writer.anchor()

    # A superuser rewrites the last record and recomputes its digest and links: the chains agree again.
    store.execute("SET session_replication_role = replica")
    last = store.execute(
        "SELECT seq, kind, trace_id, trace_seq, recorded_ns, run_id, name, body FROM audit_records "
        "ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    columns = ["seq", "kind", "trace_id", "trace_seq", "recorded_ns", "run_id", "name", "body"]
    forged: Record = record_of(
        dict(zip(columns, last, strict=True)) | {"body": last[7].replace("}", ',"forged":1}', 1)}
    )
    previous = store.execute("SELECT chain FROM audit_records WHERE seq = %s", (last[0] - 1,)).fetchone()[0]
    previous_trace = store.execute(
        "SELECT trace_chain FROM audit_records WHERE trace_id = %s AND trace_seq = %s", (last[2], last[3] - 1)
    ).fetchone()
    digest = forged.digest()
    store.execute(
        "UPDATE audit_records SET body = %s, digest = %s, chain = %s, trace_chain = %s WHERE seq = %s",
        (
            forged.body,
            digest,
            link(bytes(previous), digest),
            link(bytes(previous_trace[0]) if previous_trace else bytes(32), digest),
            last[0],
        ),
    )

    assert _problems(await _verify(ariane, headers)) == {"anchor_mismatch"}


async def test_the_reference_run_replays_identically(ask, ariane, headers):
    run = await ask("claire.dubois")

    replay = (
        await ariane.post(f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert"))
    ).json()
    assert (replay["status"], replay["mode"], replay["steps"], replay["code"]["same"]) == (
        "identique",
        "exact",
        4,  # find_meeting, one page of transcript (500 cues a page), the models list, the embeddings
        True,
    )
    assert replay["answer"]["replayed"] == run["answer"]


async def test_a_change_in_the_graph_code_is_a_divergence_at_the_step_it_changes(
    ask, ariane, headers, monkeypatch
):
    run = await ask("claire.dubois")

    async def read_transcript_in_small_pages(state: MeetingState, runtime: Any) -> MeetingState:
        result: ToolOutcome = await runtime.context.tools.whole_transcript(
            state["meeting"]["id"], page_size=50
        )
        return {
            "cues": result.data.get("cues", []),
            "speakers": result.data.get("speakers", []),
            "transcript_id": result.data.get("transcript_id", ""),
        }

    monkeypatch.setattr(meeting_graph, "read_transcript", read_transcript_in_small_pages)
    replay = (
        await ariane.post(f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert"))
    ).json()

    assert replay["status"] == "divergence"
    assert {k: replay["divergence"][k] for k in ("step", "kind", "path", "expected", "got")} == {
        "step": 2,
        "kind": "tool_call",
        "path": "arguments.limit",
        "expected": 500,
        "got": 50,
    }


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_a_generative_run_replays_identically_without_the_model(ask, ariane, headers, scripted_model):
    run = await ask("claire.dubois")
    asked = len(scripted_model.prompts)

    replay = (
        await ariane.post(f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert"))
    ).json()

    assert replay["status"] == "identique", replay
    assert len(scripted_model.prompts) == asked  # served from the record, the model was not called


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_what_if_replays_live_with_another_model_and_shows_both_answers(
    ask, ariane, headers, scripted_model
):
    run = await ask("claire.dubois")
    asked = len(scripted_model.prompts)

    what_if = (
        await ariane.post(
            f"/api/audit/runs/{run['id']}/replay",
            json={"model": "mistral-medium-eu"},
            headers=headers("claire.dubois"),
        )
    ).json()

    assert (what_if["mode"], what_if["model"]) == ("what_if", "mistral-medium-eu")
    assert what_if["answer"]["recorded"] == run["answer"]
    assert what_if["answer"]["replayed"]
    assert isinstance(what_if["diff"], list)
    assert len(scripted_model.prompts) == asked + 1  # the other model was asked, live
    refused = await ariane.post(
        f"/api/audit/runs/{run['id']}/replay", json={"model": "gpt-4o-mini"}, headers=headers("claire.dubois")
    )
    assert (refused.status_code, refused.json()["error"]) == (409, "model_not_allowed")


@pytest.mark.parametrize("capture", [False], indirect=True)
async def test_a_run_recorded_without_content_says_what_replay_misses(ask, ariane, headers, store, settle):
    run = await ask("claire.dubois")

    replay = await ariane.post(
        f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert")
    )

    assert (replay.status_code, replay.json()["error"]) == (409, "content_not_captured")
    assert "message de l'utilisateur" in replay.json()["detail"]
    assert "4 échange(s)" in replay.json()["detail"]
    await settle()
    bodies = [
        body for (body,) in store.execute("SELECT body FROM audit_records WHERE kind <> 'span'").fetchall()
    ]
    assert not any("Hélène" in body or "assemblee" in body for body in bodies)


async def test_when_the_audit_store_cannot_be_written_the_run_fails_closed(ask, store):
    store.execute("ALTER TABLE audit_records RENAME TO audit_records_moved")

    run = await ask("claire.dubois")

    assert (run["status"], run["error"]["code"]) == ("failed", "audit_unavailable")
    assert run["answer"] is None
    assert not [event for event in run["events"] if event["event"] == "token"]


async def test_a_run_made_by_another_code_version_is_reported_as_such(ask, app):
    from dataclasses import replace

    from server.audit import repository
    from server.audit.replay import RecordedRun

    run = await ask("claire.dubois")
    audit = app.state.audit
    start = await repository.run_start(audit.pool, run["id"])
    rows = await repository.trace_records(audit.pool, start["trace_id"])
    other = replace(
        audit.replayer, versions={"code": {"package": "0.0.9", "commit": "0" * 40, "agents": "0" * 16}}
    )

    report = await other.replay(RecordedRun.of(run["id"], start["trace_id"], rows))

    assert (report["status"], report["code"]["same"]) == ("identique", False)
    assert report["code"]["recorded"]["agents"] == audit.replayer.versions["code"]["agents"]


async def test_a_robot_request_run_replays_identically_without_running_a_robot(ask, ariane, headers):
    run = await ask("marc.lefevre", "Lance le robot de refacturation des actes de laboratoire pour octobre")

    replay = (
        await ariane.post(f"/api/audit/runs/{run['id']}/replay", json={}, headers=headers("anne.lambert"))
    ).json()

    assert run["answer"].startswith("J'ai préparé la demande de lancement du robot")
    assert (replay["status"], replay["mode"], replay["workflow"]) == ("identique", "exact", "robot_request")
    assert replay["answer"]["replayed"] == run["answer"]
