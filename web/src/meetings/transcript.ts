/** The transcript of a Teams meeting (`GET /api/meetings/{id}/transcript`) and the cues a citation names. */
import { type ApiDeps, apiGet } from '../api/client';

export interface MeetingInfo {
  id?: string;
  subject?: string | null;
  /** ISO date-time. */
  start?: string | null;
  end?: string | null;
  /** The organizer's address (UPN). */
  organizer?: string | null;
}

export interface TranscriptCue {
  /** The Teams cue id (it contains `/` and `-`); null when the transcript had none. */
  id: string | null;
  /** Offset from the start of the recording, `00:12:03.120`. */
  start: string;
  end: string;
  speaker: string | null;
  text: string;
}

export interface Transcript {
  meeting: MeetingInfo;
  cues: TranscriptCue[];
}

export function getTranscript(eventId: string, deps?: ApiDeps): Promise<Transcript> {
  return apiGet<Transcript>(`/api/meetings/${encodeURIComponent(eventId)}/transcript`, deps);
}

/** The id of a cue's element on the page: `cue-` and the cue id as it is (find it with getElementById). */
export function cueElementId(cueId: string): string {
  return `cue-${cueId}`;
}

/** The link to a meeting's transcript at the cited cues, as the server builds it. */
export function transcriptPath(eventId: string, cueIds: readonly string[] = []): string {
  const path = `/reunions/${encodeURIComponent(eventId)}`;
  return cueIds.length ? `${path}?cues=${encodeURIComponent(cueIds.join(','))}` : path;
}

/**
 * The cited cue ids, in the order given, from `?cues=ID1,ID2` (the parameter may repeat) or from the
 * fragment: `#cues=ID1,ID2` or `#cue-ID`.
 */
export function citedCueIds(search: string, hash: string): string[] {
  const ids = new URLSearchParams(search).getAll('cues').flatMap(splitIds);
  const fragment = hash.replace(/^#/, '');
  if (fragment.includes('=')) ids.push(...new URLSearchParams(fragment).getAll('cues').flatMap(splitIds));
  else if (fragment.startsWith('cue-')) ids.push(decodeLoosely(fragment.slice('cue-'.length)));
  return [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
}

function splitIds(value: string): string[] {
  return value.split(',');
}

function decodeLoosely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `00:12:03.120` → `00:12:03`; `1:02:03` → `01:02:03`; `12:03.5` → `00:12:03`; anything else as it is. */
export function formatCueTime(offset: string): string {
  const value = offset.trim();
  const full = /^(\d+):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?$/.exec(value);
  if (full) return [full[1], full[2], full[3]].map((part) => (part as string).padStart(2, '0')).join(':');
  const short = /^(\d{1,2}):(\d{1,2})(?:[.,]\d+)?$/.exec(value);
  if (short) return ['00', short[1], short[2]].map((part) => (part as string).padStart(2, '0')).join(':');
  return value;
}
