"""A table picked in SharePoint, read as the user through Graph (Graph decides what they may read)."""

from __future__ import annotations

from server.batches.reading import TableTooLargeError
from server.errors import ApiError, NotFoundError, ServiceUnavailableError
from tools.m365 import GraphAccess, M365Error
from tools.m365.errors import Failure


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
            f"Identifiant de document invalide : « {item_id} » (attendu : lecteur:élément).",
            code="invalid_request",
        )
    client = graph.client_for(token)
    builder = client.drives.by_drive_id(drive_id).items.by_drive_item_id(item)
    try:
        found = await graph.call(builder.get())
        if found is None:
            raise NotFoundError("Document introuvable ou inaccessible.", code="document_not_found")
        if (found.size or 0) > max_bytes:
            raise TableTooLargeError(
                f"« {found.name} » dépasse la limite de {max_bytes // (1024 * 1024)} Mo."
            )
        content = await graph.call(builder.content.get())
    except M365Error as exc:
        if exc.failure in (Failure.NOT_FOUND, Failure.ACCESS_DENIED):
            raise NotFoundError("Document introuvable ou inaccessible.", code="document_not_found") from exc
        raise ServiceUnavailableError(
            "Microsoft 365 est indisponible : réessayez dans un instant.", code="m365_unavailable"
        ) from exc
    return found.name or "tableau", content or b""
