"""The map of AI systems: filled from what Ariane knows, completed by people, flagged when incomplete."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

pytestmark = pytest.mark.anyio
SYSTEMS = "/api/governance/systems"


@pytest.fixture
def as_user(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    def headers(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}

    return headers


async def test_every_built_in_system_is_on_the_map_with_its_declared_owner(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    response = await api.get(SYSTEMS, headers=as_user("anne.lambert"))

    assert response.status_code == 200, response.text
    body = response.json()
    systems = {system["id"]: system for system in body["systems"]}
    assert {
        "assistant:ariane", "assistant:coach-temps-de-travail", "workflow:meeting_summary",
        "workflow:knowledge_question", "workflow:robot_request", "model:mistral-small-hds",
        "model:all-minilm-l6-v2", "model:gpt-4o-mini", "tool:calendar", "tool:knowledge", "tool:robots",
        "tool:mail", "robot:securisation-compte-compromis", "robot:rapport-vulnerabilites-ad",
        "intake:courrier-entrant", "batch:courriers-en-serie",
    } <= set(systems)  # fmt: skip
    assert "robot:refacturation-actes-labo" not in systems  # plain RPA, no AI
    coach = systems["assistant:coach-temps-de-travail"]
    assert (coach["sheet"]["owner"], coach["sheet"]["status"], coach["risk_level"]) == (
        "Nadia Benali, cellule temps de travail (DRH)",
        "in_service",
        "limited",
    )
    assert (coach["data_classes"], coach["tools"], coach["facts"]["knowledge"]) == (
        ["internal"],
        ["knowledge"],
        "coach-temps-de-travail",
    )
    assert systems["model:gpt-4o-mini"]["hosting"] == ["cloud hors Union européenne"]
    assert systems["model:gpt-4o-mini"]["facts"]["configured"] is False
    built_in_in_service = [s for s in body["systems"] if s["sheet"]["status"] == "in_service"]
    assert built_in_in_service
    assert all(
        "no_owner" not in s["flags"] and "no_validation" not in s["flags"] for s in built_in_in_service
    )
    assert [q["key"] for q in body["questions"]][:2] == ["prohibited", "medical_device"]


async def test_a_new_assistant_appears_as_a_draft_and_is_flagged_once_in_service_without_owner(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    created = await api.post(
        "/api/assistants",
        json={"id": "aide-recrutement", "name": "Aide au recrutement", "description": "Tri des candidatures"},
        headers=as_user("sophie.girard"),
    )
    assert created.status_code == 201, created.text
    admin = as_user("thomas.roux")

    draft = (await api.get(f"{SYSTEMS}/assistant:aide-recrutement", headers=admin)).json()
    in_service = await api.patch(
        f"{SYSTEMS}/assistant:aide-recrutement", json={"status": "in_service"}, headers=admin
    )
    completed = await api.patch(
        f"{SYSTEMS}/assistant:aide-recrutement",
        json={
            "owner": "Direction des ressources humaines",
            "validated_by": "Comité de pilotage IA",
            "validated_on": "2026-11-30",
            "risk_answers": {"prohibited": False, "medical_device": False, "employment": True},
        },
        headers=admin,
    )

    assert (draft["sheet"]["status"], draft["flags"], draft["facts"]["author"]) == (
        "draft",
        ["risk_unassessed"],
        "sophie.girard@chru-exemple.fr",
    )
    assert in_service.json()["flags"] == ["no_owner", "no_validation", "risk_unassessed"]
    detail = completed.json()
    assert (detail["risk_level"], detail["flags"]) == ("high", ["high_risk_without_ethics_review"])
    sheet_changes = [entry for entry in detail["history"] if entry["kind"] == "sheet"]
    assert [entry["actor"] for entry in sheet_changes] == ["thomas.roux@chru-exemple.fr"] * 2
    assert sheet_changes[0]["detail"]["changes"]["owner"] == ["", "Direction des ressources humaines"]
    assert sheet_changes[1]["detail"]["changes"]["status"] == ["draft", "in_service"]
    assert any(entry["kind"] == "version" for entry in detail["history"])


async def test_only_ai_administrators_edit_sheets_and_bad_answers_change_nothing(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    path = f"{SYSTEMS}/assistant:coach-temps-de-travail"
    by_auditor = await api.patch(path, json={"owner": "Quelqu'un"}, headers=as_user("anne.lambert"))
    unknown = await api.patch(
        path, json={"risk_answers": {"astrologie": True}}, headers=as_user("thomas.roux")
    )
    floor = await api.patch(path, json={"score_floors": {"fact_coverage": 2}}, headers=as_user("thomas.roux"))
    epoch = await api.patch(path, json={"validated_on": 0}, headers=as_user("thomas.roux"))
    address = await api.patch(path, json={"owner_email": "Nadia Benali"}, headers=as_user("thomas.roux"))
    missing = await api.get(f"{SYSTEMS}/assistant:inconnu", headers=as_user("thomas.roux"))
    staff = await api.get(SYSTEMS, headers=as_user("claire.dubois"))
    after = (await api.get(path, headers=as_user("thomas.roux"))).json()

    assert by_auditor.status_code == 403
    assert (unknown.status_code, unknown.json()["error"]) == (400, "unknown_question")
    assert (floor.status_code, floor.json()["error"]) == (400, "invalid_floor")
    assert (epoch.status_code, epoch.json()["error"]) == (400, "invalid_request")  # was read as 1970-01-01
    assert (address.status_code, address.json()["error"]) == (400, "invalid_request")
    assert (missing.status_code, missing.json()["error"]) == (404, "system_not_found")
    assert staff.status_code == 403
    assert (after["sheet"]["owner"], after["sheet"]["owner_email"]) == (
        "Nadia Benali, cellule temps de travail (DRH)",
        "nadia.benali@chru-exemple.fr",
    )
    assert [entry for entry in after["history"] if entry["kind"] == "sheet"] == []


async def test_a_new_owner_without_an_address_does_not_keep_the_previous_owners(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    path, admin = f"{SYSTEMS}/assistant:coach-temps-de-travail", as_user("thomas.roux")

    moved = (await api.patch(path, json={"owner": "Cellule temps de travail"}, headers=admin)).json()
    addressed = await api.patch(
        path, json={"owner_email": "Cellule.TT@chru-exemple.fr", "purpose": "Temps de travail"}, headers=admin
    )
    kept = (await api.patch(path, json={"purpose": "Questions de temps de travail"}, headers=admin)).json()

    assert (moved["sheet"]["owner"], moved["sheet"]["owner_email"]) == ("Cellule temps de travail", "")
    assert addressed.json()["sheet"]["owner_email"] == "cellule.tt@chru-exemple.fr"
    assert kept["sheet"]["owner_email"] == "cellule.tt@chru-exemple.fr"
