"""The intake through its API: import, read, structure, match, straight-through or validation, DPI."""

from __future__ import annotations

import hashlib
import json

import psycopg
import pytest

from server.intake.runtime import sweep_drop_folder
from tests.server.intake.conftest import ADMIN, OTHER, SECRETARY, IntakeApp, tiny_scan

pytestmark = pytest.mark.anyio


def auth(token_for, email: str = SECRETARY) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {token_for(email)}"}


async def upload(intake: IntakeApp, headers: dict[str, str], *files: tuple[str, bytes]) -> list[dict]:
    response = await intake.client.post(
        "/api/intake/documents",
        headers=headers,
        files=[("files", (name, data, "image/png")) for name, data in files],
    )
    assert response.status_code == 201, response.text
    return response.json()


def dpi_documents(intake: IntakeApp) -> list[dict]:
    path = intake.tenant_data / "systems" / "dpi-documents.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def test_a_sure_document_is_integrated_straight_through_into_its_stay(
    intake_app, sample_documents, token_for
):
    document = sample_documents[
        "scan-07"
    ]  # a lab result of one of the two Jean MARTIN, told apart by birth date
    [result] = await upload(intake_app, auth(token_for), ("scan-07.png", intake_app.ocr.register(document)))
    assert (result["duplicate"], result["document"]["status"]) == (False, "received")

    await intake_app.settled()

    detail = (
        await intake_app.client.get(
            f"/api/intake/documents/{result['document']['id']}", headers=auth(token_for)
        )
    ).json()
    assert (detail["status"], detail["route"]) == ("integrated", "straight_through")
    assert detail["match"]["ipp"] == document.truth["patient_ipp"]
    assert detail["match"]["nda"] == document.truth["nda"]
    assert [e["kind"] for e in detail["events"]] == [
        "received",
        "read",
        "structured",
        "matched",
        "straight_through",
        "integrated",
    ]
    [filed] = dpi_documents(intake_app)
    assert (filed["ipp"], filed["nda"], filed["type"], filed["key"]) == (
        document.truth["patient_ipp"],
        document.truth["nda"],
        "biologie",
        result["document"]["id"],
    )
    assert filed["id"] == detail["dpi_document_id"]


async def test_the_same_file_uploaded_twice_is_recognised_and_read_once(
    intake_app, sample_documents, token_for
):
    data = intake_app.ocr.register(sample_documents["scan-07"])
    [first] = await upload(intake_app, auth(token_for), ("courrier.png", data))
    [again] = await upload(intake_app, auth(token_for), ("courrier (copie).png", data))

    assert again["duplicate"] is True
    assert again["document"]["id"] == first["document"]["id"]
    await intake_app.settled()
    assert intake_app.ocr.calls == 1
    assert len(dpi_documents(intake_app)) == 1
    detail = (
        await intake_app.client.get(
            f"/api/intake/documents/{first['document']['id']}", headers=auth(token_for)
        )
    ).json()
    assert "duplicate" in [event["kind"] for event in detail["events"]]


async def test_a_scan_of_an_unknown_patient_waits_as_an_exception_and_is_never_integrated(
    intake_app, sample_documents, token_for
):
    document = sample_documents["scan-05"]  # Stéphane KOWALSKI: not a patient of the DPI
    [result] = await upload(intake_app, auth(token_for), ("scan-05.png", intake_app.ocr.register(document)))
    await intake_app.settled()

    queue = (
        await intake_app.client.get("/api/intake/documents?status=to_validate", headers=auth(token_for))
    ).json()
    assert [(d["id"], d["exception"]) for d in queue] == [(result["document"]["id"], "unknown_patient")]
    assert dpi_documents(intake_app) == []
    refused = await intake_app.client.post(
        f"/api/intake/documents/{result['document']['id']}/decision",
        headers=auth(token_for),
        json={"action": "accept"},
    )
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_choice")
    assert dpi_documents(intake_app) == []


