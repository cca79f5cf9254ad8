"""Making the points of a meeting summary: extractive (local embeddings) or generative (a model)."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from agents.context import RunContext
from agents.extractive import best_sentence, clean_spoken, normalise_rows

MIN_WORDS = 6
MAX_POINT_CHARS = 360


class Point(BaseModel):
    """One point of the summary, grounded in cues of the transcript."""

    text: str
    cue_ids: list[str]
    quote: str
    speaker: str | None = None


class _ModelPoints(BaseModel):
    points: list[Point] = Field(min_length=1)


def _words(text: str) -> int:
    return len(text.split())


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


def chunks(items: list[dict[str, Any]], count: int) -> list[list[dict[str, Any]]]:
    """`count` contiguous parts of about the same number of words (a talk's points come in order)."""
    total = sum(_words(item["text"]) for item in items)
    parts: list[list[dict[str, Any]]] = [[] for _ in range(count)]
    seen = 0
    for item in items:
        index = min(count - 1, int(seen * count / max(total, 1)))
        parts[index].append(item)
        seen += _words(item["text"])
    return [part for part in parts if part]


async def extractive_points(cues: list[dict[str, Any]], count: int, context: RunContext) -> list[Point]:
    """One point per contiguous part of the talk: the part's most representative cue.

    The talk is cut into `count` parts of similar length; in each, the cue closest to the part's
    centroid (local embeddings) is the point, extended by the next cue when the same person goes on.
    Its quote is a verbatim sentence of the selected cue.
    """
    vectors = normalise_rows(await context.models.embed([cue["text"] for cue in cues]))
    position = {id(cue): index for index, cue in enumerate(cues)}
    points = []
    for part in chunks(cues, count):
        indices = [position[id(cue)] for cue in part]
        eligible = [index for index in indices if _words(cues[index]["text"]) >= MIN_WORDS] or indices
        centroid = vectors[indices].mean(axis=0)
        chosen = max(eligible, key=lambda index: float(vectors[index] @ centroid))
        cue = cues[chosen]
        group = [cue]
        following = cues[chosen + 1] if chosen + 1 in indices else None
        if following and following["speaker"] == cue["speaker"]:
            group.append(following)
        points.append(
            Point(
                text=_shorten(clean_spoken(" ".join(item["text"] for item in group))),
                cue_ids=[item["id"] for item in group],
                quote=best_sentence(cue["text"]),
                speaker=cue["speaker"],
            )
        )
    return points


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
    """Points written by a gateway model from the numbered cues; raises ValueError on unusable output."""
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
        raise ValueError(f"model answer is not the expected JSON: {exc}") from exc
    return parsed.points[:count]


def _json_object(text: str) -> str:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    return match.group(0) if match else text


def _shorten(text: str) -> str:
    if len(text) <= MAX_POINT_CHARS:
        return text
    cut = text[:MAX_POINT_CHARS]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > MAX_POINT_CHARS // 2 else cut.rsplit(" ", 1)[0] + "…"
