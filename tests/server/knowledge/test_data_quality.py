"""Data quality of a knowledge collection, as governance measures it and the map shows it.

Past its review date, a copy of another document (same file, or the same text in another file), pages
that gave no text (a scan inside a PDF), never cited by an answer.
"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pypdf
import pytest

from tests.server.knowledge.conftest import COLLECTION, Upload
from tests.server.knowledge.test_assistants_answer_from_documents import Headers, _ask

pytestmark = pytest.mark.anyio
DOCUMENTS = Path(__file__).resolve().parents[3] / "tools" / "tenant" / "data" / "documents"
PARKING = "Le parking P3 est réservé au personnel de nuit ; les vignettes se retirent à l'accueil.\n"


def with_blank_page(pdf: bytes, at: int) -> tuple[bytes, int]:
    """The PDF with an empty page (as a scan without text layer reads) inserted; its page count."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    box = reader.pages[0].mediabox
    writer.insert_blank_page(width=box.width, height=box.height, index=at)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(reader.pages) + 1


async def test_the_map_counts_documents_past_review_copies_scanned_pages_and_never_cited(
    upload: Upload, client: httpx.AsyncClient, as_user: Headers
) -> None:
    rigtt = (DOCUMENTS / "rigtt.pdf").read_bytes()
    scanned, pages = with_blank_page((DOCUMENTS / "procedure-accident-de-service.pdf").read_bytes(), 1)
    uploaded = {}
    for name, data in [
        ("rigtt.pdf", rigtt),
        ("rigtt-copie.pdf", rigtt),
        ("procedure-accident.pdf", scanned),
        ("parking.txt", PARKING.encode()),
        ("parking-bis.txt", b"\xef\xbb\xbf" + PARKING.encode()),  # other bytes, the same text
    ]:
        response = await upload(name, data)
        assert response.status_code == 201, response.text
        uploaded[name] = response.json()
    review = await client.patch(
        f"/api/knowledge/{COLLECTION}/documents/{uploaded['rigtt.pdf']['id']}",
        json={"review_by": "2025-01-31"},
        headers=as_user("sophie.girard"),
    )
    refused = await client.patch(
        f"/api/knowledge/{COLLECTION}/documents/{uploaded['parking.txt']['id']}",
        json={"review_by": "2030-01-01"},
        headers=as_user("nadia.benali"),
    )
    answer = await _ask(client, as_user("nadia.benali"), COLLECTION, "Comment est compensée une astreinte ?")
    cited = {citation["id"] for citation in answer["citations"]}

    admin = as_user("thomas.roux")
    quality = await client.get("/api/governance/quality", headers=admin)
    sheet = await client.get(f"/api/governance/systems/assistant:{COLLECTION}", headers=admin)
    system = sheet.json()
    staff = await client.get("/api/governance/quality", headers=as_user("nadia.benali"))

    assert (review.status_code, review.json()["review_by"]) == (200, "2025-01-31")
    assert refused.status_code == 403
    assert cited
    assert cited <= {uploaded["rigtt.pdf"]["id"], uploaded["rigtt-copie.pdf"]["id"]}
    assert quality.status_code == 200, quality.text
    [coach] = [found for found in quality.json() if found["collection"] == COLLECTION]
    ids = {document["id"]: name for name, document in uploaded.items()}
    issues = sorted((ids[item["id"]], item["issue"], item["detail"]) for item in coach["issues"])
    never_cited = [(name, "unreached", "") for name in uploaded if uploaded[name]["id"] not in cited]
    assert issues == sorted(
        [
            ("rigtt.pdf", "review_due", "2025-01-31"),
            ("rigtt-copie.pdf", "duplicate", "rigtt"),
            ("procedure-accident.pdf", "without_text", f"1/{pages}"),
            ("parking-bis.txt", "duplicate", "parking"),
            *never_cited,
        ]
    )
    assert coach["counts"] == {
        "documents": 5, "review_due": 1, "duplicates": 2, "without_text": 1, "unreached": len(never_cited),
    }  # fmt: skip
    assert (system["quality"], "knowledge_quality" in system["flags"]) == (coach["counts"], True)
    assert staff.status_code == 403


async def test_blank_pages_at_the_end_of_a_pdf_are_counted_as_pages_without_text(
    upload: Upload, client: httpx.AsyncClient, as_user: Headers
) -> None:
    original = (DOCUMENTS / "procedure-accident-de-service.pdf").read_bytes()
    text_pages = len(pypdf.PdfReader(io.BytesIO(original)).pages)
    once, _ = with_blank_page(original, text_pages)  # after the last page with text
    twice, pages = with_blank_page(once, text_pages + 1)

    response = await upload("procedure-scannee.pdf", twice)
    quality = await client.get("/api/governance/quality", headers=as_user("thomas.roux"))

    assert response.status_code == 201, response.text
    assert response.json()["pages"] == pages == text_pages + 2
    [coach] = [found for found in quality.json() if found["collection"] == COLLECTION]
    assert [(item["issue"], item["detail"]) for item in coach["issues"] if item["issue"] != "unreached"] == [
        ("without_text", f"2/{pages}")
    ]
    assert coach["counts"]["without_text"] == 1
