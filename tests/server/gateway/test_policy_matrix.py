"""The policy matrix: roles x models x data classes x assistants, and attempts to get around it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.server.gateway.conftest import ANNE, CLAIRE, INES, THOMAS, chat_body

pytestmark = pytest.mark.anyio

NIR = "Mon numéro de sécurité sociale est le 1 85 05 78 006 084 91."
BAD_KEY_NIR = "Référence 1 85 05 78 006 084 92."
HEALTH = "Mme Bernard, hospitalisée pour un diabète, sort demain."
PERSONAL = "M. Durand, né le 03/02/1971, demande son bulletin."

ALLOWED = "allowed"


@pytest.mark.parametrize(
    ("email", "model", "text", "extra_headers", "expected"),
    [
        # Who may use which model, with ordinary internal data.
        (CLAIRE, "mistral-small-hds", "Bonjour", {}, ALLOWED),
        (CLAIRE, "mistral-medium-eu", "Bonjour", {}, ALLOWED),
        (CLAIRE, "gpt-4o-mini", "Bonjour", {}, "model_not_allowed"),
        (THOMAS, "gpt-4o-mini", "Bonjour", {"X-Ariane-Data-Class": "public"}, "model_not_allowed"),
        # Naming an assistant declared `public` must not lower the policy's default (`internal`): the
        # header is the caller's word, so the public-only model stays out of reach of internal data.
        (
            THOMAS,
            "gpt-4o-mini",
            "Bonjour",
            {"X-Ariane-Assistant": "veille-technologique"},
            "data_class_not_allowed",
        ),
        (
            THOMAS,
            "gpt-4o-mini",
            "Bonjour",
            {"X-Ariane-Assistant": "Veille-Technologique "},
            "data_class_not_allowed",
        ),
        (
            CLAIRE,
            "gpt-4o-mini",
            "Bonjour",
            {"X-Ariane-Assistant": "veille-technologique"},
            "model_not_allowed",
        ),
        (
            THOMAS,
            "gpt-4o-mini",
            PERSONAL,
            {"X-Ariane-Assistant": "veille-technologique"},
            "data_class_not_allowed",
        ),
        (
            THOMAS,
            "gpt-4o-mini",
            "Bonjour",
            {"X-Ariane-Assistant": "veille-technologique", "X-Ariane-Data-Class": "internal"},
            "data_class_not_allowed",
        ),
        (ANNE, "mistral-small-hds", "Bonjour", {}, "model_not_allowed"),
        (CLAIRE, "no-such-model", "Bonjour", {}, "model_not_found"),
        (CLAIRE, "all-minilm-l6-v2", "Bonjour", {}, "model_not_found"),  # an embedding model
        # Health data: only to the HDS host, only for people cleared for it.
        (CLAIRE, "mistral-medium-eu", NIR, {}, "data_class_not_allowed"),
        (CLAIRE, "mistral-small-hds", NIR, {}, "data_class_not_allowed"),
        (INES, "mistral-small-hds", NIR, {}, ALLOWED),
        (INES, "mistral-medium-eu", HEALTH, {}, "data_class_not_allowed"),
        (INES, "mistral-small-hds", HEALTH, {}, ALLOWED),
        # A NIR whose key is mistyped is still a NIR (its first 13 digits are one): fail closed.
        (CLAIRE, "mistral-medium-eu", BAD_KEY_NIR, {}, "data_class_not_allowed"),
        (CLAIRE, "mistral-medium-eu", "Commande 1850578006 du 12/03.", {}, ALLOWED),
        # Personal data stays on the HDS-hosted model.
        (CLAIRE, "mistral-medium-eu", PERSONAL, {}, "data_class_not_allowed"),
        (CLAIRE, "mistral-small-hds", PERSONAL, {}, ALLOWED),
        # Declarations only raise the class: an assistant for patient letters, a header, metadata.
        (
            CLAIRE,
            "mistral-medium-eu",
            "Bonjour",
            {"X-Ariane-Assistant": "courriers-patients"},
            "data_class_not_allowed",
        ),
        (INES, "mistral-small-hds", "Bonjour", {"X-Ariane-Assistant": "courriers-patients"}, ALLOWED),
        (CLAIRE, "mistral-medium-eu", "Bonjour", {"X-Ariane-Data-Class": "health"}, "data_class_not_allowed"),
        (
            THOMAS,
            "gpt-4o-mini",
            NIR,
            {"X-Ariane-Assistant": "veille-technologique"},
            "data_class_not_allowed",
        ),
        # Bypass attempts: aliases, case, whitespace, look-alike characters.
        (CLAIRE, "OpenAI/GPT-4o-mini", "Bonjour", {}, "model_not_allowed"),
        (CLAIRE, "  gpt-4o-mini\t", "Bonjour", {}, "model_not_allowed"),
        (CLAIRE, "GPT-4O-MINI", "Bonjour", {}, "model_not_allowed"),
        (CLAIRE, "\uff47\uff50\uff54-4o-mini", "Bonjour", {}, "model_not_allowed"),  # full-width letters
        (CLAIRE, "gpt-4o-mini\u200b", "Bonjour", {}, "model_not_found"),  # zero-width space
        (CLAIRE, "Mistral-Small", NIR, {}, "data_class_not_allowed"),
        (INES, " MISTRAL-SMALL ", NIR, {}, ALLOWED),
        (CLAIRE, "gpt-4o-mini", "Bonjour", {"X-Ariane-Data-Class": "PUBLIC "}, "model_not_allowed"),
    ],
)
async def test_policy_matrix(
    gateway: httpx.AsyncClient,
    auth: Any,
    email: str,
    model: str,
    text: str,
    extra_headers: dict[str, str],
    expected: str,
) -> None:
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body(model, text), headers=auth(email, **extra_headers)
    )
    outcome = ALLOWED if response.status_code == 200 else response.json()["error"]["code"]
    assert outcome == expected, response.text
    if expected != ALLOWED:
        status = {"model_not_found": 404}.get(expected, 403)
        assert response.status_code == status


async def test_the_refusal_says_why_in_french(gateway: httpx.AsyncClient, auth: Any) -> None:
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-medium-eu", NIR), headers=auth(INES)
    )
    error = response.json()["error"]
    assert error["type"] == "permission_error"
    assert "hébergeur certifié HDS" in error["message"]
    assert "numéro de sécurité sociale" in error["message"]
    assert "mistral-small-hds" in error["message"]


async def test_a_caller_cannot_lower_the_data_class(
    gateway: httpx.AsyncClient, auth: Any, upstream: Any
) -> None:
    # The default class is `internal`: declaring `public` does not open a public-only model.
    headers = auth(THOMAS, **{"X-Ariane-Data-Class": "public"})
    body = chat_body("gpt-4o-mini", metadata={"ariane_data_class": "public"})
    response = await gateway.post("/v1/chat/completions", json=body, headers=headers)
    assert response.json()["error"]["code"] == "model_not_allowed"  # only the vetted assistant may
    assert upstream.requests == []


async def test_an_unknown_declared_data_class_is_refused(gateway: httpx.AsyncClient, auth: Any) -> None:
    body = chat_body("mistral-small-hds", metadata={"ariane_data_class": "secret"})
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert (response.status_code, response.json()["error"]["param"]) == (400, "metadata.ariane_data_class")


async def test_models_lists_only_what_the_caller_may_use(gateway: httpx.AsyncClient, auth: Any) -> None:
    async def ids(email: str, **headers: str) -> list[str]:
        response = await gateway.get("/v1/models", headers=auth(email, **headers))
        return [model["id"] for model in response.json()["data"]]

    staff = ["all-minilm-l6-v2", "mistral-small-hds", "mistral-medium-eu", "gpt-4o-azure-fr"]
    assert await ids(CLAIRE) == staff
    assert await ids(THOMAS) == staff
    assert await ids(THOMAS, **{"X-Ariane-Assistant": "veille-technologique"}) == [*staff, "gpt-4o-mini"]
    assert await ids(CLAIRE, **{"X-Ariane-Assistant": "veille-technologique"}) == staff
    assert await ids(ANNE) == ["all-minilm-l6-v2"]


async def test_models_without_upstream_are_neither_listed_nor_callable(
    settings: Any, make_gateway_client: Any, auth: Any
) -> None:
    async with make_gateway_client(settings) as client:  # the embedded default: no upstream configured
        listed = await client.get("/v1/models", headers=auth(CLAIRE))
        called = await client.post(
            "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
        )
    assert [model["id"] for model in listed.json()["data"]] == ["all-minilm-l6-v2"]
    assert (called.status_code, called.json()["error"]["code"]) == (404, "model_not_configured")
    assert "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL" in called.json()["error"]["message"]
