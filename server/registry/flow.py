"""Data classes through a run's tool calls: nothing is sent to a tool server above what it may receive.

A registered server declares, like a model, its hosting and the most sensitive data class it may
receive. A run starts at its assistant's declared class; what enters it raises it — the arguments the
model writes and the results tools return, classified by the gateway's detectors, and anything read
from Microsoft 365 through Ariane's own servers (internal at least). A call whose arguments, or whose
run, are above the server's class is refused before anything is sent: the meeting transcript a run has
read never reaches a third-party tool declared for public data, whatever argument the model puts it in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from server.gateway.classification import classify
from server.gateway.policy import DataClass, most_sensitive

OWN_CONTENT = DataClass.INTERNAL
"""What Ariane's own servers return (documents, meetings, calendars of the hospital) is internal at least."""


@dataclass
class DataFlow:
    """The data class a run has reached, raised by what enters it."""

    current: DataClass

    def refusal(self, server: str, tool: str, accepts: DataClass, arguments: dict[str, Any]) -> str | None:
        """Why `arguments` may not be sent to a server accepting `accepts` now (None: they may)."""
        sent = classify([_text(arguments)], DataClass.PUBLIC).data_class
        reached = most_sensitive(self.current, sent)
        if reached.rank <= accepts.rank:
            return None
        return (
            f"L'outil « {server}/{tool} » ne peut recevoir que des {accepts.label} : cette conversation "
            f"contient des {reached.label}. Rien ne lui a été envoyé."
        )

    def absorb(self, arguments: dict[str, Any], result: Any, *, own: bool) -> None:
        """Raise the run's class with what a call sent and returned (`own`: one of Ariane's servers)."""
        found = classify([_text(arguments), _text(result)], self.current).data_class
        self.current = most_sensitive(found, OWN_CONTENT) if own else found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
