"""Attaching files to a conversation: its owner only, within limits, read by the ingestion's readers.

The file and its passages live in PostgreSQL with the conversation, and go with it.
"""

from __future__ import annotations

import io

import httpx
import pytest
from docx import Document
from fastapi import FastAPI
from pypdf import PdfWriter

from server.attachments.service import MAX_FILES, MAX_PAGES, UPLOADS_PER_WINDOW
from server.intake.settings import IntakeSettings
from tests.server.attachments.conftest import Headers, attach, new_thread
from tools.doctext.settings import ReadingSettings
from tools.tenant.scans.build import documents, render

pytestmark = pytest.mark.anyio

PROCEDURE = """# Prêt de matériel informatique

Le service informatique prête des ordinateurs portables aux agents en formation pour une durée
maximale de quinze jours ouvrés. La demande de prêt se fait sur le portail du support au moins trois
jours avant la date souhaitée.

# Restitution

Le matériel est restitué au support du bâtiment B, qui vérifie son état et efface les données locales
avant tout nouveau prêt.
"""


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    document.add_heading("Astreintes du service", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    sink = io.BytesIO()
    document.save(sink)
    return sink.getvalue()


async def _rows(app: FastAPI, thread: str) -> tuple[int, int]:
    async with app.state.context.pool.connection() as conn:
        files = await (
            await conn.execute("SELECT count(*) AS n FROM thread_attachments WHERE thread_id = %s", (thread,))
        ).fetchone()
        chunks = await (
            await conn.execute(
                "SELECT count(*) AS n FROM thread_attachment_chunks WHERE thread_id = %s", (thread,)
            )
        ).fetchone()
    assert files is not None
    assert chunks is not None
    return int(files["n"]), int(chunks["n"])


async def test_a_text_file_is_read_into_passages_and_listed_for_its_conversation(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)

    stored = await attach(client, nadia, thread, "../dossier/pret-materiel.txt", PROCEDURE.encode())

    assert stored.status_code == 201, stored.text
    body = stored.json()
    assert (body["filename"], body["media_type"], body["ocr"]) == ("pret-materiel.txt", "text/plain", False)
    assert body["thread_id"] == thread
    assert body["size_bytes"] == len(PROCEDURE.encode())
    assert body["chunks"] >= 2  # one per section at least
    listed = await client.get(f"/api/threads/{thread}/attachments", headers=nadia)
    assert [item["id"] for item in listed.json()] == [body["id"]]
    content = await client.get(f"/api/threads/{thread}/attachments/{body['id']}/content", headers=nadia)
    assert content.content == PROCEDURE.encode()
    assert content.headers["content-disposition"] == "attachment; filename*=UTF-8''pret-materiel.txt"
    assert content.headers["content-type"] == "application/octet-stream"


async def test_a_docx_file_is_read_with_its_headings(client: httpx.AsyncClient, as_user: Headers) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)

    stored = await attach(
        client, nadia, thread, "astreintes.docx", _docx("Les astreintes du week-end sont payées double.")
    )

    assert stored.status_code == 201, stored.text
    assert stored.json()["media_type"].endswith("wordprocessingml.document")
    assert stored.json()["chunks"] == 1


