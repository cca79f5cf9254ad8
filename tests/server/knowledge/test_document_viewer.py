"""The document viewer's API: a cited document's sections, to those who may read it, and no one else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.knowledge.conftest import COLLECTION
from tools.doctext.settings import ReadingSettings
from tools.tenant.graph import load_content

pytestmark = pytest.mark.anyio
DOCUMENTS = Path(__file__).resolve().parents[3] / "tools" / "tenant" / "data" / "documents"


def _item(item_id: str) -> str:
    drive, item = next(key for key in load_content(None).documents if key[1] == item_id)
    return f"{drive}:{item}"


async def test_an_uploaded_reference_document_opens_by_page_for_the_assistants_users(upload, client, as_user):
    stored = (await upload("rigtt.pdf", (DOCUMENTS / "rigtt.pdf").read_bytes())).json()

    viewed = await client.get(f"/api/documents/knowledge/{stored['id']}", headers=as_user("nadia.benali"))

    assert viewed.status_code == 200
    body = viewed.json()
    assert (body["source"], body["id"], body["title"], body["url"]) == (
        "knowledge",
        stored["id"],
        "rigtt",
        None,
    )
    assert [s["locator"] for s in body["sections"]][:3] == ["page 1", "page 2", "page 3"]
    assert len(body["sections"]) == 18
    assert any("6 heures de récupération" in s["text"] for s in body["sections"])


async def test_a_sharepoint_reference_document_opens_only_for_those_who_may_read_its_item(client, as_user):
    added = await client.post(
        f"/api/knowledge/{COLLECTION}/documents/sharepoint",
        json={"item_id": _item("doc-feuille-de-route-ia")},
        headers=as_user("sophie.girard"),
    )
    url = f"/api/documents/knowledge/{added.json()['id']}"

    author = await client.get(url, headers=as_user("sophie.girard"))
    outsider = await client.get(url, headers=as_user("nadia.benali"))

    assert author.status_code == 200
    assert author.json()["sections"][0]["locator"].startswith("section « ")
    assert (outsider.status_code, outsider.json()["error"]) == (404, "document_not_found")
    assert "feuille" not in outsider.text.lower()


async def test_a_sharepoint_document_is_read_as_the_user(client, as_user):
    rigtt = await client.get(
        f"/api/documents/sharepoint/{_item('doc-rigtt')}", headers=as_user("nadia.benali")
    )
    secret = await client.get(
        f"/api/documents/sharepoint/{_item('doc-rapport-financier-2026-09')}",
        headers=as_user("sophie.girard"),
    )

    assert rigtt.status_code == 200
    body = rigtt.json()
    assert body["source"] == "sharepoint"
    assert body["title"].startswith("Règlement intérieur de gestion du temps de travail")
    assert body["url"].endswith(".pdf")
    assert body["sections"][8]["locator"] == "page 9"
    assert (secret.status_code, secret.json()["error"]) == (404, "document_not_found")
    assert "financier" not in secret.text.lower()


async def test_unknown_malformed_or_unreadable_documents_are_refused(client, as_user):
    headers = as_user("sophie.girard")

    missing = await client.get(
        "/api/documents/knowledge/00000000-0000-0000-0000-000000000000", headers=headers
    )
    not_uuid = await client.get("/api/documents/knowledge/abc", headers=headers)
    unknown_item = await client.get("/api/documents/sharepoint/drive:nothing", headers=headers)
    not_item = await client.get("/api/documents/sharepoint/abc", headers=headers)
    spreadsheet = await client.get(
        f"/api/documents/sharepoint/{_item('doc-export-consultations-2026-11-xlsx')}",
        headers=as_user("ines.moreau"),
    )
    anonymous = await client.get(f"/api/documents/sharepoint/{_item('doc-rigtt')}")

    assert [(r.status_code, r.json()["error"]) for r in (missing, not_uuid, unknown_item)] == [
        (404, "document_not_found")
    ] * 3
    assert (not_item.status_code, not_item.json()["error"]) == (400, "invalid_request")
    assert (spreadsheet.status_code, spreadsheet.json()["error"]) == (422, "unreadable_document")
    assert anonymous.status_code == 401


@pytest.mark.parametrize("reading_settings", [ReadingSettings(timeout_seconds=0.01)])
async def test_a_sharepoint_document_whose_reading_runs_past_its_limits_is_refused_and_not_indexed(
    client, as_user
):
    viewed = await client.get(
        f"/api/documents/sharepoint/{_item('doc-rigtt')}", headers=as_user("nadia.benali")
    )
    added = await client.post(
        f"/api/knowledge/{COLLECTION}/documents/sharepoint",
        json={"item_id": _item("doc-feuille-de-route-ia")},
        headers=as_user("sophie.girard"),
    )
    listed = await client.get(f"/api/knowledge/{COLLECTION}/documents", headers=as_user("sophie.girard"))
    again = await client.get(
        f"/api/documents/sharepoint/{_item('doc-rigtt')}", headers=as_user("nadia.benali")
    )

    assert [(r.status_code, r.json()["error"]) for r in (viewed, added, again)] == [
        (422, "document_too_complex")
    ] * 3
    assert listed.json() == []


async def test_the_sign_in_configuration_says_documents_open_in_the_viewer_on_the_local_tenant(client):
    config = await client.get("/auth/config")

    assert config.json()["document_viewer"] is True
