"""A batch's table is read in a bounded child process: its refusals are `read_table`'s, its limits hold."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.server.batches.conftest import CLAIRE, HEADER, patients, table_csv, upload
from tools.doctext.settings import ReadingSettings

pytestmark = pytest.mark.anyio


def _workbook(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    sink = io.BytesIO()
    workbook.save(sink)
    return sink.getvalue()


async def test_a_workbook_is_read_and_its_refusals_keep_their_code_status_and_place(client, auth):
    claire = auth(CLAIRE)

    stored = await upload(client, claire, _workbook(HEADER, *patients(2)), name="rdv.xlsx")
    formula = await upload(
        client, claire, _workbook(["Nom", "Total"], ["DUPONT", "=SUM(A1:A2)"]), name="f.xlsx"
    )
    too_many = await upload(client, claire, table_csv(patients(5001)))

    assert stored.status_code == 201, stored.text
    assert [(c["name"], c["key"]) for c in stored.json()["columns"]][:2] == [
        ("Civilité", "civilite"),
        ("Nom", "nom"),
    ]
    assert (formula.status_code, formula.json()["error"]) == (422, "formula_in_table")
    assert "B2" in formula.json()["detail"]
    assert (too_many.status_code, too_many.json()["error"]) == (413, "table_too_large")


@pytest.mark.parametrize("reading_settings", [ReadingSettings(timeout_seconds=0.01)])
async def test_a_table_whose_reading_runs_past_its_limits_is_refused_and_nothing_is_stored(client, auth):
    claire = auth(CLAIRE)

    refused = await upload(client, claire, table_csv(patients(3)), name="rdv.csv")

    assert (refused.status_code, refused.json()["error"]) == (422, "table_too_complex")
    assert "« rdv.csv »" in refused.json()["detail"]
    assert (await client.get("/api/batches", headers=claire)).json() == []
