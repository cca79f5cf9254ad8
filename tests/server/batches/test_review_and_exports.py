"""Review, exports (CSV, XLSX, DOCX on the letterhead) and the batch in the audit trail."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.server.batches.conftest import BODY, CLAIRE, INES, finished, patients, table_csv, upload

pytestmark = pytest.mark.anyio
ANNE = "anne.lambert@chru-exemple.fr"  # auditor


async def _completed(app, client, headers, rows, **changes):  # type: ignore[no-untyped-def]
    created = await upload(client, headers, table_csv(rows), data_class=changes.pop("data_class", "health"))
    batch_id = created.json()["id"]
    patched = await client.patch(f"/api/batches/{batch_id}", headers=headers, json={"body": BODY} | changes)
    assert patched.status_code == 200, patched.text
    await client.post(f"/api/batches/{batch_id}/launch", headers=headers)
    state = await finished(app, client, headers, batch_id)
    assert state["status"] == "completed"
    return batch_id


async def test_nothing_leaves_before_review_then_only_accepted_and_edited_letters(app, client, auth):
    ines = auth(INES)
    batch_id = await _completed(app, client, ines, patients(3), model="mistral-small-hds")
    early = await client.get(f"/api/batches/{batch_id}/export", params={"format": "csv"}, headers=ines)
    assert early.status_code == 409
    assert early.json()["error"] == "nothing_to_export"
    base = f"/api/batches/{batch_id}/rows"
    accepted = await client.put(f"{base}/1/review", headers=ines, json={"decision": "accepted"})
    edited = await client.put(
        f"{base}/2/review", headers=ines, json={"decision": "edited", "text": "=1+1 corrigé"}
    )
    rejected = await client.put(f"{base}/3/review", headers=ines, json={"decision": "rejected"})
    assert [r.status_code for r in (accepted, edited, rejected)] == [200, 200, 200]
    assert edited.json()["final"] == "=1+1 corrigé"
    assert rejected.json()["final"] is None

    csv_text = (await client.get(f"/api/batches/{batch_id}/export", headers=ines)).content.decode("utf-8-sig")
    lines = csv_text.strip().split("\r\n")
    assert len(lines) == 3  # header, rows 1 and 2
    assert lines[2].endswith(";'=1+1 corrigé")  # neutralised for spreadsheets
    workbook = load_workbook(
        io.BytesIO(
            (
                await client.get(f"/api/batches/{batch_id}/export", params={"format": "xlsx"}, headers=ines)
            ).content
        )
    )
    sheet = workbook.active
    assert sheet.max_row == 3
    assert sheet.cell(3, sheet.max_column).value == "=1+1 corrigé"
    assert sheet.cell(3, sheet.max_column).data_type == "s"

    merged = await client.get(f"/api/batches/{batch_id}/export", params={"format": "docx"}, headers=ines)
    document = Document(io.BytesIO(merged.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Bonjour Madame PATIENT001," in text
    assert "=1+1 corrigé" in text
    assert "PATIENT003" not in text
    assert "CHRU Exemple" in document.sections[0].header.paragraphs[0].text
    archive = zipfile.ZipFile(
        io.BytesIO(
            (
                await client.get(f"/api/batches/{batch_id}/export", params={"format": "zip"}, headers=ines)
            ).content
        )
    )
    assert archive.namelist() == ["courrier-0001.docx", "courrier-0002.docx"]


async def test_a_batch_is_one_audited_run_replayed_identically_and_what_if_per_row(
    app, client, auth, letters
):
    claire = auth(CLAIRE)
    rows = [["Madame", f"AGENT{n}", "40", "réunion", "07/12/2026", "Apporter le badge."] for n in range(1, 4)]
    batch_id = await _completed(
        app,
        client,
        claire,
        rows,
        model="mistral-small-hds",
        data_class="internal",
        instruction="Ton cordial.",
        body="Réunion de service le {{ Date du rendez-vous }}. {{consigne}}",
    )
    runs = (await client.get("/api/audit/runs", headers=auth(ANNE))).json()
    run = next(r for r in runs if r["run_id"] == batch_id)
    assert run["workflow"] == "batch_letters"
    assert run["status"] == "done"
    assert run["models"] == ["mistral-small-hds"]
    detail = (await client.get(f"/api/audit/runs/{batch_id}", headers=auth(ANNE))).json()
    assert sum(1 for step in detail["steps"] if step["kind"] == "model_call") == 3
    assert any("ariane.policy.decision" in span["attributes"] for span in detail["spans"])  # the gateway's

    exact = (await client.post(f"/api/audit/runs/{batch_id}/replay", headers=auth(ANNE), json={})).json()
    assert exact["status"] == "identique"
    assert exact["rows"] == 3
    what_if = await client.post(
        f"/api/audit/runs/{batch_id}/replay", headers=claire, json={"model": "mistral-medium-eu"}
    )
    report = what_if.json()
    assert report["mode"] == "what_if"
    assert report["changed"] == 3
    assert [row["row"] for row in report["rows"]] == [1, 2, 3]
    assert report["rows"][0]["diff"][-1] == "+— mistral-medium-latest"
    verified = (await client.get(f"/api/audit/runs/{batch_id}/verify", headers=auth(ANNE))).json()
    assert verified["ok"] is True
