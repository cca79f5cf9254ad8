"""What the meetings tools do, as the calling user: read and search Teams transcripts."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from tools.doctext.folding import fold, terms
from tools.m365 import GraphAccess, M365Error
from tools.mcp_common import Caller, JsonObject, ToolFailure, failure_from_m365
from tools.meetings.resolve import OnlineMeeting, resolve_meeting
from tools.meetings.schemas import MeetingRef, TranscriptCue
from tools.meetings.texts import TEXTS
from tools.meetings.vtt import Cue, VttError, parse_vtt

MAX_PAGE = 500
MAX_HITS = 20


class ParsedTranscript:
    """A transcript's cues and what every call derives from them, computed once per content.

    `rows[i]` is `cues[i]` in the JSON form of `TranscriptCue` (the model stays the source of truth);
    results get copies, so a caller can never alter the cache.
    """

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self.rows: list[JsonObject] = [TranscriptCue.of(cue).model_dump(mode="json") for cue in cues]
        self.speakers: list[str] = list(dict.fromkeys(cue.speaker for cue in cues if cue.speaker))

    @cached_property
    def cue_terms(self) -> list[frozenset[str]]:
        """The searchable terms of each cue (only searches need them)."""
        return [frozenset(terms(cue.text)) for cue in self.cues]


@dataclass(frozen=True)
class Transcript:
    """A meeting's transcript, parsed."""

    meeting: MeetingRef
    transcript_id: str
    parsed: ParsedTranscript


def _meeting_ref(meeting: OnlineMeeting) -> MeetingRef:
    return MeetingRef(
        online_meeting_id=meeting.id,
        subject=meeting.subject,
        start=meeting.start,
        end=meeting.end,
        organizer=meeting.organizer,
    )


class RecentTranscripts:
    """Transcripts a user loaded in the last minute, by what they designated the meeting with.

    A run reads a long transcript page after page, and may search it: each call would resolve the
    meeting and download the transcript again. Kept per user token, briefly and few: access stays the
    user's own, and what Graph changes shows within `ttl` seconds.
    """

    def __init__(
        self, ttl: float = 60.0, size: int = 32, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl, self._size, self._clock = ttl, size, clock
        self._entries: OrderedDict[tuple[str, str], tuple[float, Transcript]] = OrderedDict()

    @staticmethod
    def _key(caller: Caller, meeting: str) -> tuple[str, str]:
        return hashlib.sha256(caller.token.encode()).hexdigest(), meeting.strip()

    def get(self, caller: Caller, meeting: str) -> Transcript | None:
        """The transcript loaded for this user and meeting less than `ttl` seconds ago."""
        key = self._key(caller, meeting)
        entry = self._entries.get(key)
        if entry is None or self._clock() - entry[0] > self._ttl:
            self._entries.pop(key, None)
            return None
        return entry[1]

    def put(self, caller: Caller, meeting: str, transcript: Transcript) -> None:
        """Remember a transcript just loaded (the oldest entries go beyond `size`)."""
        self._entries[self._key(caller, meeting)] = (self._clock(), transcript)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)


async def load_transcript(
    graph: GraphAccess, caller: Caller, meeting: str, recent: RecentTranscripts | None = None
) -> Transcript:
    """The latest transcript of the meeting `meeting` designates (as `recent` has it, when it does).

    Raises:
        ToolFailure: `not_found`, `not_transcribed`, or Graph's failure.
    """
    known = recent.get(caller, meeting) if recent is not None else None
    if known is not None:
        return known
    transcript = await _load(graph, caller, meeting)
    if recent is not None:
        recent.put(caller, meeting, transcript)
    return transcript


