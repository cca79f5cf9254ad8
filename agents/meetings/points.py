"""Making the points of a meeting summary: extractive (local embeddings) or generative (a model)."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from agents.context import RunContext
from agents.extractive import normalise_rows
from agents.fallback import UnusableReplyError
from agents.meetings.point import Point
from agents.meetings.selection import meeting_points, talk_points
from agents.meetings.talk import stream


class _ModelPoints(BaseModel):
    points: list[Point] = Field(min_length=1)


def main_block(cues: list[dict[str, Any]], speaker: str, max_gap: int = 3) -> list[dict[str, Any]]:
    """The speaker's longest stretch of speech (their talk), tolerating short interruptions.

    Returns only the speaker's cues of that stretch. Questions and answers later in the meeting are
    left out, so that « son intervention » means the talk itself.
    """
    best: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    gap = 0
    for cue in cues:
        if cue["speaker"] == speaker:
            current.append(cue)
            gap = 0
        elif current:
            gap += 1
            if gap > max_gap:
                best = max(best, current, key=len)
                current, gap = [], 0
    return max(best, current, key=len)


async def extractive_points(
    cues: list[dict[str, Any]], count: int, context: RunContext, *, whole: bool
) -> list[Point]:
    """Points made of whole sentences of the transcript (`agents.meetings.selection`).

    `whole`: the meeting's agenda and every main speaker; else one speaker's talk.
    """
    sentences = stream(cues)
    if not sentences:
        return []
    vectors = normalise_rows(await context.models.embed([sentence.text for sentence in sentences]))
    count = min(count, len(sentences))
    return meeting_points(sentences, vectors, count) if whole else talk_points(sentences, vectors, count)


_SYSTEM = (
    "Tu résumes une réunion à partir de sa transcription Teams. Réponds en français, uniquement avec ce "
    "que disent les répliques fournies, sans rien inventer. Chaque point cite les identifiants des "
    "répliques qui le fondent (champ cue_ids) et une citation exacte, mot pour mot, tirée de l'une "
    'd\'elles (champ quote). Réponds par un objet JSON {"points": [{"text", "cue_ids", "quote", '
    '"speaker"}]}.'
)


async def generative_points(
    cues: list[dict[str, Any]], count: int, focus: str, model: str, context: RunContext
) -> list[Point]:
    """Points written by a gateway model from the numbered cues.

    Raises:
        UnusableReplyError: the reply is not the JSON asked.
    """
    lines = "\n".join(
        f"[{cue['id']}] {cue['start']} {cue['speaker']}: {' '.join(cue['text'].split())}" for cue in cues
    )
    chat = context.models.chat(model, context.data_class)
    reply = await chat.ainvoke(
        [
            SystemMessage(context.system_prompt(_SYSTEM)),
            HumanMessage(f"Demande : {focus}\nNombre de points : {count}\n\nTranscription :\n{lines}"),
        ],
        response_format={"type": "json_object"},
    )
    text = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    try:
        parsed = _ModelPoints.model_validate_json(_json_object(text))
    except ValidationError as exc:
        raise UnusableReplyError(f"model answer is not the expected JSON: {exc}") from exc
    return parsed.points[:count]


def _json_object(text: str) -> str:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    return match.group(0) if match else text
