"""What the documents tools do, as the calling user: search SharePoint and read files."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Any

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.entity_type import EntityType
from msgraph.generated.models.search_query import SearchQuery
from msgraph.generated.models.search_request import SearchRequest
from msgraph.generated.search.query.query_post_request_body import QueryPostRequestBody
from msgraph.generated.sites.sites_request_builder import SitesRequestBuilder
from msgraph.graph_service_client import GraphServiceClient
from pydantic_core import to_jsonable_python

from tools.doctext import DocumentFormatError, render_with_markers
from tools.doctext.bounded import DocumentTooComplexError, ReadingLimits, sections_bounded
from tools.documents.parsed import ParsedDocuments
from tools.documents.schemas import DocumentSection, DocumentText
from tools.documents.texts import TEXTS
from tools.m365 import GraphAccess, M365Error
from tools.mcp_common import Caller, JsonObject, ToolFailure, failure_from_m365
from tools.mcp_common.texts import TEXTS as COMMON_TEXTS

MAX_TOP = 50
DEFAULT_READING = ReadingLimits()
_HIGHLIGHT = re.compile(r"</?c0>")
_DRIVE_ITEM = "#microsoft.graph.driveItem"


def _snippet(summary: str | None) -> str:
    text = (summary or "").replace("<ddd/>", "…")
    return _HIGHLIGHT.sub("**", text)


async def _site_scope(graph: GraphAccess, client: GraphServiceClient, site: str) -> tuple[str, str]:
    params = SitesRequestBuilder.SitesRequestBuilderGetQueryParameters(search=site)
    builder = client.sites
    page = await graph.read(
        builder, builder.to_get_request_information(RequestConfiguration(query_parameters=params))
    )
    found = _objects(page, "value")
    if not found or not found[0].get("webUrl"):
        raise ToolFailure("not_found", TEXTS("site_unknown", site=site))
    return str(found[0]["webUrl"]), str(found[0].get("displayName") or site)


async def _site_names(graph: GraphAccess, client: GraphServiceClient, site_ids: list[str]) -> dict[str, str]:
    """The display names of sites, looked up at once (one request per distinct site)."""
    ids = list(dict.fromkeys(site_ids))

    async def name(site_id: str) -> str:
        builder = client.sites.by_site_id(site_id)
        site = await graph.read(builder, builder.to_get_request_information())
        return str((site or {}).get("displayName") or site_id)

    names = await asyncio.gather(*(name(site_id) for site_id in ids))
    return dict(zip(ids, names, strict=True))


def _objects(data: object, key: str) -> list[dict[str, Any]]:
    """The JSON objects listed under `key` of a Graph answer (none when absent or malformed)."""
    found = data.get(key) if isinstance(data, dict) else None
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def _modified(item: dict[str, Any]) -> str | None:
    """The item's modification time as the tool's schema writes dates (pydantic's JSON form)."""
    raw = item.get("lastModifiedDateTime")
    try:
        return to_jsonable_python(datetime.fromisoformat(raw)) if isinstance(raw, str) else None
    except ValueError:
        return None


async def search_documents(
    graph: GraphAccess, caller: Caller, query: str, site: str | None, top: int
) -> JsonObject:
    """Documents matching `query` among those the caller may read, optionally in one site.

    Returns a `DocumentSearch` in JSON form (see `tools.mcp_common.JsonObject`). Graph's answer is
    read as JSON (`GraphAccess.read`): parsed into SDK models, it was most of the call's time.
    """
    if not query.strip():
        raise ToolFailure("bad_request", TEXTS("no_words"))
    if not 1 <= top <= MAX_TOP:
        raise ToolFailure("bad_request", COMMON_TEXTS("bad_top", max=MAX_TOP))
    client = graph.client_for(caller.token)
    try:
        query_string, site_name = query, None
        if site:
            url, site_name = await _site_scope(graph, client, site)
            query_string = f'{query} path:"{url}"'
        request = SearchRequest(
            entity_types=[EntityType.DriveItem],
            query=SearchQuery(query_string=query_string),
            from_=0,
            size=top,
        )
        builder = client.search.query
        response = await graph.read(
            builder, builder.to_post_request_information(QueryPostRequestBody(requests=[request]))
        )
        containers = [c for r in _objects(response, "value") for c in _objects(r, "hitsContainers")]
        hits = [
            (hit, hit["resource"])
            for container in containers
            for hit in _objects(container, "hits")
            if isinstance(hit.get("resource"), dict) and hit["resource"].get("@odata.type") == _DRIVE_ITEM
        ]
        parents = [item.get("parentReference") or {} for _, item in hits]
        names = await _site_names(graph, client, [p["siteId"] for p in parents if p.get("siteId")])
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("the_search")) from exc
    results = []
    for (hit, item), parent in zip(hits, parents, strict=True):
        results.append(
            {  # the fields of DocumentHit, in order; the date in pydantic's JSON form
                "id": f"{parent.get('driveId')}:{item.get('id')}",
                "title": item.get("name") or "",
                "site": names.get(parent.get("siteId") or "", site_name or ""),
                "url": item.get("webUrl") or "",
                "snippet": _snippet(hit.get("summary")),
                "modified": _modified(item),
                "rank": hit.get("rank") or 0,
            }
        )
    total = sum(int(c.get("total") or 0) for c in containers)
    return {"query": query, "site": site_name, "total": total, "hits": results}


async def read_document(
    graph: GraphAccess,
    caller: Caller,
    document_id: str,
    parsed: ParsedDocuments | None = None,
    reading: ReadingLimits = DEFAULT_READING,
) -> DocumentText:
    """The text of a document, by page (PDF) or heading (DOCX), parsed in a child process within `reading`.

    `parsed`: sections kept by version; a version already read (by anyone) is not downloaded again,
    once the caller's own read of the item's metadata has succeeded.
    """
    drive_id, _, item_id = document_id.partition(":")
    if not drive_id or not item_id:
        raise ToolFailure("bad_request", TEXTS("bad_id", id=document_id))
    client = graph.client_for(caller.token)
    builder = client.drives.by_drive_id(drive_id).items.by_drive_item_id(item_id)
    try:
        item = await graph.call(builder.get())
        assert item is not None
        version = item.c_tag or item.e_tag
        key = (drive_id, item_id, version or "")
        sections = parsed.get(key) if parsed is not None and version else None
        if sections is None:
            content = await graph.call(builder.content.get())
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("this_document")) from exc
    if sections is None:
        try:
            sections = await sections_bounded(content or b"", item.name or "", reading)
        except DocumentTooComplexError as exc:
            raise ToolFailure("document_too_complex", TEXTS("too_complex", name=item.name)) from exc
        except DocumentFormatError as exc:
            raise ToolFailure("bad_request", TEXTS("unreadable", name=item.name)) from exc
        if parsed is not None and version:
            parsed.put(key, sections)
    return DocumentText(
        id=document_id,
        title=item.name or "",
        url=item.web_url or "",
        modified=item.last_modified_date_time,
        sections=[DocumentSection(locator=s.locator, text=s.text) for s in sections],
        text=render_with_markers(sections),
    )