async def test_another_user_can_neither_see_nor_touch_the_attachments(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia, claire = as_user("nadia.benali"), as_user("claire.dubois")
    thread = await new_thread(client, nadia)
    stored = (await attach(client, nadia, thread, "pret.txt", PROCEDURE.encode())).json()
    base = f"/api/threads/{thread}/attachments"

    answers = [
        await client.get(base, headers=claire),
        await attach(client, claire, thread, "intrus.txt", PROCEDURE.encode()),
        await client.get(f"{base}/{stored['id']}/content", headers=claire),
        await client.delete(f"{base}/{stored['id']}", headers=claire),
    ]

    assert [(a.status_code, a.json()["error"]) for a in answers] == [(404, "thread_not_found")] * 4
    assert len((await client.get(base, headers=nadia)).json()) == 1
    assert (await client.get(base)).status_code == 401


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("outil.exe", b"MZ\x90\x00", 415, "unsupported_type"),
        ("page.html", b"<script>alert(1)</script>", 415, "unsupported_type"),
        ("faux.pdf", b"<html>pas un PDF</html>", 422, "unreadable_document"),
        ("faux.docx", b"PK\x03\x04 pas un docx", 422, "unreadable_document"),
        ("binaire.txt", b"abc\x00def", 422, "unreadable_document"),
        ("vide.txt", b"   \n\n ", 422, "empty_document"),
        ("photo.png", b"GIF89a pas un PNG", 422, "unreadable_document"),
    ],
)
async def test_a_file_of_the_wrong_kind_is_refused_in_french_and_nothing_is_stored(
    attachments_app: FastAPI,
    client: httpx.AsyncClient,
    as_user: Headers,
    name: str,
    data: bytes,
    status: int,
    code: str,
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)

    refused = await attach(client, nadia, thread, name, data)

    assert (refused.status_code, refused.json()["error"]) == (status, code), refused.text
    assert "«" in refused.json()["detail"] or "Format" in refused.json()["detail"]
    assert await _rows(attachments_app, thread) == (0, 0)


async def test_a_request_without_a_file_is_refused(client: httpx.AsyncClient, as_user: Headers) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    url = f"/api/threads/{thread}/attachments"

    answers = [
        await client.post(url, headers=nadia),
        await client.post(url, json={"file": "pret.txt"}, headers=nadia),
        await client.post(url, data={"other": "x"}, files={"autre": ("a.txt", b"texte")}, headers=nadia),
        await client.post(
            url, content=b"--x\r\nbroken", headers=nadia | {"content-type": "multipart/form-data"}
        ),
    ]

    assert [(a.status_code, a.json()["error"]) for a in answers] == [(400, "invalid_request")] * 4


