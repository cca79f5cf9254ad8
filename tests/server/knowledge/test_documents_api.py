"""Knowledge documents through the API: upload → search → re-index → delete, and bad input refused."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import psycopg
import pytest

from tests.server.knowledge.conftest import COLLECTION
from tools.doctext.bounded import ReadingLimits
from tools.doctext.settings import ReadingSettings

pytestmark = pytest.mark.anyio
DOCUMENTS = Path(__file__).resolve().parents[3] / "tools" / "tenant" / "data" / "documents"
PARKING = (
    "Règles de stationnement du CHRU Exemple\n\n"
    "Le parking P3 est réservé au personnel de nuit. Les vignettes de stationnement se retirent "
    "à l'accueil du bâtiment administratif, sur présentation du badge professionnel.\n"
)


async def test_an_uploaded_document_is_searchable_at_once_with_its_locators(upload, client, as_user):
    response = await upload("rigtt.pdf", (DOCUMENTS / "rigtt.pdf").read_bytes())

    assert response.status_code == 201
    document = response.json()
    assert (document["title"], document["media_type"], document["pages"]) == ("rigtt", "application/pdf", 18)
    assert document["chunks"] > 18
    found = await client.post(
        f"/api/knowledge/{COLLECTION}/search",
        json={"query": "Comment est compensée une astreinte de 24 heures ?", "top": 5},
        headers=as_user("nadia.benali"),
    )
    assert found.status_code == 200
    passages = found.json()["passages"]
    assert len(passages) == 5
    assert {p["document_id"] for p in passages} == {document["id"]}
    assert any("6 heures de récupération" in p["text"] for p in passages)
    assert all(p["locator"].startswith("page ") for p in passages)
    assert passages == sorted(passages, key=lambda p: -p["score"])


async def test_a_deleted_document_disappears_from_search_at_once(upload, client, as_user):
    kept = (await upload("rigtt.pdf", (DOCUMENTS / "rigtt.pdf").read_bytes())).json()
    removed = (await upload("stationnement.txt", PARKING.encode())).json()
    query = {"query": "Où retirer une vignette de stationnement ?", "top": 3}
    url = f"/api/knowledge/{COLLECTION}/search"

    before = (await client.post(url, json=query, headers=as_user("nadia.benali"))).json()["passages"]
    deleted = await client.delete(
        f"/api/knowledge/{COLLECTION}/documents/{removed['id']}", headers=as_user("sophie.girard")
    )
    after = (await client.post(url, json=query, headers=as_user("nadia.benali"))).json()["passages"]
    listed = (
        await client.get(f"/api/knowledge/{COLLECTION}/documents", headers=as_user("nadia.benali"))
    ).json()

    assert before[0]["document_id"] == removed["id"]
    assert deleted.status_code == 204
    assert {p["document_id"] for p in after} == {kept["id"]}
    assert [d["id"] for d in listed] == [kept["id"]]


async def test_reindexing_swaps_the_chunks_and_keeps_the_document(upload, client, as_user, database_url):
    document = (await upload("stationnement.txt", PARKING.encode())).json()

    response = await client.post(
        f"/api/knowledge/{COLLECTION}/documents/{document['id']}/reindex", headers=as_user("thomas.roux")
    )

    assert response.status_code == 200
    assert {k: v for k, v in response.json().items() if k != "indexed_at"} == {
        k: v for k, v in document.items() if k != "indexed_at"
    }
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT count(*) FROM knowledge_chunks WHERE document_id = %s", (document["id"],))
        assert rows.fetchone()[0] == document["chunks"]


async def test_a_search_is_metered_under_the_user_who_made_it(
    upload, client, as_user, knowledge_app, database_url
):
    await upload("stationnement.txt", PARKING.encode())

    found = await client.post(
        f"/api/knowledge/{COLLECTION}/search",
        json={"query": "Où retirer une vignette de stationnement ?", "top": 3},
        headers=as_user("nadia.benali"),
    )
    await knowledge_app.state.context.knowledge.embedder.settled()

    assert found.status_code == 200
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT caller_name, operation, used_model, input_tokens > 0 FROM gateway_usage "
            "WHERE caller_name LIKE 'nadia.benali%%'"
        ).fetchall()
    assert rows == [("nadia.benali@chru-exemple.fr", "embeddings", "all-minilm-l6-v2", True)]


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n....", 415, "unsupported_type"),
        ("rigtt.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> garbage", 422, "unreadable_document"),
        ("note.docx", b"this is not a zip file", 422, "unreadable_document"),
        ("vide.txt", b"  \n\n  ", 422, "empty_document"),
    ],
)
async def test_bad_files_are_refused_clearly_and_nothing_is_stored(
    upload, client, as_user, database_url, name, data, status, code
):
    response = await upload(name, data)

    assert (response.status_code, response.json()["error"]) == (status, code)
    with psycopg.connect(database_url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM knowledge_documents), (SELECT count(*) FROM knowledge_chunks)"
        ).fetchone()
    assert counts == (0, 0)


@pytest.mark.parametrize("reading_settings", [ReadingSettings(timeout_seconds=0.01)])
async def test_a_document_whose_reading_runs_past_its_limits_is_refused_and_nothing_is_stored(
    upload, database_url
):
    response = await upload("stationnement.txt", PARKING.encode())

    assert (response.status_code, response.json()["error"]) == (422, "document_too_complex")
    with psycopg.connect(database_url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM knowledge_documents), (SELECT count(*) FROM knowledge_chunks)"
        ).fetchone()
    assert counts == (0, 0)


async def test_a_stored_document_read_again_past_its_limits_is_refused_and_left_as_it_was(
    upload, client, as_user, knowledge_app, database_url
):
    document = (await upload("stationnement.txt", PARKING.encode())).json()
    knowledge_app.state.context.knowledge.reading = ReadingLimits(timeout_seconds=0.01)  # tightened since

    answers = [
        await client.post(
            f"/api/knowledge/{COLLECTION}/documents/{document['id']}/reindex", headers=as_user("thomas.roux")
        ),
        await client.get(f"/api/documents/knowledge/{document['id']}", headers=as_user("nadia.benali")),
    ]

    assert [(a.status_code, a.json()["error"]) for a in answers] == [(422, "document_too_complex")] * 2
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT count(*) FROM knowledge_chunks WHERE document_id = %s", (document["id"],))
        assert rows.fetchone()[0] == document["chunks"]


async def test_an_empty_docx_is_refused(upload):
    buffer = io.BytesIO()
    docx.Document().save(buffer)

    response = await upload("vide.docx", buffer.getvalue())

    assert (response.status_code, response.json()["error"]) == (422, "empty_document")


async def test_an_oversized_upload_gets_413_stating_the_limit(upload, knowledge_app):
    limit = knowledge_app.state.context.knowledge.max_upload_bytes

    response = await upload("gros.txt", b"mot " * (limit // 4 + 1))

    assert (response.status_code, response.json()["error"]) == (413, "document_too_large")
    assert "20 Mo" in response.json()["detail"]


async def test_editors_of_the_assistant_manage_its_documents_and_its_users_read_them(upload, client, as_user):
    refused = await upload("stationnement.txt", PARKING.encode(), user="nadia.benali")
    stored = await upload("stationnement.txt", PARKING.encode(), user="thomas.roux")
    no_assistant = await client.get(
        "/api/knowledge/pas-un-assistant/documents", headers=as_user("thomas.roux")
    )
    staff = await client.get(f"/api/knowledge/{COLLECTION}/documents", headers=as_user("karim.haddad"))

    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    assert stored.status_code == 201
    assert (no_assistant.status_code, no_assistant.json()["error"]) == (404, "collection_not_found")
    assert [d["id"] for d in staff.json()] == [stored.json()["id"]]


async def test_unknown_documents_and_bad_collection_names_are_404(client, as_user):
    headers = as_user("sophie.girard")

    missing = await client.delete(
        f"/api/knowledge/{COLLECTION}/documents/00000000-0000-0000-0000-000000000000", headers=headers
    )
    not_uuid = await client.post(f"/api/knowledge/{COLLECTION}/documents/abc/reindex", headers=headers)
    bad = await client.post("/api/knowledge/Not%20A%20Name/search", json={"query": "x"}, headers=headers)

    assert [r.json()["error"] for r in (missing, not_uuid, bad)] == [
        "document_not_found",
        "document_not_found",
        "collection_not_found",
    ]


async def test_docx_and_txt_chunks_carry_their_headings(upload, client, as_user):
    note = await upload(
        "note-astreintes.docx", (DOCUMENTS / "note-service-astreintes-2025-014.docx").read_bytes()
    )
    text = await upload("guide.txt", b"# Accueil\n\nLe badge est remis le premier jour par le cadre.\n")

    found = await client.post(
        f"/api/knowledge/{COLLECTION}/search",
        json={"query": "délai de déclaration des interventions", "top": 3},
        headers=as_user("nadia.benali"),
    )

    assert note.status_code == text.status_code == 201
    assert found.json()["passages"][0]["locator"] == "section « 4. Déclaration des interventions »"


async def test_full_text_meets_words_typed_without_accents_and_their_synonyms(upload, client, as_user):
    fleet = "Véhicules de service\n\nLe véhicule de service se réserve auprès du garage central.\n"
    await upload("stationnement.txt", PARKING.encode())
    await upload("vehicules.txt", fleet.encode())
    url = f"/api/knowledge/{COLLECTION}/search"

    async def full_text_hits(query: str) -> list[str]:
        found = await client.post(url, json={"query": query, "top": 10}, headers=as_user("nadia.benali"))
        return [p["text"] for p in found.json()["passages"] if p["text_rank"] is not None]

    # « batiment » typed without its accent: the passage says « bâtiment ».
    assert any("bâtiment administratif" in text for text in await full_text_hits("batiment"))
    # « voiture » is in no document; the thesaurus's « véhicule » is.
    assert any("garage central" in text for text in await full_text_hits("voiture"))
    assert await full_text_hits("cantine") == []


async def test_a_refusal_reads_in_english_when_the_client_asks_for_it(client, as_user):
    url = f"/api/knowledge/{COLLECTION}/documents"
    files = {"file": ("note.docx", b"this is not a zip file")}
    french = await client.post(url, files=files, headers=as_user("sophie.girard"))
    english = await client.post(
        url, files=files, headers=as_user("sophie.girard") | {"Accept-Language": "en"}
    )

    assert [(french.status_code, french.json()), (english.status_code, english.json())] == [
        (
            422,
            {
                "error": "unreadable_document",
                "detail": "« note.docx » n'est pas un fichier DOCX lisible (fichier corrompu ?).",
            },
        ),
        (
            422,
            {
                "error": "unreadable_document",
                "detail": "« note.docx » is not a readable DOCX file (corrupt file?).",
            },
        ),
    ]


async def test_the_gateways_refusal_of_the_embeddings_is_quoted_in_the_callers_language(
    knowledge_app, client, as_user, database_url
):
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO gateway_policy_versions (version, document, author_email)"
            " VALUES (1, 'providers: [oops', 'a')"
        )
    knowledge_app.state.gateway.store.expire()  # as the notice of a version saved elsewhere does
    url = f"/api/knowledge/{COLLECTION}/documents"
    files = {"file": ("stationnement.txt", PARKING.encode())}
    sophie = as_user("sophie.girard")

    french = await client.post(url, files=files, headers=sophie)
    english = await client.post(url, files=files, headers=sophie | {"Accept-Language": "en"})

    assert [(french.status_code, french.json()), (english.status_code, english.json())] == [
        (
            503,
            {
                "error": "embeddings_unavailable",
                "detail": "Le calcul des embeddings a échoué : La passerelle refuse toutes les requêtes :"
                " aucune politique d'usage valide n'a pu être chargée (version enregistrée 1 invalide : Ligne"
                " 1 : YAML illisible : liste non fermée (« , » ou « ] » attendu)). Prévenez le coordinateur"
                " IA.",
            },
        ),
        (
            503,
            {
                "error": "embeddings_unavailable",
                "detail": "Computing the embeddings failed: The gateway refuses every request: no valid usage"
                " policy could be loaded (saved version 1 invalid: Line 1: unreadable YAML: list not closed"
                " (« , » or « ] » expected)). Tell the AI coordinator.",
            },
        ),
    ]
