"""Drift: a change of what answers depend on queues an evaluation; a low score alerts once, not per run.

The suites themselves run as a program against a live Ariane (`evals.live`); here a scripted
evaluator (tests only) stands in for it, returning the scores each step of the story needs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import httpx
import pytest

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.embeddings import LocalEmbedder
from server.governance.alerting import ALERT_MAIL
from server.governance.drift import SuiteResult
from server.governance.work import EVALUATION, hash_of
from tools.tenant.identity.issuer import API_CLIENT_ID, GRAPH_AUDIENCE, GRAPH_SCOPES

pytestmark = pytest.mark.anyio
COACH = "assistant:coach-temps-de-travail"


class ScriptedEvaluator:
    """Returns the next scores it was given for the coach's suite (a test stand-in for `evals.live`)."""

    def __init__(self) -> None:
        self.next: list[float] = []
        self.calls = 0

    async def __call__(self) -> list[SuiteResult]:
        self.calls += 1
        value = self.next.pop(0)
        return [SuiteResult("working_time", "coach-temps-de-travail", "test", 12, {"fact_coverage": value})]


@pytest.fixture
async def ariane(settings: Any, tenant_app: Any) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ariane.test"
        ) as client:
            yield app, client


async def test_an_assistant_edit_queues_one_evaluation_a_new_point_and_a_low_score_alerts_once(
    ariane: tuple[Any, httpx.AsyncClient], token_for: Callable[[str], str]
) -> None:
    app, api = ariane
    drift = app.state.governance.drift
    evaluator = ScriptedEvaluator()
    drift.evaluator = evaluator
    admin = {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}
    author = {"Authorization": f"Bearer {token_for('sophie.girard@chru-exemple.fr')}"}

    first = await drift.pending_change()
    assert first is not None
    assert first[0] == "initial"
    evaluator.next = [0.9]
    await drift.evaluate(*first)
    nothing = await drift.pending_change()

    created = await api.post(
        "/api/assistants", json={"id": "aide-achats", "name": "Aide achats"}, headers=author
    )
    assert created.status_code == 201, created.text
    edited = await api.put(
        "/api/assistants/aide-achats",
        json={"name": "Aide achats", "instructions": "Réponds en citant le guide des achats."},
        headers=author,
    )
    assert edited.status_code == 200, edited.text
    change = await drift.pending_change()
    same_again = await drift.pending_change()
    evaluator.next = [0.5, 0.45]
    await drift.evaluate(*change)
    policy_like = await drift.pending_change()  # evaluated: nothing pending any more
    await drift.evaluate("scheduled", {})

    assert nothing is None
    assert change is not None
    assert same_again is not None
    assert change[0] == "assistant"
    assert change[1]["assistants"]["aide-achats"] == [None, 2]
    assert hash_of(same_again[1]["state"]) == hash_of(change[1]["state"])  # one work key for one state
    assert policy_like is None
    points = (await api.get(f"/api/governance/systems/{COACH}/evaluations", headers=admin)).json()
    assert [(p["reason"], p["scores"]["fact_coverage"], p["floors"]["fact_coverage"]) for p in points] == [
        ("initial", 0.9, 0.7),
        ("assistant", 0.5, 0.7),
        ("scheduled", 0.45, 0.7),
    ]
    assert points[1]["change"]["assistants"]["aide-achats"] == [None, 2]
    alerts = (await api.get("/api/governance/alerts?open=true", headers=admin)).json()
    assert [(a["system_id"], a["kind"], a["value"]) for a in alerts] == [(COACH, "below_floor", 0.5)]
    sheet = (await api.get(f"/api/governance/systems/{COACH}", headers=admin)).json()
    assert "score_alert" in sheet["flags"]
    assert [s["value"] for s in sheet["scores"]] == [0.45]
    assert sum(entry["kind"] == "alert" for entry in sheet["history"]) == 1

    evaluator.next = [0.85]
    await drift.evaluate("scheduled", {})
    recovered = (await api.get("/api/governance/alerts?open=true", headers=admin)).json()
    assert recovered == []


