import asyncio

import anyio
import pytest

from agents.turn import AgentError
from server.chat import repository as chat_repository
from server.chat.hub import INTERRUPTED
from server.messages import MESSAGES
from tests.sse import parse_sse, read_events
from tools.database import open_pool

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"


async def _thread(chat_api, headers) -> str:
    return (await chat_api.post("/api/threads", json={}, headers=headers)).json()["id"]


async def test_a_run_streams_typed_events_and_stores_the_answer(chat_api, as_user, runner):
    headers = as_user(CLAIRE)
    thread_id = await _thread(chat_api, headers)

    async with chat_api.stream(
        "POST", f"/api/threads/{thread_id}/runs", json={"message": "Bonjour"}, headers=headers
    ) as response:
        events = await read_events(response)
        run_id = response.headers["x-ariane-run-id"]

    assert response.headers["content-type"].startswith("text/event-stream")
    assert [event["event"] for event in events] == [
        "started",
        "tool_start",
        "tool_end",
        "token",
        "token",
        "token",
        "token",
        "citation",
        "done",
    ]
    assert [event["id"] for event in events] == list(range(1, 10))
    assert events[0]["data"] == {"run_id": run_id}
    assert "".join(e["data"]["text"] for e in events if e["event"] == "token") == "Voici la réponse [1]. "
    assert events[-1]["data"]["status"] == "done"
    run = (await chat_api.get(f"/api/runs/{run_id}", headers=headers)).json()
    assert (run["status"], run["answer"], run["mode"], run["citations"][0]["quote"]) == (
        "done",
        "Voici la réponse [1].",
        "extractive",
        "Bonjour",
    )
    assert runner.seen[0].caller.email == CLAIRE
    detail = (await chat_api.get(f"/api/threads/{thread_id}", headers=headers)).json()
    assert [r["request"] for r in detail["runs"]] == ["Bonjour"]
    assert detail["runs"][0]["citations"][0]["index"] == 1
    assert detail["title"] == "Bonjour"  # named after its first message


@pytest.mark.parametrize(("message", "code"), [("   ", "message_empty"), ("x" * 4001, "message_too_long")])
async def test_empty_and_overlong_messages_are_refused(chat_api, as_user, message, code):
    headers = as_user(CLAIRE)
    thread_id = await _thread(chat_api, headers)

    response = await chat_api.post(
        f"/api/threads/{thread_id}/runs", json={"message": message}, headers=headers
    )

    assert (response.status_code, response.json()["error"]) == (400, code)
    assert (await chat_api.get(f"/api/threads/{thread_id}", headers=headers)).json()["runs"] == []


async def _start_and_leave(chat_api, headers, runner) -> tuple[str, str]:
    """Start a run held by the runner's gate and disconnect at once; returns (thread id, run id)."""
    runner.gate = asyncio.Event()
    thread_id = await _thread(chat_api, headers)
    async with chat_api.stream(
        "POST", f"/api/threads/{thread_id}/runs", json={"message": "Bonjour"}, headers=headers
    ) as response:
        return thread_id, response.headers["x-ariane-run-id"]


async def test_a_client_can_disconnect_and_reattach_without_losing_events(chat_api, as_user, runner):
    headers = as_user(CLAIRE)
    thread_id, run_id = await _start_and_leave(chat_api, headers, runner)
    # The first client is gone; the run goes on.
    busy = await chat_api.post(f"/api/threads/{thread_id}/runs", json={"message": "Encore"}, headers=headers)
    runner.gate.set()

    with anyio.fail_after(10):
        reattached = await chat_api.get(f"/api/runs/{run_id}/events", params={"after": 2}, headers=headers)

    events = parse_sse(reattached.text)
    assert (busy.status_code, busy.json()["error"]) == (409, "run_in_progress")
    assert [event["id"] for event in events] == list(range(3, len(events) + 3))  # nothing lost or repeated
    assert events[0]["event"] == "tool_end"
    assert events[-1]["event"] == "done"


