"""Extractive points a secretary can forward: whole sentences, the speaker's own structure, every speaker.

One speaker's talk: cut where they announce their parts (« Premier message… »), else into parts of
similar length; each part gives its most representative sentence (local embeddings), extended by
the next one while it fits, never cut mid-sentence nor started on a connective. A whole meeting:
the agenda items the chair announces, each with what was said on it; without announced items, the
agenda and each main speaker's most representative sentence. Every point quotes verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.extractive import Vectors, clean_spoken
from agents.folding import fold
from agents.meetings.point import Point
from agents.meetings.talk import Sentence, announced, readable

MAX_POINT_CHARS = 360
MIN_AGENDA_ITEMS = 3  # announced items a chair's agenda has (two may be a talk's « d'abord… enfin »)
# « Trois sujets : … », « tient en quatre axes », « six messages »: a speaker outlining their talk.
_OVERVIEW = re.compile(
    r"\b(?:deux|trois|quatre|cinq|six|sept|huit) (?:messages|points|sujets|axes|themes|chantiers|parties|"
    r"priorites|choses)\b"
)
MIN_WORDS = 6
MAIN_SPEAKER_SHARE = 0.06  # of the meeting's words: less is a passing remark, not a talk
AGENDA_WORDS = (
    "ordre du jour",
    "au programme",
    "points a l'ordre",
    "quatre points",
    "trois points",
    "cinq points",
)


def _centrality(rows: Sequence[int], vectors: Vectors) -> dict[int, float]:
    centre = vectors[list(rows)].mean(axis=0)
    return {row: float(vectors[row] @ centre) for row in rows}


def _eligible(rows: Sequence[int], sentences: list[Sentence]) -> list[int]:
    good = [
        row
        for row in rows
        if sentences[row].words >= MIN_WORDS
        and not sentences[row].leans_back()
        and not sentences[row].text.endswith("?")  # a question asked is not what was said
    ]
    return good or [row for row in rows if sentences[row].words >= MIN_WORDS] or list(rows)


def _point(
    head: int, sentences: list[Sentence], stop: int, *, topic: str | None = None, speaker: str | None = None
) -> Point:
    """The head sentence, extended by the same speaker's next sentences while they fit (before `stop`)."""
    chosen = [head]
    size = len(sentences[head].text)
    following = head + 1
    while following < stop and sentences[following].speaker == sentences[head].speaker:
        nxt = sentences[following]
        if nxt.is_marker() or nxt.text.endswith("?") or size + 1 + len(nxt.text) > MAX_POINT_CHARS:
            break
        if size > MAX_POINT_CHARS // 2:
            break
        chosen.append(following)
        size += 1 + len(nxt.text)
        following += 1
    text = readable(clean_spoken(" ".join(sentences[row].text for row in chosen)))
    cue_ids: list[str] = []
    for row in chosen:
        cue_ids += [cue_id for cue_id in sentences[row].cue_ids if cue_id not in cue_ids]
    return Point(
        text=text,
        cue_ids=cue_ids,
        quote=sentences[head].quote,
        speaker=speaker or sentences[head].speaker,
        topic=topic,
    )


