"""What the Graph routes share: directory, content, search index, token checks, and the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from tools.tenant.directory import Directory
from tools.tenant.graph.access import Principal
from tools.tenant.graph.errors import GraphError
from tools.tenant.graph.search import SearchIndex
from tools.tenant.graph.store import Content
from tools.tenant.graph.subscription_store import Subscriptions
from tools.tenant.identity.issuer import GRAPH_AUDIENCE, IdentityError, TokenIssuer
from tools.tenant.mail import MailStore


@dataclass(frozen=True)
class GraphState:
    """Long-lived collaborators of the Graph app."""

    directory: Directory
    content: Content
    index: SearchIndex
    tokens: TokenIssuer
    base_url: str  # e.g. http://127.0.0.1:8001/v1.0, for @odata.context and @odata.nextLink
    mail: MailStore
    subscriptions: Subscriptions

    @property
    def zone(self) -> ZoneInfo:
        """The tenant's time zone: event times in the data files are local to it."""
        return ZoneInfo(self.directory.tenant.time_zone)


def graph_state(request: Request) -> GraphState:
    """The state the Graph app was built with."""
    state: GraphState = request.app.state.graph
    return state


def current_principal(request: Request) -> Principal:
    """The user of the bearer token, which must be a Microsoft 365 token this tenant signed.

    Raises:
        GraphError: `InvalidAuthenticationToken` (401) for a missing, forged, expired or foreign token.
    """
    state = graph_state(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
    try:
        claims = state.tokens.verify(token.strip(), audience=GRAPH_AUDIENCE)
    except IdentityError as exc:
        raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.") from exc
    user = state.directory.user_by_id(str(claims["oid"]))
    if user is None:
        raise GraphError(401, "InvalidAuthenticationToken", "The user of the token no longer exists.")
    return Principal.of(user, state.directory)


State = Annotated[GraphState, Depends(graph_state)]
Caller = Annotated[Principal, Depends(current_principal)]