async def test_the_secretary_picks_the_stay_and_corrects_a_field_and_it_is_integrated_with_the_trace(
    intake_app, sample_documents, token_for
):
    document = sample_documents["scan-05"]
    [result] = await upload(intake_app, auth(token_for), ("scan-05.png", intake_app.ocr.register(document)))
    await intake_app.settled()
    document_id = result["document"]["id"]
    decided = await intake_app.client.post(
        f"/api/intake/documents/{document_id}/decision",
        headers=auth(token_for),
        json={
            "action": "accept",
            "ipp": "9100000",
            "nda": "S26159607",
            "fields": {"nom": "MARTIN", "prenom": "Jean"},
        },
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "integrating"
    await intake_app.settled()

    detail = (
        await intake_app.client.get(f"/api/intake/documents/{document_id}", headers=auth(token_for))
    ).json()
    assert (detail["status"], detail["route"]) == ("integrated", "validation")
    validated = next(e for e in detail["events"] if e["kind"] == "validated")
    assert validated["actor"] == SECRETARY
    assert validated["detail"]["corrections"] == {
        "nom": {"from": "KOWALSKI", "to": "MARTIN"},
        "prenom": {"from": "Stéphane", "to": "Jean"},
    }
    assert detail["fields"]["nom"] == {"value": "MARTIN", "confidence": 1.0, "corrected": True}
    assert [(d["ipp"], d["nda"]) for d in dpi_documents(intake_app)] == [("9100000", "S26159607")]
    again = await intake_app.client.post(
        f"/api/intake/documents/{document_id}/decision", headers=auth(token_for), json={"action": "reject"}
    )
    assert (again.status_code, again.json()["error"]) == (409, "not_waiting")


async def test_a_stay_of_another_patient_is_refused(intake_app, sample_documents, token_for):
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-05"]))
    )
    await intake_app.settled()
    refused = await intake_app.client.post(
        f"/api/intake/documents/{result['document']['id']}/decision",
        headers=auth(token_for),
        json={"action": "accept", "ipp": "9100000", "nda": "S26288861"},  # Jean MARTIN (1971)'s stay
    )
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_choice")


async def test_a_rejected_document_is_never_integrated(intake_app, sample_documents, token_for):
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-05"]))
    )
    await intake_app.settled()
    rejected = await intake_app.client.post(
        f"/api/intake/documents/{result['document']['id']}/decision",
        headers=auth(token_for),
        json={"action": "reject", "reason": "Patient d'un autre établissement"},
    )
    assert rejected.json()["status"] == "rejected"
    await intake_app.settled()
    assert dpi_documents(intake_app) == []


async def test_only_the_medical_secretariat_sees_the_mail(intake_app, token_for):
    response = await intake_app.client.get("/api/intake/documents", headers=auth(token_for, OTHER))
    assert (response.status_code, response.json()["error"]) == (403, "forbidden")
    response = await intake_app.client.post(
        "/api/intake/documents",
        headers=auth(token_for, OTHER),
        files=[("files", ("a.png", tiny_scan("x"), "image/png"))],
    )
    assert response.status_code == 403


async def test_bad_files_get_clear_errors_and_store_nothing(intake_app, token_for):
    not_a_scan = await intake_app.client.post(
        "/api/intake/documents", headers=auth(token_for), files=[("files", ("a.txt", b"hello", "text/plain"))]
    )
    assert (not_a_scan.status_code, not_a_scan.json()["error"]) == (415, "unsupported_format")
    nothing = await intake_app.client.post("/api/intake/documents", headers=auth(token_for), data={"x": "1"})
    assert (nothing.status_code, nothing.json()["error"]) == (400, "invalid_request")
    unknown = await intake_app.client.get("/api/intake/documents/nope", headers=auth(token_for))
    assert (unknown.status_code, unknown.json()["error"]) == (404, "document_not_found")
    assert (await intake_app.client.get("/api/intake/documents", headers=auth(token_for))).json() == []


