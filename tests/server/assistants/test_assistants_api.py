"""`/api/assistants`: built-in assistants, versions, who may use and edit, bad input, policy drift."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from tests.server.assistants.conftest import Headers, definition, drop_model_from_staff

pytestmark = pytest.mark.anyio

COACH = "coach-temps-de-travail"


async def test_everyone_sees_the_two_built_in_assistants(api: httpx.AsyncClient, as_user: Headers) -> None:
    listed = (await api.get("/api/assistants", headers=as_user("nadia.benali"))).json()
    assert [a["id"] for a in listed] == ["ariane", COACH]
    coach = (await api.get(f"/api/assistants/{COACH}", headers=as_user("nadia.benali"))).json()
    del coach["created_at"], coach["updated_at"], coach["instructions"], coach["description"]
    assert coach == {
        "id": COACH,
        "version": 2,  # migration 0016: the contact its documents give
        "name": "Coach Temps de Travail",
        "data_class": "internal",
        "models": [],
        "tools": ["knowledge"],
        "workflows": ["knowledge_question"],
        "knowledge": COACH,
        "contact": "la cellule temps de travail de la DRH (poste 4 12 34)",
        "starter_prompts": [
            "Comment est compensé mon temps d'astreinte ?",
            "Combien de jours puis-je placer sur mon compte épargne-temps ?",
            "Le temps de formation compte-t-il comme du temps de travail ?",
        ],
        "audience": {"roles": [], "services": []},
        "builtin": True,
        "author": None,
        "can_edit": False,
        "issues": [],
    }
    ariane = (await api.get("/api/assistants/ariane", headers=as_user("sophie.girard"))).json()
    assert (ariane["tools"], ariane["workflows"], ariane["can_edit"]) == (
        ["calendar", "documents", "meetings", "robots"],
        ["meeting_summary", "document_question", "tool_agent", "robot_request"],
        True,
    )


async def test_each_save_is_a_new_version_and_earlier_ones_stay(
    api: httpx.AsyncClient, as_user: Headers
) -> None:
    sophie = as_user("sophie.girard")
    created = await api.post("/api/assistants", json=definition(models=["Mistral-Small"]), headers=sophie)
    assert created.status_code == 201, created.text
    first = created.json()
    assert (first["id"], first["version"], first["models"], first["author"]["email"]) == (
        "aide-facturation",
        1,
        ["mistral-small-hds"],  # the alias is stored as the catalogue id
        "sophie.girard@chru-exemple.fr",
    )
    changed = definition(instructions="Réponds en une phrase.", tools=["documents", "knowledge"])
    second = (await api.put("/api/assistants/aide-facturation", json=changed, headers=sophie)).json()
    assert (second["version"], second["instructions"], second["knowledge"]) == (
        2,
        "Réponds en une phrase.",
        "aide-facturation",
    )
    versions = (await api.get("/api/assistants/aide-facturation/versions", headers=sophie)).json()
    assert [(v["version"], v["instructions"], v["created_by"]["email"]) for v in versions] == [
        (2, "Réponds en une phrase.", "sophie.girard@chru-exemple.fr"),
        (1, "Réponds en deux phrases.", "sophie.girard@chru-exemple.fr"),
    ]
    same_name = await api.post("/api/assistants", json=definition(), headers=sophie)
    assert same_name.json()["id"] == "aide-facturation-2"


async def test_a_version_cannot_be_changed_in_the_database(database_url: str, api: httpx.AsyncClient) -> None:
    with psycopg.connect(database_url) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("UPDATE assistant_versions SET instructions = 'x' WHERE assistant_id = 'ariane'")


async def test_an_assistant_for_one_service_is_404_for_the_others(
    api: httpx.AsyncClient, as_user: Headers
) -> None:
    body = definition(name="Paie DRH", audience={"roles": [], "services": ["DRH"]})
    created = await api.post("/api/assistants", json=body, headers=as_user("sophie.girard"))
    assert created.status_code == 201
    for name, status in [
        ("nadia.benali", 200),  # DRH
        ("karim.haddad", 200),  # DRH
        ("sophie.girard", 200),  # its author
        ("thomas.roux", 200),  # AI administrator
        ("claire.dubois", 404),  # DTNIB
        ("marc.lefevre", 404),  # finances
    ]:
        response = await api.get("/api/assistants/paie-drh", headers=as_user(name))
        assert response.status_code == status, name
        listed = [a["id"] for a in (await api.get("/api/assistants", headers=as_user(name))).json()]
        assert ("paie-drh" in listed) == (status == 200), name
    hidden = await api.get("/api/assistants/paie-drh/versions", headers=as_user("claire.dubois"))
    assert (hidden.status_code, hidden.json()["error"]) == (404, "assistant_not_found")
    assert hidden.json()["detail"] == "L'assistant « paie-drh » n'existe pas ou ne vous est pas ouvert."
    english = await api.get(
        "/api/assistants/paie-drh/versions", headers=as_user("claire.dubois") | {"Accept-Language": "en"}
    )
    assert english.json()["detail"] == "Assistant « paie-drh » does not exist or is not open to you."
    thread = await api.post(
        "/api/threads", json={"assistant_id": "paie-drh"}, headers=as_user("marc.lefevre")
    )
    assert (thread.status_code, thread.json()["error"]) == (404, "assistant_not_found")
    allowed = await api.post(
        "/api/threads", json={"assistant_id": "paie-drh"}, headers=as_user("nadia.benali")
    )
    assert allowed.json()["assistant_id"] == "paie-drh"


async def test_only_the_author_and_developers_edit_an_assistant(
    api: httpx.AsyncClient, as_user: Headers
) -> None:
    created = await api.post("/api/assistants", json=definition(), headers=as_user("nadia.benali"))
    assert created.status_code == 201  # staff build their own assistants
    path = f"/api/assistants/{created.json()['id']}"
    karim = await api.put(path, json=definition(name="Autre"), headers=as_user("karim.haddad"))
    assert (karim.status_code, karim.json()["error"]) == (403, "forbidden")
    assert (await api.get(path, headers=as_user("karim.haddad"))).json()["can_edit"] is False
    for editor in ("nadia.benali", "sophie.girard", "thomas.roux"):
        response = await api.put(path, json=definition(name=f"Par {editor}"), headers=as_user(editor))
        assert response.status_code == 200, editor
    assert (await api.get(path, headers=as_user("nadia.benali"))).json()["version"] == 4
    auditor = await api.post("/api/assistants", json=definition(), headers=as_user("anne.lambert"))
    assert auditor.status_code == 403
    coach = await api.put(f"/api/assistants/{COACH}", json=definition(), headers=as_user("nadia.benali"))
    assert coach.status_code == 403


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": "   "}, "name_required"),
        ({"data_class": "secret"}, "unknown_data_class"),
        ({"models": ["gpt-5-imaginaire"]}, "unknown_model"),
        ({"models": ["all-minilm-l6-v2"]}, "unknown_model"),  # an embedding model
        ({"tools": ["messagerie"]}, "unknown_tool"),
        ({"workflows": ["improvise"]}, "unknown_workflow"),
        ({"audience": {"roles": ["chef"], "services": []}}, "unknown_role"),
        ({"id": "Pas Un Identifiant"}, "invalid_assistant_id"),
        ({"id": "options"}, "invalid_assistant_id"),  # a path of the API
        ({"starter_prompts": [f"Question {i}" for i in range(7)]}, "too_many_starter_prompts"),
        ({"name": "x" * 81}, "field_too_long"),
    ],
)
async def test_bad_definitions_are_refused_and_nothing_is_stored(
    api: httpx.AsyncClient, as_user: Headers, fields: dict[str, object], code: str
) -> None:
    sophie = as_user("sophie.girard")
    created = await api.post("/api/assistants", json=definition(**fields), headers=sophie)
    assert (created.status_code, created.json()["error"]) == (400, code)
    assert created.json()["detail"]  # a French explanation
    assert [a["id"] for a in (await api.get("/api/assistants", headers=sophie)).json()] == ["ariane", COACH]
    updated = await api.put("/api/assistants/ariane", json=definition(**fields), headers=sophie)
    expected = "assistant_id_mismatch" if "id" in fields else code
    assert (updated.status_code, updated.json()["error"]) == (400, expected)
    versions = (await api.get("/api/assistants/ariane/versions", headers=sophie)).json()
    assert [v["version"] for v in versions] == [1]


async def test_a_taken_id_is_a_conflict(api: httpx.AsyncClient, as_user: Headers) -> None:
    response = await api.post("/api/assistants", json=definition(id=COACH), headers=as_user("sophie.girard"))
    assert (response.status_code, response.json()["error"]) == (409, "assistant_exists")


async def test_a_deleted_assistant_is_gone_for_use_and_built_in_ones_stay(
    api: httpx.AsyncClient, as_user: Headers
) -> None:
    sophie = as_user("sophie.girard")
    assistant = (await api.post("/api/assistants", json=definition(), headers=sophie)).json()["id"]
    assert (
        await api.delete(f"/api/assistants/{assistant}", headers=as_user("karim.haddad"))
    ).status_code == 403
    assert (await api.delete(f"/api/assistants/{assistant}", headers=sophie)).status_code == 204
    assert (await api.get(f"/api/assistants/{assistant}", headers=sophie)).status_code == 404
    again = await api.post("/api/assistants", json=definition(id=assistant), headers=sophie)
    assert again.status_code == 409  # ids are never reused: runs refer to them
    builtin = await api.delete(f"/api/assistants/{COACH}", headers=as_user("thomas.roux"))
    assert (builtin.status_code, builtin.json()["error"]) == (409, "assistant_builtin")


async def test_a_model_policy_no_longer_allows_is_flagged(api: httpx.AsyncClient, as_user: Headers) -> None:
    sophie = as_user("sophie.girard")
    body = definition(models=["gpt-4o-azure-fr", "mistral-small-hds"])
    assistant = (await api.post("/api/assistants", json=body, headers=sophie)).json()
    assert assistant["issues"] == []
    await drop_model_from_staff(api, as_user("thomas.roux"), "gpt-4o-azure-fr")
    flagged = (await api.get(f"/api/assistants/{assistant['id']}", headers=sophie)).json()
    assert [(i["kind"], i["name"]) for i in flagged["issues"]] == [("model_not_allowed", "gpt-4o-azure-fr")]
    english = (
        await api.get(f"/api/assistants/{assistant['id']}", headers=sophie | {"Accept-Language": "en"})
    ).json()
    assert [flagged["issues"][0]["detail"], english["issues"][0]["detail"]] == [
        "La politique d'usage ne vous autorise plus le modèle « gpt-4o-azure-fr » pour cet assistant.",
        "The usage policy no longer allows you model « gpt-4o-azure-fr » for this assistant.",
    ]
    options = (await api.get("/api/assistants/options", headers=sophie)).json()
    assert options["models"] == []  # none configured here (test_editor_models: those configured)
    tools = ["calendar", "documents", "meetings", "knowledge", "robots", "mail"]
    assert [t["id"] for t in options["tools"]] == tools


async def test_the_api_needs_a_signed_in_user(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/assistants")).status_code == 401


async def test_an_id_the_policy_names_is_reserved_to_ai_administrators(
    api: httpx.AsyncClient, as_user: Headers
) -> None:
    # The example policy declares « veille-technologique » and grants it models: whoever created an
    # assistant with that id would hold them.
    refused = await api.post(
        "/api/assistants", json=definition(id="veille-technologique"), headers=as_user("sophie.girard")
    )
    assert (refused.status_code, refused.json()["error"]) == (403, "assistant_id_reserved")
    named = await api.post(
        "/api/assistants", json=definition(name="Veille technologique"), headers=as_user("sophie.girard")
    )
    assert named.status_code == 201
    assert named.json()["id"] != "veille-technologique"
    created = await api.post(
        "/api/assistants", json=definition(id="veille-technologique"), headers=as_user("thomas.roux")
    )
    assert (created.status_code, created.json()["id"]) == (201, "veille-technologique")
