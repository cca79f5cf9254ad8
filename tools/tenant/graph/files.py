"""Sites, their document library, files and their content."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tools.doctext.folding import fold
from tools.tenant.graph.access import Principal
from tools.tenant.graph.errors import not_found
from tools.tenant.graph.paging import collection, page
from tools.tenant.graph.shapes import Json, drive_item_json, drive_json, site_json
from tools.tenant.graph.state import Caller, GraphState, State
from tools.tenant.graph.store import Document, SiteRecord

router = APIRouter()


def _site(state: GraphState, caller: Principal, site_id: str) -> SiteRecord:
    site = state.content.sites.get(site_id)
    if site is None or not caller.sees_site(site):
        raise not_found("Requested site could not be found.")
    return site


def _document(state: GraphState, caller: Principal, drive_id: str, item_id: str) -> Document:
    document = state.content.documents.get((drive_id, item_id))
    if document is None or not caller.sees_document(document):
        raise not_found("The resource could not be found.")
    return document


@router.get("/sites")
async def search_sites(request: Request, state: State, caller: Caller) -> Json:
    """Sites the caller may open whose name or description contains `search` (all of them for `*`).

    Graph documents `search=`; msgraph-sdk sends `$search=`, sometimes quoted: both are read.
    """
    raw = request.query_params.get("search") or request.query_params.get("$search") or "*"
    wanted = fold(raw.strip().strip('"'))
    sites = [
        site
        for site in state.content.sites.values()
        if caller.sees_site(site)
        and (wanted in ("", "*") or wanted in fold(f"{site.name} {site.display_name} {site.description}"))
    ]
    chunk, next_link = page(request, state.base_url, sites, default_top=100)
    return collection(f"{state.base_url}/$metadata#sites", [site_json(s) for s in chunk], next_link)


@router.get("/sites/{site_id}")
async def get_site(site_id: str, state: State, caller: Caller) -> Json:
    """One site."""
    site = _site(state, caller, site_id)
    return {"@odata.context": f"{state.base_url}/$metadata#sites/$entity", **site_json(site)}


@router.get("/sites/{site_id}/drive")
async def get_drive(site_id: str, state: State, caller: Caller) -> Json:
    """The site's default document library."""
    site = _site(state, caller, site_id)
    return {"@odata.context": f"{state.base_url}/$metadata#drives/$entity", **drive_json(site)}


@router.get("/sites/{site_id}/drive/root/children")
async def list_children(site_id: str, request: Request, state: State, caller: Caller) -> Json:
    """Files at the library's root that the caller may see."""
    site = _site(state, caller, site_id)
    documents = [
        doc
        for (drive_id, _), doc in state.content.documents.items()
        if drive_id == site.drive_id and caller.sees_document(doc)
    ]
    chunk, next_link = page(request, state.base_url, documents, default_top=200)
    values = [drive_item_json(doc, state.directory) for doc in chunk]
    return collection(f"{state.base_url}/$metadata#Collection(driveItem)", values, next_link)


@router.get("/drives/{drive_id}/items/{item_id}")
async def get_item(drive_id: str, item_id: str, state: State, caller: Caller) -> Json:
    """One file's metadata."""
    document = _document(state, caller, drive_id, item_id)
    context = f"{state.base_url}/$metadata#drives('{drive_id}')/items/$entity"
    return {"@odata.context": context, **drive_item_json(document, state.directory)}


@router.get("/drives/{drive_id}/items/{item_id}/content")
async def get_content(drive_id: str, item_id: str, state: State, caller: Caller) -> Response:
    """The file's bytes, served directly (Graph answers with a redirect to a download URL)."""
    document = _document(state, caller, drive_id, item_id)
    media_type = drive_item_json(document, state.directory)["file"]["mimeType"]
    return Response(document.content, media_type=media_type)