async def test_the_stream_opens_with_started_before_the_run_says_anything(chat_api, as_user, runner):
    headers = as_user(CLAIRE)
    runner.before = asyncio.Event()  # the run's work is held before its first word
    thread_id = await _thread(chat_api, headers)
    async with chat_api.stream(
        "POST", f"/api/threads/{thread_id}/runs", json={"message": "Bonjour"}, headers=headers
    ) as response:
        chunks = response.aiter_text()
        with anyio.fail_after(10):
            first = await anext(chunks)
        run_id = response.headers["x-ariane-run-id"]
        # Stored with the run: a client reattaching from the start gets it too.
        url = f"/api/runs/{run_id}/events"
        async with chat_api.stream("GET", url, params={"after": 0}, headers=headers) as again:
            with anyio.fail_after(10):
                reattached = await anext(again.aiter_text())
        runner.before.set()
        rest = parse_sse("".join([chunk async for chunk in chunks]))

    assert parse_sse(first) == [{"id": 1, "event": "started", "data": {"run_id": run_id}}]
    assert [event["id"] for event in rest] == list(range(2, len(rest) + 2))
    assert rest[-1]["event"] == "done"
    assert parse_sse(reattached) == parse_sse(first)


async def test_a_run_can_be_stopped(chat_api, as_user, runner):
    headers = as_user(CLAIRE)
    _, run_id = await _start_and_leave(chat_api, headers, runner)

    stopped = await chat_api.post(f"/api/runs/{run_id}/stop", headers=headers)
    events = parse_sse((await chat_api.get(f"/api/runs/{run_id}/events", headers=headers)).text)

    assert stopped.json()["status"] == "stopped"
    assert [event["event"] for event in events][-2:] == ["error", "done"]
    assert events[-2]["data"]["code"] == "stopped"


async def test_an_agent_error_is_shown_and_the_run_marked_failed(chat_api, as_user, runner):
    runner.fail_with = AgentError("meeting_not_found", "Je ne trouve pas cette réunion dans votre agenda.")
    headers = as_user(CLAIRE)
    thread_id = await _thread(chat_api, headers)

    async with chat_api.stream(
        "POST", f"/api/threads/{thread_id}/runs", json={"message": "x"}, headers=headers
    ) as response:
        events = await read_events(response)

    assert events[-2] == {
        "id": events[-2]["id"],
        "event": "error",
        "data": {"code": "meeting_not_found", "detail": "Je ne trouve pas cette réunion dans votre agenda."},
    }
    assert events[-1]["data"]["status"] == "failed"


async def test_runs_of_another_user_are_invisible(chat_api, as_user):
    headers = as_user(CLAIRE)
    thread_id = await _thread(chat_api, headers)
    async with chat_api.stream(
        "POST", f"/api/threads/{thread_id}/runs", json={"message": "Bonjour"}, headers=headers
    ) as response:
        await read_events(response)
        run_id = response.headers["x-ariane-run-id"]

    other = as_user("karim.haddad@chru-exemple.fr")
    responses = [
        await chat_api.get(f"/api/runs/{run_id}", headers=other),
        await chat_api.get(f"/api/runs/{run_id}/events", headers=other),
        await chat_api.post(f"/api/runs/{run_id}/stop", headers=other),
    ]

    assert [(r.status_code, r.json()["error"]) for r in responses] == [(404, "run_not_found")] * 3


async def test_an_interrupted_run_is_told_in_the_readers_language(chat_api, as_user, database_url):
    # Written by whichever process found the run's host dead, which cannot know who will read it.
    headers = as_user(CLAIRE)
    thread_id = await _thread(chat_api, headers)
    pool = await open_pool(database_url, max_size=1)
    try:
        async with pool.connection() as conn:
            cursor = await conn.execute("SELECT user_id FROM threads WHERE id = %s", (thread_id,))
            user_id = str((await cursor.fetchone())["user_id"])
        run = await chat_repository.create_run(pool, thread_id, user_id, "Bonjour", None)
        assert run is not None
        assert await chat_repository.interrupt_run(pool, run.id, INTERRUPTED)
    finally:
        await pool.close()

    async def details(language: str | None) -> tuple[str, str, str]:
        asked = {**headers, "Accept-Language": language} if language else headers
        run_detail = (await chat_api.get(f"/api/runs/{run.id}", headers=asked)).json()["error"]["detail"]
        events = parse_sse((await chat_api.get(f"/api/runs/{run.id}/events", headers=asked)).text)
        thread = (await chat_api.get(f"/api/threads/{thread_id}", headers=asked)).json()
        event = next(e for e in events if e["event"] == "error")
        assert event["data"]["code"] == "interrupted"
        return run_detail, event["data"]["detail"], thread["runs"][0]["error"]["detail"]

    english, french = await details("en"), await details(None)

    assert set(english) == {MESSAGES.text("chat.interrupted", "en")}
    assert set(french) == {MESSAGES.text("chat.interrupted", "fr")}
    assert english != french
