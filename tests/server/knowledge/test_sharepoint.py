"""SharePoint documents as knowledge: read as the author, shown only to users who may read the item."""

from __future__ import annotations

import pytest

from tests.server.knowledge.conftest import COLLECTION
from tools.tenant.graph import load_content

pytestmark = pytest.mark.anyio


def _item(item_id: str) -> str:
    drive, item = next(key for key in load_content(None).documents if key[1] == item_id)
    return f"{drive}:{item}"


async def test_a_sharepoint_document_is_indexed_and_trimmed_to_its_readers(client, as_user):
    added = await client.post(
        f"/api/knowledge/{COLLECTION}/documents/sharepoint",
        json={"item_id": _item("doc-feuille-de-route-ia")},
        headers=as_user("sophie.girard"),
    )
    query = {"query": "feuille de route intelligence artificielle", "top": 5}
    url = f"/api/knowledge/{COLLECTION}/search"

    author = (await client.post(url, json=query, headers=as_user("sophie.girard"))).json()["passages"]
    outsider = (await client.post(url, json=query, headers=as_user("nadia.benali"))).json()["passages"]

    assert added.status_code == 201
    assert (added.json()["source"], added.json()["source_item"]) == (
        "sharepoint",
        _item("doc-feuille-de-route-ia"),
    )
    assert author
    assert {p["document_id"] for p in author} == {added.json()["id"]}
    assert all(p["locator"].startswith("section « ") for p in author)
    assert outsider == []


async def test_a_sharepoint_document_the_author_cannot_read_is_refused(client, as_user, database_url):
    response = await client.post(
        f"/api/knowledge/{COLLECTION}/documents/sharepoint",
        json={"item_id": _item("doc-rapport-financier-2026-09")},
        headers=as_user("sophie.girard"),
    )

    assert (response.status_code, response.json()["error"]) == (404, "sharepoint_item_not_found")


async def test_the_document_list_shows_a_sharepoint_document_only_to_its_readers(client, as_user):
    added = await client.post(
        f"/api/knowledge/{COLLECTION}/documents/sharepoint",
        json={"item_id": _item("doc-feuille-de-route-ia")},
        headers=as_user("sophie.girard"),
    )
    url = f"/api/knowledge/{COLLECTION}/documents"

    author = (await client.get(url, headers=as_user("sophie.girard"))).json()
    outsider = await client.get(url, headers=as_user("nadia.benali"))

    assert added.status_code == 201
    assert added.json()["id"] in {document["id"] for document in author}
    assert outsider.status_code == 200
    assert added.json()["id"] not in {document["id"] for document in outsider.json()}
    assert "feuille" not in outsider.text.lower()
