"""French answers of the meeting workflow: the summary with numbered citations, or a precise refusal."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from agents.citations import Citation, DroppedCitation, SourceKind, quote_problem
from agents.fallback import Fallback
from agents.meetings.point import Point
from agents.messages import say
from agents.phrasing import of_whom

_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def french_date(value: str | None) -> str:
    """« jeudi 19 juin 2025 » for an ISO date-time."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


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
    when = french_date(meeting.get("start"))
    subject = meeting.get("subject", "la réunion")
    count = len(cited)
    if speaker:
        lead = f"Voici l'intervention {of_whom(speaker)} lors de « {subject} »"
    else:
        lead = f"Voici la synthèse de « {subject} »"
    lead += f" ({when})" if when else ""
    lead += f", en {count} point{'s' if count > 1 else ''}, chacun cité depuis la transcription :"
    lines = [lead, ""]
    if fallback is not None:
        lines += [fallback.notice(say("shown.spoken_words")), ""]
    for number, (point, _) in enumerate(cited, start=1):
        who = "" if speaker else f"**{point.speaker}** — "
        topic = f"*{point.topic}* — " if point.topic else ""
        lines.append(f"{number}. {topic}{who}{point.text} [{number}]")
    if asked and count < asked:
        lines += [
            "",
            f"La transcription ne contient que {count} passage(s) exploitable(s) sur les {asked} demandés.",
        ]
    return "\n".join(lines)


def no_meeting_on(when: str) -> str:
    """No Teams meeting of the user on that day."""
    return f"Je ne trouve aucune réunion Teams dans votre agenda pour « {when} »."


def which_meeting(when: str, meetings: list[dict[str, Any]]) -> str:
    """Several meetings that day: ask which one, never guess."""
    options = "\n".join(f"- {item['subject']} ({item['start'][11:16]})" for item in meetings)
    return f"Vous aviez plusieurs réunions « {when} » ; laquelle dois-je résumer ?\n\n{options}"


def not_found_answer(subject: str, suggestions: list[dict[str, Any]]) -> str:
    """No meeting of the user matches: say so, and offer the closest ones they can see."""
    text = (
        f"Je ne trouve pas de réunion correspondant à « {subject} » parmi celles auxquelles vous avez accès. "
        "Si vous y étiez invité, vérifiez l'intitulé ou la date ; sinon, demandez le compte rendu à son "
        "organisateur."
    )
    if suggestions:
        options = "\n".join(f"- {item['subject']} ({french_date(item.get('start'))})" for item in suggestions)
        text += f"\n\nRéunions les plus proches que vous pouvez consulter :\n{options}"
    return text


def silent_speaker_answer(name: str, meeting: dict[str, Any], speakers: list[str]) -> str:
    """The person asked about never spoke: never invent what they would have said."""
    who = ", ".join(speakers)
    return (
        f"{name} n'a pas pris la parole lors de « {meeting.get('subject')} » "
        f"({french_date(meeting.get('start'))}) : "
        "la transcription ne contient aucune intervention de sa part. "
        f"Intervenants : {who}."
    )
