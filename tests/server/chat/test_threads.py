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