async def test_an_unreadable_scan_fails_with_its_reason_and_can_be_retried(intake_app, token_for):
    [result] = await upload(intake_app, auth(token_for), ("broken.png", tiny_scan("not registered")))
    await intake_app.settled()
    detail = (
        await intake_app.client.get(
            f"/api/intake/documents/{result['document']['id']}", headers=auth(token_for)
        )
    ).json()
    assert (detail["status"], detail["error"]) == ("failed", "Fichier illisible.")
    retried = await intake_app.client.post(
        f"/api/intake/documents/{result['document']['id']}/retry", headers=auth(token_for)
    )
    assert retried.status_code == 200, retried.text
    await intake_app.settled()
    detail = (
        await intake_app.client.get(
            f"/api/intake/documents/{result['document']['id']}", headers=auth(token_for)
        )
    ).json()
    assert detail["status"] == "failed"
    assert [e["kind"] for e in detail["events"]] == ["received", "step_failed", "retried", "step_failed"]
    assert intake_app.ocr.calls == 2  # a format error is final: read once per request, never looped


async def test_the_threshold_is_set_by_an_administrator_and_sends_documents_to_validation(
    intake_app, sample_documents, token_for
):
    refused = await intake_app.client.put(
        "/api/intake/threshold", headers=auth(token_for), json={"threshold": 1.0}
    )
    assert refused.status_code == 403
    set_ = await intake_app.client.put(
        "/api/intake/threshold", headers=auth(token_for, ADMIN), json={"threshold": 1.0}
    )
    assert (set_.json()["threshold"], set_.json()["set_by"]) == (1.0, ADMIN)
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-07"]))
    )
    await intake_app.settled()
    detail = (
        await intake_app.client.get(
            f"/api/intake/documents/{result['document']['id']}", headers=auth(token_for)
        )
    ).json()
    assert (detail["status"], detail["threshold"], detail["exception"]) == ("to_validate", 1.0, None)
    assert dpi_documents(intake_app) == []


async def test_the_scanner_folder_is_imported_once_and_emptied(intake_app, sample_documents, tmp_path):
    folder = tmp_path / "scanner"
    folder.mkdir()
    (folder / "lettre.png").write_bytes(intake_app.ocr.register(sample_documents["scan-07"]))
    (folder / "notes.txt").write_bytes(b"pas un scan")

    assert await sweep_drop_folder(intake_app.service, folder) == 1
    assert await sweep_drop_folder(intake_app.service, folder) == 0

    assert sorted(p.name for p in (folder / "importés").iterdir()) == ["lettre.png"]
    assert sorted(p.name for p in (folder / "refusés").iterdir()) == ["notes.txt"]
    [queued] = await intake_app.service.queue(None, 10)
    assert (queued.file_name, queued.source) == ("lettre.png", "folder")


async def test_the_original_is_kept_byte_for_byte_beside_its_pages(intake_app, sample_documents, token_for):
    data = intake_app.ocr.register(sample_documents["scan-07"])
    [result] = await upload(intake_app, auth(token_for), ("lettre du labo.png", data))
    await intake_app.settled()
    document_id = result["document"]["id"]

    original = await intake_app.client.get(
        f"/api/intake/documents/{document_id}/original", headers=auth(token_for)
    )
    assert (original.status_code, original.content) == (200, data)
    assert original.headers["content-type"] == "image/png"
    assert result["document"]["digest"] == hashlib.sha256(data).hexdigest()
    page = await intake_app.client.get(
        f"/api/intake/documents/{document_id}/pages/1", headers=auth(token_for)
    )
    assert (page.status_code, page.headers["content-type"]) == (200, "image/jpeg")
    missing = await intake_app.client.get(
        f"/api/intake/documents/{document_id}/pages/9", headers=auth(token_for)
    )
    assert (missing.status_code, missing.json()["error"]) == (404, "page_not_found")


