"""WebVTT as Teams and Graph produce it: cue ids, both timestamp forms, `<v Speaker>` voice tags.

Teams writes `00:00:03.720 --> 00:00:09.150`; Graph's transcript content may write `0:0:3.72`. Both
are read; times are kept in integer milliseconds so that a round trip is exact.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

_TIMESTAMP = r"(?:(\d+):)?(\d+):(\d+)(?:\.(\d+))?"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s+-->\s+{_TIMESTAMP}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")
_BLANK = re.compile(r"\n\s*\n")


class VttError(ValueError):
    """The text is not WebVTT."""


@dataclass(frozen=True)
class Cue:
    """One caption: who spoke, when (milliseconds from the start), and what they said."""

    id: str | None
    start_ms: int
    end_ms: int
    speaker: str | None
    text: str


def parse_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT document, in file order; NOTE, STYLE and REGION blocks are skipped.

    Raises:
        VttError: when the `WEBVTT` signature is missing.
    """
    normalised = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not normalised.startswith("WEBVTT"):
        raise VttError("missing WEBVTT signature")
    cues = []
    for block in _BLANK.split(normalised)[1:]:
        cue = _parse_block(block.strip("\n").split("\n"))
        if cue is not None:
            cues.append(cue)
    return cues


def _parse_block(lines: list[str]) -> Cue | None:
    timing_at = next((i for i, line in enumerate(lines) if "-->" in line), None)
    if timing_at is None or timing_at > 1:
        return None  # NOTE, STYLE, REGION, or junk
    match = _TIMING.match(lines[timing_at])
    if match is None:
        return None
    cue_id = lines[0].strip() if timing_at == 1 else None
    speaker, body = _speaker_and_text("\n".join(lines[timing_at + 1 :]))
    return Cue(
        id=cue_id or None,
        start_ms=_millis(*match.groups()[:4]),
        end_ms=_millis(*match.groups()[4:]),
        speaker=speaker,
        text=body,
    )


def _millis(hours: str | None, minutes: str, seconds: str, fraction: str | None) -> int:
    # A fraction is a decimal part: ".72" is 720 ms, ".7" is 700 ms, ".7205" rounds to 721 ms.
    frac_ms = round(int(fraction) * 1000 / 10 ** len(fraction)) if fraction else 0
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + frac_ms


def _speaker_and_text(payload: str) -> tuple[str | None, str]:
    voice = _VOICE.search(payload)
    speaker = html.unescape(voice.group(1).strip()) if voice else None
    lines = [html.unescape(_TAG.sub("", line)).strip() for line in payload.split("\n")]
    return speaker, "\n".join(line for line in lines if line)


def format_timestamp(ms: int, style: Literal["teams", "graph"] = "teams") -> str:
    """`00:00:03.720` (Teams) or `0:0:3.72` (Graph's short form)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if style == "teams":
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    fraction = f"{millis:03d}".rstrip("0") or "0"
    return f"{hours}:{minutes}:{seconds}.{fraction}"


def write_vtt(cues: list[Cue], style: Literal["teams", "graph"] = "teams") -> str:
    """A WebVTT document for `cues`; `parse_vtt` reads it back to the same cues."""
    blocks = ["WEBVTT"]
    for cue in cues:
        lines = [cue.id] if cue.id else []
        lines.append(f"{format_timestamp(cue.start_ms, style)} --> {format_timestamp(cue.end_ms, style)}")
        escaped = html.escape(cue.text, quote=False)
        if cue.speaker:
            lines.append(f"<v {html.escape(cue.speaker, quote=False)}>{escaped}</v>")
        else:
            lines.append(escaped)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