async def test_a_failed_evaluation_is_recorded_and_only_ai_administrators_queue_one(
    ariane: tuple[Any, httpx.AsyncClient], token_for: Callable[[str], str]
) -> None:
    from server.governance.drift import EvaluationError

    app, api = ariane

    async def broken() -> list[SuiteResult]:
        raise EvaluationError("Ariane injoignable")

    app.state.governance.drift.evaluator = broken
    await app.state.governance.drift.evaluate("scheduled", {})
    async with app.state.context.pool.connection() as conn:
        failed = await (
            await conn.execute("SELECT status, error FROM governance_eval_runs WHERE status = 'failed'")
        ).fetchall()
    staff = {"Authorization": f"Bearer {token_for('claire.dubois@chru-exemple.fr')}"}
    admin = {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}

    shown = (await api.get("/api/governance/systems", headers=admin)).json()["last_evaluation"]
    refused = await api.post("/api/governance/evaluations", headers=staff)
    queued = await api.post("/api/governance/evaluations", headers=admin)

    assert refused.status_code == 403
    assert queued.status_code == 202, queued.text
    async with app.state.context.pool.connection() as conn:
        row = await (
            await conn.execute("SELECT kind FROM work_items WHERE id = %s", (queued.json()["work_item"],))
        ).fetchone()
    assert row is not None
    assert row["kind"] == EVALUATION
    assert [(r["status"], r["error"]) for r in failed] == [("failed", "Ariane injoignable")]
    assert (shown["status"], shown["reason"], shown["error"]) == ("failed", "scheduled", "Ariane injoignable")


async def _mail_done(app: Any) -> dict[str, Any]:
    """The alert mail's work item once the app's worker has finished it (bounded wait)."""
    with anyio.fail_after(30):
        while True:
            async with app.state.context.pool.connection() as conn:
                row = await (
                    await conn.execute(
                        "SELECT state, result, error FROM work_items WHERE kind = %s", (ALERT_MAIL,)
                    )
                ).fetchone()
            if row is not None and row["state"] in {"succeeded", "failed"}:
                return dict(row)
            await anyio.sleep(0.05)


async def test_a_score_alert_is_mailed_once_to_the_owner_and_ai_administrators_and_shown_in_activite(
    ariane: tuple[Any, httpx.AsyncClient], token_for: Callable[[str], str], tenant_app: Any
) -> None:
    app, api = ariane
    drift = app.state.governance.drift
    evaluator = ScriptedEvaluator()
    drift.evaluator = evaluator
    people = {name: {"Authorization": f"Bearer {token_for(f'{name}@chru-exemple.fr')}"} for name in
              ("nadia.benali", "thomas.roux", "claire.dubois")}  # fmt: skip
    for headers in people.values():  # signed in once: Ariane knows them
        assert (await api.get("/api/notifications", headers=headers)).status_code == 200

    evaluator.next = [0.9, 0.5, 0.4]
    await drift.evaluate("initial", {})
    await drift.evaluate("scheduled", {})
    mailed = await _mail_done(app)
    await drift.evaluate("scheduled", {})  # still low: no second alert, no second mail

    graph = tenant_app.state.identity.tokens.access_token(
        tenant_app.state.identity.directory.user_by_mail("nadia.benali@chru-exemple.fr"),
        audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES, client_id=API_CLIENT_ID,
    )  # fmt: skip
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=tenant_app), base_url="http://127.0.0.1:8001"
    ) as tenant:
        inbox = (
            await tenant.get(
                "/v1.0/me/messages",
                params={"$search": '"Alerte de dérive"'},
                headers={"Authorization": f"Bearer {graph}"},
            )
        ).json()["value"]
    mine = {
        name: (await api.get("/api/governance/alerts/mine", headers=h)).json() for name, h in people.items()
    }
    badge = (await api.get("/api/notifications", headers=people["nadia.benali"])).json()
    alerts = (await api.get("/api/governance/alerts", headers=people["thomas.roux"])).json()
    async with app.state.context.pool.connection() as conn:
        mails = await (
            await conn.execute("SELECT count(*) AS n FROM work_items WHERE kind = %s", (ALERT_MAIL,))
        ).fetchone()

    assert (mailed["state"], mailed["result"]) == ("succeeded", {"mailed": True, "recipients": 2})
    assert mails is not None
    assert mails["n"] == 1
    assert [(m["subject"], m["from"]["emailAddress"]["address"]) for m in inbox] == [
        ("[Ariane] Alerte de dérive : Coach Temps de Travail", "ariane@chru-exemple.fr")
    ]
    assert "fact_coverage" in inbox[0]["bodyPreview"]
    assert [(a["system_id"], a["system_name"], a["value"], a["mailed"]) for a in mine["nadia.benali"]] == [
        (COACH, "Coach Temps de Travail", 0.5, True)
    ]
    assert [a["id"] for a in mine["thomas.roux"]] == [a["id"] for a in mine["nadia.benali"]]
    assert mine["claire.dubois"] == []
    assert (badge["alerts"], [i["kind"] for i in badge["items"]]) == (1, ["alert"])
    assert [a["id"] for a in alerts] == [a["id"] for a in mine["nadia.benali"]]


