"""The calendar server's refusals, in French and English (rendered in the caller's language)."""

from __future__ import annotations

from tools.i18n import Catalogue

# The date expressions the tools understand are French (`dates.py`): English examples quote them.
TEXTS = Catalogue(
    {
        "bad_bound": {
            "fr": "Date non comprise : « {text} ». Exemples : 2025-06-19, hier, jeudi dernier.",
            "en": "Date not understood: « {text} ». Examples: 2025-06-19, « hier », « jeudi dernier ».",
        },
        "bad_around": {
            "fr": "Date non comprise : « {text} ». Exemples : hier, jeudi dernier, le 19 juin.",
            "en": "Date not understood: « {text} ». Examples: « hier », « jeudi dernier », « le 19 juin ».",
        },
        "period_reversed": {
            "fr": "La fin de la période doit être postérieure à son début.",
            "en": "The end of the period must come after its start.",
        },
        "no_meeting": {
            "fr": "Aucune réunion « {subject} » dans votre calendrier.{hint}",
            "en": "No meeting « {subject} » in your calendar.{hint}",
        },
        "no_meeting_around": {
            "fr": "Aucune réunion « {subject} » ({around}) dans votre calendrier.{hint}",
            "en": "No meeting « {subject} » ({around}) in your calendar.{hint}",
        },
        "close_meetings": {
            "fr": " Réunions proches dans votre calendrier : {close}.",
            "en": " Close meetings in your calendar: {close}.",
        },
        "subject_on_day": {"fr": "« {subject} » du {day}", "en": "« {subject} » of {day}"},
        "your_calendar": {"fr": "votre calendrier", "en": "your calendar"},
        "the_event": {"fr": "l'événement « {id} »", "en": "the event « {id} »"},
    }
)
