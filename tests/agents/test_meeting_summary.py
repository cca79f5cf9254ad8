"""The meeting summary workflow end to end, on the embedded defaults (no generative model)."""

from pathlib import Path

import pytest

from agents.citations import quote_is_in
from tools.meetings.vtt import parse_vtt

pytestmark = pytest.mark.anyio

REFERENCE = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points"
AG_VTT = Path("tools/tenant/data/transcripts/ag-dtnib-2025-06-19.vtt")


def _transcript() -> dict[str, dict[str, object]]:
    cues = parse_vtt(AG_VTT.read_text(encoding="utf-8"))
    return {cue.id: {"speaker": cue.speaker, "text": cue.text} for cue in cues if cue.id}


async def test_reference_request_gives_four_points_all_quoting_helene_marchal(ask):
    events, run = await ask("claire.dubois", REFERENCE)

    transcript = _transcript()
    assert (run["status"], run["mode"]) == ("done", "extractive")
    assert [line[:3] for line in run["answer"].splitlines() if line[:1].isdigit()] == [
        "1. ",
        "2. ",
        "3. ",
        "4. ",
    ]
    assert "Réponse extractive" in run["answer"]
    assert len(run["citations"]) == 4
    for citation in run["citations"]:
        assert citation["source"] == "transcript"
        assert citation["speaker"] == "Hélène Marchal"
        cited = [transcript[cue_id] for cue_id in citation["cue_ids"]]
        assert all(cue["speaker"] == "Hélène Marchal" for cue in cited)
        assert any(quote_is_in(citation["quote"], str(cue["text"])) for cue in cited)
    assert [e["event"] for e in events if e["event"].startswith("tool")][:2] == ["tool_start", "tool_end"]
    assert [e["data"]["index"] for e in events if e["event"] == "citation"] == [1, 2, 3, 4]


async def test_points_follow_the_order_of_the_talk(ask):
    _, run = await ask("claire.dubois", REFERENCE)

    starts = [citation["locator"].split("–")[0] for citation in run["citations"]]
    assert starts == sorted(starts)


async def test_a_user_not_invited_is_told_they_have_no_access(ask):
    _, run = await ask("karim.haddad", REFERENCE)

    assert run["status"] == "done"
    assert run["citations"] == []
    assert "parmi celles auxquelles vous avez accès" in run["answer"]
    assert "Hélène" not in run["answer"]


async def test_a_speaker_who_never_spoke_gets_no_invented_summary(ask):
    _, run = await ask(
        "claire.dubois", "Résume-moi l'intervention de Karim Haddad à l'assemblée générale DTNIB"
    )

    assert run["citations"] == []
    assert run["answer"].startswith(
        "Karim Haddad n'a pas pris la parole lors de « Assemblée générale DTNIB »"
    )


async def test_a_meeting_that_was_not_transcribed_is_said_so(ask):
    _, run = await ask("marc.lefevre", "Résume la réunion point facturation des actes")

    assert run["citations"] == []
    assert "transcri" in run["answer"]


async def test_an_unknown_meeting_is_not_invented(ask):
    _, run = await ask("claire.dubois", "Résume la réunion sur le menu de la cantine de Noël")

    assert run["citations"] == []
    assert run["answer"].startswith("Je ne trouve pas de réunion")