async def test_the_secretary_can_look_a_patient_up_in_the_dpi(intake_app, token_for):
    found = await intake_app.client.post(
        "/api/intake/patients/search", headers=auth(token_for), json={"nom": "Fontaine"}
    )
    assert [(p["ipp"], [s["nda"] for s in p["stays"]]) for p in found.json()] == [
        ("9155524", ["S26962662", "S27016177"])
    ]
    by_birth = await intake_app.client.post(
        "/api/intake/patients/search", headers=auth(token_for), json={"date_naissance": "1948-03-12"}
    )
    assert [p["ipp"] for p in by_birth.json()] == ["9100000"]
    empty = await intake_app.client.post("/api/intake/patients/search", headers=auth(token_for), json={})
    assert (empty.status_code, empty.json()["error"]) == (400, "invalid_request")
    other = await intake_app.client.post(
        "/api/intake/patients/search", headers=auth(token_for, OTHER), json={"nom": "x"}
    )
    assert other.status_code == 403


async def test_the_history_is_hash_chained_and_an_altered_event_shows(
    intake_app, sample_documents, token_for, database_url
):
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-07"]))
    )
    await intake_app.settled()
    url = f"/api/intake/documents/{result['document']['id']}"
    detail = (await intake_app.client.get(url, headers=auth(token_for))).json()
    assert (detail["status"], detail["history_intact"]) == ("integrated", True)

    with psycopg.connect(database_url, autocommit=True) as conn:  # what only the database's owner can do
        conn.execute("ALTER TABLE intake_events DISABLE TRIGGER intake_events_append_only")
        conn.execute(
            "UPDATE intake_events SET detail = jsonb_set(detail, '{ipp}', '\"000000\"') "
            "WHERE document_id = %s AND kind = 'integrated'",
            (result["document"]["id"],),
        )
        conn.execute("ALTER TABLE intake_events ENABLE TRIGGER intake_events_append_only")

    altered = (await intake_app.client.get(url, headers=auth(token_for))).json()
    assert altered["history_intact"] is False


async def test_a_refusal_reads_in_english_when_the_client_asks_for_it(intake_app, token_for):
    files = [("files", ("a.txt", b"hello", "text/plain"))]
    french = await intake_app.client.post("/api/intake/documents", headers=auth(token_for), files=files)
    english = await intake_app.client.post(
        "/api/intake/documents", headers=auth(token_for) | {"Accept-Language": "en"}, files=files
    )
    search = await intake_app.client.post(
        "/api/intake/patients/search", headers=auth(token_for) | {"Accept-Language": "en"}, json={}
    )

    assert [french.json(), english.json(), search.json()] == [
        {
            "error": "unsupported_format",
            "detail": "Format non pris en charge : déposez un PDF, PNG, JPEG ou TIFF.",
        },
        {
            "error": "unsupported_format",
            "detail": "Format not supported: upload a PDF, PNG, JPEG or TIFF file.",
        },
        {"error": "invalid_request", "detail": "Give an IPP, a name or a date of birth."},
    ]


async def test_a_documents_match_is_told_in_the_readers_language(intake_app, sample_documents, token_for):
    unknown, sure = await upload(
        intake_app,
        auth(token_for),
        ("scan-05.png", intake_app.ocr.register(sample_documents["scan-05"])),  # not a patient of the DPI
        ("scan-07.png", intake_app.ocr.register(sample_documents["scan-07"])),
    )
    await intake_app.settled()

    async def matches(result: dict) -> tuple[dict, dict]:
        url = f"/api/intake/documents/{result['document']['id']}"
        french = await intake_app.client.get(url, headers=auth(token_for))
        english = await intake_app.client.get(url, headers=auth(token_for) | {"Accept-Language": "en"})
        return french.json()["match"], english.json()["match"]

    (unknown_fr, unknown_en), (sure_fr, sure_en) = await matches(unknown), await matches(sure)

    assert (unknown_fr["exception"], unknown_fr["detail"], unknown_en["detail"]) == (
        "unknown_patient",
        "Aucun patient du DPI ne correspond.",
        "No patient of the DPI matches.",
    )
    reasons_fr, reasons_en = sure_fr["candidates"][0]["reasons"], sure_en["candidates"][0]["reasons"]
    score = reasons_fr[0].removeprefix("nom ")
    assert (reasons_fr, reasons_en) == (
        [f"nom {score}", "IPP identique", "date de naissance identique"],
        [f"name {score}", "same IPP", "same birth date"],
    )
