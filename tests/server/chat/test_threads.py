import psycopg
import pytest

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"
KARIM = "karim.haddad@chru-exemple.fr"


async def test_a_user_creates_renames_lists_and_deletes_their_threads(chat_api, as_user):
    created = await chat_api.post("/api/threads", json={"title": "AG DTNIB"}, headers=as_user(CLAIRE))
    thread_id = created.json()["id"]

    renamed = await chat_api.patch(
        f"/api/threads/{thread_id}", json={"title": "Résumé AG"}, headers=as_user(CLAIRE)
    )
    listed = await chat_api.get("/api/threads", headers=as_user(CLAIRE))
    deleted = await chat_api.delete(f"/api/threads/{thread_id}", headers=as_user(CLAIRE))
    after = await chat_api.get("/api/threads", headers=as_user(CLAIRE))

    assert created.status_code == 201
    assert renamed.json()["title"] == "Résumé AG"
    assert [thread["title"] for thread in listed.json()] == ["Résumé AG"]
    assert deleted.status_code == 204
    assert after.json() == []


async def test_deleting_a_thread_deletes_its_checkpointed_messages_and_no_one_elses(
    chat_api, as_user, database_url
):
    threads = [
        (await chat_api.post("/api/threads", json={}, headers=as_user(CLAIRE))).json()["id"] for _ in "ab"
    ]
    keys = [threads[0], f"{threads[0]}:robot:r-1", threads[1], f"{threads[1]}:robot:r-2"]
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        for key in keys:  # what LangGraph's checkpointer writes for a turn (agents/runner.py's keys)
            await conn.execute(
                "INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, checkpoint, metadata) "
                "VALUES (%s, '', '1', '{}', '{}')",
                (key,),
            )
            await conn.execute(
                "INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob) "
                "VALUES (%s, '', 'messages', '1', 'json', 'Bonjour')",
                (key,),
            )
            await conn.execute(
                "INSERT INTO checkpoint_writes "
                "(thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, blob) "
                "VALUES (%s, '', '1', 't', 0, 'messages', 'Bonjour')",
                (key,),
            )

        refused = await chat_api.delete(f"/api/threads/{threads[0]}", headers=as_user(KARIM))
        deleted = await chat_api.delete(f"/api/threads/{threads[0]}", headers=as_user(CLAIRE))

        left = {
            table: sorted(
                row[0] for row in await (await conn.execute(f"SELECT thread_id FROM {table}")).fetchall()
            )
            for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes")
        }
    assert (refused.status_code, deleted.status_code) == (404, 204)
    assert left == dict.fromkeys(left, sorted(keys[2:]))


async def test_another_users_thread_is_invisible(chat_api, as_user):
    thread_id = (await chat_api.post("/api/threads", json={}, headers=as_user(CLAIRE))).json()["id"]

    responses = [
        await chat_api.get(f"/api/threads/{thread_id}", headers=as_user(KARIM)),
        await chat_api.patch(f"/api/threads/{thread_id}", json={"title": "x"}, headers=as_user(KARIM)),
        await chat_api.delete(f"/api/threads/{thread_id}", headers=as_user(KARIM)),
        await chat_api.post(
            f"/api/threads/{thread_id}/runs", json={"message": "Bonjour"}, headers=as_user(KARIM)
        ),
    ]

    assert [(r.status_code, r.json()["error"]) for r in responses] == [(404, "thread_not_found")] * 4
    assert (await chat_api.get("/api/threads", headers=as_user(KARIM))).json() == []
    assert len((await chat_api.get("/api/threads", headers=as_user(CLAIRE))).json()) == 1


async def test_malformed_thread_ids_are_404_not_500(chat_api, as_user):
    response = await chat_api.get("/api/threads/not-a-uuid", headers=as_user(CLAIRE))

    assert (response.status_code, response.json()["error"]) == (404, "thread_not_found")


async def test_threads_need_a_signed_in_user(chat_api):
    response = await chat_api.get("/api/threads")

    assert response.status_code == 401
