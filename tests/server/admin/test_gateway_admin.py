"""`/api/admin`: the policy is validated, versioned with author and diff, and takes effect at once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.server.gateway.conftest import CLAIRE, INES, THOMAS, chat_body

pytestmark = pytest.mark.anyio

ADMIN = "/api/admin/gateway"


async def test_only_ai_admins_reach_the_administration(gateway: httpx.AsyncClient, auth: Any) -> None:
    for path in (f"{ADMIN}/policy", f"{ADMIN}/catalogue", "/api/admin/usage", f"{ADMIN}/service-keys"):
        response = await gateway.get(path, headers=auth(CLAIRE))
        assert (response.status_code, response.json()["error"]) == (403, "forbidden"), path
    assert (await gateway.get(f"{ADMIN}/policy")).status_code == 401


async def test_the_catalogue_says_which_models_are_configured(gateway: httpx.AsyncClient, auth: Any) -> None:
    catalogue = (await gateway.get(f"{ADMIN}/catalogue", headers=auth(THOMAS))).json()
    assert catalogue["policy_version"] == 0
    assert {m["id"]: (m["hosting"], m["configured"]) for m in catalogue["models"]} == {
        "all-minilm-l6-v2": ("on_prem", True),
        "mistral-small-hds": ("hds", True),
        "mistral-medium-eu": ("eu_cloud", True),
        "gpt-4o-azure-fr": ("eu_cloud", True),
        "gpt-4o-mini": ("non_eu", True),
    }


async def test_an_edit_is_validated_diffed_saved_and_in_force_at_once(
    gateway: httpx.AsyncClient, auth: Any
) -> None:
    current = (await gateway.get(f"{ADMIN}/policy", headers=auth(THOMAS))).json()
    assert (current["version"], current["source"], current["error"]) == (0, "file", None)
    # Open mistral-medium-eu to personal data for everyone on staff… and see it take effect.
    edited = (
        current["document"]
        .replace(
            "    models: [mistral-small-hds]\n    data_classes: [personal]",
            "    models: [mistral-small-hds, mistral-medium-eu]\n    data_classes: [personal]",
        )
        .replace(
            "    data_classes: [public, internal]\n    capabilities: {tools: true, streaming: true, "
            "json_schema: true, context_tokens: 131072}",
            "    data_classes: [public, internal, personal]\n    capabilities: {tools: true, "
            "streaming: true, json_schema: true, context_tokens: 131072}",
        )
    )
    assert edited != current["document"]
    check = (
        await gateway.post(f"{ADMIN}/policy/validate", json={"document": edited}, headers=auth(THOMAS))
    ).json()
    assert (check["valid"], check["errors"]) == (True, [])
    assert "+    models: [mistral-small-hds, mistral-medium-eu]" in check["diff"]

    personal = chat_body("mistral-medium-eu", "M. Durand, né le 03/02/1971, demande son bulletin.")
    before = await gateway.post("/v1/chat/completions", json=personal, headers=auth(CLAIRE))
    assert before.status_code == 403

    saved = await gateway.put(
        f"{ADMIN}/policy",
        json={"document": edited, "comment": "Paie : Mistral UE", "base_version": 0},
        headers=auth(THOMAS),
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.json()["author_email"]) == (1, THOMAS)
    after = await gateway.post("/v1/chat/completions", json=personal, headers=auth(CLAIRE))
    assert after.status_code == 200

    history = (await gateway.get(f"{ADMIN}/policy/history", headers=auth(THOMAS))).json()
    assert [(h["version"], h["comment"], h["author_email"]) for h in history] == [
        (1, "Paie : Mistral UE", THOMAS)
    ]
    assert history[0]["diff"] == check["diff"]
    version = (await gateway.get(f"{ADMIN}/policy/versions/1", headers=auth(THOMAS))).json()
    assert version["document"] == edited
    assert (await gateway.get(f"{ADMIN}/policy/versions/7", headers=auth(THOMAS))).status_code == 404

    stale = await gateway.put(
        f"{ADMIN}/policy", json={"document": edited, "base_version": 0}, headers=auth(THOMAS)
    )
    assert (stale.status_code, stale.json()["error"]) == (409, "policy_conflict")
    stale_en = await gateway.put(
        f"{ADMIN}/policy",
        json={"document": edited, "base_version": 0},
        headers=auth(THOMAS) | {"Accept-Language": "en"},
    )
    assert [stale.json()["detail"], stale_en.json()["detail"]] == [
        "La politique a été modifiée entre-temps (version 1 en vigueur) : rechargez-la et refaites votre"
        " modification.",
        "The policy was changed in the meantime (version 1 in force): reload it and make your change again.",
    ]


async def test_an_invalid_policy_is_refused_with_its_errors(gateway: httpx.AsyncClient, auth: Any) -> None:
    document = (await gateway.get(f"{ADMIN}/policy", headers=auth(THOMAS))).json()["document"]
    broken = document.replace(
        "    hosting: non_eu\n    data_classes: [public]",
        "    hosting: non_eu\n    data_classes: [public, health]",
    )
    broken = broken.replace("models: [all-minilm-l6-v2]", "models: [all-minilm-l6-v3]")
    response = await gateway.put(f"{ADMIN}/policy", json={"document": broken}, headers=auth(THOMAS))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_policy"
    line = broken.split("  - id: gpt-4o-mini", 1)[0].count("\n") + 1
    assert body["errors"] == [
        f"Ligne {line}, models[4] : le modèle « gpt-4o-mini » reçoit des données de santé : il doit être"
        " chez un hébergeur certifié HDS ou sur les serveurs de l'établissement"
    ]
    assert [issue["path"] for issue in body["issues"]] == [["models", 4]]
    broken = document.replace("models: [all-minilm-l6-v2]", "models: [all-minilm-l6-v3]")
    line = broken.split("models: [all-minilm-l6-v3]", 1)[0].count("\n") + 1
    message = (
        "la règle « embeddings-for-all » cite le modèle « all-minilm-l6-v3 », qui n'existe pas dans le"
        " catalogue (utilisez les identifiants du catalogue)"
    )
    check = (
        await gateway.post(f"{ADMIN}/policy/validate", json={"document": broken}, headers=auth(THOMAS))
    ).json()
    assert check["valid"] is False
    assert check["errors"] == [f"Ligne {line}, rules[0].models[0] : {message}"]
    # The same problems one by one, each with its place, for the editor to show at its line.
    assert check["issues"] == [{"path": ["rules", 0, "models", 0], "message": message, "line": line}]
    # In English for an administrator whose interface is in English.
    english = (
        await gateway.post(
            f"{ADMIN}/policy/validate",
            json={"document": broken},
            headers={**auth(THOMAS), "Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"},
        )
    ).json()
    assert english["issues"] == [
        {
            "path": ["rules", 0, "models", 0],
            "message": "rule « embeddings-for-all » names model « all-minilm-l6-v3 », which is not in the"
            " catalogue (use catalogue ids)",
            "line": line,
        }
    ]
    assert (await gateway.get(f"{ADMIN}/policy/history", headers=auth(THOMAS))).json() == []


async def test_usage_is_aggregated_by_user_service_job_category_model_and_day(
    gateway: httpx.AsyncClient, auth: Any
) -> None:
    for email in (CLAIRE, CLAIRE, INES):
        await gateway.post("/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(email))
    await gateway.post("/v1/chat/completions", json=chat_body("gpt-4o-mini"), headers=auth(CLAIRE))
    usage = (await gateway.get("/api/admin/usage?days=7", headers=auth(THOMAS))).json()

    def table(group: str) -> list[tuple[str, int, int, int]]:
        return [
            (r["key"], r["requests"], r["refused_or_failed"], r["input_tokens"] + r["output_tokens"])
            for r in usage[group]
        ]

    assert table("by_user") == [(CLAIRE, 3, 1, 30), (INES, 1, 0, 15)]
    assert table("by_service") == [("DTNIB", 3, 1, 30), ("Pôle médecine", 1, 0, 15)]
    assert table("by_job_category") == [
        ("Secrétariat administratif", 3, 1, 30),
        ("Secrétariat médical", 1, 0, 15),
    ]
    assert table("by_model") == [("mistral-small-hds", 3, 0, 45), ("gpt-4o-mini", 1, 1, 0)]
    assert len(usage["by_day"]) == 1
    assert usage["by_day"][0]["requests"] == 4
