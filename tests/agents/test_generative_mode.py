"""Model nodes through the gateway, answered by the scripted model: citations are verified, drops kept."""

import psycopg
import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("generative", [True], indirect=True)]

REFERENCE = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points"


async def test_a_summary_written_by_an_allowed_model_keeps_its_checked_citations(ask, scripted_model):
    _, run = await ask("claire.dubois", REFERENCE)

    assert (run["status"], run["mode"]) == ("done", "generative")
    assert "Réponse extractive" not in run["answer"]
    assert [c["speaker"] for c in run["citations"]] == ["Hélène Marchal"] * 4
    prompt = scripted_model.prompts[-1][-1]["content"]
    assert "Nombre de points : 4" in prompt
    assert all(" Hélène Marchal: " in line for line in prompt.splitlines() if line.startswith("["))


async def test_an_invented_quote_is_dropped_and_recorded(ask, scripted_model, database_url):
    scripted_model.invent = True

    _, run = await ask("claire.dubois", REFERENCE)

    assert len(run["citations"]) == 3
    assert "fermer tous les services" not in str(run["citations"])
    with psycopg.connect(database_url) as conn:
        dropped = conn.execute("SELECT dropped FROM runs WHERE id = %s", (run["id"],)).fetchone()[0]
    assert [(item["reason"], item["citation"]["quote"]) for item in dropped] == [
        ("quote_not_found", "Nous allons fermer tous les services le week-end.")
    ]


async def test_document_answers_by_a_model_cite_the_passages_it_was_given(ask):
    _, run = await ask(
        "nadia.benali", "Comment est compensé mon temps d'astreinte ?", workflow="document_question"
    )

    assert run["mode"] == "generative"
    assert len(run["citations"]) == 1
    assert run["answer"].endswith("[1]")


async def test_an_allowed_model_routes_the_request(ask, scripted_model):
    _, run = await ask("claire.dubois", "Combien de jours puis-je placer sur le compte épargne-temps ?")

    assert run["workflow"] == "document_question"
    assert "Parcours possibles" in scripted_model.prompts[0][0]["content"]


async def test_an_unusable_model_reply_is_the_reason_given_and_recorded(ask, scripted_model):
    scripted_model.unusable = True

    _, run = await ask(
        "nadia.benali", "Que dit le règlement sur le travail de nuit ?", workflow="document_question"
    )

    assert run["mode"] == "extractive"
    assert run["fallback"]["reason"] == "model_unusable"
    assert "la réponse du modèle « mistral-small-hds » était inexploitable" in run["answer"]
    assert "aucun modèle génératif n'est configuré" not in run["answer"]
    assert [e["data"]["reason"] for e in run["events"] if e["event"] == "error"] == ["model_unusable"]


async def test_a_bug_in_a_model_node_fails_the_run_instead_of_passing_for_no_model(ask, monkeypatch):
    async def broken(*args, **kwargs):
        raise ValueError("a bug in the node's own code")

    monkeypatch.setattr("agents.documents.graph.generative_answer", broken)

    _, run = await ask(
        "nadia.benali", "Que dit le règlement sur le travail de nuit ?", workflow="document_question"
    )

    assert (run["status"], run["error"]["code"]) == ("failed", "internal_error")
