"""The robot request flow in process: chat → approval (LangGraph interrupt) → decision → one job → chat."""

from __future__ import annotations

import hashlib
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


async def _events_of(ariane: httpx.AsyncClient, run_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    with anyio.fail_after(90):
        async with ariane.stream("GET", f"/api/runs/{run_id}/events", headers=headers) as response:
            return await read_events(response)


async def test_a_robot_request_pauses_for_approval_then_runs_once_and_reports_in_the_thread(
    ariane, ask, headers, database_url
):
    events, run = await ask("marc.lefevre", REQUEST)

    kinds = [event["event"] for event in events]
    assert kinds[-2:] == ["approval_required", "done"]
    assert [e["data"]["tool"] for e in events if e["event"] == "tool_end"] == [
        "list_robots", "describe_robot", "trigger_robot",
    ]  # fmt: skip
    approval = events[-2]["data"]
    expected_digest = hashlib.sha256(b'refacturation-actes-labo\n{"periode":"2026-10"}').hexdigest()
    assert (approval["robot_id"], approval["inputs"], approval["digest"], approval["status"]) == (
        "refacturation-actes-labo", {"periode": "2026-10"}, expected_digest, "pending",
    )  # fmt: skip
    assert approval["requester"]["email"] == "marc.lefevre@chru-exemple.fr"
    assert approval["approver_names"] == ["Sylvie Garnier"]
    assert run["status"] == "done"
    assert "attend la validation" in run["answer"]

    inbox = (await ariane.get("/api/approvals", headers=headers("sylvie.garnier"))).json()
    assert [(a["id"], a["inputs"], a["may_decide"]) for a in inbox] == [
        (approval["id"], {"periode": "2026-10"}, True)
    ]

    url = f"/api/approvals/{approval['id']}/approve"
    own = await ariane.post(url, headers=headers("marc.lefevre"))
    other_service = await ariane.post(url, headers=headers("julien.perrin"))
    assert (own.status_code, own.json()["error"]) == (403, "self_approval")
    assert (other_service.status_code, other_service.json()["error"]) == (403, "not_an_approver")

    approved = await ariane.post(url, headers=headers("sylvie.garnier"))
    assert approved.status_code == 200
    decided = approved.json()
    assert (decided["status"], decided["approver"]["email"]) == ("approved", "sylvie.garnier@chru-exemple.fr")

    report = await _events_of(ariane, decided["resumed_run_id"], headers("marc.lefevre"))
    jobs = [e["data"] for e in report if e["event"] == "job"]
    assert [job["status"] for job in jobs] == ["queued", "running", "succeeded"]
    assert {job["job_id"] for job in jobs} == {decided["job_id"]}
    assert jobs[-1]["outputs"] == {
        "periode": "2026-10", "actes_refactures": 4, "sejours": 4, "montant_total_eur": "41.04",
    }  # fmt: skip
    text = "".join(e["data"]["text"] for e in report if e["event"] == "token")
    assert "validée par Sylvie Garnier" in text
    assert "lignes-facture.csv" in text
    # The audit shows, with the run that asked, the request and the decision (its own request's trace).
    audited = await ariane.get(f"/api/audit/runs/{run['id']}", headers=headers("anne.lambert"))
    assert audited.status_code == 200, audited.text
    decisions = [
        (span["name"], span["attributes"].get("ariane.approval.decision"))
        for span in audited.json()["approvals"]
    ]
    assert decisions == [("approval.request", None), ("approval.decide", "approved")]

    lines = await ariane.get(
        f"/api/jobs/{decided['job_id']}/artifacts/artefacts/lignes-facture.csv",
        headers=headers("marc.lefevre"),
    )
    assert lines.status_code == 200
    assert "LAB-2026-00013" in lines.text
    stranger = await ariane.get(f"/api/jobs/{decided['job_id']}", headers=headers("claire.dubois"))
    assert stranger.status_code == 404

    again = await ariane.post(url, headers=headers("sylvie.garnier"))
    assert (again.status_code, again.json()["job_id"]) == (200, decided["job_id"])
    reverse = await ariane.post(f"/api/approvals/{approval['id']}/reject", headers=headers("sylvie.garnier"))
    assert (reverse.status_code, reverse.json()["error"]) == (409, "already_decided")

    activity = (await ariane.get("/api/activity", headers=headers("marc.lefevre"))).json()
    assert [(r["id"], r["status"], r["job_id"]) for r in activity["requests"]] == [
        (approval["id"], "approved", decided["job_id"])
    ]
    assert [(j["id"], j["status"]) for j in activity["jobs"]] == [(decided["job_id"], "succeeded")]
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM jobs").fetchone() == (1,)


async def test_a_rejected_request_is_reported_to_the_requester_and_runs_nothing(
    ariane, ask, headers, database_url
):
    events, _ = await ask("marc.lefevre", REQUEST)
    approval = events[-2]["data"]

    rejected = await ariane.post(
        f"/api/approvals/{approval['id']}/reject", json={"reason": "période déjà traitée"},
        headers=headers("sylvie.garnier"),
    )  # fmt: skip

    assert rejected.json()["status"] == "rejected"
    report = await _events_of(ariane, rejected.json()["resumed_run_id"], headers("marc.lefevre"))
    text = "".join(e["data"]["text"] for e in report if e["event"] == "token")
    assert "refusée par Sylvie Garnier : période déjà traitée" in text
    assert [e for e in report if e["event"] == "job"] == []
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM jobs").fetchone() == (0,)


async def test_a_decision_after_expiry_is_refused_and_the_requester_is_told(
    ariane, ask, headers, database_url
):
    events, _ = await ask("marc.lefevre", REQUEST)
    approval = events[-2]["data"]
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE approvals SET expires_at = now() - interval '1 minute'")

    late = await ariane.post(f"/api/approvals/{approval['id']}/approve", headers=headers("sylvie.garnier"))

    assert (late.status_code, late.json()["error"]) == (409, "approval_expired")
    seen = (await ariane.get(f"/api/approvals/{approval['id']}", headers=headers("marc.lefevre"))).json()
    assert seen["status"] == "expired"
    report = await _events_of(ariane, seen["resumed_run_id"], headers("marc.lefevre"))
    text = "".join(e["data"]["text"] for e in report if e["event"] == "token")
    assert "a expiré sans décision" in text


async def test_inputs_failing_the_schema_are_refused_before_any_approval(ariane, ask, database_url):
    events, run = await ask("marc.lefevre", "Lance le robot de création des accès applicatifs")

    assert "approval_required" not in [event["event"] for event in events]
    assert [e["data"]["ok"] for e in events if e["event"] == "tool_end"][-1] is False
    assert "Entrées invalides" in run["answer"]
    assert "beneficiaire" in run["answer"]
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM approvals").fetchone() == (0,)


async def test_a_robot_the_catalogue_does_not_have_gets_a_clear_answer(ask):
    _, run = await ask("marc.lefevre", "Lance le robot de ménage des couloirs")

    assert run["answer"].startswith("Je n'ai pas reconnu le robot demandé.")
    assert "refacturation-actes-labo" in run["answer"]


async def test_a_robot_redefined_since_the_request_cannot_be_approved(ariane, ask, headers):
    events, _ = await ask("marc.lefevre", REQUEST)
    approval = events[-2]["data"]
    robot = (
        await ariane.get("/api/robots/refacturation-actes-labo", headers=headers("sophie.girard"))
    ).json()
    robot["runner_settings"]["timeout_seconds"] = 30
    saved = await ariane.put(
        "/api/robots/refacturation-actes-labo", json=robot, headers=headers("sophie.girard")
    )
    assert saved.status_code == 202
    change = saved.json()["id"]
    for approver in ("sylvie.garnier", "paul.henry"):  # the owner service, then the security officer
        decided = await ariane.post(f"/api/robot-changes/{change}/approve", headers=headers(approver))
        assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "active"

    late = await ariane.post(f"/api/approvals/{approval['id']}/approve", headers=headers("sylvie.garnier"))
    rejected = await ariane.post(f"/api/approvals/{approval['id']}/reject", headers=headers("sylvie.garnier"))

    assert (late.status_code, late.json()["error"]) == (409, "robot_changed")
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
