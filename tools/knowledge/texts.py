"""The knowledge server's refusals, in French and English (rendered in the caller's language)."""

from __future__ import annotations

from tools.i18n import Catalogue

TEXTS = Catalogue(
    {
        "no_question": {
            "fr": "Indiquez la question à chercher dans les documents.",
            "en": "Give the question to look for in the documents.",
        },
        "no_collection": {
            "fr": "Indiquez la base de connaissances (collection) à interroger.",
            "en": "Give the knowledge base (collection) to search.",
        },
        "unreachable": {
            "fr": "La base de connaissances est injoignable : réessayez dans quelques minutes.",
            "en": "The knowledge base cannot be reached: try again in a few minutes.",
        },
        "not_found": {
            "fr": "Cette base de connaissances n'existe pas.",
            "en": "This knowledge base does not exist.",
        },
        "access_denied": {
            "fr": "Accès refusé à cette base de connaissances.",
            "en": "Access denied to this knowledge base.",
        },
        "bad_request": {
            "fr": "Requête refusée par la base de connaissances.",
            "en": "Request refused by the knowledge base.",
        },
        "unavailable": {
            "fr": "La base de connaissances est indisponible : réessayez plus tard.",
            "en": "The knowledge base is unavailable: try again later.",
        },
    }
)
