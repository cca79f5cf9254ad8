"""The meeting workflow's answers in the run's language: the summary with numbered citations, or a refusal."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from agents.citations import Citation, DroppedCitation, SourceKind, quote_problem
from agents.dates import long_date
from agents.fallback import Fallback
from agents.meetings.point import Point
from agents.messages import say
from agents.phrasing import of_whom


def transcript_link(meeting_id: str, cue_ids: list[str]) -> str:
    """The web app's page of the transcript, scrolled to the cited cues."""
    return f"/reunions/{quote(meeting_id, safe='')}?cues={quote(','.join(cue_ids), safe='')}"


def cite_points(
    points: list[Point], cues: list[dict[str, Any]], transcript_id: str, title: str, meeting_id: str
) -> tuple[list[tuple[Point, Citation]], list[DroppedCitation]]:
    """Each point with its verified citation; a point whose citation does not check out is dropped.

    Verified means: every cue id exists, the cues are the named speaker's, and the quote is found
    verbatim in one of them.
    """
    by_id = {cue["id"]: cue for cue in cues}
    kept: list[tuple[Point, Citation]] = []
    dropped: list[DroppedCitation] = []
    for point in points:
        cited = [by_id[cue_id] for cue_id in point.cue_ids if cue_id in by_id]
        speaker = cited[0]["speaker"] if cited else point.speaker
        citation = Citation(
            source=SourceKind.TRANSCRIPT,
            id=transcript_id,
            title=title,
            locator=f"{cited[0]['start']}–{cited[-1]['end']}" if cited else "",
            quote=point.quote,
            speaker=speaker,
            cue_ids=point.cue_ids,
            url=transcript_link(meeting_id, point.cue_ids),
        )
        reason = _check(point, cited)
        if reason:
            dropped.append(DroppedCitation(citation=citation, reason=reason))
        else:
            kept.append((point, citation))
    return kept, dropped


def _check(point: Point, cited: list[dict[str, Any]]) -> str | None:
    if not cited or len(cited) != len(point.cue_ids):
        return "locator_not_found"
    if point.speaker is not None and any(cue["speaker"] != point.speaker for cue in cited):
        return "speaker_mismatch"
    problems = [quote_problem(point.quote, cue["text"]) for cue in cited]
    return None if None in problems else problems[0]


def summary_answer(
    cited: list[tuple[Point, Citation]],
    meeting: dict[str, Any],
    speaker: str | None,
    asked: int | None,
    fallback: Fallback | None,
) -> str:
    """The Markdown answer: a lead, the numbered points with their footnote markers."""
    when = long_date(meeting.get("start"))
    subject = meeting.get("subject") or say("meeting.default_subject")
    count = len(cited)
    if speaker:
        lead = say("meeting.lead_speaker", of_speaker=of_whom(speaker), subject=subject)
    else:
        lead = say("meeting.lead_summary", subject=subject)
    lead += f" ({when})" if when else ""
    lead += say("meeting.lead_points" if count > 1 else "meeting.lead_point", count=count)
    lines = [lead, ""]
    if fallback is not None:
        lines += [fallback.notice(say("shown.spoken_words")), ""]
    for number, (point, _) in enumerate(cited, start=1):
        who = "" if speaker else f"**{point.speaker}** — "
        topic = f"*{point.topic}* — " if point.topic else ""
        lines.append(f"{number}. {topic}{who}{point.text} [{number}]")
    if asked and count < asked:
        lines += ["", say("meeting.fewer_passages", count=count, asked=asked)]
    return "\n".join(lines)


def no_meeting_on(when: str) -> str:
    """No Teams meeting of the user on that day (`when` as the user said it)."""
    return say("meeting.none_on", when=when)


def which_meeting(when: str, meetings: list[dict[str, Any]]) -> str:
    """Several meetings that day: ask which one, never guess."""
    options = "\n".join(f"- {item['subject']} ({item['start'][11:16]})" for item in meetings)
    return say("meeting.which", when=when, options=options)


def not_found_answer(subject: str, suggestions: list[dict[str, Any]]) -> str:
    """No meeting of the user matches: say so, and offer the closest ones they can see."""
    text = say("meeting.not_found", subject=subject)
    if suggestions:
        options = "\n".join(f"- {item['subject']} ({long_date(item.get('start'))})" for item in suggestions)
        text += "\n\n" + say("meeting.closest", options=options)
    return text


def silent_speaker_answer(name: str, meeting: dict[str, Any], speakers: list[str]) -> str:
    """The person asked about never spoke: never invent what they would have said."""
    return say(
        "meeting.silent_speaker",
        name=name,
        subject=meeting.get("subject"),
        when=long_date(meeting.get("start")),
        speakers=", ".join(speakers),
    )
