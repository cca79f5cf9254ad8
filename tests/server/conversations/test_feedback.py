import pytest

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"
KARIM = "karim.haddad@chru-exemple.fr"
SOPHIE = "sophie.girard@chru-exemple.fr"  # tool_developer: may edit every assistant


async def test_feedback_is_stored_per_run_replaced_and_withdrawn(chat_api, as_user, converse):
    headers = as_user(CLAIRE)
    thread, (first, second) = await converse(
        headers, ("Bonjour", "Voici [1]."), ("Et ensuite ?", "Puis [1].")
    )

    down = await chat_api.put(
        f"/api/runs/{first}/feedback",
        json={"rating": "down", "comment": "  Il manque un point.  "},
        headers=headers,
    )
    up = await chat_api.put(f"/api/runs/{second}/feedback", json={"rating": "up"}, headers=headers)
    changed = await chat_api.put(f"/api/runs/{second}/feedback", json={"rating": "down"}, headers=headers)

    assert (down.status_code, up.status_code, changed.status_code) == (200, 200, 200)
    listed = (await chat_api.get(f"/api/threads/{thread}/feedback", headers=headers)).json()
    assert [(f["run_id"], f["rating"], f["comment"]) for f in listed] == [
        (first, "down", "Il manque un point."),
        (second, "down", ""),
    ]
    withdrawn = await chat_api.delete(f"/api/runs/{first}/feedback", headers=headers)
    assert withdrawn.status_code == 204
    listed = (await chat_api.get(f"/api/threads/{thread}/feedback", headers=headers)).json()
    assert [f["run_id"] for f in listed] == [second]


async def test_feedback_on_someone_elses_run_is_not_found_and_bad_ratings_are_refused(
    chat_api, as_user, converse
):
    _, (run,) = await converse(as_user(CLAIRE), ("Bonjour", "Voici [1]."))

    other = await chat_api.put(f"/api/runs/{run}/feedback", json={"rating": "up"}, headers=as_user(KARIM))
    bad = await chat_api.put(f"/api/runs/{run}/feedback", json={"rating": "bof"}, headers=as_user(CLAIRE))
    long = await chat_api.put(
        f"/api/runs/{run}/feedback", json={"rating": "up", "comment": "x" * 2001}, headers=as_user(CLAIRE)
    )

    assert (other.status_code, other.json()["error"]) == (404, "run_not_found")
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_request")
    assert (long.status_code, long.json()["error"]) == (400, "invalid_request")


async def test_the_assistants_editors_see_its_feedback_with_the_exchange_but_not_who_gave_it(
    chat_api, as_user, converse
):
    _, (run,) = await converse(as_user(CLAIRE), ("Combien d'heures ?", "Trente-cinq [1]."))
    await chat_api.put(
        f"/api/runs/{run}/feedback", json={"rating": "down", "comment": "Faux"}, headers=as_user(CLAIRE)
    )

    seen = await chat_api.get("/api/assistants/ariane/feedback", headers=as_user(SOPHIE))
    refused = await chat_api.get("/api/assistants/ariane/feedback", headers=as_user(KARIM))

    assert seen.status_code == 200
    (item,) = seen.json()
    assert {k: item[k] for k in ("run_id", "rating", "comment", "assistant_id", "request", "answer")} == {
        "run_id": run,
        "rating": "down",
        "comment": "Faux",
        "assistant_id": "ariane",
        "request": "Combien d'heures ?",
        "answer": "Trente-cinq [1].",
    }
    assert "user_id" not in item
    assert "email" not in str(item)
    assert (refused.status_code, refused.json()["error"]) == (404, "assistant_not_found")


async def test_feedback_goes_with_its_conversation(chat_api, as_user, converse):
    headers = as_user(CLAIRE)
    thread, (run,) = await converse(headers, ("Bonjour", "Voici [1]."))
    await chat_api.put(f"/api/runs/{run}/feedback", json={"rating": "up"}, headers=headers)

    await chat_api.delete(f"/api/threads/{thread}", headers=headers)

    assert (await chat_api.get("/api/assistants/ariane/feedback", headers=as_user(SOPHIE))).json() == []


async def test_a_reopened_thread_gets_the_tool_events_of_its_finished_runs_only_for_its_owner(
    chat_api, as_user, converse
):
    thread, (run,) = await converse(as_user(CLAIRE), ("Bonjour", "Voici [1]."))

    mine = await chat_api.get(f"/api/threads/{thread}/tool-events", headers=as_user(CLAIRE))
    other = await chat_api.get(f"/api/threads/{thread}/tool-events", headers=as_user(KARIM))

    assert [(e["run_id"], e["seq"], e["type"], e["data"]) for e in mine.json()] == [
        (run, 2, "tool_start", {"tool": "find_meeting", "label": "Recherche dans votre agenda…"}),
        (run, 3, "tool_end", {"tool": "find_meeting", "ok": True}),
    ]
    assert (other.status_code, other.json()["error"]) == (404, "thread_not_found")
