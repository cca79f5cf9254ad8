"""Questions on attached files: answered from them, cited like documents, through the gateway.

The passages reach the model inside the workflow's prompt, over `/v1`: the gateway classifies them
like any content it forwards (health data raises the request's class), and meters the call.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from agents.citations import quote_is_in
from evals.scripted_model import ScriptedChatModel
from tests.server.attachments.conftest import Headers, ask, attach, new_thread
from tests.server.attachments.test_attachments_api import PROCEDURE

pytestmark = pytest.mark.anyio

QUESTION = "Combien de temps dure le prêt d'un ordinateur portable en formation ?"
HEALTH_NOTE = """Compte rendu de consultation.

Jean Dupont a un cancer du poumon, stade 3. Son traitement par chimiothérapie commence le 12 janvier
et la consultation de suivi aura lieu en oncologie au bout de trois semaines.
"""


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_a_question_on_an_attached_file_is_answered_from_it_with_citations(
    client: httpx.AsyncClient, as_user: Headers, scripted_model: ScriptedChatModel
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    stored = (await attach(client, nadia, thread, "pret-materiel.txt", PROCEDURE.encode())).json()

    done = await ask(client, nadia, thread, QUESTION)

    assert (done["status"], done["workflow"], done["mode"]) == ("done", "attachment_question", "generative")
    assert done["citations"], done["answer"]
    for citation in done["citations"]:
        assert (citation["source"], citation["id"], citation["title"]) == (
            "attachment",
            stored["id"],
            "pret-materiel.txt",
        )
        assert quote_is_in(citation["quote"], PROCEDURE)
    assert "[1]" in done["answer"]
    assert "quinze jours" in scripted_model.prompts[-1][-1]["content"]  # the passages, sent to the model


async def test_without_a_model_the_passages_of_the_file_are_shown_and_cited(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    stored = (await attach(client, nadia, thread, "pret-materiel.txt", PROCEDURE.encode())).json()

    done = await ask(client, nadia, thread, QUESTION)

    assert (done["workflow"], done["mode"]) == ("attachment_question", "extractive")
    assert done["answer"].startswith("D'après les fichiers joints :")
    assert {citation["id"] for citation in done["citations"]} == {stored["id"]}
    assert any("quinze jours" in citation["quote"] for citation in done["citations"])


async def test_a_later_question_the_files_do_not_cover_goes_to_the_usual_workflows(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    await attach(client, nadia, thread, "pret-materiel.txt", PROCEDURE.encode())
    first = await ask(client, nadia, thread, QUESTION)

    later = await ask(client, nadia, thread, "Quelles sont mes réunions de demain ?")

    assert first["workflow"] == "attachment_question"
    assert later["workflow"] != "attachment_question"


async def test_files_of_another_conversation_are_never_read(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    with_file, without = await new_thread(client, nadia), await new_thread(client, nadia)
    await attach(client, nadia, with_file, "pret-materiel.txt", PROCEDURE.encode())

    done = await ask(client, nadia, without, QUESTION)

    assert done["workflow"] != "attachment_question"
    assert all(citation["source"] != "attachment" for citation in done.get("citations") or [])


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_the_gateway_classifies_the_attached_text_like_any_content(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers, scripted_model: ScriptedChatModel
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    await attach(client, nadia, thread, "consultation.txt", HEALTH_NOTE.encode())

    done = await ask(client, nadia, thread, "Quand commence le traitement ?")

    # Nadia may not send health data to a model: the gateway saw it in the passages and refused.
    assert (done["workflow"], done["mode"]) == ("attachment_question", "extractive")
    assert done["fallback"]["reason"] == "data_class_refused"
    assert scripted_model.prompts == []  # the model never received the note
    assert done["citations"][0]["source"] == "attachment"
    async with attachments_app.state.context.pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT operation, data_class, findings, status_code FROM gateway_usage WHERE caller_name = %s",
            ("nadia.benali@chru-exemple.fr",),
        )
        calls = await cursor.fetchall()
    [chat] = [call for call in calls if call["operation"] == "chat"]
    assert (chat["data_class"], chat["status_code"]) == ("health", 403)
    assert "health_about_person" in chat["findings"]
    # The file's own embedding at upload was classified too (and allowed: the local model may).
    assert "health" in {call["data_class"] for call in calls if call["operation"] == "embeddings"}


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_the_gateways_refusal_is_quoted_in_the_readers_language(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    details = []
    for headers in (nadia, nadia | {"Accept-Language": "en"}):
        thread = await new_thread(client, headers)
        await attach(client, headers, thread, "consultation.txt", HEALTH_NOTE.encode())
        done = await ask(client, headers, thread, "Quand commence le traitement ?")
        details.append(done["fallback"]["detail"])

    # The refusal is the gateway's, quoted in the run's language (the agents send it with each call).
    assert details == [
        "le modèle « mistral-small-hds » a été refusé pour ces données (Votre profil n'est pas habilité à"
        " envoyer des données de santé (détecté : personne nommée, vocabulaire médical, état de santé d'une"
        " personne) au modèle « mistral-small-hds ». Aucun modèle autorisé pour vous ne peut recevoir ces"
        " données)",
        "model « mistral-small-hds » was refused for this data (Your profile is not cleared to send health"
        " data (detected: named person, medical vocabulary, a person's state of health) to model"
        " « mistral-small-hds ». No model allowed for you may receive this data)",
    ]
