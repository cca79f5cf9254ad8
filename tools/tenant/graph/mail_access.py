"""Who may read and send in which mailbox: a signed-in user (delegated), or an application (app-only).

Delegated: a user reads their own mailbox with `Mail.Read`, a shared one they are a reader of with
`Mail.Read.Shared`; they send as themselves with `Mail.Send`, as a shared mailbox they may send as
with `Mail.Send.Shared`. App-only (client credentials): the application's `Mail.Read` / `Mail.Send`
permissions reach only the mailboxes its application access policy lists (`mail.json`), as
Exchange's RBAC for applications scopes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from tools.tenant.directory import User
from tools.tenant.graph.errors import GraphError
from tools.tenant.graph.state import GraphState, graph_state
from tools.tenant.identity.issuer import GRAPH_AUDIENCE, IdentityError
from tools.tenant.mail import Mailbox, MailStore


@dataclass(frozen=True)
class MailCaller:
    """The caller of a mail request: a user with their access-list entries, or an application."""

    user: User | None
    entries: frozenset[str]
    app: str | None
    permissions: frozenset[str]

    def may_read(self, box: Mailbox, store: MailStore) -> bool:
        """True when the caller may read the mailbox."""
        if self.app is not None:
            return "Mail.Read" in self.permissions and box.address in store.applications.get(self.app, ())
        if not box.shared:
            return self._is_owner(box) and "Mail.Read" in self.permissions
        return "Mail.Read.Shared" in self.permissions and self._listed(box.readers)

    def may_send(self, box: Mailbox, store: MailStore) -> bool:
        """True when the caller may send as the mailbox."""
        if self.app is not None:
            return "Mail.Send" in self.permissions and box.address in store.applications.get(self.app, ())
        if not box.shared:
            return self._is_owner(box) and "Mail.Send" in self.permissions
        return "Mail.Send.Shared" in self.permissions and self._listed(box.senders)

    def _is_owner(self, box: Mailbox) -> bool:
        return self.user is not None and self.user.id == box.id

    def _listed(self, access: tuple[str, ...]) -> bool:
        return any(entry.casefold() in self.entries for entry in access)


def mail_caller(request: Request) -> MailCaller:
    """The bearer token's user or application.

    Raises:
        GraphError: `InvalidAuthenticationToken` (401) for a missing, forged or expired token.
    """
    state: GraphState = graph_state(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
    try:
        claims = state.tokens.verify(token.strip(), audience=GRAPH_AUDIENCE)
    except IdentityError as exc:
        raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.") from exc
    if claims.get("idtyp") == "app":
        roles = frozenset(str(role) for role in claims.get("roles", []))
        return MailCaller(None, frozenset(), str(claims.get("azp", "")), roles)
    user = state.directory.user_by_id(str(claims["oid"]))
    if user is None:
        raise GraphError(401, "InvalidAuthenticationToken", "The user of the token no longer exists.")
    known = {group.mail_nickname for group in state.directory.groups}
    entries = frozenset({user.mail.casefold(), *(f"group:{g}" for g in user.groups if g in known)})
    return MailCaller(user, entries, None, frozenset(str(claims.get("scp", "")).split()))


MailCallerDep = Annotated[MailCaller, Depends(mail_caller)]
