"""The WebVTT parser reads what Teams and Graph write, and writes what it reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.meetings.vtt import Cue, VttError, format_timestamp, parse_vtt, write_vtt

_NAME_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzéèêëàâîïôöùûüçÉÈÀÇ ABCDEFGHIJKLMNOPQRSTUVWXYZ-'")
)
_TEXT_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\r\n\u0085\x0b\x0c"
)
speakers = st.text(_NAME_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)
lines = (
    st.text(_TEXT_CHARS, min_size=1, max_size=60).map(str.strip).filter(lambda s: bool(s) and "-->" not in s)
)
texts = st.lists(lines, min_size=1, max_size=3).map("\n".join)
cue_ids = st.one_of(st.none(), st.uuids().map(lambda u: f"{u}/{u.int % 50}-0"))


@st.composite
def cues(draw: st.DrawFn) -> list[Cue]:
    result, clock = [], 0
    for _ in range(draw(st.integers(0, 8))):
        start = clock + draw(st.integers(0, 5_000))
        end = start + draw(st.integers(1, 30_000))
        speaker = draw(st.one_of(st.none(), speakers))
        result.append(Cue(id=draw(cue_ids), start_ms=start, end_ms=end, speaker=speaker, text=draw(texts)))
        clock = end
    return result


@given(cues(), st.sampled_from(["teams", "graph"]))
def test_written_transcripts_read_back_to_the_same_cues(original: list[Cue], style: str) -> None:
    assert parse_vtt(write_vtt(original, style)) == original  # type: ignore[arg-type]


@given(st.integers(0, 10 * 3_600_000))
def test_both_timestamp_forms_denote_the_same_instant(ms: int) -> None:
    for style in ("teams", "graph"):
        document = f"WEBVTT\n\n{format_timestamp(ms, style)} --> {format_timestamp(ms + 1, style)}\nx\n"  # type: ignore[arg-type]
        assert parse_vtt(document)[0].start_ms == ms


def test_a_teams_cue_with_id_voice_tag_and_two_lines_is_read_whole() -> None:
    document = (
        "\ufeffWEBVTT\r\n\r\nNOTE produit par Teams\r\n\r\n"
        "d5895922-5ad4-5e80-9b15-a8323a215cdf/3-0\r\n0:0:3.72 --> 0:0:9.15\r\n"
        "<v Hélène Marchal>Premier point : l'IA\r\ngénérative &amp; nous.</v>\r\n"
    )
    assert parse_vtt(document) == [
        Cue(
            id="d5895922-5ad4-5e80-9b15-a8323a215cdf/3-0",
            start_ms=3720,
            end_ms=9150,
            speaker="Hélène Marchal",
            text="Premier point : l'IA\ngénérative & nous.",
        )
    ]


def test_text_without_signature_is_refused() -> None:
    with pytest.raises(VttError):
        parse_vtt("00:00:01.000 --> 00:00:02.000\nbonjour")
