"""Shadow-AI reports through the API: joined with the directory, pseudonymised except for security."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tools.tenant.directory import load_directory

pytestmark = pytest.mark.anyio
NINE = 1793696400.0  # 2026-11-03 09:00 Europe/Paris
REPORTS = "/api/governance/shadow/reports"


def _line(offset: float, user: str, host: str) -> str:
    fields = f"TCP_TUNNEL/200 1000 CONNECT {host}:443 {user} HIER_DIRECT/1.2.3.4 -"
    return f"{NINE + offset:.3f} 120 10.0.0.7 {fields}"


def _accounts(category: str, count: int) -> list[str]:
    people = [user for user in load_directory().users if user.job_category == category]
    return [user.account_name for user in people[:count]]


@pytest.fixture
def log() -> str:
    interns = _accounts("Internes en médecine", 4)
    pharmacists = _accounts("Internes en pharmacie", 1)
    lines = [_line(i, account, "chatgpt.com") for i, account in enumerate(interns * 3)]
    lines += [_line(100, interns[0], "claude.ai"), _line(101, pharmacists[0], "www.perplexity.ai")]
    lines += [_line(102, "ext.prestataire9", "chatgpt.com"), _line(103, "-", "chat.mistral.ai")]
    lines += [_line(104, interns[1], "www.has-sante.fr"), "1793696400.000 garbage"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def as_user(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    def headers(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}

    return headers


async def _upload(api: httpx.AsyncClient, headers: dict[str, str], log: str) -> httpx.Response:
    return await api.post(
        REPORTS, params={"name": "Proxy, 3 novembre"}, content=log.encode(), headers=headers
    )


async def test_an_uploaded_log_gives_counts_per_service_and_job_category_without_names(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]], log: str
) -> None:
    created = await _upload(api, as_user("thomas.roux"), log)

    assert created.status_code == 201, created.text
    summary = created.json()
    assert (summary["lines"], summary["ai_lines"], summary["malformed"]) == (18, 16, 1)
    assert summary["malformed_examples"] == [{"line": 18, "reason": "fields_missing"}]
    assert (summary["people"], summary["unknown_people"]) == (7, 1)
    assert summary["first_day"] == summary["last_day"] == "2026-11-03"

    report = (await api.get(f"{REPORTS}/{summary['id']}", headers=as_user("thomas.roux"))).json()

    assert report["names_visible"] is False
    assert report["people"] is None
    assert [(s["ai_service"], s["requests"], s["people"]) for s in report["services"]] == [
        ("chatgpt", 13, 5),
        ("claude", 1, 1),
        ("le-chat", 1, 1),
        ("perplexity", 1, 1),
    ]
    assert report["services"][0]["country"] == "US"
    assert report["by_job_category"] == [
        {"label": "Internes en médecine", "requests": 13, "people": 4},
        {"label": "Autres (moins de 3 personnes)", "requests": 3, "people": 3},
    ]
    assert "ext.prestataire9" not in str(report)


async def test_the_security_officer_sees_who_and_the_export_names_them_only_for_him(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]], log: str
) -> None:
    report_id = (await _upload(api, as_user("paul.henry"), log)).json()["id"]

    report = (await api.get(f"{REPORTS}/{report_id}", headers=as_user("paul.henry"))).json()
    mine = (await api.get(f"{REPORTS}/{report_id}/export", headers=as_user("paul.henry"))).text
    theirs = (await api.get(f"{REPORTS}/{report_id}/export", headers=as_user("thomas.roux"))).text

    assert report["names_visible"] is True
    first = report["people"][0]
    assert (first["job_category"], first["requests"], first["ai_services"]) == (
        "Internes en médecine",
        4,
        ["chatgpt", "claude"],
    )
    assert first["display_name"] in mine
    assert {p["service"] for p in report["people"]} >= {
        "Pôle médecine",
        "Pharmacie",
        "",
        "Poste non authentifié",
    }
    assert "ext.prestataire9" in mine
    assert (
        theirs.splitlines()[0]
        == "\ufeffsemaine;service_ia;service;categorie_professionnelle;requetes;personnes;octets"
    )
    assert first["display_name"] not in theirs
    assert first["login"] not in theirs
    assert "ext.prestataire9" not in theirs


async def test_only_governance_roles_read_reports_and_only_admins_or_security_upload(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]], log: str
) -> None:
    refused = await _upload(api, as_user("anne.lambert"), log)
    report_id = (await _upload(api, as_user("thomas.roux"), log)).json()["id"]

    assert refused.status_code == 403
    assert (await api.get(REPORTS, headers=as_user("claire.dubois"))).status_code == 403
    assert (await api.get(f"{REPORTS}/{report_id}", headers=as_user("anne.lambert"))).status_code == 200
    missing = await api.get(f"{REPORTS}/not-a-report", headers=as_user("anne.lambert"))
    assert (missing.status_code, missing.json()["error"]) == (404, "report_not_found")


async def test_a_log_that_is_no_proxy_log_is_refused_and_stores_nothing(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    response = await _upload(api, as_user("thomas.roux"), "nom,prénom\nDupont,Jean\n")

    assert (response.status_code, response.json()["error"]) == (400, "invalid_log")
    assert (await api.get(REPORTS, headers=as_user("thomas.roux"))).json() == []


async def test_an_edited_catalogue_is_validated_and_used_by_the_next_report(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    admin = as_user("thomas.roux")
    current = (await api.get("/api/governance/shadow/catalogue", headers=admin)).json()
    broken = await api.put(
        "/api/governance/shadow/catalogue", json={"document": "services: [{id: x}]"}, headers=admin
    )
    document = current["document"] + (
        "  - {id: chatbot-maison, name: Chatbot maison, provider: Exemple, kind: autre, country: FR,"
        " domains: [chatbot.example.org]}\n"
    )
    saved = await api.put("/api/governance/shadow/catalogue", json={"document": document}, headers=admin)
    account = _accounts("Médecins", 1)[0]
    report_id = (await _upload(api, admin, _line(0, account, "www.chatbot.example.org") + "\n")).json()["id"]
    report = (await api.get(f"{REPORTS}/{report_id}", headers=admin)).json()

    assert (current["version"], broken.status_code, broken.json()["error"]) == (0, 400, "invalid_catalogue")
    assert saved.json()["version"] == 1
    assert [(s["ai_service"], s["name"]) for s in report["services"]] == [
        ("chatbot-maison", "Chatbot maison")
    ]
    assert report["summary"]["catalogue_version"] == 1


async def test_the_catalogue_editor_adds_changes_and_removes_a_service_with_french_errors(
    api: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    catalogue = "/api/governance/shadow/catalogue"
    service = f"{catalogue}/services/chatbot-maison"
    fields = {
        "name": "Chatbot maison", "provider": "Exemple", "kind": "autre", "country": "FR",
        "domains": ["Chatbot.Example.org "],
    }  # fmt: skip
    admin, security = as_user("thomas.roux"), as_user("paul.henry")

    auditor = await api.put(service, json=fields, headers=as_user("anne.lambert"))
    added = await api.put(service, json=fields, headers=admin)
    bad = await api.put(
        service, json={**fields, "country": "France", "domains": ["pas un domaine"]}, headers=admin
    )
    taken = await api.put(service, json={**fields, "domains": ["chatgpt.com"]}, headers=admin)
    changed = await api.put(service, json={**fields, "name": "Chatbot du CHRU"}, headers=security)
    account = _accounts("Médecins", 1)[0]
    report_id = (await _upload(api, admin, _line(0, account, "www.chatbot.example.org") + "\n")).json()["id"]
    report = (await api.get(f"{REPORTS}/{report_id}", headers=admin)).json()
    unknown = await api.delete(f"{catalogue}/services/inconnu", headers=admin)
    removed = await api.delete(service, headers=admin)
    after = (await api.get(catalogue, headers=as_user("anne.lambert"))).json()

    assert auditor.status_code == 403
    assert added.status_code == 200, added.text
    mine = [entry for entry in added.json()["entries"] if entry["id"] == "chatbot-maison"]
    assert (added.json()["version"], mine) == (
        1,
        [{"id": "chatbot-maison", **fields, "domains": ["chatbot.example.org"]}],
    )
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_catalogue")
    assert "code de pays ISO" in bad.json()["detail"]
    assert "nom de domaine" in bad.json()["detail"]
    assert (taken.status_code, taken.json()["error"]) == (400, "invalid_catalogue")
    assert "déjà celui de chatgpt" in taken.json()["detail"]
    assert (changed.json()["version"], changed.json()["services"]) == (2, added.json()["services"])
    assert [(s["ai_service"], s["name"]) for s in report["services"]] == [
        ("chatbot-maison", "Chatbot du CHRU")
    ]
    assert (unknown.status_code, unknown.json()["error"]) == (404, "service_not_found")
    assert (removed.json()["version"], after["version"]) == (3, 3)
    assert after["services"] == added.json()["services"] - 1
    assert "chatbot-maison" not in {entry["id"] for entry in after["entries"]}
    assert "chatgpt" in {entry["id"] for entry in after["entries"]}
