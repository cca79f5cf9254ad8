"""Who calls a tool, and when: the user's token and the reference clock travel with each request.

- Streamable HTTP: `Authorization: Bearer <user token>` on the HTTP request.
- Any transport (in memory, stdio, HTTP): the request's `_meta` may carry `USER_TOKEN_META` (the bare
  token), `NOW_META` (an ISO 8601 instant that French relative dates are resolved against) and
  `LANGUAGE_META` (`fr` or `en`: the language the user reads a refusal in; French when absent).
- stdio: a server started for one user may get the token from `ARIANE_MCP_USER_TOKEN` instead.
The header wins over `_meta`, which wins over the process setting. The token is never trusted as is:
the on-behalf-of exchange validates it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mcp.server.mcpserver import Context

from tools.i18n import Language, as_language
from tools.mcp_common.results import ToolFailure
from tools.mcp_common.texts import TEXTS

USER_TOKEN_META = "fr.chru-exemple.ariane/user-token"
NOW_META = "fr.chru-exemple.ariane/now"
LANGUAGE_META = "fr.chru-exemple.ariane/language"
PARIS = ZoneInfo("Europe/Paris")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in the hospital's time zone."""
    return datetime.now(PARIS)


@dataclass(frozen=True)
class Caller:
    """The calling user's token and the instant their request is made at."""

    token: str
    now: datetime
    language: Language = "fr"


@dataclass(frozen=True)
class CallerSource:
    """How a server finds the caller: request first, then its own defaults."""

    clock: Clock = system_clock
    default_token: str | None = None

    def of(self, ctx: Context[Any, Any]) -> Caller:
        """The caller of this request.

        Raises:
            ToolFailure: `unauthenticated` when no user token came with the request.
        """
        meta: Mapping[str, Any] = ctx.request_context.meta or {}
        token = _bearer(ctx.headers) or _text(meta.get(USER_TOKEN_META)) or self.default_token
        if not token:
            raise ToolFailure("unauthenticated", TEXTS("caller.no_identity"))
        return Caller(
            token=token, now=_instant(meta.get(NOW_META)) or self.clock(), language=language_of(ctx)
        )


def language_of(ctx: Context[Any, Any]) -> Language:
    """The language the caller reads refusals in (`LANGUAGE_META`), French when absent or unknown."""
    meta: Mapping[str, Any] = ctx.request_context.meta or {}
    return as_language(meta.get(LANGUAGE_META))


def _bearer(headers: Mapping[str, str] | None) -> str | None:
    if not headers:
        return None
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _instant(value: Any) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ToolFailure("bad_request", TEXTS("caller.bad_clock", text=text)) from None
    return moment.astimezone(PARIS) if moment.tzinfo else moment.replace(tzinfo=PARIS)