async def _load(graph: GraphAccess, caller: Caller, meeting: str) -> Transcript:
    client = graph.client_for(caller.token)
    found = await resolve_meeting(graph, client, meeting)
    ref = _meeting_ref(found)
    transcripts = client.me.online_meetings.by_online_meeting_id(ref.online_meeting_id).transcripts
    try:
        listing = await graph.read(transcripts, transcripts.to_get_request_information())
        available = sorted(
            (item for item in (listing or {}).get("value") or [] if item.get("id")),
            key=lambda item: str(item.get("createdDateTime") or ""),
        )
        if not available:
            raise ToolFailure(
                "not_transcribed",
                TEXTS("not_transcribed_on", subject=ref.subject, day=f"{ref.start:%d/%m/%Y}")
                if ref.start
                else TEXTS("not_transcribed", subject=ref.subject),
            )
        transcript_id = str(available[-1]["id"])
        content = await graph.call(transcripts.by_call_transcript_id(transcript_id).content.get())
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("the_transcript")) from exc
    try:
        parsed = _parsed(content or b"")
    except (VttError, UnicodeDecodeError) as exc:
        raise ToolFailure("unavailable", TEXTS("unreadable")) from exc
    return Transcript(ref, transcript_id, parsed)


@lru_cache(maxsize=64)
def _parsed(content: bytes) -> ParsedTranscript:
    # Parsing a three-hour meeting and shaping its cues cost milliseconds; the same transcript is read
    # page after page, and searched, so it is done once per content (the cache compares whole contents).
    return ParsedTranscript(parse_vtt(content.decode("utf-8-sig")))


async def transcript_page(
    graph: GraphAccess,
    caller: Caller,
    meeting: str,
    offset: int,
    limit: int,
    recent: RecentTranscripts | None = None,
) -> JsonObject:
    """`limit` cues from `offset`, with the meeting and its speakers.

    Returns a `TranscriptPage` in JSON form (see `tools.mcp_common.JsonObject`).
    """
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ToolFailure("bad_request", TEXTS("bad_page", max=MAX_PAGE))
    transcript = await load_transcript(graph, caller, meeting, recent)
    parsed = transcript.parsed
    total = len(parsed.cues)
    return {  # the fields of TranscriptPage, in order
        "meeting": transcript.meeting.model_dump(mode="json"),
        "transcript_id": transcript.transcript_id,
        "speakers": list(parsed.speakers),
        "total_cues": total,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
        "cues": [dict(row) for row in parsed.rows[offset : offset + limit]],
    }


def _speaker_matches(wanted: str, speaker: str | None) -> bool:
    if speaker is None:
        return False
    name = fold(speaker)
    return wanted in name or all(part in name for part in wanted.split())


def _score(query_terms: set[str], found: frozenset[str]) -> float:
    if not query_terms:
        return 1.0
    return round(len(query_terms & found) / len(query_terms), 4)


async def search(
    graph: GraphAccess,
    caller: Caller,
    meeting: str,
    query: str,
    speaker: str | None,
    recent: RecentTranscripts | None = None,
) -> JsonObject:
    """Cues containing the query's words (at least one), from `speaker` if given, best first.

    Returns a `TranscriptSearch` in JSON form (see `tools.mcp_common.JsonObject`).
    """
    transcript = await load_transcript(graph, caller, meeting, recent)
    parsed = transcript.parsed
    wanted = set(terms(query))
    if not wanted and not speaker:
        raise ToolFailure("bad_request", TEXTS("nothing_to_search"))
    folded_speaker = fold(speaker) if speaker else ""
    chosen = [
        i for i, cue in enumerate(parsed.cues) if not speaker or _speaker_matches(folded_speaker, cue.speaker)
    ]
    if speaker and not chosen:
        speakers = ", ".join(parsed.speakers)
        raise ToolFailure("not_found", TEXTS("speaker_absent", speaker=speaker, speakers=speakers))
    found = parsed.cue_terms if wanted else None
    scored = [(_score(wanted, found[i] if found is not None else frozenset()), i) for i in chosen]
    ranked = sorted(
        (pair for pair in scored if pair[0] > 0), key=lambda pair: (-pair[0], parsed.cues[pair[1]].start_ms)
    )
    return {  # the fields of TranscriptSearch, in order
        "meeting": transcript.meeting.model_dump(mode="json"),
        "transcript_id": transcript.transcript_id,
        "query": query,
        "speaker": speaker,
        "total_hits": len(ranked),
        "hits": [{"score": score, "cue": dict(parsed.rows[i])} for score, i in ranked[:MAX_HITS]],
    }
