"""`POST /search/query` for `driveItem` and `listItem`: ranked, highlighted, filtered by access."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tools.tenant.graph.errors import bad_request
from tools.tenant.graph.search import Hit, Query
from tools.tenant.graph.shapes import Json, drive_item_json, list_item_json
from tools.tenant.graph.state import Caller, GraphState, State

router = APIRouter()
EntityType = Literal["driveItem", "listItem"]


class _SearchQuery(BaseModel):
    query_string: str = Field(alias="queryString")


class _SearchRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    entity_types: list[str] = Field(alias="entityTypes")
    query: _SearchQuery
    from_: int = Field(0, alias="from", ge=0)
    size: int = Field(25, ge=1, le=500)


class _SearchBody(BaseModel):
    requests: list[_SearchRequest] = Field(min_length=1, max_length=1)


def _hit_json(state: GraphState, hit: Hit, rank: int, entity: str) -> Json:
    document = hit.document
    resource = (
        drive_item_json(document, state.directory)
        if entity == "driveItem"
        else list_item_json(document, state.directory)
    )
    return {"hitId": document.item.id, "rank": rank, "summary": hit.summary, "resource": resource}


def _entity(types: list[str]) -> str:
    unknown = [name for name in types if name not in ("driveItem", "listItem")]
    if unknown or not types:
        raise bad_request(f"Entity types {unknown or types} are not supported; use driveItem or listItem.")
    # A file is both; Graph answers one hit per file, typed as the first requested type.
    return "driveItem" if "driveItem" in types else "listItem"


@router.post("/search/query")
async def search_query(body: _SearchBody, state: State, caller: Caller) -> Json:
    """Search the files the caller may read; the others are simply absent from the hits."""
    request = body.requests[0]
    entity = _entity(request.entity_types)
    query = Query.parse(request.query.query_string)
    if not query.terms and not query.paths:
        raise bad_request("The query string is empty.")
    visible = {key for key, doc in state.content.documents.items() if caller.sees_document(doc)}
    hits = state.index.search(query, visible)
    chunk = hits[request.from_ : request.from_ + request.size]
    container = {
        "hits": [_hit_json(state, hit, request.from_ + i + 1, entity) for i, hit in enumerate(chunk)],
        "total": len(hits),
        "moreResultsAvailable": request.from_ + len(chunk) < len(hits),
    }
    return {
        "@odata.context": f"{state.base_url}/$metadata#Collection(microsoft.graph.searchResponse)",
        "value": [{"searchTerms": list(query.terms), "hitsContainers": [container]}],
    }