async def test_a_file_over_the_size_limit_is_refused_with_the_limit(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    limit = attachments_app.state.context.attachments.max_bytes

    refused = await attach(client, nadia, thread, "gros.txt", b"a " * (limit // 2 + 1))

    assert (refused.status_code, refused.json()["error"]) == (413, "attachment_too_large")
    assert f"({limit // (1024 * 1024)} Mo)" in refused.json()["detail"]


async def test_a_conversation_holds_a_bounded_number_of_files(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    for number in range(MAX_FILES):
        added = await attach(
            client, nadia, thread, f"note-{number}.txt", f"Note numéro {number} du service.".encode()
        )
        assert added.status_code == 201, added.text

    refused = await attach(client, nadia, thread, "une-de-trop.txt", b"Encore une note du service.")

    assert (refused.status_code, refused.json()["error"]) == (413, "attachment_limit")


@pytest.mark.parametrize("reading_settings", [ReadingSettings(timeout_seconds=0.01)])
async def test_a_file_whose_reading_runs_past_its_limits_is_refused_and_nothing_is_stored(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)

    refused = await attach(client, nadia, thread, "astreintes.docx", _docx("Le cadre d'astreinte est joint."))

    assert (refused.status_code, refused.json()["error"]) == (422, "document_too_complex")
    assert "« astreintes.docx »" in refused.json()["detail"]
    assert await _rows(attachments_app, thread) == (0, 0)


async def test_a_pdf_over_the_page_cap_is_refused_before_its_text_is_read(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    writer = PdfWriter()
    for _ in range(MAX_PAGES + 1):
        writer.add_blank_page(width=595, height=842)
    sink = io.BytesIO()
    writer.write(sink)

    refused = await attach(client, nadia, thread, "registre.pdf", sink.getvalue())

    assert (refused.status_code, refused.json()["error"]) == (413, "attachment_limit")
    assert f"{MAX_PAGES} pages" in refused.json()["detail"]
    assert await _rows(attachments_app, thread) == (0, 0)


async def test_a_user_attaching_too_many_files_in_the_window_is_told_when_to_try_again(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia, thomas = as_user("nadia.benali"), as_user("thomas.roux")
    thread = await new_thread(client, nadia)
    # Refused files count too: each one started a reading (here refused before any process starts).
    for number in range(UPLOADS_PER_WINDOW):
        answer = await attach(client, nadia, thread, f"outil-{number}.exe", b"MZ\x90\x00")
        assert answer.status_code == 415, answer.text

    refused = await attach(client, nadia, thread, "pret.txt", PROCEDURE.encode())
    others = await attach(client, thomas, await new_thread(client, thomas), "pret.txt", PROCEDURE.encode())

    assert (refused.status_code, refused.json()["error"]) == (429, "too_many_attachments")
    assert refused.headers["retry-after"] == "600"
    assert others.status_code == 201, others.text


async def test_a_scanned_image_is_read_by_ocr(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    sample = render(next(d for d in documents() if d.id == "scan-05"))  # a PNG scan of a letter

    stored = await attach(client, nadia, thread, "courrier.png", sample.data)

    assert stored.status_code == 201, stored.text
    assert (stored.json()["media_type"], stored.json()["ocr"], stored.json()["pages"]) == (
        "image/png",
        True,
        1,
    )
    async with attachments_app.state.context.pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT locator, text FROM thread_attachment_chunks WHERE thread_id = %s", (thread,)
        )
        chunks = await cursor.fetchall()
    assert {chunk["locator"] for chunk in chunks} == {"page 1"}
    assert "KOWALSKI" in " ".join(chunk["text"] for chunk in chunks)  # the patient's name, as printed


async def test_without_ocr_an_image_is_refused_with_a_clear_reason(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    attachments_app.state.context.attachments.intake = IntakeSettings(tesseract="no-such-tesseract")
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)

    refused = await attach(client, nadia, thread, "scan.png", render(documents()[4]).data)

    assert (refused.status_code, refused.json()["error"]) == (415, "ocr_unavailable")
    assert "PDF, DOCX ou TXT" in refused.json()["detail"]


async def test_a_removed_attachment_leaves_with_its_passages(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    stored = (await attach(client, nadia, thread, "pret.txt", PROCEDURE.encode())).json()
    url = f"/api/threads/{thread}/attachments/{stored['id']}"

    assert (await client.delete(url, headers=nadia)).status_code == 204
    again = await client.delete(url, headers=nadia)

    assert (again.status_code, again.json()["error"]) == (404, "attachment_not_found")
    assert await _rows(attachments_app, thread) == (0, 0)


async def test_deleting_the_conversation_deletes_its_files_and_passages(
    attachments_app: FastAPI, client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    await attach(client, nadia, thread, "pret.txt", PROCEDURE.encode())
    assert (await _rows(attachments_app, thread))[0] == 1

    assert (await client.delete(f"/api/threads/{thread}", headers=nadia)).status_code == 204

    assert await _rows(attachments_app, thread) == (0, 0)
    gone = await client.get(f"/api/threads/{thread}/attachments", headers=nadia)
    assert gone.status_code == 404


async def test_a_refusal_reads_in_english_when_the_client_asks_for_it(
    client: httpx.AsyncClient, as_user: Headers
) -> None:
    nadia = as_user("nadia.benali")
    thread = await new_thread(client, nadia)
    english = nadia | {"Accept-Language": "en"}
    # A PNG header on damaged bytes: refused by the scan reader, which runs in a subprocess of its own.
    damaged = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    answers = [
        await attach(client, headers, thread, name, data)
        for headers in (nadia, english)
        for name, data in (("photo.png", b"GIF89a pas un PNG"), ("scan.png", damaged))
    ]

    assert [(a.status_code, a.json()) for a in answers] == [
        (
            422,
            {
                "error": "unreadable_document",
                "detail": "« photo.png » n'est pas une image lisible (fichier corrompu ?).",
            },
        ),
        (422, {"error": "unreadable_scan", "detail": "« scan.png » : Fichier illisible ou endommagé."}),
        (
            422,
            {
                "error": "unreadable_document",
                "detail": "« photo.png » is not a readable image (corrupt file?).",
            },
        ),
        (422, {"error": "unreadable_scan", "detail": "« scan.png »: Unreadable or damaged file."}),
    ]
