"""The audit trail of a run: one trace per run with GenAI attributes, records, access rules, exports."""

from __future__ import annotations

import psycopg
import pytest

from tests.server.audit.conftest import REFERENCE

pytestmark = pytest.mark.anyio


async def test_a_run_is_one_trace_whose_spans_carry_the_genai_and_ariane_attributes(ask, spans):
    run = await ask("claire.dubois")

    in_run = [s for s in spans.get_finished_spans() if (s.attributes or {}).get("ariane.run.id") == run["id"]]
    assert len({s.context.trace_id for s in in_run}) == 1
    agent = next(s for s in in_run if s.name == "invoke_agent ariane")
    assert agent.parent is None
    assert {k: agent.attributes[k] for k in agent.attributes if k.startswith(("gen_ai", "ariane"))} == {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": "ariane",
        "gen_ai.agent.id": "ariane@1",
        "gen_ai.conversation.id": run["thread_id"],
        "ariane.run.id": run["id"],
        "ariane.thread.id": run["thread_id"],
        "ariane.user.id": agent.attributes["ariane.user.id"],
        "ariane.assistant.id": "ariane",
        "ariane.assistant.version": 1,
    }
    names = [s.name for s in in_run]
    assert {"graph meeting_summary", "node find_meeting", "node read_transcript", "node summarise"} <= set(
        names
    )
    client = [s for s in in_run if s.name == "execute_tool find_meeting"]
    server = [s for s in in_run if s.name == "tools/call find_meeting"]
    assert client  # the tool call, on both sides of MCP, in the run's trace
    assert server  # the tool call, on both sides of MCP, in the run's trace
    assert (
        client[0].attributes["gen_ai.tool.name"] == server[0].attributes["gen_ai.tool.name"] == "find_meeting"
    )
    assert server[0].attributes["gen_ai.operation.name"] == "execute_tool"
    assert server[0].parent is not None
    assert server[0].parent.span_id == client[0].context.span_id  # carried through MCP's `_meta`
    # What an auditor never reads is not made: the MCP SDK's client, handshake and listing spans, the local
    # tenant's (it stands in for Microsoft 365), and sessions to servers the workflow does not call.
    assert not [n for n in names if n.startswith("MCP send") or n.endswith(("server/discover", "tools/list"))]
    assert not [n for n in names if n.startswith(("GET /v1.0", "POST /v1.0"))]
    assert {s.attributes.get("ariane.tool.server") for s in in_run if s.name.startswith("execute_tool")} == {
        "calendar",
        "meetings",
    }
    embeddings = [s for s in in_run if s.name == "embeddings all-minilm-l6-v2"]
    assert len(embeddings) == 2  # the agent's client span and the gateway's, with its policy decision
    assert {s.attributes.get("ariane.policy.decision") for s in embeddings} == {None, "allowed"}


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_a_generative_run_traces_chat_calls_on_both_sides_with_the_policy_decision(ask, spans):
    run = await ask("claire.dubois")

    assert run["mode"] == "generative", run
    chats = [s for s in spans.get_finished_spans() if s.name == "chat mistral-small-hds"]
    assert len(chats) == 2
    assert {s.context.trace_id for s in chats} == {chats[0].context.trace_id}
    gateway = next(s for s in chats if "ariane.policy.decision" in s.attributes)
    assert gateway.attributes["ariane.policy.decision"] == "allowed"
    assert gateway.attributes["gen_ai.request.model"] == "mistral-small-hds"
    assert gateway.attributes["ariane.run.id"] == run["id"]


