"""The gateway's `/v1` refusals in the caller's language: French by default, English when asked.

Only the envelope's `message` follows `Accept-Language`; `type`, `code` and `param` stay the same.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.fakes.openai_upstream import FakeOpenAIUpstream
from tests.server.gateway.conftest import (
    CLAIRE,
    INES,
    THOMAS,
    chat_body,
    create_service_key,
    store_assistant,
    with_policy,
)

pytestmark = pytest.mark.anyio

EN = {"Accept-Language": "en"}
CHAT, EMBEDDINGS, MODELS = "/v1/chat/completions", "/v1/embeddings", "/v1/models"
NIR = "Mon numéro de sécurité sociale est le 1 85 05 78 006 084 91."
STAFF_MODELS = "mistral-small-hds, mistral-medium-eu, gpt-4o-azure-fr"


async def said(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], body: Any = None
) -> tuple[int, str, str, str]:
    """Status, code, and the message without `Accept-Language` then with `en` (the rest must agree)."""
    answers = []
    for language in ({}, EN):
        if body is None:
            response = await client.get(path, headers={**headers, **language})
        elif isinstance(body, bytes):
            content_type = {"Content-Type": "application/json"}
            response = await client.post(path, content=body, headers={**headers, **content_type, **language})
        else:
            response = await client.post(path, json=body, headers={**headers, **language})
        answers.append((response.status_code, response.json()["error"]))
    (status, french), (english_status, english) = answers
    assert (status, french | {"message": ""}) == (english_status, english | {"message": ""})
    return status, french["code"], french["message"], english["message"]


@pytest.mark.parametrize(
    ("email", "path", "body", "headers", "expected"),
    [
        (
            CLAIRE,
            CHAT,
            b"{not json",
            {},
            (
                400,
                "invalid_request",
                "Le corps de la requête n'est pas du JSON valide.",
                "The request's body is not valid JSON.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            b"[1, 2]",
            {},
            (
                400,
                "invalid_request",
                "Le corps de la requête doit être un objet JSON.",
                "The request's body must be a JSON object.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            {"model": "mistral-small-hds"},
            {},
            (
                400,
                "invalid_request",
                "Paramètre invalide : messages (Field required).",
                "Invalid parameter: messages (Field required).",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            b'{"model": "a\\u0000"}',
            {},
            (
                400,
                "invalid_request",
                "Le texte envoyé contient un caractère nul (U+0000), refusé.",
                "The text sent contains a null character (U+0000): refused.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("mistral-small-hds", metadata={"ariane_data_class": "secret"}),
            {},
            (
                400,
                "invalid_request",
                "Classe de données inconnue : « secret » (public, internal, personal, health).",
                "Unknown data class: « secret » (public, internal, personal, health).",
            ),
        ),
        (
            CLAIRE,
            EMBEDDINGS,
            {"model": "all-minilm-l6-v2", "input": [[1, 2]]},
            {},
            (
                400,
                "invalid_request",
                "`input` doit être un texte ou une liste non vide de textes.",
                "`input` must be a text or a non-empty list of texts.",
            ),
        ),
        (
            CLAIRE,
            EMBEDDINGS,
            {"model": "all-minilm-l6-v2", "input": "Bonjour", "dimensions": 12},
            {},
            (
                400,
                "invalid_request",
                "Ce modèle produit des vecteurs de 384 dimensions.",
                "This model produces vectors of 384 dimensions.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("no-such-model"),
            {},
            (
                404,
                "model_not_found",
                "Le modèle « no-such-model » n'existe pas dans le catalogue d'Ariane.",
                "Model « no-such-model » does not exist in Ariane's catalogue.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("all-minilm-l6-v2"),
            {},
            (
                404,
                "model_not_found",
                "« all-minilm-l6-v2 » n'est pas un modèle de conversation.",
                "« all-minilm-l6-v2 » is not a chat model.",
            ),
        ),
        (
            CLAIRE,
            EMBEDDINGS,
            {"model": "mistral-small-hds", "input": "Bonjour"},
            {},
            (
                404,
                "model_not_found",
                "« mistral-small-hds » n'est pas un modèle d'embeddings.",
                "« mistral-small-hds » is not an embedding model.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("gpt-4o-mini"),
            {},
            (
                403,
                "model_not_allowed",
                "Votre profil n'autorise pas l'usage du modèle « gpt-4o-mini ». Modèles autorisés :"
                f" {STAFF_MODELS}.",
                "Your profile does not allow the use of model « gpt-4o-mini ». Allowed models:"
                f" {STAFF_MODELS}.",
            ),
        ),
        (
            INES,
            CHAT,
            chat_body("mistral-medium-eu", NIR),
            {},
            (
                403,
                "data_class_not_allowed",
                "Cette requête contient des données de santé (détecté : numéro de sécurité sociale) : elles"
                " ne peuvent être envoyées qu'à un hébergeur certifié HDS ou aux serveurs de l'établissement."
                " Le modèle « mistral-medium-eu » est hébergé sur : cloud européen. Modèles autorisés pour"
                " ces données : mistral-small-hds.",
                "This request contains health data (detected: social security number): it may only be sent"
                " to a certified HDS host or to the hospital's servers. Model « mistral-medium-eu » is hosted"
                " on: European cloud. Models allowed for this data: mistral-small-hds.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("mistral-small-hds", NIR),
            {},
            (
                403,
                "data_class_not_allowed",
                "Votre profil n'est pas habilité à envoyer des données de santé (détecté : numéro de sécurité"
                " sociale) au modèle « mistral-small-hds ». Aucun modèle autorisé pour vous ne peut recevoir"
                " ces données.",
                "Your profile is not cleared to send health data (detected: social security number) to model"
                " « mistral-small-hds ». No model allowed for you may receive this data.",
            ),
        ),
        (
            THOMAS,
            CHAT,
            chat_body("gpt-4o-mini"),
            {"X-Ariane-Assistant": "veille-technologique"},
            (
                403,
                "data_class_not_allowed",
                "Cette requête contient des données internes : le modèle n'accepte que : données publiques."
                " Le modèle « gpt-4o-mini » est hébergé sur : cloud hors Union européenne. Modèles autorisés"
                f" pour ces données : {STAFF_MODELS}.",
                "This request contains internal data: the model only accepts: public data. Model"
                " « gpt-4o-mini » is hosted on: cloud outside the European Union. Models allowed for this"
                f" data: {STAFF_MODELS}.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("mistral-small-hds"),
            {"X-Ariane-Assistant": "assistant-fantome"},
            (
                403,
                "assistant_not_allowed",
                "L'assistant « assistant-fantome » n'existe pas ou ne vous est pas ouvert.",
                "Assistant « assistant-fantome » does not exist or is not open to you.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("mistral-small-hds"),
            {"Idempotency-Key": "x" * 300},
            (
                400,
                "invalid_idempotency_key",
                "La clé d'idempotence doit compter de 1 à 255 caractères imprimables.",
                "The idempotency key must hold 1 to 255 printable characters.",
            ),
        ),
        (
            CLAIRE,
            CHAT,
            chat_body("mistral-small-hds", "x" * 5_000_000),
            {},
            (
                413,
                "request_too_large",
                "La requête dépasse la taille maximale acceptée (4096 Kio).",
                "The request exceeds the maximum size accepted (4096 KiB).",
            ),
        ),
        (
            None,
            MODELS,
            None,
            {},
            (
                401,
                "invalid_api_key",
                "Authentification requise : présentez un jeton d'accès ou une clé de service (en-tête"
                " Authorization: Bearer).",
                "Authentication required: present an access token or a service key (header Authorization:"
                " Bearer).",
            ),
        ),
        (
            None,
            MODELS,
            None,
            {"Authorization": "Bearer ariane-sk-forged"},
            (
                401,
                "invalid_api_key",
                "Clé de service inconnue ou révoquée.",
                "Unknown or revoked service key.",
            ),
        ),
        (
            None,
            "/v1/nowhere",
            None,
            {"Authorization": "Bearer x"},
            (
                404,
                "not_found",
                "Cette adresse n'existe pas dans l'API /v1.",
                "This address does not exist in the /v1 API.",
            ),
        ),
    ],
)
async def test_a_refusal_is_in_french_by_default_and_in_english_when_asked(
    gateway: httpx.AsyncClient,
    auth: Any,
    email: str | None,
    path: str,
    body: Any,
    headers: dict[str, str],
    expected: tuple[int, str, str, str],
) -> None:
    caller = auth(email, **headers) if email else headers
    assert await said(gateway, path, caller, body) == expected


async def test_a_service_keys_scope_is_explained_in_the_callers_language(
    gateway: httpx.AsyncClient, auth: Any
) -> None:
    created = await create_service_key(gateway, auth, assistants=["relances-factures"])
    key = {"Authorization": f"Bearer {created['key']}"}

    assert await said(gateway, CHAT, key, chat_body("mistral-small-hds")) == (
        403,
        "assistant_not_allowed",
        "La clé de service « robot-facturation » n'est pas autorisée pour l'assistant « aucun ».",
        "Service key « robot-facturation » is not allowed for assistant « none ».",
    )
    scoped = key | {"X-Ariane-Assistant": "relances-factures"}
    assert await said(gateway, CHAT, scoped, chat_body("mistral-medium-eu")) == (
        403,
        "model_not_allowed",
        "Cette clé de service n'autorise pas l'usage du modèle « mistral-medium-eu ». Modèles autorisés :"
        " mistral-small-hds.",
        "This service key does not allow the use of model « mistral-medium-eu ». Allowed models:"
        " mistral-small-hds.",
    )


async def test_an_assistants_models_are_named_in_the_callers_language(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    store_assistant(database_url, "aide-facturation", "internal", models=["mistral-small-hds"])
    headers = auth(CLAIRE, **{"X-Ariane-Assistant": "aide-facturation"})

    assert await said(gateway, CHAT, headers, chat_body("mistral-medium-eu")) == (
        403,
        "model_not_allowed",
        "L'assistant « aide-facturation » n'est pas configuré pour le modèle « mistral-medium-eu » (modèles"
        " de l'assistant : mistral-small-hds).",
        "Assistant « aide-facturation » is not configured for model « mistral-medium-eu » (the assistant's"
        " models: mistral-small-hds).",
    )


async def test_a_model_without_upstream_is_explained_in_the_callers_language(
    settings: Settings, make_gateway_client: Any, auth: Any
) -> None:
    async with make_gateway_client(settings) as client:  # the embedded default: no upstream configured
        answer = await said(client, CHAT, auth(CLAIRE), chat_body("mistral-small-hds"))

    setting = "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL"
    assert answer == (
        404,
        "model_not_configured",
        "Le modèle « mistral-small-hds » est déclaré au catalogue mais son fournisseur « hds_vllm » n'est pas"
        f" configuré (réglage {setting}).",
        "Model « mistral-small-hds » is declared in the catalogue but its provider « hds_vllm » is not"
        f" configured (setting {setting}).",
    )


async def test_what_a_model_cannot_do_is_explained_in_the_callers_language(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, tmp_path: Path
) -> None:
    hds = "capabilities: {tools: true, streaming: true, json_schema: true, context_tokens: 32768}"
    settings = with_policy(gateway_settings, tmp_path, (hds, "capabilities: {streaming: false}"))
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    async with make_gateway_client(settings) as client:
        tools = await said(client, CHAT, auth(CLAIRE), chat_body("mistral-small-hds", tools=[tool]))
        stream = await said(client, CHAT, auth(CLAIRE), chat_body("mistral-small-hds", stream=True))

    assert (tools, stream) == (
        (
            400,
            "tools_not_supported",
            "Le modèle « mistral-small-hds » ne sait pas appeler d'outils.",
            "Model « mistral-small-hds » cannot call tools.",
        ),
        (
            400,
            "stream_not_supported",
            "Le modèle « mistral-small-hds » ne diffuse pas sa réponse en continu.",
            "Model « mistral-small-hds » does not stream its answer.",
        ),
    )


async def test_a_spent_quota_is_explained_in_the_callers_language(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, tmp_path: Path
) -> None:
    settings = with_policy(
        gateway_settings, tmp_path, ("user_tokens_per_day: 400000", "user_tokens_per_day: 10")
    )
    async with make_gateway_client(settings) as client:
        answer = await said(client, CHAT, auth(CLAIRE), chat_body("mistral-small-hds"))

    assert answer == (
        429,
        "quota_exceeded",
        "Le quota quotidien de jetons personnel est atteint pour cette demande. Il sera renouvelé à"
        " minuit (heure de Paris) ; réduisez `max_tokens` ou la taille du message, ou adressez-vous au"
        " coordinateur IA.",
        "The personal daily token quota is used up for this request. It renews at midnight (Paris time);"
        " reduce `max_tokens` or the size of the message, or ask the AI coordinator.",
    )


async def test_an_idempotency_key_reused_or_in_use_is_explained_in_the_callers_language(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    key = auth(CLAIRE, **{"Idempotency-Key": "ligne-7"})
    upstream.gate = asyncio.Event()
    first: list[httpx.Response] = []

    async def send_first() -> None:
        first.append(await gateway.post(CHAT, json=chat_body("mistral-small-hds"), headers=key))

    with anyio.fail_after(20):
        async with anyio.create_task_group() as group:
            group.start_soon(send_first)
            while not upstream.requests:  # the first call is with the model
                await anyio.sleep(0.01)
            in_progress = await said(gateway, CHAT, key, chat_body("mistral-small-hds"))
            upstream.gate.set()
    reused = await said(gateway, CHAT, key, chat_body("mistral-small-hds", "Autre lettre."))

    assert first[0].status_code == 200
    assert in_progress == (
        409,
        "request_in_progress",
        "La même requête est déjà en cours : réessayez dans un instant.",
        "The same request is already under way: try again in a moment.",
    )
    assert reused == (
        422,
        "idempotency_key_reused",
        "Cette clé d'idempotence a déjà servi pour une autre requête.",
        "This idempotency key already served another request.",
    )


async def test_a_closed_gateway_says_why_in_the_callers_language(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, tmp_path: Path
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("providers: [oops")
    async with make_gateway_client(
        gateway_settings.model_copy(update={"gateway_policy_file": path})
    ) as client:
        answer = await said(client, MODELS, auth(CLAIRE))

    assert answer == (
        503,
        "policy_unavailable",
        "La passerelle refuse toutes les requêtes : aucune politique d'usage valide n'a pu être chargée"
        f" (fichier {path} invalide : Ligne 1 : YAML illisible : liste non fermée (« , » ou « ] » attendu))."
        " Prévenez le coordinateur IA.",
        "The gateway refuses every request: no valid usage policy could be loaded (file"
        f" {path} invalid: Line 1: unreadable YAML: list not closed (« , » or « ] » expected)). Tell the AI"
        " coordinator.",
    )


async def test_a_failing_provider_is_reported_in_the_callers_language(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    upstream.fail_with = [500, 500, 500, 500]  # each language: the try and its retry
    failed = await said(gateway, CHAT, auth(CLAIRE), chat_body("mistral-small-hds"))
    upstream.fail_with = [401, 401]
    refused = await said(gateway, CHAT, auth(CLAIRE), chat_body("mistral-small-hds"))

    assert failed == (
        502,
        "upstream_error",
        "Le fournisseur du modèle « mistral-small-hds » a échoué (HTTP 500). Réessayez dans un instant.",
        "The provider of model « mistral-small-hds » failed (HTTP 500). Try again in a moment.",
    )
    assert refused == (
        502,
        "upstream_auth_failed",
        "Le fournisseur du modèle « mistral-small-hds » a refusé les identifiants de la passerelle.",
        "The provider of model « mistral-small-hds » refused the gateway's credentials.",
    )


async def test_a_silent_provider_is_reported_in_the_callers_language(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    upstreams = dict(gateway_settings.gateway_upstreams)
    upstreams["hds_vllm"] = UpstreamSettings(base_url="http://upstream.test/v1", timeout_seconds=0.05)
    upstream.hang = True
    async with make_gateway_client(
        gateway_settings.model_copy(update={"gateway_upstreams": upstreams})
    ) as client:
        answer = await said(client, CHAT, auth(CLAIRE), chat_body("mistral-small-hds"))

    assert answer == (
        504,
        "upstream_timeout",
        "Le fournisseur du modèle « mistral-small-hds » n'a pas répondu à temps. Réessayez dans un instant.",
        "The provider of model « mistral-small-hds » did not answer in time. Try again in a moment.",
    )
