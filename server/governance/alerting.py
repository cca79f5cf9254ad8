"""Delivery of score alerts: to the system's owner and the AI administrators, by mail and in Activité.

Recipients are fixed when the alert opens: the AI administrators Ariane knows (people with the
`ai_admin` role who signed in) and the owner of the system's sheet: the sheet's owner address
(`owner_email`; for a built-in system whose owner is still the shipped one, the address of
`systems.yaml`), so an owner who never signed in is reached too, and else a person Ariane knows
named by the owner text (an address in the text, or a signed-in person's display name before the
first comma, as « Nadia Benali, cellule temps de travail (DRH) » does). The mail goes out as a work item (any
worker, retried with back-off): the application sends it through Graph as the mailbox
`ARIANE_GOVERNANCE__ALERT_SENDER`, which its application access policy must list. Activité shows
each person the open alerts they are a recipient of (every open alert to AI administrators).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from server.governance import drift_repository, repository
from server.work import WorkFailure, WorkItem

if TYPE_CHECKING:
    from tools.m365 import GraphAccess
    from tools.m365.settings import M365Settings

logger = logging.getLogger(__name__)
ALERT_MAIL = "governance.alert_mail"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
GraphSource = Callable[[], AbstractAsyncContextManager["GraphAccess"]]


async def recipients(pool: Any, owner: str, owner_email: str = "") -> list[str]:
    """Who an alert on a system with this owner goes to: its owner and the AI administrators.

    `owner_email` (the sheet's, or the built-in catalogue's) reaches an owner who never signed in.
    """
    people = await repository.people(pool)
    found = {row["email"].lower() for row in people if "ai_admin" in row["roles"]}
    if owner_email.strip():
        found.add(owner_email.strip().lower())
    found.update(address.lower() for address in _EMAIL.findall(owner))
    name = owner.split(",", 1)[0].strip().casefold()
    if name:
        found.update(row["email"].lower() for row in people if row["display_name"].casefold() == name)
    return sorted(found)


def message(alert: dict[str, Any], system_name: str, url: str) -> tuple[str, str]:
    """The alert mail's subject and text body (French, as the people it goes to read it)."""
    scorer, suite, value, floor = alert["scorer"], alert["suite"], alert["value"], alert["floor"]
    if alert["kind"] == "below_floor":
        what = f"le score {scorer} de la suite « {suite} » est à {value:.2f}, sous son seuil de {floor:.2f}"
    else:
        what = f"le score {scorer} de la suite « {suite} » est passé de {alert['previous']:.2f} à {value:.2f}"
    subject = f"[Ariane] Alerte de dérive : {system_name}"
    sheet = f"{url}/gouvernance/systemes/{quote(alert['system_id'], safe='')}"
    body = (
        f"Bonjour,\n\nLors de la dernière évaluation de « {system_name} », {what}.\n\n"
        f"L'alerte reste ouverte jusqu'à ce que le score remonte ; elle n'est envoyée qu'une fois.\n"
        f"Fiche du système et courbe des scores : {sheet}\n\n"
        "— Ariane, gouvernance de l'IA (message automatique, ne pas répondre)\n"
    )
    return subject, body


def app_graph(settings: M365Settings) -> GraphSource:
    """A Graph access of its own per mail (alerts are rare), closed once the mail is sent."""

    @asynccontextmanager
    async def opened() -> AsyncIterator[GraphAccess]:
        from tools.m365 import GraphAccess

        graph = GraphAccess(settings)
        try:
            yield graph
        finally:
            await graph.aclose()

    return opened


def shared_graph(graph: GraphAccess) -> GraphSource:
    """The process's own Graph access (`ariane up`), left open."""

    @asynccontextmanager
    async def borrowed() -> AsyncIterator[GraphAccess]:
        yield graph

    return borrowed


class AlertMailer:
    """Sends an alert's mail once (work kind `governance.alert_mail`)."""

    def __init__(self, pool: Any, sender: str, url: str, graph: GraphSource) -> None:
        self._pool = pool
        self._sender = sender
        self._url = url.rstrip("/")
        self._graph = graph

    async def __call__(self, item: WorkItem) -> dict[str, object]:
        """Send the mail of the alert `item.payload["alert"]` unless it went out already.

        Raises:
            WorkFailure: `alert_not_found`, `mail_refused` (Graph refused: retrying will not help).
        """
        from tools.m365.errors import Failure, M365Error
        from tools.m365.mail import new_message, send_mail

        alert = await drift_repository.alert(self._pool, str(item.payload["alert"]))
        if alert is None:
            raise WorkFailure("alert_not_found", "Cette alerte n'existe plus.")
        if alert["mailed"]:
            return {"mailed": False, "reason": "already_sent"}
        to = list(alert["recipients"])
        if not self._sender or not to:
            return {"mailed": False, "reason": "no_sender" if not self._sender else "no_recipient"}
        subject, body = message(alert, str(item.payload.get("system_name") or alert["system_id"]), self._url)
        async with self._graph() as graph:
            try:
                await send_mail(graph, graph.app_client(), self._sender, new_message(subject, body, to))
            except M365Error as exc:
                if exc.failure is Failure.UNAVAILABLE:
                    raise  # Graph or the identity provider is down: the work queue retries later
                raise WorkFailure("mail_refused", f"La messagerie a refusé l'envoi : {exc}") from exc
        await drift_repository.mark_mailed(self._pool, alert["id"])
        logger.info("alert %s mailed to %d recipients", alert["id"], len(to))
        return {"mailed": True, "recipients": len(to)}
