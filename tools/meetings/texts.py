"""The meetings server's refusals, in French and English (rendered in the caller's language)."""

from __future__ import annotations

from tools.i18n import Catalogue

TEXTS = Catalogue(
    {
        "not_teams": {
            "fr": "« {subject} » du {day} n'est pas une réunion Teams : elle n'a pas de transcription.",
            "en": "« {subject} » of {day} is not a Teams meeting: it has no transcript.",
        },
        "no_meeting": {
            "fr": "Aucune réunion « {subject} » parmi celles auxquelles vous avez accès.{hint}",
            "en": "No meeting « {subject} » among those you have access to.{hint}",
        },
        "no_meeting_for_link": {
            "fr": "Aucune réunion accessible ne correspond à ce lien Teams.",
            "en": "No meeting you have access to matches this Teams link.",
        },
        "the_meeting": {"fr": "la réunion", "en": "the meeting"},
        "not_transcribed": {
            "fr": "La réunion « {subject} » n'a pas été transcrite.",
            "en": "Meeting « {subject} » was not transcribed.",
        },
        "not_transcribed_on": {
            "fr": "La réunion « {subject} » du {day} n'a pas été transcrite.",
            "en": "Meeting « {subject} » of {day} was not transcribed.",
        },
        "the_transcript": {"fr": "la transcription de cette réunion", "en": "the transcript of this meeting"},
        "unreadable": {
            "fr": "La transcription reçue de Microsoft 365 est illisible.",
            "en": "The transcript received from Microsoft 365 is unreadable.",
        },
        "bad_page": {
            "fr": "offset doit être positif et limit compris entre 1 et {max}.",
            "en": "offset must be positive and limit between 1 and {max}.",
        },
        "nothing_to_search": {
            "fr": "Indiquez des mots à chercher ou un intervenant.",
            "en": "Give words to search for, or a speaker.",
        },
        "speaker_absent": {
            "fr": "« {speaker} » n'intervient pas dans cette réunion. Intervenants : {speakers}.",
            "en": "« {speaker} » does not speak in this meeting. Speakers: {speakers}.",
        },
    }
)
