"""A table picked in SharePoint: read as the user (Graph's access list applies), then like an upload."""

from __future__ import annotations

import pytest

from tests.server.batches.conftest import CLAIRE, INES

pytestmark = pytest.mark.anyio
EXPORT = "b!site-secretariat-medical:doc-export-consultations-2026-11-xlsx"


async def test_the_tables_listed_are_those_of_the_sites_the_user_may_open(client, auth):
    listed = (await client.get("/api/batches/sharepoint", headers=auth(INES))).json()
    assert {t["item_id"] for t in listed} >= {EXPORT, EXPORT.replace("xlsx", "csv")}
    assert all(t["name"].endswith((".csv", ".xlsx")) for t in listed)
    assert (await client.get("/api/batches/sharepoint", headers=auth(CLAIRE))).json() == []


async def test_the_sample_export_in_sharepoint_becomes_a_health_batch_of_240_rows(client, auth):
    created = await client.post("/api/batches/sharepoint", headers=auth(INES), json={"item_id": EXPORT})
    assert created.status_code == 201, created.text
    batch = created.json()
    assert batch["total"] == 240
    assert batch["detected_class"] == "health"
    assert [c["key"] for c in batch["columns"]] == [
        "ipp",
        "civilite",
        "nom",
        "prenom",
        "age",
        "service",
        "medecin",
        "pathologie",
        "date_du_rendez_vous",
        "heure",
        "consigne",
    ]


async def test_someone_outside_the_site_cannot_pick_its_export(client, auth):
    refused = await client.post("/api/batches/sharepoint", headers=auth(CLAIRE), json={"item_id": EXPORT})
    assert refused.status_code == 404
    assert refused.json()["error"] == "document_not_found"