async def _inbox(tenant_app: Any, mail: str, search: str) -> list[dict[str, Any]]:
    """Messages of `mail`'s mailbox matching `search`, read through the local tenant's Graph."""
    token = tenant_app.state.identity.tokens.access_token(
        tenant_app.state.identity.directory.user_by_mail(mail),
        audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES, client_id=API_CLIENT_ID,
    )  # fmt: skip
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=tenant_app), base_url="http://127.0.0.1:8001"
    ) as tenant:
        response = await tenant.get(
            "/v1.0/me/messages",
            params={"$search": f'"{search}"'},
            headers={"Authorization": f"Bearer {token}"},
        )
    messages: list[dict[str, Any]] = response.json()["value"]
    return messages


async def test_an_owner_who_never_signed_in_is_mailed_at_the_sheet_address_and_finds_the_alert_later(
    ariane: tuple[Any, httpx.AsyncClient], token_for: Callable[[str], str], tenant_app: Any
) -> None:
    app, api = ariane
    drift = app.state.governance.drift
    evaluator = ScriptedEvaluator()
    drift.evaluator = evaluator
    admin = {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}
    assert (await api.get("/api/notifications", headers=admin)).status_code == 200  # only he signed in

    evaluator.next = [0.4]
    await drift.evaluate("initial", {})
    mailed = await _mail_done(app)
    inbox = await _inbox(tenant_app, "nadia.benali@chru-exemple.fr", "Alerte de dérive")
    owner = {"Authorization": f"Bearer {token_for('nadia.benali@chru-exemple.fr')}"}  # signs in afterwards
    mine = (await api.get("/api/governance/alerts/mine", headers=owner)).json()

    assert (mailed["state"], mailed["result"]) == ("succeeded", {"mailed": True, "recipients": 2})
    assert [m["subject"] for m in inbox] == ["[Ariane] Alerte de dérive : Coach Temps de Travail"]
    assert [(a["system_id"], a["value"]) for a in mine] == [(COACH, 0.4)]


Change = Callable[[httpx.AsyncClient, dict[str, str]], Any]


async def _watched_change(
    settings: Any, tenant_app: Any, token_for: Callable[[str], str], change: Change, **app_options: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any, ScriptedEvaluator]:
    """The coach's chart before and after `change`, seen by the worker's periodic watch (not called)."""
    watched = settings.governance.model_copy(update={"evaluations": True, "change_check_seconds": 0.5})
    app = create_app(
        settings.model_copy(update={"governance": watched}),
        identity_transport=httpx.ASGITransport(app=tenant_app),
        **app_options,
    )
    admin = {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}
    evaluations = f"/api/governance/systems/{COACH}/evaluations"
    async with app.router.lifespan_context(app):
        evaluator = ScriptedEvaluator()
        evaluator.next = [0.9, 0.88]
        app.state.governance.drift.evaluator = evaluator  # before the watch's first look
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ariane.test", timeout=120
        ) as api:

            async def points(count: int) -> list[dict[str, Any]]:
                with anyio.fail_after(60):
                    while True:
                        found: list[dict[str, Any]] = (await api.get(evaluations, headers=admin)).json()
                        if len(found) >= count and all(p["status"] == "done" for p in found):
                            return found
                        await anyio.sleep(0.1)

            first = await points(1)  # the watch's first look: nothing evaluated yet
            outcome = await change(api, admin)
            after = await points(2)
    return first, after, outcome, evaluator


