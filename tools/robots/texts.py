"""The robots server's refusals, in French and English (rendered in the caller's language)."""

from __future__ import annotations

from tools.i18n import Catalogue

TEXTS = Catalogue(
    {
        "unknown": {
            "fr": "Robot inconnu « {robot} ». Robots disponibles : {known}.",
            "en": "Unknown robot « {robot} ». Robots available: {known}.",
        },
        "invalid_inputs": {"fr": "Entrées invalides : {errors}.", "en": "Invalid inputs: {errors}."},
        "access_denied": {
            "fr": "Le robot « {robot} » ne peut être demandé que par {people} : adressez-vous à l'une de ces"
            " personnes pour qu'elle en fasse la demande.",
            "en": "Robot « {robot} » may only be requested by {people}: ask one of them to make the request.",
        },
        "job_unknown": {
            "fr": "Tâche « {job} » introuvable ou non accessible.",
            "en": "Job « {job} » not found or not accessible.",
        },
        "unreachable": {
            "fr": "Ariane est injoignable : réessayez dans quelques minutes.",
            "en": "Ariane cannot be reached: try again in a few minutes.",
        },
        "not_responding": {
            "fr": "Le service des robots d'Ariane ne répond pas : réessayez plus tard.",
            "en": "Ariane's robots service is not responding: try again later.",
        },
    }
)