def _even_parts(rows: list[int], sentences: list[Sentence], count: int) -> list[list[int]]:
    """`count` contiguous parts of about the same number of words."""
    total = sum(sentences[row].words for row in rows) or 1
    parts: list[list[int]] = [[] for _ in range(count)]
    seen = 0
    for row in rows:
        parts[min(count - 1, seen * count // total)].append(row)
        seen += sentences[row].words
    return [part for part in parts if part]


def _grouped(starts: list[int], end: int, count: int) -> list[list[int]]:
    """The announced parts [start_i, start_i+1) merged into `count` contiguous groups when fewer are asked."""
    bounds = [*starts, end]
    parts = [list(range(bounds[i], bounds[i + 1])) for i in range(len(starts))]
    while count > len(parts):  # more points asked than parts announced: halve the longest part
        longest = max(range(len(parts)), key=lambda index: len(parts[index]))
        if len(parts[longest]) < 4:
            break
        middle = len(parts[longest]) // 2
        parts[longest : longest + 1] = [parts[longest][:middle], parts[longest][middle:]]
    if count >= len(parts):
        return parts
    groups: list[list[int]] = []
    for index in range(count):
        first, last = index * len(parts) // count, (index + 1) * len(parts) // count
        groups.append([row for part in parts[first:last] for row in part])
    return groups


def talk_points(sentences: list[Sentence], vectors: Vectors, count: int) -> list[Point]:
    """One speaker's talk in `count` points (fewer if the talk is shorter)."""
    rows = list(range(len(sentences)))
    markers = announced(sentences)
    if markers:
        groups = _grouped(markers, len(sentences), count)
        points = []
        for group in groups:
            heads = [row for row in group if row in markers and sentences[row].is_marker()]
            if not heads:  # the part before the first announced one: its most representative sentence
                score = _centrality(group, vectors)
                best = max(_eligible(group, sentences), key=lambda row: score[row])
                points.append(_point(best, sentences, group[-1] + 1))
            elif len(heads) == 1:
                points.append(_point(heads[0], sentences, group[-1] + 1))
            else:  # merged parts: each part's announcement, in one point
                texts = [_point(head, sentences, head + 1) for head in heads]
                points.append(
                    Point(
                        text=" ".join(point.text for point in texts),
                        cue_ids=[cue for point in texts for cue in point.cue_ids],
                        quote=max((point.quote for point in texts), key=len),
                        speaker=sentences[heads[0]].speaker,
                    )
                )
        return points
    points = []
    for part in _even_parts(rows, sentences, count):
        score = _centrality(part, vectors)
        head = max(_eligible(part, sentences), key=lambda row: score[row])
        points.append(_point(head, sentences, part[-1] + 1))
    return points


def _agenda_markers(sentences: list[Sentence]) -> list[int]:
    """The chair's announced agenda items, when others speak between them (a meeting, not a talk)."""
    by_speaker: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        by_speaker.setdefault(sentence.speaker, []).append(sentence)
    best: list[int] = []
    for speaker, own in by_speaker.items():
        marks = announced(own)  # may open on the speaker's first words when item one is not announced
        real = [sentences.index(own[mark]) for mark in marks if own[mark].is_marker()]
        if len(real) < MIN_AGENDA_ITEMS or len(marks) <= len(best):
            continue
        others = sum(s.words for s in sentences[real[0] : real[-1]] if s.speaker != speaker)
        inside = sum(s.words for s in sentences[real[0] : real[-1]]) or 1
        if others / inside >= 0.3:  # others speak between the items: the chair's agenda
            best = [sentences.index(own[mark]) for mark in marks]
    return best


def _topic(sentence: Sentence) -> str:
    text = readable(sentence.text).rstrip(" ?")
    return text if len(text) <= 90 else text[:90].rsplit(" ", 1)[0] + "…"


def meeting_points(sentences: list[Sentence], vectors: Vectors, count: int) -> list[Point]:
    """A whole meeting in `count` points: its agenda items, or its agenda and each main speaker."""
    markers = _agenda_markers(sentences)
    if markers:
        points = []
        for group in _grouped(markers, len(sentences), count):
            head = group[0]
            body = [row for row in group[1:] if sentences[row].words >= MIN_WORDS]
            if not body:
                points.append(_point(head, sentences, group[-1] + 1))
                continue
            score = _centrality(body, vectors)
            best = max(_eligible(body, sentences), key=lambda row: score[row])
            topic = _topic(sentences[head]) if sentences[head].is_marker() else None
            points.append(_point(best, sentences, group[-1] + 1, topic=topic))
        return points
    return _speaker_points(sentences, vectors, count)


def _speaker_points(sentences: list[Sentence], vectors: Vectors, count: int) -> list[Point]:
    words: dict[str, int] = {}
    for sentence in sentences:
        words[sentence.speaker] = words.get(sentence.speaker, 0) + sentence.words
    total = sum(words.values()) or 1
    main = [speaker for speaker in words if words[speaker] / total >= MAIN_SPEAKER_SHARE]
    agenda = next(
        (row for row, s in enumerate(sentences) if any(word in fold(s.text) for word in AGENDA_WORDS)), None
    )
    heads: list[int] = []
    if agenda is not None and count > len(main):
        heads.append(agenda)
    ranked = sorted(main, key=lambda speaker: -words[speaker])
    slots = max(count - len(heads), 0)
    per_speaker = dict.fromkeys(ranked, 0)
    for index in range(slots):  # one each first, then more for those who spoke most
        per_speaker[ranked[index % len(ranked)]] += 1 if ranked else 0
    for speaker, wanted in per_speaker.items():
        rows = [row for row, s in enumerate(sentences) if s.speaker == speaker and row != agenda]
        heads += _spread_heads(rows, sentences, vectors, wanted)
    return [_point(head, sentences, len(sentences)) for head in sorted(heads)]


def _spread_heads(rows: list[int], sentences: list[Sentence], vectors: Vectors, wanted: int) -> list[int]:
    """A speaker's `wanted` most representative sentences, from different parts of what they said."""
    if wanted <= 0 or not rows:
        return []
    own = [sentences[row] for row in rows]
    overview = next(
        (index for index, sentence in enumerate(own) if _OVERVIEW.search(fold(sentence.text))), None
    )
    if wanted == 1 and overview is not None:  # « Trois sujets : … »: their own outline of the talk
        return [rows[overview]]
    markers = [mark for mark in announced(own) if own[mark].is_marker()]
    if wanted == 1 and markers:  # they announced parts: their first announcement opens the talk
        return [rows[markers[0]]]
    heads = []
    for part in _even_parts(rows, sentences, wanted):
        score: dict[int, float] = _centrality(part, vectors)
        heads.append(max(_eligible(part, sentences), key=lambda row: score[row]))
    return heads
