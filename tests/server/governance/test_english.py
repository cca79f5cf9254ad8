"""The governance pages' refusals in the caller's language: French by default, English when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from server.governance.shadow.catalogue import AiService, default_document, parse_catalogue

pytestmark = pytest.mark.anyio
CATALOGUE = "/api/governance/shadow/catalogue"
EN = {"Accept-Language": "en"}


def _shipped_services() -> tuple[AiService, ...]:
    return tuple(parse_catalogue(default_document()).services)


@pytest.fixture
def admin(token_for: Callable[[str], str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}


async def test_a_bad_catalogue_service_is_refused_in_french_by_default_and_in_english_when_asked(
    api: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    service = {"name": "Chatbot", "provider": "Exemple", "kind": "autre", "country": "France"}
    url = f"{CATALOGUE}/services/chatbot-maison"

    french = await api.put(url, json={**service, "domains": ["chatbot.example.org"]}, headers=admin)
    english = await api.put(url, json={**service, "domains": ["chatbot.example.org"]}, headers=admin | EN)
    unknown = await api.delete(f"{CATALOGUE}/services/inconnu", headers=admin | EN)
    not_yaml = await api.put(CATALOGUE, json={"document": "- a list"}, headers=admin | EN)

    at = f"services.{len(_shipped_services())}.country"  # the new service comes after the shipped ones
    assert (french.status_code, french.json()) == (
        400,
        {
            "error": "invalid_catalogue",
            "detail": f"Catalogue invalide : {at} : format attendu : code de pays ISO à deux"
            " lettres majuscules (FR, US…)",
        },
    )
    assert english.json() == {
        "error": "invalid_catalogue",
        "detail": f"Invalid catalogue: {at}: expected format: two-letter upper-case ISO"
        " country code (FR, US…)",
    }
    assert unknown.json() == {
        "error": "service_not_found",
        "detail": "The catalogue does not contain the service « inconnu ».",
    }
    assert not_yaml.json()["detail"] == "Invalid catalogue: the document must be a YAML mapping"


async def test_a_log_without_its_columns_and_an_unknown_system_are_told_in_english(
    api: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    log = "nom,prénom\nDupont,Jean\n".encode()
    url = "/api/governance/shadow/reports"

    french = await api.post(url, params={"name": "Proxy"}, content=log, headers=admin)
    english = await api.post(url, params={"name": "Proxy"}, content=log, headers=admin | EN)
    system = await api.get("/api/governance/systems/inconnu", headers=admin | EN)

    assert french.json()["detail"] == (
        "Export CSV sans colonne d'heure, d'utilisateur, d'hôte ou d'URL, d'octets dans sa première ligne"
        " (en-tête attendu : heure, utilisateur, hôte ou URL, octets)."
    )
    assert english.json() == {
        "error": "invalid_log",
        "detail": "CSV export without a time, user, host or URL, bytes column in its first line (header"
        " expected: time, user, host or URL, bytes).",
    }
    assert system.json() == {"error": "system_not_found", "detail": "This AI system is not in the inventory."}


async def test_a_domain_already_in_the_catalogue_is_refused_in_the_callers_language(
    api: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    service = {"name": "Chatbot", "provider": "Exemple", "kind": "autre", "country": "FR"}
    url = f"{CATALOGUE}/services/chatbot-maison"

    french = await api.put(url, json={**service, "domains": ["chatgpt.com"]}, headers=admin)
    english = await api.put(url, json={**service, "domains": ["chatgpt.com"]}, headers=admin | EN)

    assert (french.status_code, french.json()) == (
        400,
        {
            "error": "invalid_catalogue",
            "detail": "Catalogue invalide : domaine chatgpt.com : déjà celui de chatgpt, pas de"
            " chatbot-maison",
        },
    )
    assert english.json() == {
        "error": "invalid_catalogue",
        "detail": "Invalid catalogue: domain chatgpt.com: already chatgpt's, not chatbot-maison's",
    }


async def test_a_service_declared_twice_is_refused_in_the_callers_language(
    api: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    entry = "  - {id: maison, name: M, provider: P, kind: autre, country: FR, domains: [%s]}\n"
    document = "services:\n" + entry % "a.example.org" + entry % "b.example.org"

    french = await api.put(CATALOGUE, json={"document": document}, headers=admin)
    english = await api.put(CATALOGUE, json={"document": document}, headers=admin | EN)

    assert (french.status_code, french.json()) == (
        400,
        {"error": "invalid_catalogue", "detail": "Catalogue invalide : service maison : déclaré deux fois"},
    )
    assert english.json() == {
        "error": "invalid_catalogue",
        "detail": "Invalid catalogue: service maison: declared twice",
    }


async def test_the_map_tells_its_questionnaire_names_and_hosting_in_the_readers_language(
    api: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    french = (await api.get("/api/governance/systems", headers=admin)).json()
    english = (await api.get("/api/governance/systems", headers=admin | EN)).json()
    detail = (await api.get("/api/governance/systems/workflow:meeting_summary", headers=admin | EN)).json()

    def shown(body: dict[str, Any]) -> tuple[object, ...]:
        systems = {system["id"]: system for system in body["systems"]}
        return (
            body["questions"][0],
            systems["workflow:meeting_summary"]["name"],
            systems["model:gpt-4o-mini"]["hosting"],
            systems["tool:calendar"]["hosting"],
        )

    assert shown(french) == (
        {
            "key": "prohibited",
            "text": "Le système note-t-il des personnes sur leur comportement social, reconnaît-il les"
            " émotions au travail, ou influence-t-il des personnes à leur insu ?",
            "level_if_yes": "unacceptable",
            "reference": "Règlement (UE) 2024/1689, art. 5",
        },
        "Synthèse de réunion citée",
        ["cloud hors Union européenne"],
        ["serveurs de l'établissement"],
    )
    assert shown(english) == (
        {
            "key": "prohibited",
            "text": "Does the system score people on their social behaviour, recognise emotions at work, or"
            " influence people without their knowledge?",
            "level_if_yes": "unacceptable",
            "reference": "Regulation (EU) 2024/1689, art. 5",
        },
        "Cited meeting summary",
        ["cloud outside the European Union"],
        ["the hospital's servers"],
    )
    assert [q["key"] for q in english["questions"]] == [q["key"] for q in french["questions"]]
    assert (detail["name"], detail["kind"]) == ("Cited meeting summary", "workflow")
    assert (detail["description"], detail["source"]) == (
        "Ariane's LangGraph graph; without an allowed generative model, a local extractive method.",
        "Workflows (agents/)",
    )
    model = {s["id"]: s for s in french["systems"]}["model:gpt-4o-mini"]
    assert model["source"] == "Catalogue de modèles"
    assert {s["id"]: s for s in english["systems"]}["model:gpt-4o-mini"]["source"] == "Model catalogue"
