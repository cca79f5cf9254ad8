"""« Et le deuxième point ? » after a summary: that point, said more fully, from the transcript itself."""

from __future__ import annotations

from typing import Any

from agents.conversation import PriorTurn
from agents.extractive import clean_spoken
from agents.meetings import answer
from agents.meetings.point import Point
from agents.meetings.talk import Sentence, readable, stream
from agents.messages import say

DETAIL_CHARS = 900  # the point's sentences and what the speaker said right after, up to this much
_NAMED_ORDINALS = 6  # « premier » … « sixième » have a text of their own; then « 7e », « 7th »


def _detail_rows(sentences: list[Sentence], cue_ids: set[str]) -> list[int]:
    """The sentences of the cited cues, then the same speaker's following ones while they fit."""
    rows = [row for row, sentence in enumerate(sentences) if cue_ids & set(sentence.cue_ids)]
    if not rows:
        return []
    size = sum(len(sentences[row].text) for row in rows)
    following = rows[-1] + 1
    speaker = sentences[rows[0]].speaker
    while following < len(sentences) and sentences[following].speaker == speaker:
        if sentences[following].is_marker() or size + len(sentences[following].text) > DETAIL_CHARS:
            break
        rows.append(following)
        size += len(sentences[following].text)
        following += 1
    return sorted(set(rows))


def point_detail(
    reference: int,
    earlier: PriorTurn,
    cues: list[dict[str, Any]],
    transcript_id: str,
    meeting: dict[str, Any],
) -> dict[str, Any]:
    """The point `reference` (1-based, -1 the last) of the previous summary, with more of what was said."""
    cited = earlier.citations
    index = len(cited) if reference == -1 else reference
    if not 1 <= index <= len(cited):
        return {
            "outcome": "no_such_point",
            "mode": "extractive",
            "answer": say("meeting.no_such_point", count=len(cited)),
        }
    sentences = stream(cues)
    rows = _detail_rows(sentences, set(cited[index - 1].get("cue_ids") or []))
    if not rows:
        return {
            "outcome": "point_not_found",
            "mode": "extractive",
            "answer": say("meeting.point_gone"),
        }
    head = max(rows, key=lambda row: len(sentences[row].quote))
    cue_ids: list[str] = []
    for row in rows:
        cue_ids += [cue for cue in sentences[row].cue_ids if cue not in cue_ids]
    point = Point(
        text=readable(clean_spoken(" ".join(sentences[row].text for row in rows))),
        cue_ids=cue_ids,
        quote=sentences[head].quote,
        speaker=sentences[head].speaker,
    )
    kept, dropped = answer.cite_points(
        [point], cues, transcript_id, meeting.get("subject", ""), meeting["id"]
    )
    if not kept:
        return {
            "outcome": "point_not_found",
            "mode": "extractive",
            "answer": say("meeting.point_gone"),
            "dropped": [item.model_dump(mode="json") for item in dropped],
        }
    text = say(
        "meeting.point_detail",
        ordinal=_ordinal(reference, index),
        subject=meeting.get("subject") or say("meeting.default_subject"),
        speaker=point.speaker,
        text=point.text,
    )
    return {
        "outcome": "ok",
        "mode": "extractive",
        "answer": text,
        "citations": [kept[0][1].model_dump(mode="json")],
        "dropped": [],
    }


def _ordinal(reference: int, index: int) -> str:
    """« deuxième », « dernier », « 7e » (« second », « last », « 7th »)."""
    if reference == -1:
        return say("meeting.ordinal_last")
    if index <= _NAMED_ORDINALS:
        return say(f"meeting.ordinal_{index}")
    return say("meeting.ordinal_n", number=index)
