"""`$top` / `$skiptoken` paging with `@odata.nextLink`, as Graph collections do."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request

from tools.tenant.graph.errors import bad_request

T = TypeVar("T")


def page(
    request: Request, base_url: str, items: Sequence[T], *, default_top: int, max_top: int = 999
) -> tuple[Sequence[T], str | None]:
    """The requested slice of `items` and the link to the next one (None on the last page).

    Raises:
        GraphError: `BadRequest` for a `$top` or `$skiptoken` that does not parse.
    """
    top = _int_param(request, "$top", default_top)
    if not 1 <= top <= max_top:
        raise bad_request(f"Invalid value for $top: must be between 1 and {max_top}.")
    offset = _decode_skiptoken(request.query_params.get("$skiptoken"))
    chunk = items[offset : offset + top]
    if offset + top >= len(items):
        return chunk, None
    params = {k: v for k, v in request.query_params.items() if k not in ("$skiptoken", "$top")}
    params |= {"$top": str(top), "$skiptoken": _encode_skiptoken(offset + top)}
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    return chunk, f"{base_url}{path}?{urlencode(params)}"


def collection(context: str, values: list[dict[str, Any]], next_link: str | None) -> dict[str, Any]:
    """A collection response body."""
    body: dict[str, Any] = {"@odata.context": context, "value": values}
    if next_link:
        body["@odata.nextLink"] = next_link
    return body


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"Invalid value for {name}: '{raw}'.") from None


def _encode_skiptoken(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_skiptoken(token: str | None) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "offset":
            raise ValueError(raw)
        return max(0, int(value))
    except ValueError:
        raise bad_request("Invalid $skiptoken.") from None
