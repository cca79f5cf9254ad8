"""What `ariane` prints for a person is French by default and English with `ARIANE_LANGUAGE=en`."""

from __future__ import annotations

from typing import Any

import pytest

from server.cli.ask import render
from server.cli.audit import render_replay, render_run
from server.cli.main import CliError
from server.cli.texts import language_header

IDENTICAL: dict[str, Any] = {
    "mode": "exact",
    "status": "identique",
    "steps": 3,
    "duration_ms": 41,
    "code": {"same": True, "recorded": {}, "current": {}},
}
ANSWER: dict[str, Any] = {
    "error": None,
    "answer": "Le plafond est de 110 € [1].",
    "citations": [
        {
            "title": "Règlement des déplacements",
            "locator": "page 3",
            "quote": "110 € par nuit",
            "speaker": None,
        }
    ],
}
RUN: dict[str, Any] = {
    "summary": {
        "run_id": "r-1",
        "status": "done",
        "user_name": "Agent Test",
        "user_email": "agent.test@chru-exemple.fr",
        "assistant_id": "ariane",
        "assistant_version": 1,
        "workflow": "knowledge_question",
        "policy_version": 4,
    },
    "now": "2026-12-06T10:00:00+01:00",
    "message": "Quel plafond ?",
    "steps": [{"kind": "tool_call", "step": 1, "server": "knowledge", "tool": "search", "arguments": {}}],
    "spans": [],
    "outcome": {"answer": "110 €"},
}


def test_reports_are_french_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARIANE_LANGUAGE", raising=False)
    assert render_replay(IDENTICAL) == "identique — 3 étape(s) rejouée(s) en 41 ms, même réponse."
    assert "Sources :" in render(ANSWER, as_json=False)
    printed = render_run(RUN)
    assert "Étapes :" in printed
    assert "outil knowledge.search {} → erreur" in printed
    assert language_header() == {"Accept-Language": "fr"}


def test_reports_are_english_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIANE_LANGUAGE", "en")
    # « identique » stays the status auditors look for; the rest reads in English.
    assert render_replay(IDENTICAL) == "identique — 3 step(s) replayed in 41 ms, same answer."
    answer = render(ANSWER, as_json=False)
    assert "Sources:" in answer
    assert "[1] Règlement des déplacements — page 3: « 110 € par nuit »" in answer
    printed = render_run(RUN)
    assert "Steps:" in printed
    assert "tool knowledge.search {} → error" in printed
    assert "Answer:" in printed
    assert language_header() == {"Accept-Language": "en"}


def test_an_unknown_language_is_refused_rather_than_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIANE_LANGUAGE", "de")
    with pytest.raises(CliError, match="ARIANE_LANGUAGE must be fr or en"):
        language_header()
