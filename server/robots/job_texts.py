"""What a robot job says of itself, stored by id and shown in the reader's language.

A job's transitions and its error are decided by whoever runs it (a worker, the sweep after a crash)
and read later by anyone: each keeps its French sentence (read by the previous release, and by
rows stored before texts had ids) and, for texts of the catalogue, their id and parameters. A
runner's own words (a robot's failure message) have no id and are shown as they are.
"""

from __future__ import annotations

from typing import Any

from server.messages import MESSAGES
from tools.i18n import Language, Text, kept


def job_error(code: str, text: Text) -> dict[str, Any]:
    """A job's `error` as stored: `code`, the French `detail`, and the `text` to render it again."""
    detail, stored = kept(text)
    return {"code": code, "detail": detail, "text": stored}


def failure_of(error: dict[str, Any] | None) -> str | Text | None:
    """Why a job failed, as a text when it has an id, else the runner's own words (None: not said)."""
    error = error or {}
    return MESSAGES.restore(error.get("text")) or error.get("detail")


def error_shown(error: dict[str, Any] | None, language: Language) -> dict[str, Any] | None:
    """A job's error as the API shows it: its detail in `language`, without the stored text."""
    if error is None:
        return None
    shown = {name: value for name, value in error.items() if name != "text"}
    if "detail" in error:
        shown["detail"] = MESSAGES.shown(str(error["detail"]), error.get("text"), language)
    return shown


def transition_shown(row: dict[str, Any], language: Language) -> dict[str, Any]:
    """A transition row with its detail in `language`."""
    return {
        "seq": row["seq"],
        "status": row["status"],
        "detail": MESSAGES.shown(row["detail"], row.get("detail_text"), language),
        "at": row["at"],
    }


# Reasons an approval gets from Ariane itself rather than from a person (a schedule's launch): kept in
# French in `approvals.reason`, beside the reasons people type, and recognised when read.
_SYSTEM_REASONS = ("automations.schedule_approved",)


def reason_shown(reason: str | None, language: Language) -> str | None:
    """An approval's reason in `language` when Ariane wrote it; a person's words as they typed them."""
    text = MESSAGES.recognise(reason, _SYSTEM_REASONS) if reason else None
    return text.render(language) if text is not None else reason
