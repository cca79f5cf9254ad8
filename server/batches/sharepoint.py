"""A table picked in SharePoint, read as the user through Graph (Graph decides what they may read)."""

from __future__ import annotations

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.sites.sites_request_builder import SitesRequestBuilder

from server.batches.reading import TableTooLargeError
from server.errors import ApiError, NotFoundError, ServiceUnavailableError
from server.messages import MESSAGES
from tools.m365 import GraphAccess, M365Error
from tools.m365.errors import Failure

TABLE_SUFFIXES = (".csv", ".xlsx")
_MAX_SITES = 50


async def list_tables(graph: GraphAccess, token: str) -> list[dict[str, str]]:
    """CSV and XLSX files at the root of the libraries of the sites the user may open (Graph trims).

    Raises:
        ServiceUnavailableError: Microsoft 365 does not answer.
    """
    client = graph.client_for(token)
    params = SitesRequestBuilder.SitesRequestBuilderGetQueryParameters(search="*")
    tables = []
    try:
        sites = await graph.call(client.sites.get(RequestConfiguration(query_parameters=params)))
        for site in ((sites.value or []) if sites else [])[:_MAX_SITES]:
            url = f"{graph.base_url}/sites/{site.id}/drive/root/children"
            children = client.drives.by_drive_id("-").items.by_drive_item_id("root").children.with_url(url)
            page = await graph.call(children.get())
            for item in (page.value or []) if page else []:
                drive = item.parent_reference.drive_id if item.parent_reference else None
                if drive and item.name and item.name.lower().endswith(TABLE_SUFFIXES):
                    site_name = site.display_name or site.name or ""
                    tables.append({"item_id": f"{drive}:{item.id}", "name": item.name, "site": site_name})
    except M365Error as exc:
        raise ServiceUnavailableError(MESSAGES("batches.m365_unavailable"), code="m365_unavailable") from exc
    return tables


async def download_table(graph: GraphAccess, token: str, item_id: str, max_bytes: int) -> tuple[str, bytes]:
    """The file's name and bytes (`item_id` is `drive:item`, as `search_documents` gives it).

    Raises:
        NotFoundError: no such item, or the user may not read it (Graph does not tell them apart).
        TableTooLargeError: the item is larger than `max_bytes` (not downloaded).
        ServiceUnavailableError: Microsoft 365 does not answer.
    """
    drive_id, _, item = item_id.partition(":")
    if not drive_id or not item:
        raise ApiError(
            MESSAGES("batches.invalid_document_id", id=item_id),
            code="invalid_request",
        )
    client = graph.client_for(token)
    builder = client.drives.by_drive_id(drive_id).items.by_drive_item_id(item)
    try:
        found = await graph.call(builder.get())
        if found is None:
            raise NotFoundError(MESSAGES("batches.document_not_found"), code="document_not_found")
        if (found.size or 0) > max_bytes:
            raise TableTooLargeError(
                MESSAGES("batches.document_too_large", name=found.name, limit=max_bytes // (1024 * 1024))
            )
        content = await graph.call(builder.content.get())
    except M365Error as exc:
        if exc.failure in (Failure.NOT_FOUND, Failure.ACCESS_DENIED):
            raise NotFoundError(MESSAGES("batches.document_not_found"), code="document_not_found") from exc
        raise ServiceUnavailableError(MESSAGES("batches.m365_unavailable"), code="m365_unavailable") from exc
    return found.name or "tableau", content or b""
