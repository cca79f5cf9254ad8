"""The document question workflow end to end, extractive (no generative model configured)."""

import pytest

from agents.citations import quote_is_in
from tools.tenant.graph import load_content

pytestmark = pytest.mark.anyio


def _section_text(document_id: str, locator: str) -> str:
    content = load_content(None)
    document = next(doc for doc in content.documents.values() if doc.item.id == document_id)
    return next(section.text for section in document.sections if section.locator == locator)


async def test_on_call_question_is_answered_from_the_regulation_and_the_note_with_checked_quotes(ask):
    _, run = await ask(
        "nadia.benali", "Comment est compensé mon temps d'astreinte ?", workflow="document_question"
    )

    assert (run["status"], run["mode"]) == ("done", "extractive")
    assert run["citations"]
    for citation in run["citations"]:
        assert citation["source"] == "document"
        item_id = citation["id"].rsplit(":", 1)[-1]  # the documents tool's ids are `drive:item`
        assert item_id in {"doc-rigtt", "doc-note-astreintes-2025-014"}
        assert "astreinte" in citation["quote"].lower()
        assert quote_is_in(citation["quote"], _section_text(item_id, citation["locator"]))


async def test_a_question_the_documents_do_not_cover_gets_no_invented_rule(ask):
    _, run = await ask("nadia.benali", "Où puis-je garer ma voiture ?", workflow="document_question")

    assert run["citations"] == []
    assert run["answer"] == "Les documents de référence ne couvrent pas cette question."


async def test_messages_are_routed_to_the_right_workflow(ask):
    _, meeting = await ask("claire.dubois", "Résume le comité de pilotage IA du 24 novembre")
    _, document = await ask("claire.dubois", "Combien de jours puis-je placer sur le compte épargne-temps ?")

    assert (meeting["workflow"], document["workflow"]) == ("meeting_summary", "document_question")


async def test_an_unknown_workflow_is_refused_clearly(ask):
    _, run = await ask("claire.dubois", "Bonjour", workflow="horoscope")

    assert run["status"] == "failed"
    assert run["error"]["code"] == "unknown_workflow"
