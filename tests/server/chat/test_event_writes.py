"""A run's events are written unflushed, and only they: the connection is left as it was."""

import pytest

from server.chat import repository
from tests.sse import read_events
from tools.database import open_pool

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"


async def test_an_event_write_leaves_its_pooled_connection_flushing_commits_to_disk(
    chat_api, as_user, database_url
):
    headers = as_user(CLAIRE)
    thread_id = (await chat_api.post("/api/threads", json={}, headers=headers)).json()["id"]
    async with chat_api.stream(
        "POST", f"/api/threads/{thread_id}/runs", json={"message": "Bonjour"}, headers=headers
    ) as response:
        events = await read_events(response)
        run_id = response.headers["x-ariane-run-id"]
    pool = await open_pool(database_url, max_size=1)  # one connection: the write's, then ours
    try:
        await repository.append_event(pool, run_id, len(events) + 1, "token", {"text": "encore"})
        async with pool.connection() as conn:
            setting = await (await conn.execute("SHOW synchronous_commit")).fetchone()
        stored = await repository.events_after(pool, run_id, len(events))
    finally:
        await pool.close()

    assert setting == {"synchronous_commit": "on"}
    assert [(event.seq, event.type, event.data) for event in stored] == [
        (len(events) + 1, "token", {"text": "encore"})
    ]