async def test_a_policy_change_is_seen_by_the_workers_watch_and_makes_a_new_point_on_the_chart(
    settings: Any, tenant_app: Any, token_for: Callable[[str], str]
) -> None:
    async def save_policy(api: httpx.AsyncClient, admin: dict[str, str]) -> tuple[int, httpx.Response]:
        policy = (await api.get("/api/admin/gateway/policy", headers=admin)).json()
        body = {"document": policy["document"], "comment": "Revue", "base_version": policy["version"]}
        return policy["version"], await api.put("/api/admin/gateway/policy", json=body, headers=admin)

    first, after, (before, saved), evaluator = await _watched_change(
        settings, tenant_app, token_for, save_policy
    )

    assert saved.status_code == 200, saved.text
    chart = [(p["reason"], p["scores"]["fact_coverage"]) for p in after]
    assert [(p["reason"], p["scores"]["fact_coverage"]) for p in first] == [("initial", 0.9)]
    assert chart == [("initial", 0.9), ("policy", 0.88)]
    assert after[1]["change"]["policy"] == [before, saved.json()["version"]]
    assert evaluator.calls == 2


async def test_a_document_added_to_a_knowledge_collection_makes_a_new_point_on_the_chart(
    settings: Any, tenant_app: Any, token_for: Callable[[str], str], knowledge_embedder: LocalEmbedder
) -> None:
    async def add_document(api: httpx.AsyncClient, admin: dict[str, str]) -> httpx.Response:
        developer = {"Authorization": f"Bearer {token_for('sophie.girard@chru-exemple.fr')}"}
        note = "Note de service : les heures de nuit sont majorées de 25 % à compter du 1er janvier.".encode()
        return await api.post(
            "/api/knowledge/coach-temps-de-travail/documents",
            files={"file": ("majoration-nuit.txt", note)},
            headers=developer,
        )

    _, after, added, evaluator = await _watched_change(
        settings, tenant_app, token_for, add_document, gateway=GatewayOptions(embedder=knowledge_embedder)
    )

    assert added.status_code == 201, added.text
    assert [(p["reason"], p["scores"]["fact_coverage"]) for p in after] == [
        ("initial", 0.9),
        ("knowledge", 0.88),
    ]
    assert after[1]["change"] == {"knowledge": ["coach-temps-de-travail"]}
    assert evaluator.calls == 2


async def test_an_evaluations_failure_and_its_alert_are_told_in_the_readers_language(
    ariane: tuple[Any, httpx.AsyncClient], token_for: Callable[[str], str]
) -> None:
    from server.governance.drift import EvaluationError
    from server.messages import MESSAGES

    app, api = ariane
    drift = app.state.governance.drift
    admin = {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}
    english = admin | {"Accept-Language": "en"}

    async def too_long() -> list[SuiteResult]:
        raise EvaluationError(MESSAGES("governance.eval.timeout", seconds="600"))

    drift.evaluator = too_long
    await drift.evaluate("scheduled", {})
    failed_fr = (await api.get("/api/governance/systems", headers=admin)).json()["last_evaluation"]
    failed_en = (await api.get("/api/governance/systems", headers=english)).json()["last_evaluation"]
    evaluator = ScriptedEvaluator()
    evaluator.next = [0.5]
    drift.evaluator = evaluator
    await drift.evaluate("scheduled", {})
    alert_fr = (await api.get(f"/api/governance/systems/{COACH}", headers=admin)).json()["history"]
    alert_en = (await api.get(f"/api/governance/systems/{COACH}", headers=english)).json()["history"]

    assert (failed_fr["error"], failed_en["error"]) == (
        "évaluation interrompue après 600 s",
        "evaluation stopped after 600 s",
    )
    assert [e["summary"] for e in alert_fr if e["kind"] == "alert"] == [
        "Alerte : fact_coverage (working_time/test) à 0.50, sous le seuil 0.70"
    ]
    assert [e["summary"] for e in alert_en if e["kind"] == "alert"] == [
        "Alert: fact_coverage (working_time/test) at 0.50, below the floor 0.70"
    ]
    assert all("summary_text" not in e["detail"] for e in alert_en)