async def test_the_store_refuses_updates_deletes_and_truncation(ask, store):
    await ask("claire.dubois")

    for statement in (
        "UPDATE audit_records SET body = '{}' WHERE seq = 1",
        "DELETE FROM audit_records WHERE seq = 1",
        "TRUNCATE audit_records",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            store.execute(statement)


async def test_an_auditor_sees_every_run_and_each_access_is_recorded(ask, ariane, headers, store, settle):
    mine = await ask("claire.dubois")
    asked = "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
    other = await ask("julien.perrin", asked)

    listed = (await ariane.get("/api/audit/runs", headers=headers("anne.lambert"))).json()
    assert [item["run_id"] for item in listed] == [other["id"], mine["id"]]
    assert [item["question"] for item in listed] == [asked, REFERENCE]  # the list says what was asked
    detail = await ariane.get(f"/api/audit/runs/{mine['id']}", headers=headers("anne.lambert"))
    assert detail.status_code == 200
    await settle()
    accesses = store.execute(
        "SELECT name, body FROM audit_records WHERE kind = 'access' ORDER BY seq"
    ).fetchall()
    assert [name for name, _ in accesses] == ["list_runs", "show_run"]
    assert '"email":"anne.lambert@chru-exemple.fr"' in accesses[1][1]


async def test_others_see_only_their_own_runs_and_an_unknown_run_is_404(ask, ariane, headers):
    mine = await ask("claire.dubois")

    own = (await ariane.get("/api/audit/runs", headers=headers("claire.dubois"))).json()
    assert [item["run_id"] for item in own] == [mine["id"]]
    assert (await ariane.get("/api/audit/runs", headers=headers("julien.perrin"))).json() == []
    hidden = await ariane.get(f"/api/audit/runs/{mine['id']}", headers=headers("julien.perrin"))
    assert (hidden.status_code, hidden.json()["error"]) == (404, "run_not_found")
    unknown = await ariane.get(
        "/api/audit/runs/00000000-0000-0000-0000-000000000000", headers=headers("anne.lambert")
    )
    assert (unknown.status_code, unknown.json()["error"]) == (404, "run_not_found")
    garbage = await ariane.post("/api/audit/runs/pas-un-id/replay", json={}, headers=headers("anne.lambert"))
    assert (garbage.status_code, garbage.json()["error"]) == (404, "run_not_found")
    store_check = await ariane.get("/api/audit/verify", headers=headers("claire.dubois"))
    assert (store_check.status_code, store_check.json()["error"]) == (403, "forbidden")


async def test_runs_are_filtered_by_user_tool_and_model(ask, ariane, headers):
    mine = await ask("claire.dubois")
    await ask(
        "julien.perrin", "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
    )

    def ids(response):  # type: ignore[no-untyped-def]
        return [item["run_id"] for item in response.json()]

    anne = headers("anne.lambert")
    assert ids(await ariane.get("/api/audit/runs", params={"user": "claire"}, headers=anne)) == [mine["id"]]
    assert (
        len(
            ids(await ariane.get("/api/audit/runs", params={"tool": "meetings.get_transcript"}, headers=anne))
        )
        == 2
    )
    assert ids(await ariane.get("/api/audit/runs", params={"model": "gpt-4o-mini"}, headers=anne)) == []
    assert ids(await ariane.get("/api/audit/runs", params={"refusals": True}, headers=anne)) == []


async def test_a_run_detail_shows_its_waterfall_steps_and_policy_decisions(ask, ariane, headers):
    run = await ask("claire.dubois")

    detail = (await ariane.get(f"/api/audit/runs/{run['id']}", headers=headers("anne.lambert"))).json()
    assert detail["summary"]["status"] == "done"
    assert detail["summary"]["workflow"] == "meeting_summary"
    assert [(s["kind"], s.get("tool") or s["request"]["path"]) for s in detail["steps"]] == [
        ("tool_call", "find_meeting"),
        ("tool_call", "get_transcript"),
        ("model_call", "/v1/models"),
        ("model_call", "/v1/embeddings"),
    ]
    assert detail["steps"][0]["arguments"] == {"subject": "assemblee generale dtnib"}
    assert [span["attributes"]["ariane.policy.decision"] for span in detail["policy"]] == ["allowed"]
    assert detail["spans"][0]["name"] == "invoke_agent ariane"
    assert detail["outcome"]["answer"] == run["answer"]


async def test_exports_give_an_evidence_bundle_and_otlp_json(ask, ariane, headers, app):
    run = await ask("claire.dubois")
    await app.state.audit.writer.anchor()

    bundle = (await ariane.get(f"/api/audit/runs/{run['id']}/export", headers=headers("anne.lambert"))).json()
    assert bundle["format"] == "ariane-audit-bundle/1"
    assert bundle["verification"]["ok"]
    assert {record["kind"] for record in bundle["records"]} >= {
        "run_start",
        "span",
        "tool_call",
        "outcome",
        "run_end",
    }
    assert "BEGIN PUBLIC KEY" in bundle["anchor_public_key"]
    assert len(bundle["anchors"]) == 1
    otlp = (
        await ariane.get(
            f"/api/audit/runs/{run['id']}/export", params={"format": "otlp"}, headers=headers("anne.lambert")
        )
    ).json()
    spans = [
        span
        for resource in otlp["resourceSpans"]
        for scope in resource["scopeSpans"]
        for span in scope["spans"]
    ]
    assert {span["traceId"] for span in spans} == {bundle["trace_id"]}
    assert any(span["name"] == "invoke_agent ariane" and span["parentSpanId"] == "" for span in spans)


async def test_a_caller_cannot_keep_a_request_out_of_the_trail_by_marking_its_trace_unsampled(
    ariane, headers, store, settle
):
    trace_id = "4f" * 16
    unsampled = {"traceparent": f"00-{trace_id}-{'a1' * 8}-00"}  # W3C flags 00: "do not record"

    embedded = await ariane.post(
        "/v1/embeddings",
        json={"model": "all-minilm-l6-v2", "input": "Bonjour"},
        headers=headers("claire.dubois") | unsampled,
    )
    await settle()

    assert embedded.status_code == 200
    names = {
        name
        for (name,) in store.execute(
            "SELECT name FROM audit_records WHERE kind = 'span' AND trace_id <> %s", (trace_id,)
        )
    }
    # Recorded all the same, in a trace of its own: an outside trace context is not honoured at all.
    assert {"POST /v1/embeddings", "embeddings all-minilm-l6-v2"} <= names
